"""Rate limits: the policy's notation, and that counting a request costs no thread."""

from __future__ import annotations

import threading

import pytest
from limits import parse_many

from api.access import RatePolicy


def test_policy_reads_the_limits_notation():
    policy = RatePolicy.parse("120/minute", "50/second;3000/minute", "20/second")
    assert policy.keyed_checks == tuple(parse_many("50/second;3000/minute"))
    assert [(item.amount, item.get_expiry()) for item in policy.keyed_checks] == [(50, 1), (3000, 60)]
    with pytest.raises(ValueError):
        RatePolicy.parse("lots", "1/second", "1/second")


def test_checking_starts_no_threads(seeded_client):
    """``limits``' threaded storage started a timer thread every few requests; its asyncio storage,
    which the guard uses, must start none. (That storage expires its events through
    ``asyncio.to_thread``, so the event loop's default executor may add a worker of its bounded pool,
    "asyncio_N", when two expiries overlap, as they do on a loaded machine: a pool, not a thread per
    request.)"""
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
    timers = [name for name in started if not name.startswith("asyncio_")]
    assert timers == [] and threading.active_count() == before + len(started)
