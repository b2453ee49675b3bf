"""How often one key (a phone, a client address) may do something, counted in this process's
memory only: nothing about it is stored, and a restart forgets it.

Behind nginx a phone's websocket stays on one process (sticky sessions), so a per-process count is
that phone's count."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    """At most `limit` events per key in any `window` seconds (a sliding window)."""

    def __init__(self, *, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._events: dict[str, deque[float]] = {}
        self._swept = clock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._events.get(key)
        if found is None:
            return deque()
        while found and now - found[0] >= self.window:
            found.popleft()
        if not found:
            del self._events[key]
        return found

    def _sweep(self, now: float) -> None:
        """Forget keys that have been quiet for a window, so a long day does not pile up phones."""
        if now - self._swept < self.window:
            return
        self._swept = now
        for key in [k for k, times in self._events.items() if not times or now - times[-1] >= self.window]:
            del self._events[key]

    def wait(self, *, key: str) -> float:
        """Seconds until `key` may act again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            recent = self._recent(key, now)
            if len(recent) < self.limit:
                return 0.0
            return max(0.0, recent[-self.limit] + self.window - now)

    def record(self, *, key: str) -> None:
        with self._lock:
            now = self.clock()
            self._sweep(now)
            self._recent(key, now)
            self._events.setdefault(key, deque()).append(now)

    def take(self, *, key: str) -> float:
        """Count one event if allowed and return 0, else return the wait and count nothing."""
        with self._lock:
            now = self.clock()
            self._sweep(now)
            recent = self._recent(key, now)
            if len(recent) >= self.limit:
                return max(0.0, recent[-self.limit] + self.window - now)
            self._events.setdefault(key, recent).append(now)
            return 0.0

    def forget(self, *, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
