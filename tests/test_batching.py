"""Batch endpoint and micro-batching: same answers as one-by-one checks, fewer encoder calls."""

from __future__ import annotations

import asyncio

import pytest

from api.batching import ClaimBatcher
from claimcheck.requests import CheckFilters

CLAIMS = [
    "A Turkish F-16 downed an SU-25",
    "Azerbaijan and Armenia imposed martial law",
    "Germany imposed sanctions on Azerbaijan",
]


def _sentences(body):
    return [e["sentence"] for e in body["evidence"]]


def test_batch_answers_equal_single_answers(seeded_client):
    batch = seeded_client.post("/v1/claims/check-batch", json={"claims": CLAIMS, "limit": 3})
    assert batch.status_code == 200
    results = batch.json()["results"]
    assert [r["claim"] for r in results] == CLAIMS
    for claim, result in zip(CLAIMS, results, strict=True):
        single = seeded_client.post("/v1/claims/check", json={"claim": claim, "limit": 3}).json()
        assert _sentences(result) == _sentences(single)
        assert [e["score"] for e in result["evidence"]] == pytest.approx(
            [e["score"] for e in single["evidence"]], abs=1e-3
        )


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"claims": []}, "claims is empty"),
        ({"claims": ["ok"] * 101}, "length <= 100"),
        ({"claims": ["ok", " "]}, "claims[1]"),
    ],
)
def test_bad_batches_are_400(seeded_client, payload, fragment):
    response = seeded_client.post("/v1/claims/check-batch", json=payload)
    assert response.status_code == 400 and fragment in response.json()["detail"]


def test_claims_that_arrive_together_share_one_encoder_call(seeded_checker, monkeypatch):
    calls = []
    original = seeded_checker.check_many

    def counting(claims, limit, filters):
        calls.append(list(claims))
        return original(claims, limit, filters)

    monkeypatch.setattr(seeded_checker, "check_many", counting)

    async def scenario():
        loop = asyncio.get_running_loop()
        batcher = ClaimBatcher(lambda fn: loop.run_in_executor(None, fn))
        return await asyncio.gather(*(batcher.check(seeded_checker, c, 5, CheckFilters()) for c in CLAIMS))

    results = asyncio.run(scenario())
    assert [r.claim for r in results] == CLAIMS
    assert calls == [CLAIMS]  # all three were queued before the first executor job started
    assert results[2].evidence == ()


def test_a_failing_batch_fails_every_waiting_request(seeded_checker, monkeypatch):
    def broken(claims, limit, filters):
        raise RuntimeError("model crashed")

    monkeypatch.setattr(seeded_checker, "check_many", broken)

    async def scenario():
        loop = asyncio.get_running_loop()
        batcher = ClaimBatcher(lambda fn: loop.run_in_executor(None, fn))
        return await asyncio.gather(
            *(batcher.check(seeded_checker, c, 5, CheckFilters()) for c in CLAIMS), return_exceptions=True
        )

    assert all(isinstance(r, RuntimeError) for r in asyncio.run(scenario()))
