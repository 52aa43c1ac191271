"""Metadata of a parsed document: title, byline, publication date and URL.

A format may state metadata explicitly (HTML ``<meta>`` tags, collected as :class:`MetaHints`);
otherwise it is recognised in the candidate blocks themselves (a headline-like first line,
"By AFP", a date-only line, "Original url:"), and those blocks are then metadata, not content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from corpus import boilerplate
from corpus.dates import iso_date
from corpus.formats.cleantext import Block

__all__ = ["Extraction", "MetaHints", "byline_name", "extract_metadata", "http_url", "iso_date"]


@dataclass(slots=True)
class MetaHints:
    """Metadata a format states explicitly (HTML ``<meta>`` tags); wins over guesses from text."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    url: str | None = None
    fallback_title: str | None = None  # <title>: often "Headline | Outlet", used last


_BYLINE_RE = re.compile(r"^by\s+(\S.{0,80})$", re.IGNORECASE)
_URL_LABEL_RE = re.compile(
    r"^(?:original\s+(?:url|link|article)|url|link|source(?:\s+url)?|canonical(?:\s+url)?)\s*:?\s*(\S*)$",
    re.IGNORECASE,
)
_ABSOLUTE_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(?:1[89]|20)\d\d\b")
_DATE_SHAPE_RE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b",
    re.IGNORECASE,
)
_DATE_LABEL_RE = re.compile(r"^(?:published|updated|posted|date)\s*:?\s*", re.IGNORECASE)
TITLE_MAX_WORDS = 25
MAX_URL_CHARS = 2000
MAX_TITLE_CHARS = 2000  # what the API accepts as a given title; headlines are under 200
BYLINE_MAX_WORDS = 10


def http_url(value: str | None) -> str | None:
    """``value`` when it is an absolute http(s) URL (a link a reader can follow), else None.

    Why: a source's URL is returned to clients as a link; "javascript:alert(1)", "file:///etc",
    relative paths and text with spaces in it are not links to a news page.
    """
    if value is None:
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_CHARS or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _pure_date(text: str) -> str | None:
    """The ISO date when a line is nothing but a date ("October 01, 2020"), else None.

    Why so strict: dateutil happily reads a date out of "On 2014." or "March", so a line only
    counts when it is short, names a year, has a month or numeric-date shape and parses whole.
    A date line :mod:`corpus.dates` refuses (ambiguous "01/02/2020", impossible "2020-02-30") is
    not guessed: the document simply has no date from it (a wrong date would misplace the source
    in every date filter, and the text itself is still good evidence, so it is not refused).
    """
    candidate = _DATE_LABEL_RE.sub("", text.strip())
    if len(candidate) > 40 or not _YEAR_RE.search(candidate) or not _DATE_SHAPE_RE.search(candidate):
        return None
    return iso_date(candidate)


def byline_name(text: str) -> str | None:
    """ "By AFP" -> "AFP"; None unless the line is a short "By …" credit (not a sentence)."""
    match = _BYLINE_RE.match(text.strip())
    if not match or len(text.split()) > BYLINE_MAX_WORDS or boilerplate.has_terminal_punctuation(text):
        return None
    return str(match.group(1)).strip()


def _is_title_like(block: Block) -> bool:
    """A plain-text headline: one line set off by a blank line, a few words, no sentence ending.

    The blank line matters: wire copy often starts with a short first line ("Standard Oil Co
    and BP North America") that is simply the first wrapped line of the lead paragraph.
    """
    words = len(block.text.split())
    return (
        block.lines == 1
        and block.blank_after
        and 2 <= words <= TITLE_MAX_WORDS
        and not boilerplate.has_terminal_punctuation(block.text)
    )


def _continues_as_body(blocks: Sequence[Block], i: int) -> bool:
    """A headline is followed by body text that starts like a sentence (not "said it would ...")."""
    return i + 1 < len(blocks) and not blocks[i + 1].text[:1].islower()


@dataclass(slots=True)
class Extraction:
    """Metadata found in the blocks, and which blocks were metadata lines (not content)."""

    meta: dict[str, str | None]
    used: set[int] = field(default_factory=set)


def _find_title(blocks: Sequence[Block], extraction: Extraction, known: str | None) -> None:
    """Title: the stated one (HTML), else the first top-level heading, else a headline-like
    first line. Leading furniture ("Support The Moscow Times!") is skipped while looking.

    A "title" longer than :data:`MAX_TITLE_CHARS` is a page's body under a heading tag (or an
    ``og:title`` stuffed with text), not a headline: it stays content, and the spaCy pass over
    titles stays bounded."""
    if known is not None and len(known) > MAX_TITLE_CHARS:
        known = None
    if known is not None:
        extraction.meta["title"] = known
    for i, block in enumerate(blocks):
        if known is not None:
            if block.heading and " ".join(block.text.split()) == " ".join(known.split()):
                extraction.used.add(i)
                return
            continue
        if block.heading == 1 and len(block.text) > MAX_TITLE_CHARS:
            return
        if block.heading == 1 or (
            block.heading == 0
            and boilerplate.paragraph_furniture(block.text, link_only=block.link_only) is None
        ):
            if block.heading == 1 or (_is_title_like(block) and _continues_as_body(blocks, i)):
                extraction.meta["title"] = block.text
                extraction.used.add(i)
            return


def _find_metadata_lines(blocks: Sequence[Block], extraction: Extraction) -> None:
    """Byline ("By AFP"), date-only lines and "Original url:" + URL lines are metadata."""
    meta = extraction.meta
    for i, block in enumerate(blocks):
        if i in extraction.used:
            continue
        byline = byline_name(block.text)
        date = _pure_date(block.text)
        label = _URL_LABEL_RE.match(block.text.strip())
        if byline is not None:
            meta["byline"] = meta.get("byline") or byline
        elif date is not None:
            meta["published"] = meta.get("published") or date
        elif label is not None:
            url = label.group(1)
            following = _url_of(blocks[i + 1]) if i + 1 < len(blocks) else None
            if not url and following:  # "Original url:" then the URL on its own line
                url = following
                extraction.used.add(i + 1)
            if http_url(url):
                meta["url"] = meta.get("url") or url
        else:
            continue
        extraction.used.add(i)


def _url_of(block: Block) -> str | None:
    """The absolute URL a block consists of (an autolink or a bare URL), else None."""
    text = block.text.strip()
    if block.link_only and len(block.hrefs) == 1 and _ABSOLUTE_URL_RE.match(block.hrefs[0]):
        return block.hrefs[0]
    return text if _ABSOLUTE_URL_RE.match(text) else None


def extract_metadata(blocks: Sequence[Block], hints: MetaHints) -> Extraction:
    extraction = Extraction(
        meta={
            "title": None,
            "byline": hints.byline,
            "published": hints.published,
            "url": hints.url,
        }
    )
    _find_title(blocks, extraction, hints.title)
    _find_metadata_lines(blocks, extraction)
    if hints.byline is not None:
        for i, block in enumerate(blocks):
            if " ".join(block.text.split()) in (hints.byline, f"By {hints.byline}"):
                extraction.used.add(i)
    return extraction
