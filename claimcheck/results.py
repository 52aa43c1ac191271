"""What the two flows hand back: a check's answer, an ingest's receipt, a document's analysis.

These Structs are also the HTTP response bodies of the v1 contract (DESIGN.md), which the API
returns as they are and the CLI prints with ``--json``: the contract *is* the shape of a result, so
a second set of types would only copy these field by field. What only the store knows (row ids,
vectors, ingest order) stays in the store's records and never reaches a client.
"""

from __future__ import annotations

import msgspec

from attribution.frame import Frame
from stance import Stance


class Source(msgspec.Struct, frozen=True):
    """One place a sentence appears: the document, its citation facts, and where in its text."""

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


class Attribution(msgspec.Struct, frozen=True):
    """Who reports the matched content, through which cue, and how."""

    speaker: str | None
    cue: str
    kind: str


class Story(msgspec.Struct, frozen=True):
    """Copies of one story among an item's sources, with the story's earliest appearance."""

    story_id: str
    agency: str | None
    documents: tuple[str, ...]
    first_appearance: Source


class Evidence(msgspec.Struct, frozen=True):
    """One supporting sentence with every source that carries it, and how it reports the claim."""

    sentence: str
    score: float
    allegation: bool
    attribution: Attribution | None
    sources: tuple[Source, ...]
    stance: Stance
    denied_by: tuple[Attribution, ...]
    stories: tuple[Story, ...]
    agencies_quoted: tuple[str, ...]


class Summary(msgspec.Struct, frozen=True):
    """How independent the support is and who asserts, alleges or denies the claim."""

    independent_stories: int
    asserted_by: tuple[str, ...]
    alleged_by: tuple[str, ...]
    denied_by: tuple[str, ...]
    first_appearance: Source | None


class CheckResult(msgspec.Struct, frozen=True):
    claim: str
    evidence: tuple[Evidence, ...]
    summary: Summary


class IngestResult(msgspec.Struct, frozen=True):
    """An acknowledged document: committed, indexed, findable."""

    id: str
    paragraphs: int
    sentences: int


class SentenceView(msgspec.Struct, frozen=True):
    """A stored sentence and the frames whose cue or content lies (partly) inside it."""

    index: int
    start: int
    end: int
    text: str
    attributions: tuple[Frame, ...]


class ParagraphView(msgspec.Struct, frozen=True):
    index: int
    start: int
    end: int
    sentences: tuple[SentenceView, ...]


class DocumentView(msgspec.Struct, frozen=True):
    """A document's metadata and what the index holds of it, offsets into the posted text."""

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
    paragraphs: tuple[ParagraphView, ...]


class DocumentListing(msgspec.Struct, frozen=True):
    """A document as listed: citation facts and how much of it is indexed."""

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
