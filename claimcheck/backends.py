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

        try:
            settings = Settings.from_env()
        except ValueError as error:
            raise BackendError(str(error)) from None
        return cls(open_checker(settings), settings.max_document_chars)

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
        from claimcheck.requests import DocumentRequest, InvalidSubmissionError

        try:
            request = msgspec.convert(item.fields, DocumentRequest, strict=True)
        except msgspec.ValidationError as error:
            return Failure(item.label, _invalid(str(error), item.fields))
        if len(request.text) > self.max_document_chars:
            return Failure(
                item.label,
                f"document too large: {len(request.text)} characters, at most {self.max_document_chars}",
            )
        try:
            return request.submission().validated()
        except InvalidSubmissionError as error:
            return Failure(item.label, str(error))

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


class RemoteBackend:
    """A running service at ``url``; writes send ``Authorization: Bearer <api_key>``.

    Ingest posts one document per request. Each answer becomes an outcome through
    :meth:`outcome`, which takes what ``POST /v1/documents/bulk`` also gives per document (a
    status and a body), so moving to the bulk endpoint changes only :meth:`ingest`.
    """

    def __init__(self, url: str, api_key: str | None, *, timeout: float = 120.0) -> None:
        import httpx

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BackendError(f"--url {url!r} is not an http(s) URL like http://127.0.0.1:8000")
        self.url = url.rstrip("/")
        self.api_key = api_key or None
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        self.client = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def ingest(self, items: Iterable[Item]) -> Iterator[Outcome]:
        for item in items:
            response = self._send("POST", "/v1/documents", body=item.fields)
            yield self.outcome(item.label, response.status_code, _body(response))

    def outcome(self, label: str, status: int, body: Any) -> Outcome:
        """A document's answer: its receipt, a failure of this document, or an error that stops the run."""
        if status in (200, 201):
            return Ingested(label, body)
        if status in _DOCUMENT_REFUSALS:
            return Failure(label, _detail(body, status))
        raise self._error(status, body)

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
                raise BackendError(
                    f"cannot reach the service at {self.url} ({_reason(error)}): is `claimcheck serve` "
                    "running there? Leave out --url (and CLAIMCHECK_URL) to use the local data directory."
                ) from None
            except httpx.TimeoutException:
                raise BackendError(
                    f"the service at {self.url} did not answer {method} {path} in time"
                ) from None
            except httpx.HTTPError as error:
                raise BackendError(f"{method} {self.url}{path} failed: {_reason(error)}") from None
            wait = _retry_after(response)
            if wait is None or attempt == _RETRIES:
                return response
            time.sleep(wait)
        raise AssertionError("unreachable")

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
