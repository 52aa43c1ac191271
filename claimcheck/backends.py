"""Where the CLI's commands run: in this process over the local data directory, or against a
running service over HTTP. Both implement :class:`Backend`.

Both answer in the v1 contract's JSON shapes, as plain dicts and lists (``msgspec.to_builtins`` of
the application's results locally, the decoded body remotely): ``--json`` then prints the API's
answer in either mode, and a remote command never imports the application's result types, whose
packages load spaCy and torch (seconds, for a command that only sends HTTP).

Ingest takes the documents' fields as read by ``claimcheck.inputs`` and yields one outcome per
document: :class:`Ingested` or a :class:`~claimcheck.inputs.Failure` saying why it was not
written (each document is its own transaction, so a failure never leaves part of a document
behind). What stops the whole command (service unreachable, key refused, disk full, store
read-only) is a :class:`BackendError`.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

import msgspec

from claimcheck.inputs import Failure, Item

if TYPE_CHECKING:
    import httpx

    from claimcheck.checker import Checker
    from claimcheck.requests import Submission

# A JSON object of the v1 contract (a check's answer, a document, a page of documents).
Json = dict[str, Any]


class BackendError(Exception):
    """The command cannot go on; the message says what is wrong and what to do about it."""


@dataclass(frozen=True, slots=True)
class Ingested:
    """A document committed and indexed: its label and the receipt ``{"id", "paragraphs", "sentences"}``."""

    label: str
    receipt: Json


Outcome = Ingested | Failure


class Backend(Protocol):
    def ingest(self, items: Iterable[Item]) -> Iterator[Outcome]: ...

    def check(self, body: Json) -> Json:
        """The answer to a ``POST /v1/claims/check`` body (already checked by the caller)."""
        ...

    def documents(self, offset: int, limit: int) -> Json: ...

    def document(self, document_id: str) -> Json | None: ...

    def delete(self, document_id: str) -> bool: ...

    def close(self) -> None: ...


# -- local ----------------------------------------------------------------------------------------


class LocalBackend:
    """The checker over the local data directory (``CLAIMCHECK_DATA``), in this process.

    Documents are validated as the API validates them (``DocumentRequest``, then
    ``Submission.validated``, then the size limit), so a file that the service would refuse is
    refused here with the same reason.
    """

    def __init__(self, checker: Checker, max_document_chars: int, *, owned: bool = True) -> None:
        self.checker = checker
        self.max_document_chars = max_document_chars
        self.owned = owned  # close (and save) the checker at the end; a test's checker stays open

    @classmethod
    def open(cls) -> LocalBackend:
        """Models, data directory and (into an empty store) the seeds, as ``claimcheck serve`` opens them."""
        from claimcheck.settings import Settings
        from claimcheck.startup import open_checker
        from claimcheck.vectorspace import EncoderMismatchError

        try:
            settings = Settings.from_env()
        except ValueError as error:
            raise BackendError(str(error)) from None
        try:
            return cls(open_checker(settings), settings.max_document_chars)
        except EncoderMismatchError as error:
            raise BackendError(str(error)) from None

    def ingest(self, items: Iterable[Item]) -> Iterator[Outcome]:
        from claimcheck.storage import StorageError

        # The checker tells of each document, in order, by a result or a refusal: the labels of the
        # documents handed over and not yet told of wait here (a batch or two, never the whole run).
        waiting: deque[tuple[Item, Submission]] = deque()
        failed: deque[Failure] = deque()

        def submissions() -> Iterator[Submission]:
            for item in items:
                submission = self._submission(item)
                if isinstance(submission, Failure):
                    failed.append(submission)
                else:
                    waiting.append((item, submission))
                    yield submission

        def refused(submission: Submission, error: Exception) -> None:
            item, handed = waiting.popleft()
            assert handed is submission, "the checker reports documents in the order they were given"
            failed.append(Failure(item.label, str(error)))

        try:
            for result in self.checker.ingest_many(submissions(), refused=refused):
                while failed:
                    yield failed.popleft()
                item, _ = waiting.popleft()
                yield Ingested(item.label, msgspec.to_builtins(result))
        except StorageError as error:
            raise BackendError(str(error)) from None
        yield from failed

    def _submission(self, item: Item) -> Submission | Failure:
        return submission_of(item, self.max_document_chars)

    def check(self, body: Json) -> Json:
        from claimcheck.requests import CheckFilters

        filters = CheckFilters(
            published_after=body.get("published_after"),
            published_before=body.get("published_before"),
            outlets=tuple(body.get("outlets") or ()),
            exclude_outlets=tuple(body.get("exclude_outlets") or ()),
        )
        answer: Json = _json(self.checker.check(body["claim"].strip(), body.get("limit", 10), filters))
        return answer

    def documents(self, offset: int, limit: int) -> Json:
        items, total = self.checker.documents(offset, limit)
        return {"items": _json(items), "total": total, "offset": offset, "limit": limit}

    def document(self, document_id: str) -> Json | None:
        view = self.checker.document(document_id)
        return None if view is None else _json(view)

    def delete(self, document_id: str) -> bool:
        from claimcheck.storage import StorageError

        try:
            return self.checker.delete(document_id)
        except StorageError as error:
            raise BackendError(str(error)) from None

    def close(self) -> None:
        if self.owned:
            self.checker.close()


def submission_of(item: Item, max_document_chars: int) -> Submission | Failure:
    """The document an item's fields describe, validated as the API validates a posted one
    (``DocumentRequest``, then its ``submission``), or the failure saying why it is refused: the
    one rule for a local ingest, in this process or in a Ray pipeline's workers."""
    from claimcheck.requests import DocumentRequest, DocumentTooLargeError, InvalidSubmissionError

    try:
        request = msgspec.convert(item.fields, DocumentRequest, strict=True)
    except msgspec.ValidationError as error:
        return Failure(item.label, _invalid(str(error), item.fields))
    try:
        return request.submission(max_document_chars)
    except (DocumentTooLargeError, InvalidSubmissionError) as error:
        return Failure(item.label, str(error))


def _json(value: Any) -> Any:
    """The JSON shape the API sends for ``value`` (tuples as lists, Structs and dataclasses as objects)."""
    return msgspec.to_builtins(value)


def _invalid(message: str, fields: Json) -> str:
    """msgspec's "Expected `str` ... - at `$.id`" as "id: ...", with the id rule in words."""
    text, _, where = message.partition(" - at ")
    key = where.strip("`").removeprefix("$").removeprefix(".")
    if key == "id" and isinstance(fields.get("id"), str):
        return (
            f"id {fields['id']!r} cannot be a document id: use letters, digits and . _ : - "
            "(starting with a letter or digit, at most 200 characters)"
        )
    if text.startswith("Object missing required field"):
        return text.replace("Object missing", "missing")
    if text.startswith("Object contains unknown field"):
        return f"{text.replace('Object contains', 'unknown')}: the fields are {', '.join(_DOCUMENT_FIELDS)}"
    return f"{key}: {text}" if key else text


_DOCUMENT_FIELDS = ("text", "id", "format", "title", "url", "outlet", "byline", "published")


# -- remote ---------------------------------------------------------------------------------------

# Statuses that concern one document only: it is reported and the next one is sent.
_DOCUMENT_REFUSALS = {400, 413, 415, 422, 500}
# The service asks to come back later: wait out Retry-After (at most this long) a few times.
_RETRIES = 3
_MAX_WAIT_SECONDS = 30.0
# A service older than the bulk route answers these to POST /v1/documents/bulk.
_NO_BULK_ROUTE = {404, 405}
_LOST = (
    "not ingested: the connection to the service was lost before it answered for this document "
    "(it may have been stored; ingest it again to be sure: a document with an id is replaced)"
)
_UNANSWERED = "not ingested: the service ended its answer before this document"


def _sleep(seconds: float) -> None:
    """Waiting out a Retry-After (a module function, so that a test can count the waits)."""
    time.sleep(seconds)


class RemoteBackend:
    """A running service at ``url``; writes send ``Authorization: Bearer <api_key>``.

    Ingest streams the documents to ``POST /v1/documents/bulk`` as JSON Lines, in requests of at
    most :attr:`chunk_documents` documents and :attr:`chunk_bytes` bytes (well under the service's
    limits, so a huge folder is several requests, each retried alone if the service is busy), and
    reads the answer line by line as the service commits each document. A service without the bulk
    route gets one ``POST /v1/documents`` per document instead. Either way each document's answer
    (a status and a body) becomes an outcome through :meth:`outcome`, so both paths report alike.
    """

    chunk_documents = 500
    chunk_bytes = 16 * 1024 * 1024
    bulk_path = "/v1/documents/bulk"

    def __init__(self, url: str, api_key: str | None, *, timeout: float = 120.0) -> None:
        import httpx

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BackendError(f"--url {url!r} is not an http(s) URL like http://127.0.0.1:8000")
        self.url = url.rstrip("/")
        self.api_key = api_key or None
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        self.client = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self.bulk = True  # False once the service has shown it has no bulk route

    def ingest(self, items: Iterable[Item]) -> Iterator[Outcome]:
        source = iter(items)
        # Documents read but still to send: a chunk's rest after the service cut it short at its
        # own limit, or a whole chunk when the service turned out to have no bulk route.
        pending: deque[Item] = deque()
        while self.bulk:
            first = pending.popleft() if pending else next(source, None)
            if first is None:
                return
            pending.appendleft(first)  # so that no request goes out without a document
            yield from self._bulk(_Chunk(source, pending, self.chunk_documents, self.chunk_bytes), pending)
        for item in itertools.chain(list(pending), source):
            response = self._send("POST", "/v1/documents", body=item.fields)
            yield self.outcome(item.label, response.status_code, _body(response))

    def outcome(self, label: str, status: int, body: Any) -> Outcome:
        """A document's answer: its receipt, a failure of this document, or an error that stops the run."""
        if status in (200, 201):
            return Ingested(label, body)
        if status in _DOCUMENT_REFUSALS:
            return Failure(label, _detail(body, status))
        raise self._error(status, body)

    def _bulk(self, chunk: _Chunk, pending: deque[Item]) -> Iterator[Outcome]:
        """One bulk request for ``chunk``, its answer lines as outcomes as they arrive.

        Retried whole while the service answers 429/503 with a Retry-After (nothing of it was
        ingested then). Lines the service left unanswered because the chunk was over its limits
        go back to ``pending`` (and the chunks get smaller); a connection lost mid-answer fails
        the documents not yet answered, and the next chunk is tried.
        """
        import httpx

        headers = {"Content-Type": "application/x-ndjson"}
        for attempt in range(_RETRIES + 1):
            answered = 0  # documents of the chunk told of, in order
            held: tuple[int, Any] | None = None  # a 413 that may be the service's limit cutting in
            try:
                with self.client.stream(
                    "POST", self.bulk_path, content=chunk.body(), headers=headers
                ) as response:
                    if response.status_code != 200:
                        response.read()
                        wait = _retry_after(response)
                        if wait is not None and attempt < _RETRIES:
                            _sleep(wait)
                            continue
                        if response.status_code in _NO_BULK_ROUTE:
                            self.bulk = False
                            pending.extendleft(reversed(chunk.items))
                            return
                        raise self._error(response.status_code, _body(response))
                    for raw in response.iter_lines():
                        if not raw.strip():
                            continue
                        index, status, body = self._answer(raw, chunk, held[0] + 1 if held else answered)
                        if held is not None:
                            yield self.outcome(chunk.items[held[0]].label, 413, held[1])
                            answered, held = held[0] + 1, None
                        while answered < index:  # never expected: a document left out of the answer
                            yield Failure(chunk.items[answered].label, _UNANSWERED)
                            answered += 1
                        if status == 413 and index < len(chunk.items) - 1:
                            held = (index, body)
                            continue
                        yield self.outcome(chunk.items[index].label, status, body)
                        answered = index + 1
            except (httpx.TransportError, httpx.StreamError) as error:
                if (
                    answered == 0
                    and held is None
                    and (isinstance(error, httpx.ConnectError) or not chunk.items)
                ):
                    # Nothing was sent or answered: the service is not there (or not answering at all).
                    if isinstance(error, httpx.ConnectError):
                        raise self._unreachable(error) from None
                    raise BackendError(f"POST {self.url}{self.bulk_path} failed: {_reason(error)}") from None
                if held is not None:
                    yield self.outcome(chunk.items[held[0]].label, 413, held[1])
                    answered = held[0] + 1
                for item in chunk.items[answered:]:
                    yield Failure(item.label, f"{_LOST}: {_reason(error)}")
                return
            if held is not None:
                # The answer ended at a 413 with documents after it: the service's limit, not the
                # document. Send the rest again, in smaller chunks (at most what it took).
                first = held[0]
                if first == 0:  # a single line over the service's byte limit: that document's own fault
                    yield self.outcome(chunk.items[0].label, 413, held[1])
                    first = 1
                else:
                    self.chunk_documents = min(self.chunk_documents, first)
                pending.extendleft(reversed(chunk.items[first:]))
                return
            for item in chunk.items[answered:]:
                yield Failure(item.label, _UNANSWERED)
            return

    def _answer(self, raw: str, chunk: _Chunk, after: int) -> tuple[int, int, Any]:
        """An answer line as (index of its document in ``chunk``, status, receipt or error body);
        ``after`` documents of the chunk are already told of."""
        try:
            answer = msgspec.json.decode(raw)
            line = answer["line"]
            if answer.get("status") == "created":
                receipt = {key: answer[key] for key in ("id", "paragraphs", "sentences")}
                status, body = 201, receipt
            else:
                error = answer["error"]
                status, body = int(error["status_code"]), error
        except (msgspec.DecodeError, KeyError, TypeError, ValueError):
            raise BackendError(
                f"the service at {self.url} sent an answer line this command cannot read: {raw[:200]!r}"
            ) from None
        # The body is the chunk's documents, one a line, no blank lines: line n is document n.
        if not isinstance(line, int) or not after < line <= len(chunk.items):
            raise BackendError(f"the service at {self.url} answered for line {line!r}, out of order")
        return line - 1, status, body

    def check(self, body: Json) -> Json:
        response = self._send("POST", "/v1/claims/check", body=body)
        if response.status_code != 200:
            raise self._error(response.status_code, _body(response))
        answer: Json = _body(response)
        return answer

    def documents(self, offset: int, limit: int) -> Json:
        response = self._send("GET", "/v1/documents", params={"offset": offset, "limit": limit})
        if response.status_code != 200:
            raise self._error(response.status_code, _body(response))
        page: Json = _body(response)
        return page

    def document(self, document_id: str) -> Json | None:
        response = self._send("GET", f"/v1/documents/{quote(document_id, safe='')}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._error(response.status_code, _body(response))
        view: Json = _body(response)
        return view

    def delete(self, document_id: str) -> bool:
        response = self._send("DELETE", f"/v1/documents/{quote(document_id, safe='')}")
        if response.status_code == 404:
            return False
        if response.status_code != 204:
            raise self._error(response.status_code, _body(response))
        return True

    def close(self) -> None:
        self.client.close()

    def _send(
        self, method: str, path: str, *, body: Json | None = None, params: dict[str, int] | None = None
    ) -> httpx.Response:
        """One request, retried while the service answers 429/503 with a Retry-After it can wait out."""
        import httpx

        content = None if body is None else msgspec.json.encode(body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        for attempt in range(_RETRIES + 1):
            try:
                response = self.client.request(method, path, content=content, headers=headers, params=params)
            except httpx.ConnectError as error:
                raise self._unreachable(error) from None
            except httpx.TimeoutException:
                raise BackendError(
                    f"the service at {self.url} did not answer {method} {path} in time"
                ) from None
            except httpx.HTTPError as error:
                raise BackendError(f"{method} {self.url}{path} failed: {_reason(error)}") from None
            wait = _retry_after(response)
            if wait is None or attempt == _RETRIES:
                return response
            _sleep(wait)
        raise AssertionError("unreachable")

    def _unreachable(self, error: Exception) -> BackendError:
        return BackendError(
            f"cannot reach the service at {self.url} ({_reason(error)}): is `claimcheck serve` "
            "running there? Leave out --url (and CLAIMCHECK_URL) to use the local data directory."
        )

    def _error(self, status: int, body: Any) -> BackendError:
        detail = _detail(body, status)
        if status in (401, 403):
            if self.api_key is None:
                return BackendError(
                    f"the service refused the request without an API key ({status}: {detail}): "
                    "set CLAIMCHECK_API_KEY to one of its keys"
                )
            return BackendError(f"the service refused the key in CLAIMCHECK_API_KEY ({status}: {detail})")
        return BackendError(f"the service at {self.url} answered {status}: {detail}")


class _Chunk:
    """The documents of one bulk request, taken from the inputs as its body is sent.

    The body is made lazily: each document is read (from ``pending`` first, then ``source``) and
    encoded as one JSON line while the request goes out, up to ``max_documents`` documents or
    ``max_bytes`` bytes (a document that would pass the byte bound waits for the next chunk,
    unless it is the first). :attr:`items` keeps the documents taken, in body order, to name
    each answer line's document and to send the same body again on a retry.
    """

    def __init__(
        self, source: Iterator[Item], pending: deque[Item], max_documents: int, max_bytes: int
    ) -> None:
        self.source = source
        self.pending = pending
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        self.items: list[Item] = []

    def body(self) -> Iterator[bytes]:
        size = 0
        for taken in self.items:  # a retry: the same documents again
            line = _line(taken)
            size += len(line)
            yield line
        while len(self.items) < self.max_documents:
            item = self._next()
            if item is None:
                return
            line = _line(item)
            if self.items and size + len(line) > self.max_bytes:
                self.pending.appendleft(item)
                return
            self.items.append(item)
            size += len(line)
            yield line

    def _next(self) -> Item | None:
        if self.pending:
            return self.pending.popleft()
        return next(self.source, None)


def _line(item: Item) -> bytes:
    return msgspec.json.encode(item.fields) + b"\n"


def _body(response: httpx.Response) -> Any:
    try:
        return msgspec.json.decode(response.content) if response.content else None
    except msgspec.DecodeError:
        return response.text


def _detail(body: Any, status: int) -> str:
    if isinstance(body, dict) and body.get("detail"):
        return str(body["detail"])
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return f"HTTP {status}"


def _retry_after(response: httpx.Response) -> float | None:
    if response.status_code not in (429, 503):
        return None
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    return seconds if 0 <= seconds <= _MAX_WAIT_SECONDS else None


def _reason(error: Exception) -> str:
    text = str(error)
    return text.rsplit("] ", 1)[-1] if text else type(error).__name__
