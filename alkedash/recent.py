"""Values that hundreds of phones poll, computed once per process and moment instead of per phone.

Why: 500 phones polling every 10 s are 50 queries a second for two numbers that change a few times
a minute (has the facilitator moved on, how many ideas are there). Each query gives up the GIL and
waits to get it back while the other threads compute. Here the first phone in a moment asks the
store; the others get its answer, at most `max_age` seconds old.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Recent:
    """A small per-process memo with an age limit; thread-safe, and it forgets old keys."""

    def __init__(self, *, max_age: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 256) -> None:
        self.max_age = max_age
        self.clock = clock
        self.max_keys = max_keys
        self.values: dict[Hashable, tuple[float, Any]] = {}
        self.lock = threading.Lock()
        self.computed = 0  # how often `compute` ran: what the tests look at

    def get(self, *, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key`, recomputed when it is older than `max_age`. Two threads that find it
        stale at the same moment may both compute it; neither waits for the other."""
        now = self.clock()
        with self.lock:
            known = self.values.get(key)
        if known is not None and now - known[0] < self.max_age:
            value: T = known[1]
            return value
        value = compute()
        with self.lock:
            self.computed += 1
            if len(self.values) >= self.max_keys:
                self.values = {k: v for k, v in self.values.items() if now - v[0] < self.max_age}
            self.values[key] = (now, value)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


# What every phone's watch asks each few seconds; one second old at most.
PHONES = Recent(max_age=1.0)

# What every projector of a process reads at its refresh: a room with several screens (the hall, the
# stream's overlay, the facilitator's monitor) reads each number once per moment, not once per screen.
SCREENS = Recent(max_age=1.0)
