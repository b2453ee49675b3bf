"""Group commit: answers that arrive together are committed together, by one thread per store.

Why: under load a Streamlit process has one busy thread or another at every moment, and every
database call gives up the GIL and waits up to a switch interval (5 ms) to get it back. A unit of
work of eight statements then holds SQLite's write turn for 40+ ms, and writers queue behind it
(measured: 265 submits/s alone, 43/s beside one busy thread). Here each batch costs those hand-overs
once, for up to `MAX_BATCH` answers: one transaction, one fsync, one acknowledgement per answer after
the commit. A batch that fails as a whole is retried one answer at a time, so one bad answer never
costs another its place.
"""

from __future__ import annotations

import logging
import queue
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from alkedash.db import StoreUnavailable, transaction

log = logging.getLogger("alkedash.writer")

MAX_BATCH = 200
IDLE_SECONDS = 30.0  # a writer thread with nothing to do for this long ends; the next answer starts one
ANSWER_TIMEOUT = 120.0

# apply(session, payloads) -> one result per payload: a value, or an exception for that payload alone.
Apply = Callable[[Session, Sequence[Any]], list[Any]]


@dataclass
class _Job:
    apply: Apply
    payload: Any
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None


class _Writer:
    def __init__(self, *, engine: Engine) -> None:
        self.engine = engine
        self.jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._loop, name="alkedash-writer", daemon=True)

    def _loop(self) -> None:
        while True:
            try:
                first = self.jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with _registry_lock:
                    if self.jobs.empty():
                        _writers.pop(self.engine, None)
                        return
                continue
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self.jobs.get_nowait())
                except queue.Empty:
                    break
            for apply in {id(j.apply): j.apply for j in batch}.values():
                self._commit(apply=apply, jobs=[j for j in batch if j.apply is apply])

    def _commit(self, *, apply: Apply, jobs: list[_Job]) -> None:
        try:
            results = transaction(engine=self.engine, work=lambda s: apply(s, [j.payload for j in jobs]))
        except Exception as exc:  # the batch as a whole failed: each answer gets its own chance
            if len(jobs) > 1 and not isinstance(exc, StoreUnavailable):
                log.warning("group of %d failed (%s); committing one by one", len(jobs), type(exc).__name__)
                for job in jobs:
                    self._commit(apply=apply, jobs=[job])
                return
            for job in jobs:
                job.error = exc
                job.done.set()
            return
        for job, result in zip(jobs, results, strict=True):
            if isinstance(result, BaseException):
                job.error = result
            else:
                job.result = result
            job.done.set()


_writers: weakref.WeakKeyDictionary[Engine, _Writer] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def commit(*, engine: Engine, apply: Apply, payload: Any) -> Any:
    """Queue one payload for the store's writer; return its result once its group has committed.

    `apply` must be safe to run again on the same payloads (the unit is retried when the store was
    busy or the connection lost) and must return one result per payload, in order.
    """
    job = _Job(apply=apply, payload=payload)
    with _registry_lock:
        writer = _writers.get(engine)
        if writer is None:
            writer = _writers[engine] = _Writer(engine=engine)
            writer.thread.start()
        writer.jobs.put(job)
    if not job.done.wait(ANSWER_TIMEOUT):
        raise StoreUnavailable(f"no commit within {ANSWER_TIMEOUT:.0f} s")
    if job.error is not None:
        raise job.error
    return job.result
