"""Issue 10: keys for writes, strict JSON bodies, allowed hosts, rate limits, bounded queues, deadlines.

Every refusal is checked three ways: the status, words in ``detail`` a client developer can act
on, and nothing written (the document count is unchanged).
"""

from __future__ import annotations

import asyncio
import socket
import stat
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.keys import KEY_FILE, load_keys
from api.scheduler import BULK, INTERACTIVE, OverloadError, WorkQueue
from tests.conftest import AUTH, TEST_KEY, api_settings, serving

DOC = {"id": "velmora", "text": "The port authority of Velmora signed a 40-year lease with Nordic Freight."}


@pytest.fixture
def app_for(make_checker, tmp_path):
    """Build a test client over a fresh checker with the given settings overrides."""
    opened = []

    def build(**overrides) -> TestClient:
        checker = make_checker(tmp_path / f"data{len(opened)}")
        client = TestClient(
            app=create_app(settings=api_settings(checker.indexes.data_dir, **overrides), checker=checker)
        )
        client.__enter__()
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(app_for):
    return app_for()


def _count(client: TestClient) -> int:
    return int(client.get("/v1/documents").json()["total"])


# --- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, fragment",
    [
        ({}, "api key"),
        ({"Authorization": "Bearer wrong-key-0123456789"}, "not valid"),
        ({"Authorization": f"Basic {TEST_KEY}"}, "bearer"),
        ({"Authorization": "Bearer"}, "bearer"),
    ],
)
def test_writes_without_a_valid_key_are_401_and_write_nothing(client, headers, fragment):
    assert client.post("/v1/documents", json=DOC, headers=AUTH).status_code == 201
    before = _count(client)
    for response in (
        client.post("/v1/documents", json={**DOC, "id": "other"}, headers=headers),
        client.delete("/v1/documents/velmora", headers=headers),
    ):
        assert response.status_code == 401
        assert fragment in response.json()["detail"].lower()
        assert response.headers["www-authenticate"].lower().startswith("bearer")
    assert _count(client) == before
    assert client.get("/v1/documents/velmora").status_code == 200


def test_reads_are_open_but_a_wrong_key_is_not_ignored(client):
    assert client.post("/v1/documents", json=DOC, headers=AUTH).status_code == 201
    assert client.get("/v1/documents/velmora").status_code == 200
    assert client.post("/v1/claims/check", json={"claim": "Velmora signed a lease"}).status_code == 200
    wrong = client.post(
        "/v1/claims/check", json={"claim": "Velmora signed a lease"}, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401


def test_read_key_can_be_required(app_for):
    client = app_for(require_read_key=True)
    assert client.post("/v1/claims/check", json={"claim": "Velmora signed a lease"}).status_code == 401
    assert client.get("/v1/documents").status_code == 401
    assert client.get("/v1/documents", headers=AUTH).status_code == 200
    assert client.get("/health").status_code == 200  # probes carry no key


def test_a_generated_key_is_private_and_stable(tmp_path):
    data = tmp_path / "fresh"
    ring = load_keys((), data)
    path = data / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    key = path.read_text().strip()
    assert len(key) >= 32 and ring.identify(key) is not None and ring.identify(key + "x") is None
    assert load_keys((), data).identify(key) == ring.identify(key)  # the second start reads it back
    with pytest.raises(ValueError, match="at least"):
        load_keys(("short",), data)


# --- bodies, hosts ----------------------------------------------------------------------------


def test_a_text_plain_body_is_415_and_writes_nothing(client):
    """A cross-site form or fetch without preflight can only send text/plain: it must not write."""
    import json

    response = client.post(
        "/v1/documents", content=json.dumps(DOC), headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]
    assert _count(client) == 0


def test_an_unknown_host_is_refused(client):
    """DNS rebinding: a page on attacker.example reaching 127.0.0.1 still says its own Host."""
    response = client.post("/v1/documents", json=DOC, headers={**AUTH, "Host": "attacker.example"})
    assert response.status_code == 400
    assert "host" in response.text.lower()
    assert _count(client) == 0


@pytest.mark.parametrize("path, field", [("/v1/claims/check", "claim"), ("/v1/documents", "text")])
@pytest.mark.parametrize(
    "template, fragment",
    [
        (b'{"FIELD": "caf\xe9 au lait"}', "utf-8"),
        (b"[" * 100_000 + b"]" * 100_000, "object"),
        (b'{"FIELD": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "str"),
        (b"", "empty"),
        (b"   ", "empty"),
        (b'{"FIELD": "Velmora signed a lease", "limit": "5"}', "limit"),
        (b'{"FIELD": "Velmora signed a lease", "id": 5}', "id"),
    ],
)
def test_hostile_bodies_are_400_with_words(client, path, field, template, fragment):
    content = template.replace(b"FIELD", field.encode())
    response = client.post(path, content=content, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"].lower()
    assert _count(client) == 0


def test_a_body_over_the_bound_is_413_saying_the_bound(app_for):
    client = app_for(max_document_chars=1000)
    response = client.post("/v1/documents", json={"text": "word " * 2000}, headers=AUTH)
    assert response.status_code == 413
    assert "at most" in response.json()["detail"]
    assert _count(client) == 0


def test_a_huge_offset_is_400_not_500(client):
    response = client.get("/v1/documents", params={"offset": 9223372036854775808})
    assert response.status_code == 400


# --- rate limits and queues -------------------------------------------------------------------


def test_checks_beyond_the_rate_are_429_with_retry_after(app_for):
    client = app_for(check_rate="3/minute")
    statuses = [
        client.post("/v1/claims/check", json={"claim": "Velmora signed a lease"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.post("/v1/claims/check", json={"claim": "Velmora signed a lease"})
    assert int(refused.headers["retry-after"]) >= 1 and "rate limit" in refused.json()["detail"]
    # a keyed client is counted apart from anonymous ones
    assert client.post("/v1/claims/check", json={"claim": "Velmora"}, headers=AUTH).status_code == 200


def test_writes_beyond_the_rate_are_429(app_for):
    client = app_for(write_rate="2/minute")
    statuses = [
        client.post("/v1/documents", json={**DOC, "id": f"d{i}"}, headers=AUTH).status_code for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert _count(client) == 2


def test_a_full_queue_refuses_at_once_with_retry_after():
    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            queue = WorkQueue(pool, "check", max_waiting=2)
            slow = [asyncio.ensure_future(queue.run(lambda: time.sleep(0.2)))]
            await asyncio.sleep(0.01)  # the first runs
            slow += [asyncio.ensure_future(queue.run(lambda: time.sleep(0.01))) for _ in range(2)]
            await asyncio.sleep(0.01)  # two wait: the queue is full
            with pytest.raises(OverloadError) as refused:
                await queue.run(lambda: None)
            assert refused.value.retry_after >= 1
            await asyncio.gather(*slow)

    asyncio.run(scenario())


def test_interactive_work_goes_before_waiting_bulk_slices():
    order: list[str] = []

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            queue = WorkQueue(pool, "check", max_waiting=100)
            jobs = [
                asyncio.ensure_future(
                    queue.run(lambda i=i: order.append(f"bulk{i}") or time.sleep(0.02), BULK)
                )
                for i in range(5)
            ]
            await asyncio.sleep(0.005)
            jobs.append(asyncio.ensure_future(queue.run(lambda: order.append("single"), INTERACTIVE)))
            await asyncio.gather(*jobs)

    asyncio.run(scenario())
    assert order.index("single") <= 1  # at most the slice already running goes first


def test_work_that_cannot_start_within_its_budget_is_refused():
    async def scenario() -> None:
        with ThreadPoolExecutor(1) as pool:
            queue = WorkQueue(pool, "check", max_waiting=10, start_budget=0.05)
            first = asyncio.ensure_future(queue.run(lambda: time.sleep(0.2)))
            await asyncio.sleep(0.01)
            with pytest.raises(OverloadError, match="could not start"):
                await queue.run(lambda: None)
            await first

    asyncio.run(scenario())


def test_a_batch_answers_every_claim_in_order(seeded_client):
    claims = ["A Turkish F-16 downed an SU-25", "Velmora signed a lease", "Armenia denied the report"] * 3
    batch = seeded_client.post("/v1/claims/check-batch", json={"claims": claims, "limit": 3}).json()[
        "results"
    ]
    singles = [seeded_client.post("/v1/claims/check", json={"claim": c, "limit": 3}).json() for c in claims]
    assert [r["claim"] for r in batch] == claims
    assert batch == singles


# --- connection deadlines ---------------------------------------------------------------------


def _closed_within(url: str, payload: bytes, seconds: float) -> bool:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=seconds + 5) as sock:
        if payload:
            sock.sendall(payload)
        started = time.monotonic()
        try:
            while sock.recv(4096):
                pass
        except (ConnectionResetError, TimeoutError):
            return False
        return time.monotonic() - started < seconds + 2


def test_slow_clients_are_disconnected(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    with serving(checker, header_timeout_seconds=1.0, body_timeout_seconds=1.5) as url:
        assert _closed_within(url, b"", 1.0)  # connects and says nothing
        assert _closed_within(url, b"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n", 1.0)  # half headers
        half_body = (
            b"POST /v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\nAuthorization: Bearer " + TEST_KEY.encode() + b'\r\n\r\n{"text": '
        )
        assert _closed_within(url, half_body, 1.5)
    assert checker.stats().documents == 0


# --- storage states as HTTP -------------------------------------------------------------------


def test_a_read_only_service_answers_checks_and_refuses_writes_in_words(make_checker, encoder, nlp, tmp_path):
    from claimcheck.checker import Checker
    from claimcheck.requests import Submission

    writer = make_checker(tmp_path / "ro")  # populate, then reopen the same directory read-only
    writer.ingest(Submission(text=DOC["text"], id="velmora"))
    writer.close()
    checker = Checker.open(tmp_path / "ro", encoder, nlp, read_only=True)
    settings = api_settings(tmp_path / "ro")
    with TestClient(app=create_app(settings=settings, checker=checker)) as client:
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["mode"] == "read-only"
        assert client.post("/v1/claims/check", json={"claim": "Velmora signed a lease"}).status_code == 200
        refused = client.post("/v1/documents", json={**DOC, "id": "other"}, headers=AUTH)
        assert refused.status_code == 503 and "read" in refused.json()["detail"]
        assert client.delete("/v1/documents/velmora", headers=AUTH).status_code == 503
        assert client.get("/v1/documents").json()["total"] == 1
    checker.close()
