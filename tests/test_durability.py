"""Durability: an input is acknowledged only after it is committed, and a SIGKILL loses nothing acknowledged.

The kill test starts a real server, lets 30 protocol-level phones answer with short think times,
sends the server SIGKILL about 4 s into the load, starts it again on the same database and checks
that every input a phone saw "saved" for is stored exactly once. It runs on SQLite and on
PostgreSQL. `python -m bench.kill` is the same test at full size, for running by hand.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alkedash import intake
from alkedash.content import Catalogue, Event
from alkedash.db import make_engine
from alkedash.models import Input, Rating
from bench import kill
from tests.conftest import POSTGRES_URL, _reset_postgres, require

PHONES = 30
KILL_AFTER_SECONDS = 4.0
BURST = 6  # more phones that send one idea each at the kill moment, so submits are in flight
PHONE_TIMEOUT_SECONDS = 60.0  # one run on a slow, shared 2-core machine; the kill ends every wait at once


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kill.db'}"
    require(POSTGRES_URL is not None, reason="ALKEDASH_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
    assert POSTGRES_URL is not None
    engine = make_engine(url=POSTGRES_URL)  # other tests reset this database too: start from nothing
    _reset_postgres(engine)
    engine.dispose()
    return POSTGRES_URL


def test_a_server_killed_mid_load_keeps_every_acknowledged_input(database_url: str, tmp_path: Path) -> None:
    started = time.monotonic()
    result = kill.run(
        participants=PHONES,
        kill_after=KILL_AFTER_SECONDS,
        burst=BURST,
        database_url=database_url,
        workdir=tmp_path,
        timeout=PHONE_TIMEOUT_SECONDS,
    )
    print(result.report())
    print(f"the whole kill test took {time.monotonic() - started:.1f} s")
    summary = result.report()
    assert result.joined == PHONES + BURST, summary
    assert not result.failures_before_kill, summary
    assert result.acked_before_kill > 0, f"nothing was acknowledged before the kill, so nothing was tested\n{summary}"
    assert not result.refused_before_kill, summary
    assert result.lost == 0, summary
    assert result.duplicated == 0, summary
    assert result.unexplained == 0, summary
    assert result.restart_acked, f"the restarted server did not acknowledge a new input\n{summary}"


def test_an_input_is_acknowledged_only_after_another_connection_can_see_it(
    engine: Engine, live_event: Event, join: Callable[..., str], catalogue: Catalogue
) -> None:
    """`intake.submit` returns (and the phone is told "saved") only once the row is committed: a
    second engine, with its own connections, sees every kind of answer the moment the call returns."""
    other = make_engine(url=engine.url.render_as_string(hide_password=False))
    try:
        with Session(other) as s:  # the other side's connection exists before anything is written
            assert s.scalar(select(func.count()).select_from(Input)) == 0
        token = join()
        found = live_event.question("T1-poll")
        assert found is not None
        answers: list[tuple[str, dict[str, object]]] = [("T1-idea", {"text": f"Tilannekuva {n}"}) for n in range(10)]
        answers += [
            ("T1-words", {"text": "osaaminen yhteistyö"}),
            ("T1-poll", {"option": found[1].options[0].id}),
            ("T1-rating", {"ratings": {key: 4 for key in catalogue.frame.keys}}),
        ]
        for question_id, kwargs in answers:
            receipt = intake.submit(
                engine=engine,
                event=live_event,
                frame_keys=catalogue.frame.keys,
                token=token,
                question_id=question_id,
                throttle=None,  # 13 answers from one phone in a moment: faster than the rate limit allows
                **kwargs,  # type: ignore[arg-type]
            )
            assert not receipt.duplicate
            with Session(other) as s:
                row = s.get(Input, receipt.input_id)
                assert row is not None, f"{question_id} was acknowledged before it was committed"
                assert row.question_id == question_id
                if question_id == "T1-rating":
                    ratings = s.scalar(select(func.count()).select_from(Rating).where(Rating.input_id == row.id))
                    assert ratings == len(catalogue.frame.keys)
        with Session(other) as s:
            assert s.scalar(select(func.count()).select_from(Input)) == len(answers)
    finally:
        other.dispose()


def test_answers_sent_together_are_each_acknowledged_only_after_another_connection_can_see_them(
    engine: Engine, live_event: Event, join: Callable[..., str], catalogue: Catalogue
) -> None:
    """The same, with many phones at once, so that answers are committed in groups: none of them is
    acknowledged before its group's commit."""
    other = make_engine(url=engine.url.render_as_string(hide_password=False))
    tokens = [join() for _ in range(8)]
    start = threading.Barrier(len(tokens))
    unseen: list[str] = []

    def phone(n: int, token: str) -> None:
        start.wait(timeout=30)
        for k in range(5):
            text = f"Yhteinen tilannekuva (puhelin {n}, vastaus {k})"
            receipt = intake.submit(
                engine=engine,
                event=live_event,
                frame_keys=catalogue.frame.keys,
                token=token,
                question_id="T1-idea",
                text=text,
            )
            with Session(other) as s:
                row = s.get(Input, receipt.input_id)
                if row is None or row.text != text:
                    unseen.append(text)

    try:
        threads = [threading.Thread(target=phone, args=(n, token)) for n, token in enumerate(tokens)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads)
        assert unseen == [], f"acknowledged before another connection could see them: {unseen}"
        with Session(other) as s:
            assert s.scalar(select(func.count()).select_from(Input)) == len(tokens) * 5
    finally:
        other.dispose()
