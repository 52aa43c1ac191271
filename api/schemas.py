"""Request and response bodies of the v1 HTTP contract (DESIGN.md), as msgspec Structs.

Requests forbid unknown fields so a client's typo ("limt") is a clear 400, not silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

MAX_CLAIM_CHARS = 2000
MAX_LIMIT = 50
DocumentId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
]
ShortText = Annotated[str, msgspec.Meta(max_length=2000)]


IsoDate = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
OutletNames = Annotated[
    list[Annotated[str, msgspec.Meta(min_length=1, max_length=200)]], msgspec.Meta(max_length=100)
]


class CheckRequest(msgspec.Struct, forbid_unknown_fields=True):
    claim: str
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


MAX_BATCH_CLAIMS = 100


class CheckBatchRequest(msgspec.Struct, forbid_unknown_fields=True):
    claims: Annotated[list[str], msgspec.Meta(min_length=1, max_length=MAX_BATCH_CLAIMS)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_LIMIT)] = 10
    published_after: IsoDate | None = None
    published_before: IsoDate | None = None
    outlets: OutletNames | None = None
    exclude_outlets: OutletNames | None = None


class AttributionBody(msgspec.Struct):
    speaker: str | None
    cue: str
    kind: str


class SourceBody(msgspec.Struct):
    document_id: str
    title: str | None
    outlet: str | None
    byline: str | None
    published: str | None
    url: str | None
    paragraph: int
    start: int
    end: int
    story_id: str
    agency: str | None


class StoryBody(msgspec.Struct):
    story_id: str
    agency: str | None
    documents: list[str]
    first_appearance: SourceBody


class EvidenceBody(msgspec.Struct):
    sentence: str
    score: float
    allegation: bool
    attribution: AttributionBody | None
    sources: list[SourceBody]
    stance: str
    denied_by: list[AttributionBody]
    stories: list[StoryBody]
    agencies_quoted: list[str]


class SummaryBody(msgspec.Struct):
    independent_stories: int
    asserted_by: list[str]
    alleged_by: list[str]
    denied_by: list[str]
    first_appearance: SourceBody | None


class CheckResponse(msgspec.Struct):
    claim: str
    evidence: list[EvidenceBody]
    summary: SummaryBody


class CheckBatchResponse(msgspec.Struct):
    results: list[CheckResponse]


class DocumentRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: str
    id: DocumentId | None = None
    format: Literal["text", "markdown", "html"] | None = None
    title: ShortText | None = None
    url: ShortText | None = None
    outlet: ShortText | None = None
    byline: ShortText | None = None
    published: ShortText | None = None


class IngestResponse(msgspec.Struct):
    id: str
    paragraphs: int
    sentences: int


class FrameBody(msgspec.Struct):
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    cue: str
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    kind: str


class SentenceBody(msgspec.Struct):
    index: int
    start: int
    end: int
    text: str
    attributions: list[FrameBody]


class ParagraphBody(msgspec.Struct):
    index: int
    start: int
    end: int
    sentences: list[SentenceBody]


class DocumentBody(msgspec.Struct):
    id: str
    title: str | None
    outlet: str | None
    byline: str | None
    published: str | None
    url: str | None
    story_id: str
    agency: str | None
    format: str
    ingested_at: str
    paragraphs: list[ParagraphBody]


class DocumentSummaryBody(msgspec.Struct):
    id: str
    title: str | None
    outlet: str | None
    byline: str | None
    published: str | None
    url: str | None
    story_id: str
    agency: str | None
    paragraphs: int
    sentences: int
    ingested_at: str


class DocumentPage(msgspec.Struct):
    items: list[DocumentSummaryBody]
    total: int
    offset: int
    limit: int


class HealthBody(msgspec.Struct):
    status: str
    documents: int
    paragraphs: int
