"""alkedash.recent: what hundreds of phones poll is computed once per moment."""

from __future__ import annotations

import threading

import pytest

from alkedash.recent import Recent
from tests.conftest import FakeClock


@pytest.mark.parametrize(
    ("later", "computed"),
    [(0.0, 1), (0.5, 1), (0.99, 1), (1.0, 2), (5.0, 2)],
)
def test_a_value_is_computed_again_only_once_it_is_older_than_max_age(
    later: float, computed: int, clock: FakeClock
) -> None:
    memo = Recent(max_age=1.0, clock=clock)
    answers = iter(range(10))
    first = memo.get(key="v", compute=lambda: next(answers))
    clock.now += later
    second = memo.get(key="v", compute=lambda: next(answers))
    assert memo.computed == computed
    assert (first, second) == ((0, 0) if computed == 1 else (0, 1))


def test_keys_are_kept_apart_and_clear_forgets_them(clock: FakeClock) -> None:
    memo = Recent(max_age=10.0, clock=clock)
    assert memo.get(key=("db1", "ALKE25"), compute=lambda: 1) == 1
    assert memo.get(key=("db2", "ALKE25"), compute=lambda: 2) == 2
    assert memo.get(key=("db1", "ALKE25"), compute=lambda: 3) == 1
    memo.clear()
    assert memo.get(key=("db1", "ALKE25"), compute=lambda: 4) == 4


def test_old_keys_are_dropped_when_the_memo_is_full(clock: FakeClock) -> None:
    memo = Recent(max_age=1.0, clock=clock, max_keys=3)
    for k in range(3):
        memo.get(key=k, compute=lambda: 0)
    clock.now += 2.0
    memo.get(key="new", compute=lambda: 0)
    assert set(memo.values) == {"new"}


def test_five_hundred_polls_in_one_moment_ask_the_store_once() -> None:
    memo = Recent(max_age=60.0)
    memo.get(key="ideas", compute=lambda: 7)
    results: list[int] = []

    def poll() -> None:
        results.append(memo.get(key="ideas", compute=lambda: 8))

    threads = [threading.Thread(target=poll) for _ in range(500)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert memo.computed == 1
    assert set(results) == {7}
