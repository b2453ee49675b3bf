from __future__ import annotations

import pytest

from alkedash.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("taken", "waits"), [(2, 0.0), (3, 60.0)])
def test_a_key_may_act_limit_times_in_a_window_then_waits_for_the_oldest_to_expire(taken: int, waits: float) -> None:
    clock = Clock()
    throttle = Throttle(limit=3, window=60.0, clock=clock)
    for _ in range(taken):
        assert throttle.take(key="phone") == 0.0
    assert throttle.wait(key="phone") == waits


def test_the_window_slides_and_a_refused_attempt_is_not_counted() -> None:
    clock = Clock()
    throttle = Throttle(limit=2, window=10.0, clock=clock)
    throttle.take(key="a")
    clock.now += 4
    throttle.take(key="a")
    assert throttle.take(key="a") == pytest.approx(6.0)  # refused: waits for the first to age out
    clock.now += 6
    assert throttle.take(key="a") == 0.0  # the first is gone; the refusal left no trace
    assert throttle.take(key="b") == 0.0  # other keys are counted apart


def test_quiet_keys_are_forgotten_so_a_long_day_does_not_pile_up() -> None:
    clock = Clock()
    throttle = Throttle(limit=5, window=10.0, clock=clock)
    for n in range(100):
        throttle.record(key=f"phone-{n}")
    clock.now += 11
    throttle.record(key="late")
    assert list(throttle._events) == ["late"]
