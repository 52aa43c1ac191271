"""Request bodies of the v1 HTTP contract (DESIGN.md), and the bodies that only HTTP has.

Requests forbid unknown fields so a client's typo ("limt") is a clear 400, not silently ignored,
and carry their bounds in ``msgspec.Meta`` so that the OpenAPI document states them. A check's
answer, an ingest receipt and a document's analysis are the application's own result types
(``claimcheck.results``), returned as they are; paging and health exist only here.

Bodies are decoded strictly (:func:`strict_body`): ``"limit": "5"`` is a wrong type, not 5.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import ValidationException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from claimcheck.results import CheckResult, DocumentListing

MAX_CLAIM_CHARS = 2000
MAX_LIMIT = 50
DocumentId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
NonEmpty = Annotated[str, msgspec.Meta(min_length=1)]
PublishedDate = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=2000,
        description=(
            "Publication date, stored as YYYY-MM-DD: ISO 8601 dates and date-times, 'Oct 1, 2020', "
            "'1 October 2020', 'October 1, 2020 10:32 AM', RFC 2822 ('Thu, 01 Oct 2020 10:32:00 GMT'), "
            "2020/10/01. Numeric dates whose day and month could be swapped (01/02/2020), relative "
            "words ('yesterday') and years outside 1800..next year are refused."
        ),
    ),
]
HttpUrl = Annotated[
    str, msgspec.Meta(min_length=1, max_length=2000, description="An absolute http:// or https:// URL")
]


ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IsoDate = Annotated[str, msgspec.Meta(pattern=ISO_DATE_PATTERN, description="YYYY-MM-DD")]
OutletNames = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=200)]], msgspec.Meta(max_length=100)
]


class CheckRequest(msgspec.Struct, forbid_unknown_fields=True):
    claim: NonEmpty
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


MAX_BATCH_CLAIMS = 100


class CheckBatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    claims: Annotated[list[NonEmpty], msgspec.Meta(min_length=1, max_length=MAX_BATCH_CLAIMS)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


class DocumentRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: NonEmpty
    id: DocumentId | None = None
    format: Literal["text", "markdown", "html"] | None = None
    title: ShortText | None = None
    url: HttpUrl | None = None
    outlet: ShortText | None = None
    byline: ShortText | None = None
    published: PublishedDate | None = None


class DocumentPage(msgspec.Struct):
    items: list[DocumentListing]
    total: int
    offset: int
    limit: int


class HealthBody(msgspec.Struct):
    status: str
    documents: int
    paragraphs: int


class CheckBatchResponse(msgspec.Struct):
    """One answer per claim, in the order the claims were sent."""

    results: list[CheckResult]


def strict_body(body: type[msgspec.Struct], fields: str) -> Guard:
    """A route guard that decodes the JSON body as ``body`` strictly before Litestar decodes it.

    Why a guard: Litestar converts request bodies with ``strict=False`` (a string "5" becomes the
    integer 5, 5.0 becomes 5) and answers an empty body with ``"detail": "'data'"``; both happen
    before the handler runs. A guard runs earlier (after the app's own guards, such as
    authentication), reads the same cached body, and refuses it in words. A body sent with a
    media type other than JSON is left to the app's content-type handling.
    """

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not isinstance(connection, Request):
            return
        media_type = connection.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type and "json" not in media_type:
            return
        raw = await connection.body()
        if not raw.strip():
            raise ValidationException(f"request body is empty: send a JSON object with {fields}")
        try:
            msgspec.json.decode(raw, type=body, strict=True)
        except msgspec.ValidationError as error:
            raise _invalid(str(error)) from None
        except msgspec.DecodeError as error:
            raise ValidationException(f"request body is not valid JSON: {error}") from None

    return guard


def _invalid(message: str) -> ValidationException:
    """msgspec's "Expected `int`, got `str` - at `$.limit`" in the shape Litestar's own validation
    errors have (``message``, ``key``, ``source``), an empty string or a date filter said in words."""
    text, _, where = message.partition(" - at ")
    key = where.strip("`").removeprefix("$").removeprefix(".") or None
    if key and text.startswith(("Expected `str` of length >= 1", "Expected `array` of length >= 1")):
        text = f"{key} is empty: {text}"
    elif key and ISO_DATE_PATTERN in text.replace("\\\\", "\\"):
        text = f"{key} must be a date written YYYY-MM-DD, like 2020-10-01: {text}"
    item: dict[str, str] = {"message": text, "source": "body"}
    if key:
        item["key"] = key
    return ValidationException(text, extra=[item])
