"""The full collection waits for a quiet moment, but not for ever."""

from __future__ import annotations

import gc
import threading

import pytest

from alkedash import collector
from alkedash.collector import Collector


class Process:
    """A fake clock, CPU meter and collector: each `step` is one tick of `seconds` at `cores`."""

    def __init__(self) -> None:
        self.now = 0.0
        self.used = 0.0
        self.gen2 = 0
        self.collected: list[float] = []

    def step(self, *, seconds: float = 0.25, cores: float) -> None:
        self.now += seconds
        self.used += seconds * cores

    def collect(self, generation: int) -> int:
        assert generation == 2
        self.collected.append(self.now)
        self.gen2 = 0
        return 0

    def collector(self, **kwargs: float) -> Collector:
        return Collector(
            cpu=lambda: self.used,
            clock=lambda: self.now,
            count=lambda: (0, 0, self.gen2),
            collect=self.collect,
            **kwargs,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize(
    ("gen2", "cores", "collects"),
    [
        (99, 0.0, False),  # not due yet: never, however quiet
        (100, 0.1, True),  # due and quiet
        (100, 0.49, True),
        (100, 0.5, False),  # due but busy: wait
        (500, 1.0, False),
    ],
)
def test_a_full_collection_runs_when_due_and_quiet(gen2: int, cores: float, collects: bool) -> None:
    proc = Process()
    c = proc.collector(quiet_cores=0.5)
    proc.gen2 = gen2
    proc.step(cores=cores)
    assert c.tick() is collects
    assert bool(proc.collected) is collects


def test_a_busy_process_still_collects_after_the_longest_wait() -> None:
    proc = Process()
    c = proc.collector(longest=30.0)
    proc.gen2 = 100
    ticks = 0
    while not proc.collected:
        proc.step(cores=1.0)
        c.tick()
        ticks += 1
    assert ticks * 0.25 == pytest.approx(30.0, abs=0.25)
    assert c.collections == 1


def test_the_wait_starts_again_after_a_collection() -> None:
    proc = Process()
    c = proc.collector(longest=10.0)
    proc.gen2 = 100
    proc.step(cores=0.0)
    assert c.tick()
    proc.gen2 = 100
    for _ in range(40):  # busy for 10 s, the first of them when it became due again: still waiting
        proc.step(cores=1.0)
        assert not c.tick()
    proc.step(cores=1.0)
    assert c.tick()


def test_the_collections_own_time_does_not_count_as_load() -> None:
    proc = Process()
    c = proc.collector(quiet_cores=0.5)

    def slow_collect(generation: int) -> int:
        proc.used += 0.2  # the collection itself took 200 ms of CPU
        return proc.collect(generation)

    c.collect = slow_collect
    proc.gen2 = 100
    proc.step(cores=0.0)
    assert c.tick()
    proc.gen2 = 100
    proc.step(cores=0.1)
    assert c.tick()  # quiet since the last collection, although the collection itself was not


def test_start_leaves_young_collections_automatic_and_runs_one_thread() -> None:
    before = gc.get_threshold()
    try:
        collector.start(young=(700, 10))
        collector.start(young=(700, 10))
        assert gc.get_threshold() == (700, 10, collector.NEVER)
        assert [t.name for t in threading.enumerate()].count("alkedash-collector") == 1
    finally:
        gc.set_threshold(*before)
