"""HTML: body text blocks with source offsets, plus the metadata a page states (``<meta>`` etc.).

Structure is parsed by the stdlib ``html.parser``, never by regular expressions.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from corpus.formats.cleantext import Block, CleanText
from corpus.metadata import MetaHints, byline_name, iso_date

__all__ = ["html_blocks"]


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
#: Elements that never hold article prose: code, styling, navigation and page chrome, embeds,
#: and figures (their captions end in photo credits). <head> holds only metadata.
_SKIP_TAGS = frozenset(
    [
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "figure",
        "figcaption",
        "iframe",
        "svg",
        "select",
        "option",
        "object",
        "video",
        "audio",
        "canvas",
    ]
)
_BYLINE_HINT_RE = re.compile(r"(?<![\w-])(?:byline|by-line|author|author-name|article-author)(?![\w-])", re.I)


class _HtmlReader(HTMLParser):
    """Collects body text blocks with source offsets, plus metadata from head and body.

    ``convert_charrefs=False`` makes the parser report entities separately, at the position of
    their ``&``, so decoded characters can point at the entity start.
    """

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, char in enumerate(source) if char == "\n"]
        self.blocks: list[Block] = []
        self.hints = MetaHints()
        self._builder = CleanText()
        self._skip = 0
        self._links = 0
        self._heading = 0
        self._hrefs: list[str] = []
        self._captures: list[_Capture] = []
        self.h1: str | None = None

    # position helpers
    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _flush(self) -> None:
        block = self._builder.take(heading=self._heading, hrefs=self._hrefs)
        if block is not None:
            self.blocks.append(block)
        self._heading = 0
        self._hrefs = []

    # tags
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self._read_meta(tag, attributes)
        self._start_captures(tag, attributes)
        if tag in _SKIP_TAGS:
            self._skip += 1
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = int(tag[1])
        if tag == "a":
            self._links += 1
            self._hrefs.append(attributes.get("href", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self._read_meta(tag, attributes)
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        self._end_captures(tag)
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        if tag == "a" and self._links:
            self._links -= 1

    # text
    def handle_data(self, data: str) -> None:
        start = self._here()
        if self.source.startswith(data, start):
            self._emit(data, start, decoded=False)
        else:  # should not happen; keep offsets honest rather than guess
            found = self.source.find(data, start)
            if found >= 0:
                self._emit(data, found, decoded=False)

    def handle_entityref(self, name: str) -> None:
        self._entity("&" + name)

    def handle_charref(self, name: str) -> None:
        self._entity("&#" + name)

    def _entity(self, raw_prefix: str) -> None:
        start = self._here()
        end = start + len(raw_prefix)
        if self.source.startswith(";", end):
            end += 1
        raw = self.source[start:end]
        decoded = html.unescape(raw)
        self._emit(decoded, start, decoded=decoded != raw)

    def _emit(self, chars: str, start: int, *, decoded: bool) -> None:
        for capture in self._captures:
            capture.parts.append(chars)
        if self._skip:
            return
        if decoded:
            self._builder.add_decoded(chars, start, in_link=self._links > 0)
        else:
            self._builder.add(chars, start, in_link=self._links > 0)

    def close(self) -> None:
        super().close()
        self._flush()

    # metadata
    def _read_meta(self, tag: str, attrs: dict[str, str]) -> None:
        """<meta>, <link rel=canonical> and <time datetime>: explicit metadata beats guessing."""
        hints = self.hints
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            value = attrs.get("content", "").strip()
            if not value:
                return
            if key in ("og:title", "twitter:title") and hints.title is None:
                hints.title = value
            elif key == "og:site_name":
                hints.outlet = hints.outlet or value
            elif key in ("author", "article:author", "byl", "sailthru.author") and "://" not in value:
                hints.byline = hints.byline or value
            elif key in ("article:published_time", "datepublished", "pubdate", "date", "dc.date"):
                hints.published = hints.published or iso_date(value)
            elif key == "og:url":
                hints.url = hints.url or value
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            hints.url = attrs.get("href") or hints.url
        elif tag == "time" and attrs.get("datetime") and hints.published is None:
            hints.published = iso_date(attrs["datetime"])

    def _start_captures(self, tag: str, attrs: dict[str, str]) -> None:
        for capture in self._captures:
            if capture.tag == tag:
                capture.depth += 1
        if tag == "title" and self.hints.fallback_title is None:
            self._captures.append(_Capture("title", tag))
        elif tag == "h1" and not any(c.kind == "h1" for c in self._captures):
            self._captures.append(_Capture("h1", tag))
        elif self.hints.byline is None and _BYLINE_HINT_RE.search(
            " ".join((attrs.get("class", ""), attrs.get("rel", ""), attrs.get("itemprop", "")))
        ):
            self._captures.append(_Capture("byline", tag))

    def _end_captures(self, tag: str) -> None:
        for capture in list(self._captures):
            if capture.tag != tag:
                continue
            capture.depth -= 1
            if capture.depth == 0:
                self._captures.remove(capture)
                self._store_capture(capture)

    def _store_capture(self, capture: _Capture) -> None:
        value = " ".join("".join(capture.parts).split())
        if not value:
            return
        if capture.kind == "title":
            self.hints.fallback_title = value
        elif capture.kind == "h1":
            self.h1 = self.h1 or value
        elif capture.kind == "byline" and self.hints.byline is None:
            self.hints.byline = byline_name(value) or value


@dataclass(slots=True)
class _Capture:
    """Text being collected for a metadata element (title, first h1, byline), nesting-aware."""

    kind: str
    tag: str
    depth: int = 1
    parts: list[str] = field(default_factory=list)


def html_blocks(text: str) -> tuple[list[Block], MetaHints]:
    reader = _HtmlReader(text)
    reader.feed(text)
    reader.close()
    hints = reader.hints
    hints.title = hints.title or reader.h1 or _strip_site_suffix(hints.fallback_title, hints.outlet)
    return reader.blocks, hints


def _strip_site_suffix(title: str | None, outlet: str | None) -> str | None:
    """``"Headline | The Moscow Times"`` -> ``"Headline"``: <title> usually appends the site."""
    if title is None:
        return None
    for separator in (" | ", " - ", " \u2014 ", " \u2013 "):
        head, sep, tail = title.rpartition(separator)
        if sep and head and (outlet is None or tail.strip().lower() == outlet.lower() or len(tail) < 40):
            return head.strip()
    return title
