"""Full garbage collections at quiet moments, not in the middle of a burst of submits.

Why: each connected phone keeps about half a MiB of long-lived objects, and a full collection
walks all of them: 95-190 ms at 500 phones, and while it runs no phone's request moves. Python
starts one when enough objects have survived the young collections, which is when many are being
made: in the busiest seconds of the day. Three interleaved pairs of `python -m bench.load` (500
phones) with and without automatic full collections: submit p95 173/113/137 ms against
102/104/126 ms. So the young generations stay automatic, and the full one is run by a thread
when the process has been quiet for a moment (or after `longest` seconds in any case, so memory
held by cycles is still given back under constant load).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable

# Young collections as before: a full collection is due after this many of generation 1's.
DUE_AFTER = 100
# Python's own full collections are off: the threshold is never reached.
NEVER = 1 << 30


class Collector:
    """Decides, tick by tick, whether now is the moment for a full collection."""

    def __init__(
        self,
        *,
        due_after: int = DUE_AFTER,
        quiet_cores: float = 0.35,
        longest: float = 60.0,
        cpu: Callable[[], float] = time.process_time,
        clock: Callable[[], float] = time.monotonic,
        count: Callable[[], tuple[int, int, int]] = gc.get_count,
        collect: Callable[[int], int] = gc.collect,
    ) -> None:
        self.due_after = due_after
        self.quiet_cores = quiet_cores
        self.longest = longest
        self.cpu = cpu
        self.clock = clock
        self.count = count
        self.collect = collect
        self.last = (clock(), cpu())
        self.due_since: float | None = None
        self.collections = 0

    def tick(self) -> bool:
        """True when it collected: due, and either the last tick was quiet or it has waited `longest`."""
        now, used = self.clock(), self.cpu()
        (then, used_then), self.last = self.last, (now, used)
        if self.count()[2] < self.due_after:
            self.due_since = None
            return False
        if self.due_since is None:
            self.due_since = now
        busy = (used - used_then) / max(now - then, 1e-9)  # cores this process used since the last tick
        if busy >= self.quiet_cores and now - self.due_since < self.longest:
            return False
        self.collect(2)
        self.collections += 1
        self.due_since = None
        self.last = (self.clock(), self.cpu())  # the collection's own time is not load
        return True


_started = threading.Lock()
_thread: threading.Thread | None = None


def start(*, young: tuple[int, int], interval: float = 1.0) -> None:
    """Young thresholds as given, automatic full collections off, and one daemon thread that runs
    them instead. Safe to call again: the thread starts once per process."""
    global _thread
    gc.set_threshold(*young, NEVER)
    with _started:
        if _thread is not None:
            return
        collector = Collector()

        def run() -> None:
            while True:
                time.sleep(interval)
                collector.tick()

        _thread = threading.Thread(target=run, name="alkedash-collector", daemon=True)
        _thread.start()
