"""The ``claimcheck`` command, run through Typer's test runner: locally over a checker built with
the session's models, and with ``--url`` against a real uvicorn server over the same kind of checker.

The corpus is a folder of small documents in every supported format, one file of another type,
one file that is not UTF-8 and a JSON Lines file with good lines, a line whose date cannot be
read, a line with nothing to index and a line that is not JSON.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from claimcheck import backends
from claimcheck.backends import LocalBackend, RemoteBackend
from claimcheck.cli import State, app
from tests.conftest import AUTH, PROJECT_ROOT, TEST_KEY, serving

WIDE = {"COLUMNS": "400"}  # table cells unwrapped, so a sentence is one substring of the output

GOOD_IDS = {"port-strike", "ferry", "council", "wire-001", "wire-003"}

WIRE_LINES = [
    {
        "id": "wire-001",
        "text": "Officials said the bridge over the river Meuse would reopen on Friday after repairs.",
        "title": "Bridge to reopen",
        "outlet": "Example Wire",
        "published": "2024-03-05",
    },
    {
        "id": "wire-002",
        "text": "The airline cancelled 40 flights because of the strike, a spokesman said.",
        "outlet": "Example Wire",
        "published": "yesterday",
    },
    {
        "id": "wire-003",
        "text": "Factory output rose 2 percent in February, the statistics office said.",
        "outlet": "Example Wire",
        "published": "March 8, 2024",
    },
    {"id": "wire-004", "text": "!!! ???"},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "wire").mkdir(parents=True)
    (folder / "port-strike.md").write_text(
        "# Dock workers strike at the port of Antwerp\n\nBy Jan Peeters\n\n"
        "Dock workers at the port of Antwerp walked off the job on Monday, halting container traffic "
        "at Europe's second-largest port.\n\nThe union said the strike would last 48 hours unless the "
        "port authority reopened wage talks. The port authority denied that talks had broken down.\n",
        encoding="utf-8",
    )
    (folder / "ferry.html").write_text(
        "<html><head><title>Ferry service suspended after storm</title></head><body><article>"
        "<h1>Ferry service suspended after storm</h1><p>The ferry operator suspended all crossings "
        "between Calais and Dover on Tuesday after a storm damaged the harbour wall.</p><p>Coast guard "
        "officials reportedly rescued two fishermen whose boat capsized near the harbour.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (folder / "council.txt").write_text(
        "The city council approved a new budget on Wednesday.\nIt raises spending on schools by 4 percent.\n",
        encoding="utf-8",
    )
    latin1 = "Caf\u00e9 owners protest against the new parking fees.\n".encode("latin-1")
    (folder / "latin1.txt").write_bytes(latin1)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / ".hidden.txt").write_text("A hidden file is never read.\n", encoding="utf-8")
    lines = [json.dumps(line) for line in WIRE_LINES]
    lines.insert(3, "")  # a blank line is no document
    lines.append("{not json")
    (folder / "wire" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _local(checker) -> State:
    return State(open_local=lambda: LocalBackend(checker, 2_000_000, owned=False))


def _run(args: list[str], state: State | None = None, **env: str | None):
    runner = CliRunner()
    return runner.invoke(app, args, obj=state or State(), env={**WIDE, **env})


def _ids(checker) -> set[str]:
    items, _ = checker.documents(0, 100)
    return {item.id for item in items}


def test_help_lists_the_commands_without_loading_the_models():
    result = _run(["--help"])
    assert result.exit_code == 0
    for command in ("serve", "ingest", "check", "documents"):
        assert command in result.stdout
    documents = _run(["documents", "--help"])
    for command in ("list", "show", "delete"):
        assert command in documents.stdout
    # Fast --help: the command's module and its help pull in none of the heavy packages.
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom claimcheck.cli import app\n"
        "assert CliRunner().invoke(app, ['check', '--help']).exit_code == 0\n"
        "heavy = ('spacy', 'torch', 'faiss', 'httpx', 'claimcheck.checker')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_folder_ingest_reports_failures_and_writes_only_good_documents(make_checker, corpus):
    checker = make_checker()
    result = _run(["ingest", str(corpus)], _local(checker))

    assert result.exit_code == 1, result.output  # some documents failed
    assert _ids(checker) == GOOD_IDS  # nothing of a failed file or line was written
    items, _ = checker.documents(0, 100)
    sentences = sum(item.sentences for item in items)
    assert f"Ingested 5 documents ({sentences} sentences); 4 failed; 1 skipped." in result.stdout
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failures) == 4, result.stderr
    reasons = "\n".join(failures)
    assert "latin1.txt: not UTF-8" in reasons
    assert "feed.jsonl:2: published 'yesterday'" in reasons
    assert "feed.jsonl:5: no searchable sentence" in reasons  # line 4 is blank
    assert "feed.jsonl:6: not valid JSON" in reasons
    assert "scan.pdf" in result.stderr and "hidden" not in result.stderr
    # Metadata from a JSON line is kept, normalised as the API would store it.
    assert checker.document("wire-003").published == "2024-03-08"


def test_ingest_exit_code_zero_when_all_went_in_and_formats_from_extensions(make_checker, corpus):
    checker = make_checker()
    result = _run(["ingest", str(corpus / "ferry.html"), str(corpus / "port-strike.md")], _local(checker))
    assert result.exit_code == 0, result.output
    assert "Ingested 2 documents" in result.stdout and "0 failed" in result.stdout
    assert checker.document("ferry").format == "html"
    assert checker.document("port-strike").format == "markdown"
    assert checker.document("ferry").title == "Ferry service suspended after storm"


def test_explicit_unsupported_file_and_bad_id_are_failures(make_checker, tmp_path):
    checker = make_checker()
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "bad id.txt").write_text("The mayor opened the new library on Monday.\n", encoding="utf-8")
    result = _run(["ingest", str(tmp_path / "notes.pdf"), str(tmp_path / "bad id.txt")], _local(checker))
    assert result.exit_code == 1
    assert "notes.pdf: unsupported file type '.pdf'" in result.stderr
    assert "'bad id' cannot be a document id" in result.stderr
    assert _ids(checker) == set()


def test_check_prints_sentence_speaker_and_sources(make_checker, corpus):
    checker = make_checker()
    _run(["ingest", str(corpus)], _local(checker))

    result = _run(["check", "The bridge over the Meuse will reopen on Friday"], _local(checker))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Officials said the bridge over the river Meuse would reopen on Friday after repairs." in out
    assert "allegation" in out and "Officials (said)" in out
    assert "wire-001" in out and "Example Wire, 2024-03-05" in out
    assert "Summary:" in out and "alleged by Officials" in out

    strike = _run(["check", "Dock workers in Antwerp went on strike"], _local(checker))
    assert "Dock workers at the port of Antwerp walked off the job on Monday" in strike.stdout
    assert "port-strike" in strike.stdout

    nothing = _run(["check", "Penguins won the football world cup in 1850"], _local(checker))
    assert nothing.exit_code == 0
    assert "No evidence in the indexed articles." in nothing.stdout


def test_check_options_are_validated(make_checker):
    state = _local(make_checker())
    assert _run(["check", "   "], state).exit_code == 2
    assert _run(["check", "x", "--limit", "0"], state).exit_code == 2
    bad_date = _run(["check", "x", "--published-after", "2024-13-01"], state)
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    reversed_dates = ["check", "x", "--published-after", "2024-02-01", "--published-before", "2024-01-01"]
    assert _run(reversed_dates, state).exit_code == 2


def test_check_filters_reach_the_checker(make_checker, corpus):
    checker = make_checker()
    _run(["ingest", str(corpus)], _local(checker))
    claim = ["check", "The bridge over the Meuse will reopen on Friday", "--json"]
    kept = json.loads(_run([*claim, "--outlet", "example wire"], _local(checker)).stdout)
    assert [s["document_id"] for s in kept["evidence"][0]["sources"]] == ["wire-001"]
    for excluding in (["--published-after", "2024-03-06"], ["--outlet", "Other Outlet"]):
        answer = json.loads(_run([*claim, *excluding], _local(checker)).stdout)
        assert answer["evidence"] == []


def test_documents_list_show_delete_local(make_checker, corpus):
    checker = make_checker()
    _run(["ingest", str(corpus)], _local(checker))

    listing = _run(["documents", "list", "--limit", "2"], _local(checker))
    assert listing.exit_code == 0
    assert "council" in listing.stdout and "ferry" in listing.stdout and "wire-001" not in listing.stdout
    assert "Documents 1 to 2 of 5. Next page: --offset 2" in listing.stdout
    page = json.loads(_run(["documents", "list", "--offset", "2", "--json"], _local(checker)).stdout)
    assert page["total"] == 5 and page["offset"] == 2
    assert [item["id"] for item in page["items"]] == ["port-strike", "wire-001", "wire-003"]

    show = _run(["documents", "show", "wire-001"], _local(checker))
    assert "Bridge to reopen" in show.stdout and "Example Wire" in show.stdout
    assert "1 paragraph, 1 sentence, 1 attribution" in show.stdout
    view = json.loads(_run(["documents", "show", "port-strike", "--json"], _local(checker)).stdout)
    assert view["id"] == "port-strike" and view["paragraphs"][0]["sentences"][0]["text"].startswith("Dock")

    assert _run(["documents", "delete", "council"], _local(checker)).exit_code == 0
    assert "council" not in _ids(checker)
    unknown = _run(["documents", "delete", "council"], _local(checker))
    assert unknown.exit_code == 1 and "unknown document id: 'council'" in unknown.stderr
    assert _run(["documents", "show", "council"], _local(checker)).exit_code == 1


def test_remote_mode_matches_the_api_and_needs_the_key(make_checker, corpus):
    checker = make_checker()
    with serving(checker) as url:
        no_key = _run(["--url", url, "ingest", str(corpus / "council.txt")], CLAIMCHECK_API_KEY=None)
        assert no_key.exit_code == 1
        assert "CLAIMCHECK_API_KEY" in no_key.stderr and "401" in no_key.stderr
        wrong_key = _run(["ingest", str(corpus), "--url", url], CLAIMCHECK_API_KEY="not-a-key")
        assert wrong_key.exit_code == 1 and "refused the key" in wrong_key.stderr
        assert _ids(checker) == set()

        env = {"CLAIMCHECK_API_KEY": TEST_KEY}
        result = _run(["ingest", str(corpus)], CLAIMCHECK_URL=url, **env)
        assert result.exit_code == 1, result.output
        assert "Ingested 5 documents" in result.stdout and "4 failed; 1 skipped." in result.stdout
        assert "feed.jsonl:2: published 'yesterday'" in result.stderr  # the server's 400, reported
        assert _ids(checker) == GOOD_IDS

        claim = "The bridge over the Meuse will reopen on Friday"
        remote = json.loads(_run(["check", claim, "--json", "--url", url]).stdout)
        direct = httpx.post(f"{url}/v1/claims/check", json={"claim": claim}, headers=AUTH).json()
        local = json.loads(_run(["check", claim, "--json"], _local(checker)).stdout)
        assert remote == direct == local
        assert remote["evidence"][0]["attribution"]["speaker"] == "Officials"
        table = _run(["check", claim, "--url", url])
        assert "Officials said the bridge over the river Meuse" in table.stdout

        page = json.loads(_run(["documents", "list", "--json", "--url", url]).stdout)
        assert page == httpx.get(f"{url}/v1/documents").json()
        shown = json.loads(_run(["documents", "show", "wire-001", "--json", "--url", url]).stdout)
        assert shown == httpx.get(f"{url}/v1/documents/wire-001").json()

        assert _run(["documents", "delete", "ferry", "--url", url], **env).exit_code == 0
        assert "ferry" not in _ids(checker)
        gone = _run(["documents", "delete", "ferry", "--url", url], **env)
        assert gone.exit_code == 1 and "unknown document id" in gone.stderr
        assert _run(["documents", "show", "ferry", "--url", url]).exit_code == 1


# -- ingest --url through POST /v1/documents/bulk --------------------------------------------------

BULK = ("POST", "/v1/documents/bulk")
SINGLE = ("POST", "/v1/documents")
# What the corpus sends (latin1.txt and the line that is not JSON fail while reading, locally).
SENT = ["council.txt", "ferry.html", "port-strike.md", "feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:3"]
SENT.append("feed.jsonl:5")
FAILURES = {
    "latin1.txt": "not UTF-8",
    "feed.jsonl:2": "published 'yesterday'",
    "feed.jsonl:5": "no searchable sentence",
    "feed.jsonl:6": "not valid JSON",
}
KEY = {"CLAIMCHECK_API_KEY": TEST_KEY}


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, str, bytes]]:
    """Every request the CLI's RemoteBackend sends: method, path and body (read by an httpx hook)."""
    log: list[tuple[str, str, bytes]] = []
    original = RemoteBackend.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)

        def record(request: httpx.Request) -> None:
            body = request.read() if request.method == "POST" else b""
            log.append((request.method, request.url.path, body))

        self.client.event_hooks["request"].append(record)

    monkeypatch.setattr(RemoteBackend, "__init__", init)
    return log


def _calls(log) -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in log]


def _failures(result) -> dict[str, str]:
    """``failed <label>: <reason>`` lines of stderr as {label relative to the corpus: reason}."""
    failures = {}
    for line in result.stderr.splitlines():
        if line.startswith("failed "):
            label, _, reason = line.removeprefix("failed ").partition(": ")
            failures[label.rsplit("/", 1)[-1]] = reason
    return failures


def _assert_same_report(result, checker) -> None:
    """The report and the store a folder ingest gives locally (test above), over HTTP."""
    assert result.exit_code == 1, result.output
    items, _ = checker.documents(0, 100)
    sentences = sum(item.sentences for item in items)
    assert f"Ingested 5 documents ({sentences} sentences); 4 failed; 1 skipped." in result.stdout
    failures = _failures(result)
    assert failures.keys() == FAILURES.keys(), result.stderr
    for label, reason in FAILURES.items():
        assert reason in failures[label], (label, failures[label])
    assert _ids(checker) == GOOD_IDS
    assert checker.document("wire-003").published == "2024-03-08"


def _bulk_labels(log, corpus: Path) -> list[list[str]]:
    """Which documents each bulk request carried, by the ids/texts of its lines."""
    by_text = {}
    for item in (corpus / "council.txt", corpus / "ferry.html", corpus / "port-strike.md"):
        by_text[item.read_text(encoding="utf-8")] = item.name
    for number, line in ((1, 0), (2, 1), (3, 2), (5, 3)):
        by_text[WIRE_LINES[line]["text"]] = f"feed.jsonl:{number}"
    chunks = []
    for method, path, body in log:
        if (method, path) == BULK:
            chunks.append([by_text[json.loads(line)["text"]] for line in body.splitlines()])
    return chunks


def test_remote_ingest_uses_the_bulk_route_and_reports_as_locally(make_checker, corpus, sent):
    checker = make_checker()
    with serving(checker) as url:
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    _assert_same_report(result, checker)
    assert _calls(sent) == [BULK]  # one request for the whole folder, no single POST
    assert _bulk_labels(sent, corpus) == [SENT]
    _, _, body = sent[0]
    assert json.loads(body.splitlines()[3]) == WIRE_LINES[0]  # a JSON line's fields, as read


def test_remote_ingest_in_chunks_maps_each_answer_to_its_document(make_checker, corpus, sent, monkeypatch):
    checker = make_checker()
    monkeypatch.setattr(RemoteBackend, "chunk_documents", 2)
    with serving(checker) as url:
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    _assert_same_report(result, checker)
    # Chunks of two, in reading order; each answer line named the right document (failures above).
    assert _bulk_labels(sent, corpus) == [SENT[0:2], SENT[2:4], SENT[4:6], SENT[6:7]]
    assert _calls(sent) == [BULK] * 4

    # A byte bound below any document's size: one document per request, still mapped right.
    again, log = make_checker(), sent
    log.clear()
    monkeypatch.setattr(RemoteBackend, "chunk_documents", 500)
    monkeypatch.setattr(RemoteBackend, "chunk_bytes", 1)
    with serving(again) as url:
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    _assert_same_report(result, again)
    assert _bulk_labels(log, corpus) == [[label] for label in SENT]


def test_remote_ingest_under_a_lower_service_limit_sends_the_rest_again(make_checker, corpus, sent):
    checker = make_checker()
    with serving(checker, bulk_max_documents=3) as url:
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    _assert_same_report(result, checker)
    # The first request is cut after three documents (413 for the fourth line, then the answer
    # ends): the other four go again in chunks of three, and nothing is reported for the cut.
    assert _bulk_labels(sent, corpus) == [SENT, SENT[3:6], SENT[6:7]]
    assert "too many documents" not in result.stderr


def test_remote_ingest_falls_back_to_one_post_per_document(make_checker, corpus, sent, monkeypatch):
    checker = make_checker()
    # A route the service does not have, as a service older than the bulk route answers it.
    monkeypatch.setattr(RemoteBackend, "bulk_path", "/v1/documents/bulk-not-here")
    with serving(checker) as url:
        assert httpx.post(f"{url}/v1/documents/bulk-not-here", headers=AUTH).status_code in (404, 405)
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    _assert_same_report(result, checker)
    assert _calls(sent) == [("POST", "/v1/documents/bulk-not-here")] + [SINGLE] * len(SENT)


def test_remote_ingest_waits_out_a_busy_service_then_says_so(make_checker, corpus, sent, monkeypatch):
    checker = make_checker()
    waits: list[float] = []
    monkeypatch.setattr(backends, "_sleep", waits.append)
    with serving(checker, bulk_max_requests=0) as url:  # every bulk request: 503, Retry-After 5
        result = _run(["ingest", str(corpus), "--url", url], **KEY)
    assert result.exit_code == 1
    assert "answered 503" in result.stderr and "bulk requests are running" in result.stderr
    assert waits == [5.0, 5.0, 5.0]
    assert _calls(sent) == [BULK] * 4  # the same chunk, again each time
    assert len({body for _, _, body in sent}) == 1
    assert _ids(checker) == set()


def _dropping_service(answers: int) -> tuple[str, threading.Thread]:
    """A service that reads a bulk request, answers its first ``answers`` lines (as "created"),
    then drops the connection mid-answer, as a crashed server or a proxy would."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        with listener, connection:
            data = b""
            while not data.endswith(b"0\r\n\r\n"):  # the end of a chunked body
                data += connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            for line in range(1, answers + 1):
                answer = json.dumps(
                    {"line": line, "id": f"doc-{line}", "status": "created", "paragraphs": 1, "sentences": 2}
                ).encode()
                connection.sendall(b"%x\r\n%s\n\r\n" % (len(answer) + 1, answer))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{port}", thread


def test_remote_ingest_when_the_connection_drops_mid_answer(corpus):
    url, thread = _dropping_service(answers=2)
    result = _run(["ingest", str(corpus / "council.txt"), str(corpus / "wire"), "--url", url], **KEY)
    thread.join(timeout=10)
    assert result.exit_code == 1
    # The two documents answered count; the three after them failed, each saying why.
    assert "Ingested 2 documents (4 sentences); 4 failed." in result.stdout
    failures = _failures(result)
    assert failures.keys() == {"feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:5", "feed.jsonl:6"}
    for label in ("feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:5"):
        assert "connection to the service was lost" in failures[label]
        assert "ingest it again" in failures[label]


def test_remote_mode_without_a_service_says_so():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free: nothing listens once the socket is closed
    result = _run(["check", "anything", "--url", f"http://127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert f"cannot reach the service at http://127.0.0.1:{port}" in result.stderr
    bad_url = _run(["documents", "list", "--url", "localhost:8000"])
    assert bad_url.exit_code == 1 and "is not an http(s) URL" in bad_url.stderr
