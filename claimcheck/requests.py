"""What callers hand the two flows: a document to ingest, and which sources a check may cite."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.document import DocumentMeta
from corpus.formats.sniff import Format
from store.records import DocumentInfo


@dataclass(frozen=True, slots=True)
class Submission:
    """A document to ingest. Metadata given here overrides what the parser finds in the text; no
    ``format`` means sniff it from the text; no ``id`` means derive one from the text."""

    text: str
    id: str | None = None
    format: Format | None = None
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def meta(self) -> DocumentMeta:
        return DocumentMeta(self.title, self.outlet, self.byline, self.published, self.url)


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
