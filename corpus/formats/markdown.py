"""Markdown: blocks from markdown-it-py's token stream, each character mapped back to the source.

Structure is parsed by markdown-it-py (CommonMark), never by regular expressions.
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from corpus.formats.cleantext import Block, CleanText
from corpus.formats.plaintext import line_spans

__all__ = ["markdown_blocks"]


def _markdown_parser() -> MarkdownIt:
    """CommonMark with ``text_join`` off, so escapes and entities stay separate tokens whose
    ``markup`` is the source spelling: that is what lets us map decoded characters back."""
    return MarkdownIt("commonmark").disable("text_join")


_MD = _markdown_parser()


def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts, counting LF, CRLF and CR as markdown-it does."""
    return [start for start, _ in line_spans(text)] + [len(text)]


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
        self.builder = CleanText()
        self.link_depth = 0
        self.hrefs: list[str] = []

    def run(self, children: Sequence[Token]) -> CleanText:
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


def markdown_blocks(text: str) -> list[Block]:
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
