"""What the two flows hand back: a check's answer, an ingest's receipt, a document's analysis.

These Structs are also the HTTP response bodies of the v1 contract (DESIGN.md), which the API
returns as they are and the CLI prints with ``--json``: the contract *is* the shape of a result, so
a second set of types would only copy these field by field. What only the store knows (row ids,
vectors, ingest order) stays in the store's records and never reaches a client.
"""

from __future__ import annotations

import msgspec

from attribution.frame import Frame
from verification import Stance


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


class Aligned(msgspec.Struct, frozen=True):
    """A claim's words and the evidence words they met."""

    claim: str
    evidence: str


class Conflict(msgspec.Struct, frozen=True):
    """Where the evidence states something else: ``kind`` is "direction" (rose / fell, or no
    movement), "extent" (all / part), "roles" (who did it to whom), "negation", or "figure"
    (another value, or the value of another owner)."""

    claim: str
    evidence: str
    kind: str


class SpeakerMatch(msgspec.Struct, frozen=True):
    """For a claim that names its own source ("the ministry said ..."): who the evidence says said it."""

    claim: str
    evidence: str | None
    agrees: bool


class Match(msgspec.Struct, frozen=True):
    """Why an item is in the answer: what aligned, what the sentence's context supplied, what conflicts."""

    entities: tuple[Aligned, ...]
    figures: tuple[Aligned, ...]
    predicate: Aligned | None
    from_context: tuple[str, ...]  # claim names found in the title, lead or earlier sentences only
    conflicts: tuple[Conflict, ...]
    speaker: SpeakerMatch | None = None


class Evidence(msgspec.Struct, frozen=True):
    """One sentence with every source that carries it, how it reports the claim, and why it is here."""

    sentence: str
    score: float
    allegation: bool
    attribution: Attribution | None
    sources: tuple[Source, ...]
    stance: Stance
    denied_by: tuple[Attribution, ...]
    stories: tuple[Story, ...]
    agencies_quoted: tuple[str, ...]
    match: Match


class Summary(msgspec.Struct, frozen=True):
    """How independent the support is and who asserts, alleges, denies or contradicts the claim."""

    independent_stories: int
    asserted_by: tuple[str, ...]
    alleged_by: tuple[str, ...]
    denied_by: tuple[str, ...]
    first_appearance: Source | None
    contradicted_by: tuple[str, ...] = ()


class CheckResult(msgspec.Struct, frozen=True):
    """``evidence`` supports the claim (asserted, alleged or denied by a speaker); ``contradicting``
    states its opposite. A sentence merely on topic is in neither."""

    claim: str
    evidence: tuple[Evidence, ...]
    summary: Summary
    contradicting: tuple[Evidence, ...] = ()


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
