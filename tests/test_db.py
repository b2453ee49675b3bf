from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from alkedash import intake, live
from alkedash.content import Catalogue, Event
from alkedash.db import make_engine, migrate


def test_migrating_twice_is_harmless_and_creates_every_table(engine: Engine) -> None:
    migrate(engine=engine)
    tables = set(inspect(engine).get_table_names())
    assert {"participants", "inputs", "ratings", "votes", "live_state", "question_status", "moderation_log"} <= tables


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    eng = make_engine(url=f"sqlite:///{tmp_path / 'sub' / 'a.db'}")
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_an_acknowledged_input_survives_a_restart(tmp_path: Path, event: Event, catalogue: Catalogue) -> None:
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    first = make_engine(url=url)
    migrate(engine=first)
    live.ensure_event(engine=first, event=event)
    live.set_open(engine=first, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=first, event=event, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    receipt = intake.submit(
        engine=first, event=event, frame_keys=catalogue.frame.keys, token=token, question_id="T1-idea", text="Säilyy"
    )
    first.dispose()  # the server stops
    second = make_engine(url=url)
    migrate(engine=second)
    live.ensure_event(engine=second, event=event)  # start-up again: must not reset anything
    with second.connect() as conn:
        assert conn.execute(text("SELECT text FROM inputs WHERE id = :i"), {"i": receipt.input_id}).scalar() == "Säilyy"
    assert "T1-idea" in live.current(engine=second, event_slug=event.slug).open_questions
