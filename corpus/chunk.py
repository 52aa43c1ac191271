"""Cut paragraphs too long for the language stage into bounded pieces, offsets kept.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters: error E088), and well below
that its parser's memory and time grow with the text (a 900,000-character paragraph took 80 s and
3.9 GB), while the service accepts documents of 2,000,000 characters. A posted "paragraph" that
long is a dump without paragraph breaks (a transcript, a scraped page flattened into one line),
so it is cut before parsing into pieces of at most :data:`MAX_PARAGRAPH_CHARS`, each an ordinary
paragraph with its own characters' offsets into the posted text.

Why 10,000: real news paragraphs are far shorter (the longest of the 88,973 paragraphs the parser
finds in all 19,043 Reuters-21578 bodies has 1,231 characters), so no article is ever cut; and
what runs after spaCy (sentence repair, frames, structure) costs more than linearly in a
paragraph's length, so small pieces are cheaper. Measured with ``analyse_paragraphs`` on a
60,000-character paragraph of real news sentences (the seed 000 repeated; 2 cores shared with
other jobs): 12.8 s in 5,000-character pieces, 13.7 s in 10,000, 31.8 s in 20,000 and 45.1 s
unsplit, of which spaCy itself took ~6 s in each case.

A cut can separate a quote from its speaker, so it is made where a reader would pause, searching
the last half of the window: after a sentence end (". ", "? ", "! ", "… ") that is also a line
break of the posted text, else after any sentence end, else at a line break (inside one paragraph a
line break is usually a soft wrap, so it ranks below a sentence end), else after a clause mark
("; ", ": ", ", "), else at any space, and only as a last resort inside a word.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from corpus.document import Paragraph

__all__ = ["MAX_PARAGRAPH_CHARS", "split_long_paragraph"]

MAX_PARAGRAPH_CHARS = 10_000

_SENTENCE_END_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]* ")
_CLAUSE_END_RE = re.compile(r"[;:,] ")


def split_long_paragraph(
    paragraph: Paragraph, original: str, bound: int = MAX_PARAGRAPH_CHARS
) -> list[Paragraph]:
    """``paragraph`` as pieces of at most ``bound`` characters (itself when it is short enough).

    ``original`` is the posted text ``paragraph.offsets`` point into (to find its line breaks).
    The space a cut falls on is dropped; every other character stays, with its offset.
    """
    if bound < 2:
        raise ValueError("bound must be at least 2 characters")
    text, offsets = paragraph.text, paragraph.offsets
    if len(text) <= bound:
        return [paragraph]
    pieces = []
    start = 0
    while len(text) - start > bound:
        cut, skip = _cut(text, offsets, original, start, start + bound)
        pieces.append(Paragraph(text[start:cut], offsets[start:cut]))
        start = cut + skip
    pieces.append(Paragraph(text[start:], offsets[start:]))
    return pieces


def _cut(text: str, offsets: tuple[int, ...], original: str, start: int, limit: int) -> tuple[int, int]:
    """Where the piece starting at ``start`` ends (at most ``limit``), and how many characters the
    cut drops (1 for the space it falls on, 0 for a cut inside a word)."""
    low = start + (limit - start) // 2
    sentence_ends = _match_ends(_SENTENCE_END_RE, text, low, limit)
    at_break = [i for i in sentence_ends if _breaks_line(offsets, original, i)]
    for candidates in (at_break, sentence_ends):
        if candidates:
            return candidates[-1], 1
    space = _line_break(text, offsets, original, low, limit)
    if space is None:
        clause_ends = _match_ends(_CLAUSE_END_RE, text, low, limit)
        space = clause_ends[-1] if clause_ends else None
    if space is None:
        found = text.rfind(" ", low, limit + 1)
        space = found if found > start else None
    return (space, 1) if space is not None else (limit, 0)


def _breaks_line(offsets: tuple[int, ...], original: str, space: int) -> bool:
    """Does the clean-text space at ``space`` stand for whitespace holding a line break?"""
    following = offsets[space + 1] if space + 1 < len(offsets) else len(original)
    return "\n" in original[offsets[space] : following]


def _line_break(text: str, offsets: tuple[int, ...], original: str, low: int, limit: int) -> int | None:
    """The last clean-text space in ``[low, limit]`` that stands for whitespace holding a line
    break in the posted text (clean text collapses every whitespace run to one space)."""
    floor = offsets[low]
    at = offsets[min(limit, len(offsets) - 1)]
    while True:
        newline = original.rfind("\n", floor, at)
        if newline < 0:
            return None
        i = bisect_right(offsets, newline) - 1  # the clean character at or before the newline
        if low <= i <= limit and text[i] == " ":
            return i
        if i < low:
            return None
        at = newline


def _match_ends(pattern: re.Pattern[str], text: str, low: int, limit: int) -> list[int]:
    """The spaces ending each match of ``pattern`` inside ``text[low:limit + 1]``, in order."""
    return [match.end() - 1 for match in pattern.finditer(text, low, limit + 1)]
