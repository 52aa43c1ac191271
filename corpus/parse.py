"""Turn posted text (plain, markdown or HTML) into clean paragraphs with original offsets and metadata.

Everything downstream (sentences, attributions, evidence) reports character offsets into the
text *as it was posted*, so cleaning must never lose track of where a character came from. Each
format reader therefore produces candidate :class:`Block` objects whose characters each carry
their source offset; a shared tail then takes out metadata lines (title, byline, date, URL),
drops page furniture (:mod:`corpus.boilerplate`) and returns a :class:`ParsedDocument`.

Structure is parsed by real parsers (markdown-it-py, the stdlib ``html.parser``); regular
expressions are only used for line splitting, format sniffing and classifying short strings.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from itertools import pairwise
from typing import Literal

from dateutil import parser as date_parser
from markdown_it import MarkdownIt
from markdown_it.token import Token

from corpus import boilerplate
from corpus.document import DocumentMeta, Paragraph, ParsedDocument
from corpus.outlets import outlet_for_url

Format = Literal["text", "markdown", "html"]

__all__ = ["Block", "Format", "parse_document", "sniff_format"]


@dataclass(frozen=True, slots=True)
class Block:
    """A candidate paragraph, before metadata lines and furniture are taken out.

    ``heading`` is the heading level (1 for a top-level title, 0 for body text); ``link_only``
    says every visible character is link text (photo credits, navigation, bare URLs); ``lines``
    counts source lines, because a plain-text title is a single line.
    """

    text: str
    offsets: tuple[int, ...]
    heading: int = 0
    link_only: bool = False
    hrefs: tuple[str, ...] = ()
    lines: int = 1
    blank_after: bool = True


@dataclass(slots=True)
class _MetaHints:
    """Metadata a format states explicitly (HTML ``<meta>`` tags); wins over guesses from text."""

    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: str | None = None
    url: str | None = None
    fallback_title: str | None = None  # <title>: often "Headline | Outlet", used last


# --- clean text with offsets -------------------------------------------------------------------


class _CleanText:
    """Accumulates clean characters and their source offsets, collapsing whitespace runs.

    Why one builder for all formats: the offset invariant (``original[offsets[i]] == text[i]``
    except for collapsed whitespace and decoded entities) and strictly increasing offsets are
    then enforced in one place.
    """

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self._space_at: int | None = None
        self._unlinked = 0

    def _reset(self) -> None:
        self.chars = []
        self.offsets = []
        self._space_at = None
        self._unlinked = 0

    def add_char(self, char: str, offset: int, *, in_link: bool = False) -> None:
        if self.offsets and offset <= self.offsets[-1]:
            return  # never let offsets run backwards (a mapping fallback could otherwise do so)
        if char.isspace():
            if self._space_at is None:
                self._space_at = offset
            return
        if self._space_at is not None and self.chars:
            self.chars.append(" ")
            self.offsets.append(self._space_at)
        self._space_at = None
        self.chars.append(char)
        self.offsets.append(offset)
        if not in_link:
            self._unlinked += 1

    def add(self, source_text: str, start: int, *, in_link: bool = False) -> None:
        """Add a verbatim slice of the source that begins at ``start``."""
        for i, char in enumerate(source_text):
            self.add_char(char, start + i, in_link=in_link)

    def add_decoded(self, decoded: str, start: int, *, in_link: bool = False) -> None:
        """Add characters decoded from an entity at ``start``: the first maps to the entity start."""
        for i, char in enumerate(decoded):
            self.add_char(char, start + i, in_link=in_link)

    def space(self, offset: int) -> None:
        self.add_char(" ", offset)

    def take(self, *, heading: int = 0, hrefs: Sequence[str] = (), lines: int = 1) -> Block | None:
        """Return the accumulated block (None if it has no visible text) and start afresh."""
        block = None
        if self.chars:
            block = Block(
                text="".join(self.chars),
                offsets=tuple(self.offsets),
                heading=heading,
                link_only=self._unlinked == 0,
                hrefs=tuple(hrefs),
                lines=lines,
            )
        self._reset()
        return block


# --- format sniffing ---------------------------------------------------------------------------

_HTML_DOC_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)
_HTML_CLOSE_RE = re.compile(
    r"</(?:p|div|span|a|li|ul|ol|h[1-6]|article|section|blockquote|strong|em|td|tr|table|time)\s*>",
    re.IGNORECASE,
)
_MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"\[[^\]\n]+\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # inline link
    re.compile(r"<https?://[^>\s]+>"),  # autolink
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # strong emphasis
    re.compile(r"^(?:```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"^\[[^\]\n]+\]:\s+\S+", re.MULTILINE),  # link reference definition
)


def sniff_format(text: str) -> Format:
    """Guess the format of posted text.

    HTML needs a document tag or at least two closing tags of common elements, because wire
    copy writes tickers in angle brackets ("Bancorp <I>"). Markdown needs a construct that
    plain prose does not produce by accident (heading, link, autolink, ``**strong**``, fence).
    """
    if _HTML_DOC_RE.search(text) or len(_HTML_CLOSE_RE.findall(text)) >= 2:
        return "html"
    if any(sign.search(text) for sign in _MARKDOWN_SIGNS):
        return "markdown"
    return "text"


# --- plain text ----------------------------------------------------------------------------

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
WRAP_MAX_WIDTH = 120  # hard-wrapped prose (e-mail, wire copy) is wrapped at 60-110 columns
WRAP_FULL_FRACTION = 0.6  # a wrapped line fills at least this share of the width ...
WRAP_FULL_SHARE = 0.5  # ... for at least this share of the lines that continue a paragraph


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's content, line terminators (LF, CRLF, CR) excluded."""
    spans: list[tuple[int, int]] = []
    for match in _LINE_RE.finditer(text):
        if match.start() == len(text) and spans:
            break
        content_end = match.start() + len(match.group().rstrip("\r\n"))
        spans.append((match.start(), content_end))
    return spans


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_hard_wrapped(lines: Sequence[str]) -> bool:
    """Is this prose hard-wrapped at a fixed width (vs. one paragraph per line)?

    Why it matters: in wrapped text a newline is a space, in unwrapped text it ends a paragraph.
    Wrapped text has no long lines, and the lines that are followed by more text mostly fill the
    width; one-paragraph-per-line text has long lines or ragged short ones.
    """
    widths = [len(line.rstrip()) for line in lines if line.strip()]
    if not widths or max(widths) > WRAP_MAX_WIDTH:
        return False
    width = max(widths)
    continued = [
        len(line.rstrip())
        for line, nxt in pairwise(lines)
        if line.strip() and nxt.strip() and _indent(nxt) <= _indent(line)
    ]
    if not continued:
        return False
    full = sum(1 for w in continued if w >= WRAP_FULL_FRACTION * width)
    return full >= WRAP_FULL_SHARE * len(continued)


def _wrapped_paragraph_ends(line: str, next_line: str, width: int) -> bool:
    """In wrapped text, a sentence-final line that had room for the next word ends a paragraph.

    Why: a greedy wrapper only breaks a line early when the next word does not fit, so a short
    line ending a sentence, followed by a word that would have fitted, is a paragraph end
    written without a blank line.
    """
    if not boilerplate.has_terminal_punctuation(line):
        return False
    first_word = next_line.split()[0] if next_line.split() else ""
    return len(line.rstrip()) + 1 + len(first_word) <= width


def _text_paragraph_lines(text: str) -> list[list[tuple[int, int]]]:
    """Group line spans into paragraphs (blank lines, indents, unwrapped lines, early breaks)."""
    spans = _lines(text)
    lines = [text[start:end] for start, end in spans]
    wrapped = _is_hard_wrapped(lines)
    base_indent = _base_indent(lines)
    width = max((len(line.rstrip()) for line in lines), default=0)
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if not line.strip():
            current = _flush(groups, current)
            continue
        if boilerplate.SIGNOFF_RE.match(line.strip()):  # "Reuter" is never part of a paragraph
            current = _flush(groups, current)
            groups.append([spans[i]])
            continue
        starts_new = not wrapped or _indent(line) > base_indent
        if current and starts_new:
            current = _flush(groups, current)
        current.append(spans[i])
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        if wrapped and next_line.strip() and _wrapped_paragraph_ends(line, next_line, width):
            current = _flush(groups, current)
    _flush(groups, current)
    return groups


def _base_indent(lines: Sequence[str]) -> int:
    """The indent most lines share; a line indented deeper than that opens a paragraph.

    Why the most common indent rather than zero: a wholly indented text (quoted e-mail, a
    pasted block) would otherwise make every line its own paragraph.
    """
    indents = Counter(_indent(line) for line in lines if line.strip())
    return indents.most_common(1)[0][0] if indents else 0


def _flush(groups: list[list[tuple[int, int]]], current: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if current:
        groups.append(current)
    return []


def _text_blocks(text: str) -> list[Block]:
    """Plain text: each paragraph's lines joined with single spaces, offsets kept."""
    builder = _CleanText()
    blocks: list[Block] = []
    groups = _text_paragraph_lines(text)
    for i, group in enumerate(groups):
        for start, end in group:
            builder.add(text[start:end], start)
            builder.space(end)
        block = builder.take(lines=len(group))
        if block is not None:
            next_start = groups[i + 1][0][0] if i + 1 < len(groups) else len(text)
            blocks.append(_plain(block, _has_blank_line(text[group[-1][1] : next_start])))
    return blocks


def _has_blank_line(gap: str) -> bool:
    """Does the text between two paragraphs contain an empty line (two line breaks)?"""
    return gap.count("\n") + gap.replace("\r\n", "\n").count("\r") >= 2


def _plain(block: Block, blank_after: bool) -> Block:
    """Plain text has no links (the builder's link flag is meaningless there)."""
    return Block(block.text, block.offsets, lines=block.lines, blank_after=blank_after)


# --- markdown ----------------------------------------------------------------------------------


def _markdown_parser() -> MarkdownIt:
    """CommonMark with ``text_join`` off, so escapes and entities stay separate tokens whose
    ``markup`` is the source spelling: that is what lets us map decoded characters back."""
    return MarkdownIt("commonmark").disable("text_join")


_MD = _markdown_parser()


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts, counting LF, CRLF and CR as markdown-it does."""
    return [start for start, _ in _lines(text)] + [len(text)]


class _InlineMapper:
    """Walks one inline token's children, finding each piece of text in the source.

    markdown-it gives line ranges (``token.map``) but not character positions, so each text
    child is searched for forwards from a cursor inside the block's source range. Text tokens
    are verbatim source except escapes/entities (separate ``text_special`` tokens here) and
    code spans (newlines turned into spaces), which fall back to a character-wise search.
    """

    def __init__(self, source: str, start: int, limit: int) -> None:
        self.source = source
        self.cursor = start
        self.limit = limit
        self.builder = _CleanText()
        self.link_depth = 0
        self.hrefs: list[str] = []

    def run(self, children: Sequence[Token]) -> _CleanText:
        for child in children:
            self._visit(child)
        return self.builder

    def _visit(self, token: Token) -> None:
        if token.type == "text" or token.type == "code_inline":
            self._add_verbatim(token.content)
        elif token.type == "text_special":
            self._add_special(token)
        elif token.type in ("softbreak", "hardbreak"):
            self.builder.space(self.cursor)
        elif token.type == "link_open":
            self.link_depth += 1
            self.hrefs.append(str(token.attrs.get("href", "")))
        elif token.type == "link_close":
            self.link_depth = max(0, self.link_depth - 1)
            if token.markup != "autolink":
                self._skip_link_destination()
        elif token.type == "image":
            self._skip_link_destination()
        # html_inline and emphasis markers carry no visible text

    def _add_verbatim(self, content: str) -> None:
        if not content:
            return
        at = self.source.find(content, self.cursor, self.limit)
        if at >= 0:
            self.builder.add(content, at, in_link=self.link_depth > 0)
            self.cursor = at + len(content)
            return
        for char in content:  # rewritten text (code spans): align character by character
            self._add_char_search(char)

    def _add_char_search(self, char: str) -> None:
        if char.isspace():
            at = next((i for i in range(self.cursor, self.limit) if self.source[i].isspace()), -1)
        else:
            at = self.source.find(char, self.cursor, self.limit)
        if at >= 0:
            self.builder.add_char(char, at, in_link=self.link_depth > 0)
            self.cursor = at + 1

    def _add_special(self, token: Token) -> None:
        """Escapes map to the escaped character itself, entities to their ``&`` (decoded text)."""
        at = self.source.find(token.markup, self.cursor, self.limit)
        if at < 0:
            self._add_verbatim(token.content)
            return
        start = at + 1 if token.info == "escape" else at
        self.builder.add_decoded(token.content, start, in_link=self.link_depth > 0)
        self.cursor = at + len(token.markup)

    def _skip_link_destination(self) -> None:
        """Move the cursor past ``](destination)`` so link targets are never mistaken for text."""
        at = self.source.find("](", self.cursor, self.limit)
        if at < 0 or self.source[self.cursor : at].strip("*_`~![ \t"):
            return
        close = self.source.find(")", at + 2, self.limit)
        if close >= 0:
            self.cursor = close + 1


def _markdown_blocks(text: str) -> list[Block]:
    """Markdown: one block per inline token (paragraph, heading, list item, table cell)."""
    starts = _line_starts(text)
    blocks: list[Block] = []
    heading = 0
    for token in _MD.parse(text):
        if token.type == "heading_open":
            heading = int(token.tag[1:])
        elif token.type == "heading_close":
            heading = 0
        elif token.type == "inline" and token.map is not None and token.children:
            first, last = token.map
            mapper = _InlineMapper(text, starts[first], starts[min(last, len(starts) - 1)])
            block = mapper.run(token.children).take(heading=heading, hrefs=mapper.hrefs, lines=last - first)
            if block is not None:
                blocks.append(block)
    return blocks


# --- HTML ----------------------------------------------------------------------------------

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
        self.hints = _MetaHints()
        self._builder = _CleanText()
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
                hints.published = hints.published or _iso_date(value)
            elif key == "og:url":
                hints.url = hints.url or value
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            hints.url = attrs.get("href") or hints.url
        elif tag == "time" and attrs.get("datetime") and hints.published is None:
            hints.published = _iso_date(attrs["datetime"])

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
            self.hints.byline = _byline_name(value) or value


@dataclass(slots=True)
class _Capture:
    """Text being collected for a metadata element (title, first h1, byline), nesting-aware."""

    kind: str
    tag: str
    depth: int = 1
    parts: list[str] = field(default_factory=list)


def _html_blocks(text: str) -> tuple[list[Block], _MetaHints]:
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


# --- metadata lines ------------------------------------------------------------------------

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
BYLINE_MAX_WORDS = 10


def _iso_date(value: str) -> str | None:
    """Any date spelling dateutil understands -> ``YYYY-MM-DD``; None when it is not a date."""
    try:
        parsed: datetime = date_parser.parse(value, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()


def _pure_date(text: str) -> str | None:
    """The ISO date when a line is nothing but a date ("October 01, 2020"), else None.

    Why so strict: dateutil happily reads a date out of "On 2014." or "March", so a line only
    counts when it is short, names a year, has a month or numeric-date shape and parses whole.
    """
    candidate = _DATE_LABEL_RE.sub("", text.strip())
    if len(candidate) > 40 or not _YEAR_RE.search(candidate) or not _DATE_SHAPE_RE.search(candidate):
        return None
    return _iso_date(candidate)


def _byline_name(text: str) -> str | None:
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
class _Extraction:
    """Metadata found in the blocks, and which blocks were metadata lines (not content)."""

    meta: dict[str, str | None]
    used: set[int] = field(default_factory=set)


def _find_title(blocks: Sequence[Block], extraction: _Extraction, known: str | None) -> None:
    """Title: the stated one (HTML), else the first top-level heading, else a headline-like
    first line. Leading furniture ("Support The Moscow Times!") is skipped while looking."""
    if known is not None:
        extraction.meta["title"] = known
    for i, block in enumerate(blocks):
        if known is not None:
            if block.heading and " ".join(block.text.split()) == " ".join(known.split()):
                extraction.used.add(i)
                return
            continue
        if block.heading == 1 or (
            block.heading == 0
            and boilerplate.paragraph_furniture(block.text, link_only=block.link_only) is None
        ):
            if block.heading == 1 or (_is_title_like(block) and _continues_as_body(blocks, i)):
                extraction.meta["title"] = block.text
                extraction.used.add(i)
            return


def _find_metadata_lines(blocks: Sequence[Block], extraction: _Extraction) -> None:
    """Byline ("By AFP"), date-only lines and "Original url:" + URL lines are metadata."""
    meta = extraction.meta
    for i, block in enumerate(blocks):
        if i in extraction.used:
            continue
        byline = _byline_name(block.text)
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
            if _ABSOLUTE_URL_RE.match(url):
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


def _extract_metadata(blocks: Sequence[Block], hints: _MetaHints) -> _Extraction:
    extraction = _Extraction(
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


# --- assembly ------------------------------------------------------------------------------


def _content_paragraphs(blocks: Sequence[Block], used: set[int]) -> tuple[Paragraph, ...]:
    """Drop metadata lines and furniture; trim a wire sign-off glued to the last paragraph."""
    remaining = [block for i, block in enumerate(blocks) if i not in used]
    reasons = boilerplate.find_furniture([b.text for b in remaining], [b.link_only for b in remaining])
    content = [block for block, reason in zip(remaining, reasons, strict=True) if reason is None]
    paragraphs = [Paragraph(block.text, block.offsets) for block in content]
    if paragraphs:
        paragraphs[-1] = _trim_signoff(paragraphs[-1])
    return tuple(paragraphs)


def _trim_signoff(paragraph: Paragraph) -> Paragraph:
    cut = boilerplate.signoff_length(paragraph.text)
    if not cut:
        return paragraph
    keep = len(paragraph.text) - cut
    return Paragraph(paragraph.text[:keep], paragraph.offsets[:keep])


def parse_document(text: str, fmt: Format | None = None) -> ParsedDocument:
    """Parse posted text into metadata and clean content paragraphs with original offsets.

    ``fmt`` None sniffs the format (:func:`sniff_format`). ``ParsedDocument.text`` is ``text``
    unchanged; every paragraph character maps to its position in it via ``Paragraph.offsets``.
    """
    fmt = fmt or sniff_format(text)
    hints = _MetaHints()
    if fmt == "html":
        blocks, hints = _html_blocks(text)
    elif fmt == "markdown":
        blocks = _markdown_blocks(text)
    else:
        blocks = _text_blocks(text)
    extraction = _extract_metadata(blocks, hints)
    meta = extraction.meta
    url = meta.get("url")
    document_meta = DocumentMeta(
        title=meta.get("title"),
        outlet=hints.outlet or outlet_for_url(url),
        byline=meta.get("byline"),
        published=meta.get("published"),
        url=url,
    )
    return ParsedDocument(
        text=text, meta=document_meta, paragraphs=_content_paragraphs(blocks, extraction.used)
    )
