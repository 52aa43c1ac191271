"""Request bodies of the v1 HTTP contract (DESIGN.md), and the bodies that only HTTP has.

Requests forbid unknown fields so a client's typo ("limt") is a clear 400, not silently ignored,
and carry their bounds in ``msgspec.Meta`` so that the OpenAPI document states them. A check's
answer, an ingest receipt and a document's analysis are the application's own result types
(``claimcheck.results``), returned as they are; paging and health exist only here. A document's
body, ``DocumentRequest``, lives with the application's requests (``claimcheck.requests``): the CLI
reads JSON Lines with it, so a line is valid exactly when its ``POST /v1/documents`` would be.

Bodies are decoded strictly (``api.body``): ``"limit": "5"`` is a wrong type, not 5.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from claimcheck.requests import MAX_CLAIM_CHARS, MAX_LIMIT, DocumentRequest, HttpUrl
from claimcheck.results import CheckResult, DocumentListing

__all__ = [
    "MAX_CLAIM_CHARS",
    "MAX_LIMIT",
    "CheckBatchRequest",
    "CheckBatchResponse",
    "CheckRequest",
    "DocumentPage",
    "DocumentRequest",
    "HealthBody",
]

IsoDate = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="A calendar date, YYYY-MM-DD",
        extra_json_schema={"format": "date"},
    ),
]
# Text that must say something: at least one character that is not white space.
ClaimText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CLAIM_CHARS, pattern=r"\S")]
OutletNames = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=200)]], msgspec.Meta(max_length=100)
]


class CheckRequest(msgspec.Struct, forbid_unknown_fields=True):
    claim: ClaimText
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


ReviewerText = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class ClaimReviewRequest(CheckRequest, forbid_unknown_fields=True):
    """A check's body plus what the fact-checker adds. ``rating`` makes the answer a ClaimReview and
    then needs ``url`` and ``author``; without the reviewer fields the answer is a Claim draft."""

    author: Annotated[ReviewerText, msgspec.Meta(description="The reviewing organisation's name")] | None = (
        None
    )
    author_url: Annotated[HttpUrl, msgspec.Meta(description="The reviewing organisation's site")] | None = (
        None
    )
    url: Annotated[HttpUrl, msgspec.Meta(description="The fact-check's own page")] | None = None
    rating: (
        Annotated[ReviewerText, msgspec.Meta(description="The verdict in the reviewer's words, e.g. 'False'")]
        | None
    ) = None


MAX_BATCH_CLAIMS = 100


class CheckBatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    claims: Annotated[list[ClaimText], msgspec.Meta(min_length=1, max_length=MAX_BATCH_CLAIMS)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


class DocumentPage(msgspec.Struct):
    items: list[DocumentListing]
    total: int
    offset: int
    limit: int


class HealthBody(msgspec.Struct):
    """``mode`` is "read-only" when the data directory cannot be written: checks and reads work,
    writes are refused; ``storage`` then says why in words (and while the disk is full)."""

    status: Literal["ok", "loading"]
    documents: int
    paragraphs: int
    mode: Literal["read-write", "read-only"] = "read-write"
    disk_full: bool = False
    storage: str | None = None


class CheckBatchResponse(msgspec.Struct):
    """One answer per claim, in the order the claims were sent."""

    results: list[CheckResult]
