"""What the two flows hand back: plain data, independent of HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from corpus.document import DocumentMeta
from corpus.store import DocumentInfo

Stance = Literal["supports", "refutes", "reports"]


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
    story_id: str = ""


@dataclass(frozen=True, slots=True)
class CheckFilters:
    """Which sources may count as evidence. Dates are inclusive ISO dates ("2020-10-01").

    A source without a publication date cannot be shown to fall inside a date range, so any
    date bound excludes it. Outlet names compare case-insensitively.
    """

    published_after: str | None = None
    published_before: str | None = None
    outlets: tuple[str, ...] = ()
    exclude_outlets: tuple[str, ...] = ()

    def admits(self, info: DocumentInfo) -> bool:
        published, outlet = info.meta.published, (info.meta.outlet or "").casefold()
        if self.published_after and (published is None or published[:10] < self.published_after):
            return False
        if self.published_before and (published is None or published[:10] > self.published_before):
            return False
        if self.outlets and outlet not in {o.casefold() for o in self.outlets}:
            return False
        return not (self.exclude_outlets and outlet in {o.casefold() for o in self.exclude_outlets})


@dataclass(frozen=True, slots=True)
class Source:
    """One place a sentence appears: document, its citation facts, and where in its text."""

    document_id: str
    info: DocumentInfo
    paragraph: int
    start: int
    end: int

    @property
    def meta(self) -> DocumentMeta:
        return self.info.meta


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    cue: str
    kind: str


@dataclass(frozen=True, slots=True)
class Story:
    """Copies of one story among an item's sources; ``first`` is its earliest appearance."""

    story_id: str
    agency: str | None
    document_ids: tuple[str, ...]
    first: Source


@dataclass(frozen=True, slots=True)
class Evidence:
    sentence: str
    score: float
    allegation: bool
    attribution: Attribution | None
    sources: tuple[Source, ...]
    denied_by: tuple[Attribution, ...] = ()
    stance: Stance = "reports"
    stories: tuple[Story, ...] = ()
    agencies_quoted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Summary:
    """How independent the support is and who asserts, alleges or denies the claim."""

    independent_stories: int
    asserted_by: tuple[str, ...]
    alleged_by: tuple[str, ...]
    denied_by: tuple[str, ...]
    first_appearance: Source | None


@dataclass(frozen=True, slots=True)
class CheckResult:
    claim: str
    evidence: tuple[Evidence, ...]
    summary: Summary
