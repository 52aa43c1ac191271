"""The in-memory moving-window limiter (``api.ratelimit``) and what it costs the check route."""

from __future__ import annotations

import threading

import pytest

from api.access import RatePolicy
from api.ratelimit import SWEEP_SECONDS, MovingWindowLimiter, Window


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_moving_window_refuses_until_the_oldest_hit_leaves_it():
    clock = Clock()
    limiter = MovingWindowLimiter(clock)
    three_a_minute = (Window(3, 60.0, "3 per 1 minute"),)
    for step in range(3):
        clock.now += 10 * step
        assert limiter.hit(three_a_minute, "check", "a") is None  # hits at 1000, 1010, 1030
    clock.now = 1050.0
    window, wait = limiter.hit(three_a_minute, "check", "a")
    assert window.text == "3 per 1 minute" and wait == pytest.approx(10.0)  # 1000 leaves at 1060
    assert limiter.hit(three_a_minute, "check", "b") is None  # another client counts alone
    assert limiter.hit(three_a_minute, "write", "a") is None  # and so does another kind of work
    clock.now = 1060.5
    assert limiter.hit(three_a_minute, "check", "a") is None
    window, wait = limiter.hit(three_a_minute, "check", "a")
    assert wait == pytest.approx(1010 + 60 - 1060.5)  # moving, not fixed: the next oldest is 1010


def test_a_refused_request_counts_in_no_window():
    clock = Clock()
    limiter = MovingWindowLimiter(clock)
    windows = (Window(2, 1.0, "2 per 1 second"), Window(3, 60.0, "3 per 1 minute"))
    assert limiter.hit(windows, "check", "a") is None
    assert limiter.hit(windows, "check", "a") is None
    refused = limiter.hit(windows, "check", "a")
    assert refused is not None and refused[0].amount == 2  # the per-second window is full
    clock.now += 1.5  # a second later the per-second window has room: the refusal used none of the
    assert limiter.hit(windows, "check", "a") is None  # per-minute window's three
    refused = limiter.hit(windows, "check", "a")
    assert refused is not None and refused[0].amount == 3 and refused[1] == pytest.approx(58.5)


def test_idle_clients_are_forgotten():
    clock = Clock()
    limiter = MovingWindowLimiter(clock)
    minute = (Window(5, 60.0, "5 per 1 minute"),)
    for n in range(100):
        limiter.hit(minute, "check", f"addr:10.0.0.{n}")
    assert len(limiter) == 100
    clock.now += SWEEP_SECONDS + 61
    limiter.hit(minute, "check", "addr:10.0.0.1")
    assert len(limiter) == 1


def test_policy_reads_the_limits_notation():
    policy = RatePolicy.parse("120/minute", "50/second;3000/minute", "20/second")
    per_second, per_minute = Window(50, 1.0, "50 per 1 second"), Window(3000, 60.0, "3000 per 1 minute")
    assert policy.keyed_checks == (per_second, per_minute)
    with pytest.raises(ValueError):
        RatePolicy.parse("lots", "1/second", "1/second")


def test_checking_starts_no_threads(seeded_client):
    """The ``limits`` storage started a timer thread every few requests; the guard must start none."""
    claim = {"claim": "Armenia said a Turkish F-16 shot down an Armenian warplane"}
    for _ in range(2):  # the query thread's pool starts its thread on first use
        assert seeded_client.post("/v1/claims/check", json=claim).status_code == 200
    before = threading.active_count()
    started: list[str] = []
    original = threading.Thread.start

    def record(self: threading.Thread) -> None:
        started.append(self.name)
        original(self)

    threading.Thread.start = record  # type: ignore[method-assign]
    try:
        for _ in range(20):
            assert seeded_client.post("/v1/claims/check", json=claim).status_code == 200
            assert seeded_client.get("/health").status_code == 200
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    assert started == [] and threading.active_count() == before
