"""``POST /v1/documents/bulk``: many documents in one request, as JSON Lines, answered line by line.

The work itself is :class:`api.bulk.BulkIngest`; this module is the HTTP side: who may call it (a
write key; the whole request counts as one write against the key's write rate, its size being
bounded by ``bulk_max_documents`` and ``bulk_max_bytes`` instead), what it accepts before anything
is read (a JSON Lines content type, a declared length within the limit, a writable store, a free
bulk slot), and the streamed answer. The body is not JSON, so the route has no ``BODY_TYPE``: it
reads the request stream itself, and its OpenAPI entry states the body by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar import Request, post
from litestar.background_tasks import BackgroundTask, BackgroundTasks
from litestar.datastructures.cookie import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException, ValidationException
from litestar.openapi.spec import Example, OpenAPIMediaType, Operation, Reference, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.response import Stream
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse
from litestar.status_codes import HTTP_200_OK
from litestar.types import Receive, Send, TypeEncodersMap

from api import examples
from api.access import ACCESS, KEY_REQUIRED
from api.bulk import BulkIngest
from api.errors import Busy, InsufficientStorage, PayloadTooLarge, UnsupportedMediaType
from api.jsonlines import MEDIA_TYPES
from api.routes.documents import submission_of
from api.runtime import Runtime
from claimcheck.checker import Checker
from claimcheck.settings import Settings

ANSWER_MEDIA_TYPE = "application/x-ndjson"

_BODY_EXAMPLE = (
    '{"id": "velmora-1", "text": "The port authority of Velmora signed a lease, officials said.", '
    '"outlet": "Velmora Post", "published": "2020-10-01"}\n'
    '{"text": "<p>Second story.</p>", "format": "html"}\n'
)
_ANSWER_EXAMPLE = (
    '{"line":1,"id":"velmora-1","status":"created","paragraphs":1,"sentences":1}\n'
    '{"line":2,"id":null,"status":"error","error":{"status_code":422,'
    '"detail":"no searchable sentence: ..."}}\n'
)


@dataclass
class BulkOperation(Operation):
    """The OpenAPI entry with its JSON Lines body, which no handler parameter can describe."""

    def __post_init__(self) -> None:
        body = Schema(
            type=OpenAPIType.STRING,
            description=(
                "JSON Lines: one document per line, each a DocumentRequest object (the body of "
                "POST /v1/documents); blank lines are skipped."
            ),
        )
        example: dict[str, Example | Reference] = {"two documents": Example(value=_BODY_EXAMPLE)}
        self.request_body = RequestBody(
            content={
                media_type: OpenAPIMediaType(schema=body, examples=example) for media_type in MEDIA_TYPES
            },
            description="One document per line, UTF-8, as application/x-ndjson (or application/jsonl).",
            required=True,
        )


class _AnswerResponse(ASGIStreamingResponse):
    """Streams the answer lines; the job's reader owns ``receive`` (the body may still be arriving),
    so the response learns of a disconnect from the job, and closes the job when done."""

    __slots__ = ("job",)

    def __init__(self, job: BulkIngest, **kwargs: Any) -> None:
        super().__init__(iterator=job.answers(), **kwargs)
        self.job = job

    async def send_body(self, send: Send, receive: Receive) -> None:
        try:
            await super().send_body(send, self.job.disconnected)
        finally:
            await self.job.close()


class AnswerStream(Stream):
    """A 200 whose body is one JSON line per document line, sent as each is committed."""

    def __init__(self, job: BulkIngest) -> None:
        super().__init__(job.answers, media_type=ANSWER_MEDIA_TYPE, status_code=HTTP_200_OK)
        self.job = job

    def to_asgi_response(
        self,
        app: Any,
        request: Request[Any, Any, Any],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: Any = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        return _AnswerResponse(
            self.job,
            background=self.background or background,
            content_length=0,
            cookies=self.cookies if cookies is None else itertools.chain(self.cookies, cookies),
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers={**headers, **self.headers} if headers is not None else self.headers,
            is_head_response=is_head_response,
            media_type=ANSWER_MEDIA_TYPE,
            status_code=HTTP_200_OK,
        )


@post(
    "/v1/documents/bulk",
    status_code=HTTP_200_OK,
    summary="Ingest many documents (JSON Lines), answered line by line as each is committed",
    description=(
        "The body is JSON Lines (Content-Type application/x-ndjson or application/jsonl): one "
        "document per line, each the body of POST /v1/documents. The answer is a 200 whose body is "
        "JSON Lines too, streamed: one line per document line, in the body's order, sent once that "
        "document is committed: "
        '{"line": n, "id": ..., "status": "created", "paragraphs": p, "sentences": s} '
        '(an existing id is replaced), or {"line": n, "id": ... or null, "status": "error", '
        '"error": {"status_code": 400|413|422|503|507, "detail": ...}}. A bad line fails alone. '
        "Refused before anything is read: 415 (content type), 413 (declared length over the "
        "limit), 400 (no document in the body), 503 (read-only, or too many bulk requests at "
        "once), 507 (disk full). The request counts as one write against the key's rate limit."
    ),
    media_type=ANSWER_MEDIA_TYPE,
    responses={
        # Any: the body is JSON Lines, which no JSON schema describes as a whole.
        HTTP_200_OK: examples.answer(
            Any,
            "One JSON line per document line, in order, each sent once the document is committed",
            "One document created, one refused",
            _ANSWER_EXAMPLE,
            media_type=ANSWER_MEDIA_TYPE,
        )
    },
    opt={ACCESS: "write"},
    raises=[
        ValidationException,
        NotAuthorizedException,
        PayloadTooLarge,
        UnsupportedMediaType,
        TooManyRequestsException,
        Busy,
        InsufficientStorage,
    ],
    security=KEY_REQUIRED,
    operation_class=BulkOperation,
    request_max_body_size=None,  # bulk_max_bytes, enforced while reading
)
async def post_documents_bulk(
    request: Request[Any, Any, Any],
    runtime: NamedDependency[Runtime],
    checker: NamedDependency[Checker],
    settings: NamedDependency[Settings],
) -> AnswerStream:
    media_type, options = request.content_type
    if media_type.strip().lower() not in MEDIA_TYPES:
        shown = media_type or "none"
        raise UnsupportedMediaType(
            f"Content-Type {shown!r} is not JSON Lines: send one document per line as "
            "application/x-ndjson (or application/jsonl)"
        )
    charset = options.get("charset", "utf-8").strip().lower()
    if charset not in {"utf-8", "utf8"}:
        raise UnsupportedMediaType(f"charset {charset!r} is not supported: send UTF-8 JSON Lines")
    declared = request.content_length
    if declared is not None and declared > settings.bulk_max_bytes:
        raise PayloadTooLarge(f"bulk body too large: at most {settings.bulk_max_bytes} bytes per request")
    if declared == 0:
        raise ValidationException(_EMPTY)
    if runtime.bulk_requests >= settings.bulk_max_requests:
        raise Busy(
            f"{settings.bulk_max_requests} bulk requests are running; retry when one is done",
            headers={"Retry-After": "5"},
        )
    job = BulkIngest(request.receive, runtime, checker, settings, lambda data: submission_of(data, settings))
    try:
        has_documents = await job.start()
    except BaseException:
        await job.close()
        raise
    if not has_documents:
        await job.close()
        raise ValidationException(_EMPTY)
    return AnswerStream(job)


_EMPTY = 'request body holds no document: send one JSON object per line, each with "text"'
