"""Engine and schema: SQLite (WAL) by default, PostgreSQL by URL, migrations by Alembic.

Every write goes through `transaction`: one unit of work, committed before the caller
acknowledges anything, and retried as a whole when the store was only busy (SQLite's write
lock) or the connection was lost (PostgreSQL restarted, a backend was terminated).
"""

from __future__ import annotations

import contextlib
import logging
import random
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("alkedash.db")

T = TypeVar("T")

# Pauses between attempts (seconds); a little jitter is added so that retrying writers spread out.
BACKOFF_SECONDS = (0.05, 0.1, 0.2, 0.4)
_SQLITE_BUSY = ("database is locked", "database table is locked", "busy")
# PostgreSQL serialization_failure and deadlock_detected: the transaction is safe to run again.
_PG_RETRY_SQLSTATES = frozenset({"40001", "40P01"})


class StoreUnavailable(RuntimeError):
    """The store stayed locked or unreachable through every attempt; nothing was acknowledged."""


def is_retryable(exc: BaseException) -> bool:
    """True when running the whole unit of work again may succeed: a busy SQLite file, a lost
    PostgreSQL connection, a serialization failure or deadlock. Never a constraint violation."""
    orig: BaseException | None = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, (sqlite3.IntegrityError, psycopg.IntegrityError)):
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(orig, sqlite3.OperationalError):
        return any(marker in str(orig).lower() for marker in _SQLITE_BUSY)
    if isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError)):
        return True  # connection lost or refused, server shutting down; also 40001/40P01 below
    return isinstance(orig, psycopg.Error) and orig.sqlstate in _PG_RETRY_SQLSTATES


def _describe(exc: BaseException) -> str:
    """The driver's first line, never the SQL or its parameters (they hold what participants wrote)."""
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    first = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first}"


_sqlite_writers: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_sqlite_writers_guard = threading.Lock()


def _writer_turn(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """SQLite has one writer at a time. Left to its busy handler, writers that lose the race sleep
    in growing steps up to 100 ms, so under a burst a 2 ms commit waits hundreds of ms (measured:
    40 threads, p95 421 ms). Taking turns on a lock in the process costs each only the queue ahead."""
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _sqlite_writers_guard:
        return _sqlite_writers.setdefault(engine, threading.Lock())


def transaction(*, engine: Engine, work: Callable[[Session], T], attempts: int = 5, write: bool = True) -> T:
    """Run `work` in one transaction and commit; return its result only after the commit.

    On a retryable error (see `is_retryable`) the transaction is rolled back and the whole of
    `work` runs again in a fresh session, after a short growing pause. `work` must therefore be
    safe to run again, including after a commit whose acknowledgement was lost, and should return
    plain values, not ORM objects. Anything else it raises (constraint violations, the app's own
    errors) propagates at once. When every attempt failed, StoreUnavailable is raised from the last
    error. `write=False` for a unit that only reads: it need not wait for SQLite's writer turn.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            with _writer_turn(engine) if write else contextlib.nullcontext(), Session(engine) as s, s.begin():
                result = work(s)
            return result
        except Exception as exc:
            if not is_retryable(exc):
                raise
            if attempt == attempts:
                log.error("store unavailable after %d attempts: %s", attempts, _describe(exc))
                raise StoreUnavailable(f"store unavailable after {attempts} attempts: {_describe(exc)}") from exc
            pause = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS)) - 1] + random.uniform(0, 0.02)
            log.warning("attempt %d of %d failed (%s); retrying in %.2f s", attempt, attempts, _describe(exc), pause)
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover


def make_engine(*, url: str, busy_timeout: float = 5.0) -> Engine:
    """One engine per process; SQLite gets WAL, a busy timeout (seconds) and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Five seconds per attempt: `transaction` tries five times, so a phone hears "busy" within
        # about half a minute instead of hanging.
        busy_ms = round(busy_timeout * 1000)
        engine = create_engine(url, connect_args={"timeout": busy_timeout, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged input survives even a power cut, not only a killed process.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def alembic_config(*, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(*, engine: Engine) -> None:
    """Bring the schema to the newest migration; safe to run at every start."""
    cfg = alembic_config(url=engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
