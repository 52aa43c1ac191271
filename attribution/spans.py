"""Shared vocabulary of the frame rules: token and character ranges, the draft frame, quote marks,
the analysed paragraph with its look-ups, and the helpers that turn token ranges into trimmed
character spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from attribution.frame import FrameKind

OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
STRAIGHT_QUOTE = '"'
DOUBLED_QUOTES = ("''", "``")
"""Two-character quote marks of some newspapers' copy (``''It's more tinkering,'' said ...``)."""

_QUOTE_CHARS = OPEN_QUOTES + CLOSE_QUOTES + STRAIGHT_QUOTE


def is_quote(token: Token) -> bool:
    return token.text in _QUOTE_CHARS or token.text in DOUBLED_QUOTES


TokenRange = tuple[int, int]
"""Half-open token index range ``[start, end)`` within one Doc."""


CharRange = tuple[int, int]
"""Half-open character range ``[start, end)`` within the paragraph text."""


@dataclass
class Draft:
    """A frame before its speaker is resolved; the speaker is still a token range."""

    kind: FrameKind
    cue: TokenRange
    speaker: TokenRange | None
    content: CharRange


class Quotes:
    """A paragraph's quotations, ``(opening mark, closing mark)`` character offsets in text order,
    with the look-ups the rules make once per cue.

    Pairing (:func:`attribution.quotes.quote_spans`) yields disjoint quotations in increasing
    order, so each mark belongs to at most one quotation and a position lies inside at most one:
    dictionaries and binary search answer what a scan of every quotation answered, in time that
    does not grow with the paragraph (scanning made long quoted paragraphs quadratic).
    """

    def __init__(self, spans: Sequence[CharRange]) -> None:
        self.spans = list(spans)
        self._opens = [q[0] for q in self.spans]
        self._closes = [q[1] for q in self.spans]
        self._by_open = {q[0]: q for q in self.spans}
        self._by_close = {q[1]: q for q in self.spans}

    def opening_at(self, char: int) -> CharRange | None:
        """The quotation whose opening mark is at ``char``."""
        return self._by_open.get(char)

    def closing_at(self, char: int) -> CharRange | None:
        """The quotation whose closing mark is at ``char``."""
        return self._by_close.get(char)

    def around(self, char: int) -> CharRange | None:
        """The quotation strictly between whose marks ``char`` lies."""
        index = bisect_left(self._opens, char) - 1
        if index >= 0 and char < self._closes[index]:
            return self.spans[index]
        return None

    def closing_after(self, char: int) -> Iterator[CharRange]:
        """Quotations in text order from the first one that closes after ``char``: those before it
        cannot touch a span starting at ``char``."""
        for index in range(bisect_right(self._closes, char), len(self.spans)):
            yield self.spans[index]


class Paragraph:
    """One parsed paragraph and what the rules look up in it, built once per paragraph.

    The rules run per token and per cue, and several need more than the token: the paragraph's
    text (``Doc.text`` joins every token on each access), its quotations, or the bounds of a
    token's sentence (``Token.sent`` walks token by token to both edges). Asked of the Doc per cue,
    these made extraction quadratic in the paragraph's length (a long transcript or a markdown table
    read as one paragraph took minutes); here each is computed once and looked up.
    """

    def __init__(self, doc: Doc, text: str, quotes: Sequence[CharRange]) -> None:
        self.doc = doc
        self.text = text
        self.quotes = Quotes(quotes)
        self._sentence_starts: list[int] | None = None

    def sentence(self, token: Token) -> TokenRange:
        """The token range of ``token``'s sentence: the bounds of ``token.sent``, found by binary
        search over sentence starts collected once, when a rule first asks."""
        if self._sentence_starts is None:
            self._sentence_starts = [sentence.start for sentence in self.doc.sents]
        starts = self._sentence_starts
        index = bisect_right(starts, token.i) - 1
        end = starts[index + 1] if index + 1 < len(starts) else len(self.doc)
        return starts[index], end


_EDGE_STRIP = " \t\n,;:" + _QUOTE_CHARS


SUBJECT_DEPS = ("nsubj", "nsubjpass")


def after_comma(head: Token) -> bool:
    """Whether the phrase ``head`` leads follows a comma (possibly inside closing quotes): a new
    constituent, not a continuation of the one before."""
    index = head.left_edge.i - 1
    while index >= 0 and is_quote(head.doc[index]):
        index -= 1
    return index >= 0 and head.doc[index].text == ","


def token_span(paragraph: Paragraph, start: int, end: int) -> CharRange:
    """Character range of tokens ``start..end`` (inclusive), with edge punctuation trimmed."""
    doc = paragraph.doc
    return trim_chars(paragraph.text, (doc[start].idx, doc[end].idx + len(doc[end])))


def trim_chars(text: str, span: CharRange) -> CharRange:
    """Strip quotation marks, commas and spaces at both ends and a final full stop."""
    start, end = span
    while start < end and (
        text[start] in _EDGE_STRIP or (text[start] == "'" and start > 0 and text[start - 1] == "'")
    ):
        start += 1
    while end > start and (
        text[end - 1] in _EDGE_STRIP
        or (text[end - 1] in ".!?" and not _abbreviation(text, end))
        or text[end - 2 : end] == "''"
    ):
        end -= 2 if text[end - 2 : end] == "''" else 1
    return start, end


def _abbreviation(text: str, end: int) -> bool:
    """True for the final dot of "U.S." (a letter-dot pair before it), which is not punctuation."""
    return end >= 3 and text[end - 1] == "." and text[end - 3] == "."


def skip_marker(doc: Doc, start: int) -> int:
    """Content starts after a complementizer ("said *that* ...") and opening punctuation."""
    while start < len(doc) - 1 and (
        doc[start].dep_ == "mark" or (doc[start].is_punct and not is_quote(doc[start]))
    ):
        start += 1
    return start


def trim_dangling_conj(doc: Doc, start: int, end: int) -> int:
    """Drop a final "and <Noun>" that the parser borrowed from the next clause.

    "... to bolster Azerbaijan's troops and Putin on Wednesday voiced ..." makes "Putin" a
    conjunct of "troops"; the giveaway is that the words after it attach outside the content.
    """
    if end + 1 >= len(doc) or doc[end + 1].is_punct:
        return end
    following = doc[end + 1]
    if start <= following.head.i <= end:
        return end
    for token in doc[start : end + 1]:
        left = token.left_edge.i
        nominal = token.pos_ in ("PROPN", "NOUN", "PRON")
        final_conjunct = token.dep_ == "conj" and token.right_edge.i == end
        if nominal and final_conjunct and left > start and doc[left - 1].dep_ == "cc":
            return left - 2
    return end


def own_clause(head: Token) -> TokenRange:
    """Token range (inclusive) of the clause headed by ``head`` without coordinated clauses that
    have their own subject ("Turkey has allegedly sent drones, and Armenia says ...")."""
    end = head.right_edge.i
    for child in head.rights:
        if child.dep_ == "conj" and any(g.dep_ in SUBJECT_DEPS for g in child.children):
            end = min(end, child.left_edge.i - 1)
    doc = head.doc
    while end > head.i and (doc[end].is_punct or doc[end].dep_ == "cc"):
        end -= 1
    return head.left_edge.i, end
