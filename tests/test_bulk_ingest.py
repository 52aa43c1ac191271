"""``POST /v1/documents/bulk`` against a real server: JSON Lines in, one answer line per document
out, in order, each sent once its document is committed; a bad line fails alone.

Every test runs uvicorn over a fresh store (``serving``), with real models, and talks HTTP to it:
httpx where a client sends its whole body first, a raw socket where the test must send the body
in pieces (to see answers arrive before the body ends) or hang up half-way.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from claimcheck.checker import Checker
from claimcheck.requests import Submission
from tests.conftest import AUTH, serving
from tests.test_storage_faults import _fill, tmpfs  # noqa: F401  (the real small disk fixture)

JSONL = {**AUTH, "Content-Type": "application/x-ndjson"}

CITIES = ["Velmora", "Brindlemoor", "Quillfield", "Ostrava", "Kestrel Bay", "Darnholm", "Ilvane", "Corrat"]
BODIES = ["port authority", "city council", "water board", "transport agency", "harbour trust"]
ACTS = [
    "signed a lease with a shipping firm",
    "approved a budget of {n} million crowns",
    "closed the old ferry terminal",
    "hired {n} new inspectors",
    "raised fees by {n} percent",
]


def story(i: int, sentences: int = 3) -> str:
    """A made-up news story, different for every ``i``: several sentences, two paragraphs."""
    city, body = CITIES[i % len(CITIES)], BODIES[i % len(BODIES)]
    parts = []
    for k in range(sentences):
        act = ACTS[(i + k) % len(ACTS)].format(n=i * 3 + k + 2)
        parts.append(f"The {body} of {city} {act} on day {i + k}, officials said.")
    middle = max(1, sentences // 2)
    return " ".join(parts[:middle]) + "\n\n" + " ".join(parts[middle:])


def jsonl(*documents: object) -> bytes:
    return "".join((d if isinstance(d, str) else json.dumps(d)) + "\n" for d in documents).encode()


def answers(response: httpx.Response) -> list[dict]:
    return [json.loads(line) for line in response.text.splitlines()]


def total(url: str) -> int:
    return int(httpx.get(f"{url}/v1/documents", params={"limit": 1}).json()["total"])


def found(url: str, claim: str) -> set[str]:
    body = httpx.post(f"{url}/v1/claims/check", json={"claim": claim}, timeout=60).json()
    return {source["document_id"] for item in body["evidence"] for source in item["sources"]}


@pytest.fixture
def checker(make_checker) -> Checker:
    return make_checker()


# -- answers, one per line ------------------------------------------------------------------------


def test_mixed_lines_are_answered_in_order_and_bad_ones_fail_alone(checker):
    too_long = "Velmora ferry news. " * 120  # 2400 characters; the server takes 2000
    lines = [
        {"id": "good-1", "text": story(1), "outlet": "Velmora Post", "published": "Oct 1, 2020"},
        '{"id": "broken", "text": "no closing brace"',
        {"id": "typo", "text": story(2), "colour": "red"},
        {"id": "bad-date", "text": story(3), "published": "yesterday"},
        "",  # blank lines are skipped, not answered
        {"id": "empty", "text": ""},
        {"id": "nothing", "text": "...!!! ??? --- ***"},
        {"id": "too-long", "text": too_long},
        {"text": story(4)},  # no id: the content id is answered
        {"id": "good-2", "text": story(5), "format": "text"},
    ]
    with serving(checker, max_document_chars=2000) as url:
        response = httpx.post(f"{url}/v1/documents/bulk", content=jsonl(*lines), headers=JSONL, timeout=120)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/x-ndjson")
        got = answers(response)
        assert [a["line"] for a in got] == [1, 2, 3, 4, 6, 7, 8, 9, 10]
        by_line = {a["line"]: a for a in got}

        for line, doc_id in [(1, "good-1"), (10, "good-2")]:
            assert by_line[line]["status"] == "created" and by_line[line]["id"] == doc_id
            assert by_line[line]["paragraphs"] == 2 and by_line[line]["sentences"] == 3
        unnamed = by_line[9]
        assert unnamed["status"] == "created" and unnamed["id"]

        expected_errors = {
            2: (400, None, "not valid json"),
            3: (400, "typo", "unknown field"),
            4: (400, "bad-date", "published"),
            6: (400, "empty", "text is empty"),
            7: (422, "nothing", "no searchable sentence"),
            8: (413, "too-long", "document too large"),
        }
        for line, (status, doc_id, fragment) in expected_errors.items():
            answer = by_line[line]
            assert answer["status"] == "error", answer
            assert answer["id"] == doc_id
            assert answer["error"]["status_code"] == status
            assert fragment in answer["error"]["detail"].lower(), answer

        for doc_id in ("good-1", "good-2", unnamed["id"]):
            assert httpx.get(f"{url}/v1/documents/{doc_id}").status_code == 200
        for doc_id in ("typo", "bad-date", "empty", "nothing", "too-long"):
            assert httpx.get(f"{url}/v1/documents/{doc_id}").status_code == 404
        assert total(url) == 3
        good = httpx.get(f"{url}/v1/documents/good-1").json()
        assert (good["outlet"], good["published"]) == ("Velmora Post", "2020-10-01")
        first_sentence = good["paragraphs"][0]["sentences"][0]["text"]
        assert "good-1" in found(url, first_sentence.removesuffix(", officials said."))


def test_a_line_longer_than_any_document_is_refused_without_being_held(checker):
    huge = json.dumps({"id": "huge", "text": "word " * 30_000})  # 150 kB; a line may hold ~74 kB here
    body = jsonl({"id": "before", "text": story(7)}) + huge.encode() + b"\n" + jsonl({"text": story(8)})
    with serving(checker, max_document_chars=2000) as url:
        got = answers(httpx.post(f"{url}/v1/documents/bulk", content=body, headers=JSONL, timeout=120))
        assert [(a["line"], a["status"]) for a in got] == [(1, "created"), (2, "error"), (3, "created")]
        assert got[1]["error"]["status_code"] == 413 and "line too long" in got[1]["error"]["detail"]
        assert total(url) == 2


def test_posting_an_existing_id_replaces_it(checker):
    checker.ingest(Submission(text=story(10), id="kept"))
    with serving(checker) as url:
        new_text = story(11, sentences=4)
        got = answers(
            httpx.post(
                f"{url}/v1/documents/bulk",
                content=jsonl({"id": "kept", "text": new_text}, {"id": "kept-2", "text": story(12)}),
                headers=JSONL,
                timeout=120,
            )
        )
        assert [(a["id"], a["status"], a["sentences"]) for a in got] == [
            ("kept", "created", 4),
            ("kept-2", "created", 3),
        ]
        stored = httpx.get(f"{url}/v1/documents/kept").json()
        assert sum(len(p["sentences"]) for p in stored["paragraphs"]) == 4
        assert total(url) == 2


def test_limits_on_documents_per_request_answer_the_first_line_over_and_stop(checker):
    documents = [{"id": f"n{i}", "text": story(i)} for i in range(5)]
    with serving(checker, bulk_max_documents=3) as url:
        got = answers(
            httpx.post(f"{url}/v1/documents/bulk", content=jsonl(*documents), headers=JSONL, timeout=120)
        )
        assert [a["status"] for a in got] == ["created"] * 3 + ["error"]
        assert got[3]["line"] == 4 and got[3]["error"]["status_code"] == 413
        assert "at most 3" in got[3]["error"]["detail"]
        assert total(url) == 3


def test_a_body_over_the_byte_limit_is_refused(checker):
    documents = [{"id": f"b{i}", "text": story(i)} for i in range(20)]
    body = jsonl(*documents)
    with serving(checker, bulk_max_bytes=2000) as url:
        # Declared too long: refused before anything is read.
        declared = httpx.post(f"{url}/v1/documents/bulk", content=body, headers=JSONL, timeout=60)
        assert declared.status_code == 413 and "at most 2000 bytes" in declared.json()["detail"]
        assert total(url) == 0
        # Sent without a length: what came before the limit is ingested, the line it hit is answered 413.
        chunked = httpx.post(f"{url}/v1/documents/bulk", content=iter([body]), headers=JSONL, timeout=60)
        got = answers(chunked)
        assert got[-1]["status"] == "error" and got[-1]["error"]["status_code"] == 413
        assert all(a["status"] == "created" for a in got[:-1]) and got[:-1]
        assert total(url) == len(got) - 1


# -- refused before anything is read --------------------------------------------------------------


def test_requests_refused_before_anything_is_read(checker):
    body = jsonl({"id": "x1", "text": story(1)})
    with serving(checker) as url:
        bulk = f"{url}/v1/documents/bulk"
        no_key = httpx.post(bulk, content=body, headers={"Content-Type": "application/x-ndjson"})
        assert no_key.status_code == 401 and "api key" in no_key.json()["detail"].lower()
        wrong_key = httpx.post(
            bulk,
            content=body,
            headers={"Authorization": "Bearer nope", "Content-Type": "application/x-ndjson"},
        )
        assert wrong_key.status_code == 401
        as_json = httpx.post(bulk, content=body, headers={**AUTH, "Content-Type": "application/json"})
        assert as_json.status_code == 415 and "JSON Lines" in as_json.json()["detail"]
        latin = httpx.post(
            bulk, content=body, headers={**AUTH, "Content-Type": "application/jsonl; charset=latin-1"}
        )
        assert latin.status_code == 415
        for empty in (b"", b"\n\n  \n"):
            answer = httpx.post(bulk, content=empty, headers=JSONL)
            assert answer.status_code == 400 and "no document" in answer.json()["detail"]
        assert total(url) == 0
        # application/jsonl works as well as x-ndjson
        ok = httpx.post(bulk, content=body, headers={**AUTH, "Content-Type": "application/jsonl"}, timeout=60)
        assert ok.status_code == 200 and answers(ok)[0]["status"] == "created"
        assert total(url) == 1


def test_a_read_only_store_is_refused_with_503_before_reading(make_checker, encoder, nlp):
    data = Path(make_checker().indexes.data_dir)
    checker = Checker.open(data, encoder, nlp, read_only=True)
    try:
        with serving(checker) as url:
            answer = httpx.post(
                f"{url}/v1/documents/bulk", content=jsonl({"text": story(1)}), headers=JSONL, timeout=60
            )
            assert answer.status_code == 503 and "read-only" in answer.json()["detail"]
    finally:
        checker.indexes.store.close()


# -- streaming, turns and hang-ups ----------------------------------------------------------------


def _open(url: str, content_type: str = "application/x-ndjson", chunked: bool = True) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=120)
    head = (
        f"POST /v1/documents/bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Authorization: {AUTH['Authorization']}\r\n" + ("Transfer-Encoding: chunked\r\n" if chunked else "")
    )
    sock.sendall(head.encode() + b"\r\n" if chunked else head.encode())
    return sock


def _chunk(sock: socket.socket, data: bytes) -> None:
    sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")


def _read_until(sock: socket.socket, needle: bytes, received: bytearray) -> None:
    while needle not in received:
        data = sock.recv(65536)
        assert data, f"connection closed before {needle!r}; got {bytes(received)!r}"
        received += data


def test_answers_arrive_while_the_body_is_still_being_sent(checker):
    with serving(checker) as url:
        sock = _open(url)
        try:
            _chunk(sock, jsonl({"id": "s1", "text": story(1)}))
            received = bytearray()
            # The body is not finished (no last chunk sent), yet the first document is answered.
            _read_until(sock, b'"line":1', received)
            assert b" 200 " in received.split(b"\r\n", 1)[0]
            assert b'"status":"created"' in received
            assert httpx.get(f"{url}/v1/documents/s1").status_code == 200  # committed when answered
            _chunk(sock, jsonl({"id": "s2", "text": story(2)}))
            _read_until(sock, b'"line":2', received)
            sock.sendall(b"0\r\n\r\n")
            _read_until(sock, b"\r\n0\r\n\r\n", received)  # the answer ends once the body has
        finally:
            sock.close()
        assert total(url) == 2


def test_single_writes_get_turns_between_a_bulk_load_s_batches(checker):
    documents = [{"id": f"load-{i}", "text": story(i, sentences=6)} for i in range(160)]
    with serving(checker) as url:
        times: list[float] = []
        first = threading.Event()

        def load() -> None:
            with httpx.stream(
                "POST", f"{url}/v1/documents/bulk", content=jsonl(*documents), headers=JSONL, timeout=300
            ) as response:
                for _ in response.iter_lines():
                    times.append(time.monotonic())
                    first.set()

        loader = threading.Thread(target=load)
        loader.start()
        assert first.wait(120)
        single = httpx.post(
            f"{url}/v1/documents", json={"id": "single", "text": story(500)}, headers=AUTH, timeout=120
        )
        single_done = time.monotonic()
        loader.join(300)
        assert single.status_code == 201
        assert len(times) == len(documents)
        # The single write did not wait for the whole load: more answers came after it.
        assert single_done < times[-1]
        assert sum(t > single_done for t in times) >= 10
        assert total(url) == len(documents) + 1


def test_a_client_that_hangs_up_stops_the_load_and_keeps_what_was_committed(checker):
    documents = [{"id": f"gone-{i}", "text": story(i, sentences=6)} for i in range(200)]
    with serving(checker, bulk_max_requests=1) as url:
        sock = _open(url, chunked=False)
        body = jsonl(*documents)
        sock.sendall(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        _read_until(sock, b'"line":1,', bytearray())
        sock.close()
        # The load stops after its current batch: the count settles well short of the body.
        settled, last = total(url), -1
        while settled != last:
            time.sleep(1.0)
            last, settled = settled, total(url)
        assert 1 <= settled < len(documents)
        for doc_id in (f"gone-{i}" for i in range(settled)):
            assert httpx.get(f"{url}/v1/documents/{doc_id}").status_code == 200
        # The request's bulk slot was given back (one allowed here) and the writer is free.
        again = httpx.post(
            f"{url}/v1/documents/bulk",
            content=jsonl({"id": "after", "text": story(3)}),
            headers=JSONL,
            timeout=60,
        )
        assert again.status_code == 200 and answers(again)[0]["status"] == "created"


def test_too_many_bulk_requests_at_once_get_503(checker):
    with serving(checker, bulk_max_requests=1) as url:
        sock = _open(url)
        try:
            _chunk(sock, jsonl({"id": "slow", "text": story(1)}))
            _read_until(sock, b'"line":1', bytearray())  # the first request holds the only slot
            second = httpx.post(f"{url}/v1/documents/bulk", content=jsonl({"text": story(2)}), headers=JSONL)
            assert second.status_code == 503 and second.headers.get("retry-after")
        finally:
            sock.close()


def test_a_finished_bulk_request_frees_its_slot_before_its_answer_ends(checker, monkeypatch):
    """A client that reads the whole answer, then sends its next bulk request at once, is never
    refused for the one it just finished: the slot is given back before the stream ends. Shutting
    the pipeline down is made slow so that a slot given back after the stream would be seen."""
    from claimcheck.checker import IngestPipeline

    close = IngestPipeline.close

    def slow_close(self: IngestPipeline) -> None:
        time.sleep(0.5)
        close(self)

    monkeypatch.setattr(IngestPipeline, "close", slow_close)
    with serving(checker, bulk_max_requests=1) as url, httpx.Client(timeout=60) as client:
        for i in range(3):
            body = jsonl({"text": story(i)})
            response = client.post(f"{url}/v1/documents/bulk", content=body, headers=JSONL)
            assert response.status_code == 200, response.text
            assert [a["status"] for a in answers(response)] == ["created"]


# -- a full disk ----------------------------------------------------------------------------------


def test_a_full_disk_answers_507_for_the_line_it_stops_and_those_after(tmpfs, encoder, nlp):  # noqa: F811
    disk = tmpfs("8m")
    checker = Checker.open(disk / "data", encoder, nlp)
    try:
        checker.ingest(Submission(text=story(1), id="before"))
        with serving(checker) as url:
            filler = _fill(disk)
            lines = [{"id": "f1", "text": story(2, sentences=40)}, "not json", {"id": "f2", "text": story(3)}]
            got = answers(
                httpx.post(f"{url}/v1/documents/bulk", content=jsonl(*lines), headers=JSONL, timeout=120)
            )
            assert [(a["line"], a["status"], a["error"]["status_code"]) for a in got] == [
                (1, "error", 507),
                (2, "error", 400),
                (3, "error", 507),
            ]
            assert "no space" in got[0]["error"]["detail"]
            assert total(url) == 1
            filler.unlink()
            again = answers(
                httpx.post(f"{url}/v1/documents/bulk", content=jsonl(lines[2]), headers=JSONL, timeout=120)
            )
            assert again[0]["status"] == "created"
    finally:
        checker.close()
