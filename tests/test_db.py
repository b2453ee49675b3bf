from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import psycopg.errors
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from alkedash import db, intake, live
from alkedash.content import Catalogue, Event
from alkedash.db import BACKOFF_SECONDS, StoreUnavailable, is_retryable, make_engine, migrate, transaction
from alkedash.intake import IntakeError
from alkedash.models import Base, Participant

TERMINATE_OTHERS = (
    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
)


def test_migrating_twice_is_harmless_and_creates_every_table(engine: Engine) -> None:
    migrate(engine=engine)
    tables = set(inspect(engine).get_table_names())
    assert {"participants", "inputs", "ratings", "input_tags", "votes", "live_state", "question_status"} <= tables


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine: Engine) -> None:
    migrate(engine=engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


@pytest.mark.parametrize(("busy_timeout", "millis"), [(None, 5000), (0.1, 100)])
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path, busy_timeout: float | None, millis: int) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'a.db'}"
    eng = make_engine(url=url) if busy_timeout is None else make_engine(url=url, busy_timeout=busy_timeout)
    with eng.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == millis
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    eng.dispose()


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


# --- retried units of work -------------------------------------------------------------------


def _participants(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(Participant)) or 0)


def _add_participant(s: Session, token: str) -> None:
    s.add(Participant(token=token, event="alke-2025", channel="room", region=None, org_type=None, lang="fi"))
    s.flush()


def _locked() -> OperationalError:
    return OperationalError("INSERT INTO participants ...", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (_locked(), True),
        (OperationalError("UPDATE", {}, sqlite3.OperationalError("database table is locked")), True),
        (OperationalError("COMMIT", {}, sqlite3.OperationalError("database is busy")), True),
        (OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: inputs")), False),
        (IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed")), False),
        (OperationalError("SELECT", {}, psycopg.errors.AdminShutdown("terminating connection")), True),
        (OperationalError("SELECT", {}, psycopg.OperationalError("server closed the connection")), True),
        (InterfaceError("SELECT", {}, psycopg.InterfaceError("the connection is closed")), True),
        (OperationalError("UPDATE", {}, psycopg.errors.SerializationFailure("could not serialize")), True),
        (OperationalError("UPDATE", {}, psycopg.errors.DeadlockDetected("deadlock detected")), True),
        (IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate key")), False),
        (DBAPIError("SELECT", {}, Exception("gone"), connection_invalidated=True), True),
        (IntakeError("closed"), False),
        (ValueError("unknown theme"), False),
    ],
    ids=[
        "sqlite-locked",
        "sqlite-table-locked",
        "sqlite-busy",
        "sqlite-no-such-table",
        "sqlite-unique",
        "pg-admin-shutdown",
        "pg-connection-closed",
        "pg-interface-closed",
        "pg-serialization-failure",
        "pg-deadlock",
        "pg-unique",
        "connection-invalidated",
        "intake-error",
        "value-error",
    ],
)
def test_only_a_busy_store_a_lost_connection_or_a_serialization_failure_is_retryable(
    error: BaseException, retryable: bool
) -> None:
    assert is_retryable(error) is retryable


def test_a_failed_attempt_is_rolled_back_and_the_whole_unit_runs_again_after_growing_pauses(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(db.time, "sleep", pauses.append)
    calls: list[int] = []

    def work(s: Session) -> str:
        calls.append(1)
        _add_participant(s, "retried")  # written, then thrown away with the failed attempt
        if len(calls) <= 3:
            raise _locked()
        return "done"

    with caplog.at_level(logging.WARNING, logger="alkedash.db"):
        assert transaction(engine=engine, work=work) == "done"
    assert len(calls) == 4
    assert _participants(engine) == 1
    assert len(caplog.records) == 3 and all(r.name == "alkedash.db" for r in caplog.records)
    assert pauses == sorted(pauses)
    assert all(base <= p <= base + 0.05 for base, p in zip(BACKOFF_SECONDS, pauses, strict=False))


def test_when_attempts_run_out_the_store_is_unavailable_and_nothing_is_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.time, "sleep", lambda _s: None)
    calls: list[int] = []

    def work(s: Session) -> None:
        calls.append(1)
        _add_participant(s, f"never-{len(calls)}")
        raise _locked()

    with pytest.raises(StoreUnavailable) as err:
        transaction(engine=engine, work=work, attempts=3)
    assert len(calls) == 3
    assert isinstance(err.value.__cause__, OperationalError)
    assert _participants(engine) == 0


def _duplicate_token(s: Session) -> None:
    _add_participant(s, "taken")


def _refused_input(_s: Session) -> None:
    raise IntakeError("closed")


def _unknown_theme(_s: Session) -> None:
    raise ValueError("unknown theme 'T9'")


@pytest.mark.parametrize(
    ("work", "error"),
    [(_duplicate_token, IntegrityError), (_refused_input, IntakeError), (_unknown_theme, ValueError)],
)
def test_constraint_violations_and_the_apps_own_errors_are_never_retried(
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    work: Callable[[Session], None],
    error: type[Exception],
) -> None:
    transaction(engine=engine, work=lambda s: _add_participant(s, "taken"))
    calls: list[int] = []

    def counted(s: Session) -> None:
        calls.append(1)
        work(s)

    with caplog.at_level(logging.WARNING, logger="alkedash.db"), pytest.raises(error):
        transaction(engine=engine, work=counted)
    assert len(calls) == 1
    assert caplog.records == []
    assert _participants(engine) == 1


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
@pytest.mark.parametrize("pre_ping", [True, False], ids=["pre-ping", "no-pre-ping"])
def test_postgres_connections_terminated_while_idle_in_the_pool_are_replaced(
    engine: Engine, caplog: pytest.LogCaptureFixture, pre_ping: bool
) -> None:
    """The app's make_engine pings on checkout; without the ping the retry alone must recover."""
    url = engine.url.render_as_string(hide_password=False)
    app = make_engine(url=url) if pre_ping else create_engine(url, pool_size=3)
    killer = create_engine(url, poolclass=NullPool)
    held = [app.connect() for _ in range(3)]  # three connections, then idle in the pool
    for conn in held:
        conn.execute(text("SELECT 1"))
        conn.close()
    with killer.begin() as k:
        assert k.execute(text(TERMINATE_OTHERS)).scalar() >= 3
    with caplog.at_level(logging.WARNING, logger="alkedash.db"):
        transaction(engine=app, work=lambda s: _add_participant(s, "after-restart"))
    assert _participants(engine) == 1
    if not pre_ping:
        assert any("AdminShutdown" in r.getMessage() for r in caplog.records)
    app.dispose()
    killer.dispose()


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_postgres_connection_lost_in_the_middle_of_a_unit_is_retried_as_a_whole(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    killer = create_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    backends: list[int] = []

    def work(s: Session) -> None:
        s.connection()  # checked out (and pinged): the unit has its connection
        backends.append(1)
        if len(backends) == 1:
            with killer.begin() as k:
                assert k.execute(text(TERMINATE_OTHERS)).scalar() >= 1
        _add_participant(s, "survivor")  # the unit's first statement

    with caplog.at_level(logging.WARNING, logger="alkedash.db"):
        transaction(engine=engine, work=work)
    assert len(backends) == 2
    assert _participants(engine) == 1
    assert len(caplog.records) == 1 and "terminating connection" in caplog.records[0].getMessage()
    killer.dispose()
