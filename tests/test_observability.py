"""Metrics, request ids, JSON logs and the OpenAPI examples, through the real app and models."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
import textwrap
import threading
from contextlib import contextmanager

import jsonschema_rs
import pytest
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from claimcheck.logs import REQUEST_ID, JsonFormatter
from tests.conftest import AUTH, PROJECT_ROOT, TEST_KEY, api_settings

SUPPORTED = "A Turkish F-16 downed an SU-25"
UNSUPPORTED = "Germany imposed sanctions on Azerbaijan"
SEED_ID = "000_68f08474d3e5119a"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(response.text)


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def requests_of(samples: Samples, method: str, route: str, status: int) -> float:
    return value(samples, "claimcheck_http_requests_total", method=method, route=route, status=str(status))


@contextmanager
def json_log() -> io.StringIO:
    """Everything logged meanwhile, as the service writes it (JSON lines)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


# The test client's own loggers (it logs the URLs it requests); the service uses neither.
_CLIENT_SIDE = ("httpx", "httpcore")


def lines(stream: io.StringIO) -> list[dict]:
    records = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return [r for r in records if not r["logger"].startswith(_CLIENT_SIDE)]


# --- /metrics ------------------------------------------------------------------------------------


def test_requests_are_counted_by_route_template_method_and_status(seeded_client):
    before = scrape(seeded_client)
    assert seeded_client.get(f"/v1/documents/{SEED_ID}").status_code == 200
    assert seeded_client.get("/v1/documents/no-such-document").status_code == 404
    assert seeded_client.get("/v1/documents/also-missing").status_code == 404
    assert seeded_client.get("/no/such/path/9f3a").status_code == 404
    assert seeded_client.post("/v1/claims/check", json={"claim": ""}).status_code == 400
    after = scrape(seeded_client)

    template = "/v1/documents/{document_id}"
    assert requests_of(after, "GET", template, 200) - requests_of(before, "GET", template, 200) == 1
    assert requests_of(after, "GET", template, 404) - requests_of(before, "GET", template, 404) == 2
    assert requests_of(after, "GET", "<unmatched>", 404) - requests_of(before, "GET", "<unmatched>", 404) == 1
    check = "/v1/claims/check"
    assert requests_of(after, "POST", check, 400) - requests_of(before, "POST", check, 400) == 1
    histogram = "claimcheck_http_request_duration_seconds_count"
    moved = value(after, histogram, method="GET", route=template, status="404") - value(
        before, histogram, method="GET", route=template, status="404"
    )
    assert moved == 2
    # Raw paths never become labels: the label set stays bounded whatever clients send.
    routes = {dict(labels).get("route") for (_, labels) in after}
    assert not any(r and ("no-such-document" in r or "9f3a" in r or SEED_ID in r) for r in routes)


def test_check_outcomes_count_supported_and_unsupported_claims(seeded_client):
    before = scrape(seeded_client)
    assert seeded_client.post("/v1/claims/check", json={"claim": SUPPORTED}).json()["evidence"]
    assert seeded_client.post("/v1/claims/check", json={"claim": UNSUPPORTED}).json()["evidence"] == []
    batch = seeded_client.post(
        "/v1/claims/check-batch", json={"claims": [SUPPORTED, UNSUPPORTED, UNSUPPORTED]}
    )
    assert batch.status_code == 200
    after = scrape(seeded_client)

    def moved(outcome: str) -> float:
        return value(after, "claimcheck_checks_total", outcome=outcome) - value(
            before, "claimcheck_checks_total", outcome=outcome
        )

    assert (moved("evidence"), moved("none"), moved("contradicted")) == (2, 3, 0)


def test_a_contradicted_claim_and_ingest_are_counted(client):
    text = "The Velmora port authority did not sign a lease with Nordic Freight. Talks resume in May."
    before = scrape(client)
    assert value(before, "claimcheck_ingested_documents_total") == 0
    stored = client.post("/v1/documents", json={"id": "velmora", "text": text})
    assert stored.status_code == 201
    refused = client.post("/v1/documents", json={"id": "bad", "text": "x", "published": "yesterday"})
    assert refused.status_code == 400
    positive = client.post(
        "/v1/claims/check", json={"claim": "The Velmora port authority signed a lease with Nordic Freight"}
    ).json()
    assert positive["evidence"] == [] and positive["contradicting"]
    after = scrape(client)

    assert value(after, "claimcheck_ingested_documents_total") == 1  # the refused one is not counted
    assert value(after, "claimcheck_ingested_sentences_total") == stored.json()["sentences"] == 2
    assert value(after, "claimcheck_ingested_paragraphs_total") == stored.json()["paragraphs"]
    assert value(after, "claimcheck_checks_total", outcome="contradicted") == 1
    assert value(after, "claimcheck_checks_total", outcome="evidence") == 0
    assert value(after, "claimcheck_index_documents") == 1


def test_index_gauges_describe_what_the_service_holds(seeded_client, seeded_checker):
    samples = scrape(seeded_client)
    stats = seeded_checker.stats()
    assert value(samples, "claimcheck_ready") == 1
    assert value(samples, "claimcheck_index_documents") == stats.documents == 5
    assert value(samples, "claimcheck_index_vectors") == stats.paragraphs > 0
    assert value(samples, "claimcheck_index_info", kind="flat") == 1
    assert value(samples, "claimcheck_store_writable") == 1
    for queue in ("claims", "query", "write"):
        assert ("claimcheck_queue_depth", (("queue", queue),)) in samples


def test_queue_depth_counts_work_waiting_behind_a_busy_thread(seeded_checker):
    """Real queues: block each worker thread, queue work behind it, scrape."""
    from api.metrics import Metrics
    from api.runtime import Runtime
    from claimcheck.requests import CheckFilters

    async def scenario() -> Samples:
        metrics = Metrics()
        runtime = Runtime(checker=seeded_checker, on_checked=metrics.record_checks)
        metrics.watch(runtime)
        gate = threading.Event()
        try:
            busy = [
                asyncio.ensure_future(runtime.write(gate.wait)),
                asyncio.ensure_future(runtime.query(gate.wait)),
            ]
            writes = [asyncio.ensure_future(runtime.write(lambda: None)) for _ in range(3)]
            first = asyncio.ensure_future(runtime.batcher.check(seeded_checker, SUPPORTED, 1, CheckFilters()))
            await asyncio.sleep(0.2)  # the first claim's batch now waits for the query thread
            more = [
                asyncio.ensure_future(runtime.batcher.check(seeded_checker, UNSUPPORTED, 1, CheckFilters()))
                for _ in range(2)
            ]
            await asyncio.sleep(0.05)
            samples = parse(metrics.exposition(None)[0].decode())
            gate.set()
            await asyncio.gather(*busy, *writes, first, *more)
            after = parse(metrics.exposition(None)[0].decode())
            return samples, after
        finally:
            gate.set()
            runtime.shutdown()

    during, after = asyncio.run(scenario())
    assert value(during, "claimcheck_queue_depth", queue="write") == 3
    assert value(during, "claimcheck_queue_depth", queue="query") == 1
    assert value(during, "claimcheck_queue_depth", queue="claims") == 2
    assert all(value(after, "claimcheck_queue_depth", queue=q) == 0 for q in ("write", "query", "claims"))
    assert value(after, "claimcheck_checks_total", outcome="evidence") == 1
    assert value(after, "claimcheck_checks_total", outcome="none") == 2


def test_metrics_need_a_key_when_reads_do(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    settings = api_settings(tmp_path, require_read_key=True)
    with TestClient(app=create_app(settings=settings, checker=checker)) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", headers=AUTH).status_code == 200
    open_settings = api_settings(tmp_path)
    with TestClient(app=create_app(settings=open_settings, checker=checker)) as client:
        assert client.get("/metrics").status_code == 200


def test_two_apps_in_one_process_count_apart(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    with (
        TestClient(app=create_app(settings=api_settings(tmp_path), checker=checker)) as one,
        TestClient(app=create_app(settings=api_settings(tmp_path), checker=checker)) as two,
    ):
        for _ in range(3):
            one.get("/v1/documents")
        assert requests_of(scrape(one), "GET", "/v1/documents", 200) == 3
        assert requests_of(scrape(two), "GET", "/v1/documents", 200) == 0


def test_worker_processes_sum_their_counters_in_multiprocess_mode(tmp_path):
    """``serve --workers N``: each worker writes its counters to PROMETHEUS_MULTIPROC_DIR and a scrape
    of any one of them adds them all up (two real processes here, without models)."""
    script = textwrap.dedent(
        """
        import multiprocessing, sys

        def work(n):
            from api.metrics import Metrics
            from claimcheck.results import IngestResult
            metrics = Metrics()
            for _ in range(n):
                metrics.observe_request("GET", "/v1/documents", 200, 0.01)
            metrics.record_ingest(IngestResult("d", 2, 5))

        if __name__ == "__main__":
            context = multiprocessing.get_context("spawn")
            workers = [context.Process(target=work, args=(n,)) for n in (2, 3)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
                assert w.exitcode == 0
            from api.metrics import Metrics
            sys.stdout.write(Metrics().exposition(None)[0].decode())
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT)}
    program = tmp_path / "workers.py"  # spawned children import their target from a file
    program.write_text(script, encoding="utf-8")
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    done = subprocess.run(
        [sys.executable, str(program)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    samples = parse(done.stdout)
    assert requests_of(samples, "GET", "/v1/documents", 200) == 5
    assert value(samples, "claimcheck_ingested_documents_total") == 2
    assert value(samples, "claimcheck_ingested_sentences_total") == 10


# --- request ids ---------------------------------------------------------------------------------


def test_request_id_is_echoed_when_sane_and_replaced_when_not(seeded_client):
    sane = "trace-2020.10.01_abc"
    assert seeded_client.get("/health", headers={"X-Request-ID": sane}).headers["x-request-id"] == sane
    for bad in ("has spaces", "new\\nline", "x" * 129, "", "ünïcode".encode()):
        echoed = seeded_client.get("/health", headers={"X-Request-ID": bad}).headers["x-request-id"]
        assert echoed != bad and len(echoed) == 32 and int(echoed, 16) >= 0
    first = seeded_client.get("/health").headers["x-request-id"]
    second = seeded_client.get("/health").headers["x-request-id"]
    assert first != second


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/nowhere", {}, 404),
        ("POST", "/v1/claims/check", {"json": {"claim": "ok", "limt": 1}}, 400),
        (
            "POST",
            "/v1/documents",
            {"json": {"text": "A sentence."}, "headers": {"Authorization": "Bearer wrong"}},
            401,
        ),
        ("POST", "/v1/documents", {"content": b'{"text": "' + b"a" * 200_000 + b'"}'}, 413),
        (
            "POST",
            "/v1/claims/check",
            {"content": b'{"claim": "x"}', "headers": {"Content-Type": "text/plain"}},
            415,
        ),
        ("PATCH", "/v1/claims/check", {}, 405),
    ],
)
def test_every_error_carries_the_request_id(client, method, path, kwargs, status):
    headers = {"X-Request-ID": "err-1", **kwargs.pop("headers", {})}
    if "content" in kwargs:
        headers.setdefault("Content-Type", "application/json")
    response = client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == status
    assert response.headers["x-request-id"] == "err-1"


def test_a_refusal_for_overload_carries_the_request_id(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    settings = api_settings(tmp_path, max_queued_writes=0)
    with TestClient(app=create_app(settings=settings, checker=checker)) as client:
        response = client.post(
            "/v1/documents", json={"text": "A sentence to store."}, headers={**AUTH, "X-Request-ID": "busy-1"}
        )
    assert response.status_code == 503 and response.headers["x-request-id"] == "busy-1"


# --- logs ----------------------------------------------------------------------------------------


def test_access_log_lines_are_json_with_the_request_id_and_no_key_or_text(client):
    secret_text = "Quixotic zebra-lemon 7731 negotiations collapsed in Ulaanbaatar on Tuesday."
    claim = "Zebra-lemon negotiations collapsed in Ulaanbaatar"
    with json_log() as stream:
        stored = client.post(
            "/v1/documents?note=zebra-lemon",
            json={"id": "zebra", "text": secret_text},
            headers={"X-Request-ID": "ingest-1"},
        )
        checked = client.post("/v1/claims/check", json={"claim": claim})
        refused = client.post(
            "/v1/documents", json={"text": secret_text}, headers={"Authorization": "Bearer nope-key-42"}
        )
    assert stored.status_code == 201 and checked.status_code == 200 and refused.status_code == 401
    records = lines(stream)
    raw = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    for leak in (TEST_KEY, "nope-key-42", "Bearer", "zebra-lemon", "Zebra-lemon", "Ulaanbaatar", "Quixotic"):
        assert leak not in raw, leak
    access = [r for r in records if r["logger"] == "claimcheck.access"]
    assert len(access) == 3
    ingest = access[0]
    assert ingest["request_id"] == "ingest-1" == stored.headers["x-request-id"]
    assert (ingest["method"], ingest["route"], ingest["path"], ingest["status"]) == (
        "POST",
        "/v1/documents",
        "/v1/documents",
        201,
    )
    assert ingest["duration_ms"] > 0 and ingest["text_chars"] == len(secret_text)
    assert ingest["document_id"] == "zebra" and ingest["sentences"] == 1
    assert ingest["level"] == "info" and ingest["time"].endswith("+00:00")
    assert access[1]["request_id"] == checked.headers["x-request-id"] and access[1]["status"] == 200
    assert access[1]["claim_chars"] == len(claim) and access[1]["outcome"] in ("evidence", "none")
    assert access[2]["status"] == 401 and access[2]["request_id"] == refused.headers["x-request-id"]


def test_records_written_while_serving_carry_that_requests_id():
    """Any logger, anywhere in the request's task: the id comes from the context, not from the caller."""
    from litestar import Litestar, get

    from api.metrics import Metrics
    from api.observe import Observe

    @get("/work", sync_to_thread=False)
    def work() -> str:
        logging.getLogger("some.module").warning("inside the handler")
        return "done"

    app = Litestar([work], logging_config=None)
    app.asgi_handler = Observe(app.asgi_handler, Metrics())
    with json_log() as stream, TestClient(app=app) as client:
        response = client.get("/work", headers={"X-Request-ID": "ctx-7"})
    assert response.headers["x-request-id"] == "ctx-7"
    inside = [r for r in lines(stream) if r["message"] == "inside the handler"]
    assert [(r["logger"], r["request_id"], r["level"]) for r in inside] == [
        ("some.module", "ctx-7", "warning")
    ]
    assert REQUEST_ID.get() is None


def test_serve_logging_config_writes_every_logger_as_json(tmp_path):
    """The dictConfig ``serve`` hands uvicorn, applied in a fresh process: uvicorn's and our records,
    an exception with its traceback, all one JSON object per line."""
    script = textwrap.dedent(
        """
        import logging, logging.config
        from claimcheck.logs import REQUEST_ID, logging_config
        logging.config.dictConfig(logging_config("info"))
        started = logging.getLogger("uvicorn.error")
        started.info("Started server process [%d]", 42, extra={"color_message": "x"})
        REQUEST_ID.set("abc")
        logging.getLogger("claimcheck").info("ingested %d seed documents", 5)
        logging.getLogger("claimcheck").debug("not shown at info")
        try:
            1 / 0
        except ZeroDivisionError:
            logging.getLogger("claimcheck.api").exception("unhandled error")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in done.stderr.splitlines()]
    assert [r["message"] for r in records] == [
        "Started server process [42]",
        "ingested 5 seed documents",
        "unhandled error",
    ]
    assert "request_id" not in records[0] and "color_message" not in records[0]
    assert records[1]["request_id"] == "abc" and records[1]["logger"] == "claimcheck"
    assert "ZeroDivisionError" in records[2]["error"] and records[2]["level"] == "error"


# --- OpenAPI -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi(seeded_client) -> dict:
    """The document as served (through the app's JSON encoder, not only ``to_schema``)."""
    response = seeded_client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield f"{method.upper()} {path}", operation


def _examples_of(media: dict) -> list:
    found = [e["value"] for e in (media.get("examples") or {}).values()]
    if "example" in media:
        found.append(media["example"])
    found += (media.get("schema") or {}).get("examples", [])
    return found


def _valid(example, schema: dict, spec: dict) -> None:
    jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]}).validate(example)


def test_the_schema_has_a_title_and_description(openapi):
    info = openapi["info"]
    assert info["title"] != "claimcheck" and "claim" in info["title"].lower()
    for topic in ("Authorization: Bearer", "X-Request-ID", "detail", "evidence"):
        assert topic in info["description"], topic


def test_every_operation_has_valid_request_and_response_examples(openapi):
    operations = dict(_operations(openapi))
    assert {"POST /v1/claims/check", "POST /v1/documents", "GET /health"} <= set(operations)
    for name, operation in operations.items():
        body = operation.get("requestBody")
        if body:
            for media in body["content"].values():
                found = _examples_of(media)
                assert found, f"{name}: request body without an example"
                for example in found:
                    _valid(example, media["schema"], openapi)
        successes = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
        assert successes, name
        for code, response in successes.items():
            for media in (response.get("content") or {}).values():
                found = _examples_of(media)
                assert found, f"{name}: {code} response without an example"
                for example in found:
                    _valid(example, media["schema"], openapi)
    assert "/metrics" not in openapi["paths"]


def test_the_examples_are_what_the_service_answers(seeded_client):
    """The check example is the service's real answer to the example request, not an invention."""
    from api import examples

    answer = seeded_client.post("/v1/claims/check", json=examples.CHECK_REQUEST).json()
    assert answer == examples.CHECK_RESULT
    batch = seeded_client.post("/v1/claims/check-batch", json=examples.CHECK_BATCH_REQUEST).json()
    assert batch == examples.CHECK_BATCH_RESPONSE


def test_the_document_examples_round_trip(client):
    from api import examples

    stored = client.post("/v1/documents", json=examples.DOCUMENT_REQUEST)
    assert stored.status_code == 201 and stored.json() == examples.INGEST_RESULT
    view = client.get(f"/v1/documents/{examples.DOCUMENT_REQUEST['id']}").json()
    volatile = {"ingested_at", "story_id"}
    assert {k: v for k, v in view.items() if k not in volatile} == {
        k: v for k, v in examples.DOCUMENT_VIEW.items() if k not in volatile
    }


def test_the_serve_config_can_be_handed_to_spawned_workers():
    """``serve --workers N`` pickles uvicorn's config into each worker: a class made at run time in
    it (the socket's config, the deadline protocol) failed the start with "Can't pickle local object"."""
    import pickle

    from claimcheck.logs import logging_config
    from claimcheck.server import SERVING_PROTOCOL, EnvironmentDeadlineH11Protocol, TcpConfig
    from claimcheck.startup import APP_FACTORY

    config = TcpConfig(APP_FACTORY, factory=True, http=SERVING_PROTOCOL, log_config=logging_config("info"))
    copy = pickle.loads(pickle.dumps(config))
    assert type(copy) is TcpConfig and copy.http == SERVING_PROTOCOL
    from uvicorn.importer import import_from_string

    assert import_from_string(SERVING_PROTOCOL) is EnvironmentDeadlineH11Protocol


def test_bulk_lines_are_counted_as_they_are_stored(client):
    lines_sent = [
        {"id": "b1", "text": "The Velmora port authority signed a lease. Officials confirmed it on Monday."},
        {"id": "b2", "text": "<p></p>", "format": "html"},  # nothing to index: refused, not counted
        {"id": "b3", "text": "Nordic Freight opened an office in Velmora."},
    ]
    body = "".join(json.dumps(line) + "\n" for line in lines_sent)
    response = client.post(
        "/v1/documents/bulk", content=body, headers={"Content-Type": "application/x-ndjson"}
    )
    assert response.status_code == 200
    answers = [json.loads(line) for line in response.text.splitlines()]
    assert [a["status"] for a in answers] == ["created", "error", "created"]
    samples = scrape(client)
    assert value(samples, "claimcheck_ingested_documents_total") == 2
    sentences = sum(a["sentences"] for a in answers if a["status"] == "created")
    assert value(samples, "claimcheck_ingested_sentences_total") == sentences == 3


def test_the_claimreview_examples_are_the_checked_documentation_files():
    """docs/claimreview-*.json are checked verbatim against the service by test_claimreview.py."""
    from api import examples

    docs = PROJECT_ROOT / "docs"
    assert json.loads((docs / "claimreview-request.json").read_text()) == examples.CLAIM_REVIEW_REQUEST
    assert json.loads((docs / "claimreview-example.jsonld").read_text()) == examples.CLAIM_REVIEW


def test_garbage_collections_are_counted_per_generation(seeded_client):
    samples = scrape(seeded_client)
    for generation in ("0", "1", "2"):
        assert ("python_gc_collections_total", (("generation", generation),)) in samples
    assert value(samples, "python_gc_collections_total", generation="0") > 0
