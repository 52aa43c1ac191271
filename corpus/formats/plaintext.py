"""Plain text: paragraphs from blank lines, indents, one-paragraph-per-line or hard-wrapped prose.

Regular expressions are only used for line splitting; the paragraph decisions are explained
where they are made.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from corpus import boilerplate
from corpus.formats.cleantext import Block, CleanText

__all__ = ["line_spans", "text_blocks"]


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
WRAP_MAX_WIDTH = 120  # hard-wrapped prose (e-mail, wire copy) is wrapped at 60-110 columns
WRAP_FULL_FRACTION = 0.6  # a wrapped line fills at least this share of the width ...
WRAP_FULL_SHARE = 0.5  # ... for at least this share of the lines that continue a paragraph


def line_spans(text: str) -> list[tuple[int, int]]:
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
    spans = line_spans(text)
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


def text_blocks(text: str) -> list[Block]:
    """Plain text: each paragraph's lines joined with single spaces, offsets kept."""
    builder = CleanText()
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
