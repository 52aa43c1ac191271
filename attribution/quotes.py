"""Quotations: pairing quote marks on the raw paragraph text and the content they delimit.

Quotes are paired on characters rather than per sentence because one quotation often runs over
several sentences ('"We know ... It's not like that," he said' attributes all three). Besides
curly and straight double quotes, the doubled apostrophes of some newspapers' copy (``''...''``)
count as quote marks.
"""

from __future__ import annotations

from spacy.tokens import Token

from attribution.spans import (
    CLOSE_QUOTES,
    DOUBLED_QUOTES,
    OPEN_QUOTES,
    STRAIGHT_QUOTE,
    CharRange,
    Paragraph,
    Quotes,
    TokenRange,
    is_quote,
    trim_chars,
)


def quote_spans(text: str) -> list[CharRange]:
    """Pairs of (opening mark, closing mark) character offsets.

    Curly quotes are paired by direction; straight quotes alternate. Quotes are paired on the raw
    text rather than per sentence because one quotation often runs over several sentences. A
    quotation still open at the end of the paragraph runs to its end (news style repeats the
    opening mark at each paragraph of a long quotation and closes it only in the last one); its
    span ends at ``len(text)`` (see :func:`open_at_end`).
    """
    spans: list[CharRange] = []
    opened: int | None = None
    skip = False
    for index, char in enumerate(text):
        if skip:
            skip = False
            continue
        doubled = text[index : index + 2] in DOUBLED_QUOTES
        if doubled:
            skip = True
        if char in OPEN_QUOTES and opened is None:
            opened = index
        elif char in CLOSE_QUOTES and opened is not None:
            spans.append((opened, index))
            opened = None
        elif char == STRAIGHT_QUOTE or doubled:
            if opened is None:
                opened = index
            else:
                spans.append((opened, index))
                opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def open_at_end(text: str, quotes: list[CharRange]) -> CharRange | None:
    """The quotation left open at the end of the paragraph, if any (it continues in the next one)."""
    return quotes[-1] if quotes and quotes[-1][1] == len(text) else None


def mark_length(text: str, at: int) -> int:
    """Length of the quotation mark at ``at``: two for doubled apostrophes or backticks."""
    return 2 if text[at : at + 2] in DOUBLED_QUOTES else 1


def extend_to_quotes(text: str, content: CharRange, quotes: Quotes) -> CharRange:
    """Widen content that opens (or closes) a quotation to the whole quotation.

    The parse may attach the tail of a quotation elsewhere ("... its occupation [of Karabakh]
    permanent."); the quotation marks are the better boundary. Only quotations from the one that
    closes after the content's start can widen it, and none from the first that opens at or after
    its (widened) end: the search stays near the content.
    """
    start, end = content
    for open_at, close_at in quotes.closing_after(min(start, end)):
        if open_at >= end:
            break
        opens_content = open_at < start and not text[open_at + 1 : start].strip()
        if (start <= open_at or opens_content) and open_at < end < close_at:
            end = close_at
        if open_at < start < close_at < end:
            start = open_at + 1
    return start, end


def left_quote(paragraph: Paragraph, anchor: int) -> CharRange | None:
    """A quotation that ends right before the reporting clause, with or without a comma."""
    doc = paragraph.doc
    index = anchor - 1
    while index >= 0 and (doc[index].text == "," or is_quote(doc[index])):
        quote = paragraph.quotes.closing_at(doc[index].idx) if is_quote(doc[index]) else None
        if quote is not None:
            return trim_chars(paragraph.text, (quote[0] + 1, quote[1]))
        index -= 1
    return None


def right_quote(paragraph: Paragraph, verb: Token, speaker: TokenRange | None) -> CharRange | None:
    """'He said: "..."' — a quotation opening right after the cue (or after an inverted speaker)."""
    doc = paragraph.doc
    index = verb.i + 1
    if speaker is not None and speaker[0] == index:
        index = speaker[1]
    while index < len(doc) and doc[index].text in (",", ":"):
        index += 1
    if index < len(doc) and is_quote(doc[index]):
        quote = paragraph.quotes.opening_at(doc[index].idx)
        if quote is not None:
            return quote[0] + 1, quote[1]
    return None
