"""What the two flows hand back: plain data, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.document import DocumentMeta


@dataclass(frozen=True, slots=True)
class Submission:
    """A document to ingest. ``meta`` fields given here override what the parser found."""

    text: str
    id: str | None = None
    format: str | None = None
    meta: DocumentMeta = field(default_factory=DocumentMeta)


@dataclass(frozen=True, slots=True)
class IngestResult:
    id: str
    paragraphs: int
    sentences: int
    replaced: bool


@dataclass(frozen=True, slots=True)
class Source:
    """One place a sentence appears: document, its metadata, and where in its text."""

    document_id: str
    meta: DocumentMeta
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    cue: str
    kind: str


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    score: float
    allegation: bool
    attribution: Attribution | None
    sources: tuple[Source, ...]
    denied_by: tuple[Attribution, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckResult:
    claim: str
    evidence: tuple[Evidence, ...]
