"""The shape of a source's name in wire copy: where a speaker span really starts and ends.

The parser gets the subject right, but its subtree is not always the whole name: Reuters wraps
tickers and unlisted company names in angle brackets ("Hughes Tool Co <HT>", "<Parlux Fragrances
Inc>"), which en_core_web_sm parses erratically, and a bare possessive apostrophe ("Anheuser-Busch
Cos' Metal Container Corp") is often tagged as a quotation mark, which cuts the name at the
apostrophe. These helpers repair a speaker's token range; they never choose the speaker.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from attribution.spans import TokenRange


def possessed_noun(gap: Span) -> bool:
    """ "Dow Jones *Cos' Telerate unit* said": the parser made the possessor the subject and hung the
    possessed noun under it; the words between subject and cue are then the rest of the name."""
    if not any(possessive_mark(t) for t in gap):
        return False
    return all(possessive_mark(t) or t.pos_ in _NOMINAL or name_token(t.doc, t.i) for t in gap)


_NOMINAL = ("PROPN", "NOUN", "ADJ", "NUM")


def possessor_start(doc: Doc, start: int) -> int:
    """Where a possessive speaker really starts: "*Anheuser-Busch Cos'* Metal Container Corp said".

    A bare apostrophe after a plural or an s-final name ("Cos'", "Reuters'") is often tagged as an
    opening quotation mark, and the possessor is then attached elsewhere, so the subject's subtree
    starts after the apostrophe. A possessive mark glued to the word before it and followed by a
    space is never an opening quote: the possessor's name belongs to the speaker.
    """
    if start == 0 or not possessive_mark(doc[start - 1]):
        return start
    first = start - 1
    while first > 0 and start - first <= _MAX_POSSESSOR_TOKENS and name_token(doc, first - 1):
        first -= 1
    if first == start - 1:
        return start
    if first > 0 and doc[first - 1].lower_ == "the":
        first -= 1
    return first


_MAX_POSSESSOR_TOKENS = 8
_APOSTROPHES = ("'", "\u2019")


def possessive_mark(token: Token) -> bool:
    """ "'s" or a bare apostrophe after an s-final word, glued to that word, followed by a space."""
    if token.i == 0 or not token.whitespace_:
        return False
    owner = token.doc[token.i - 1]
    if owner.whitespace_ or not owner.is_alpha:
        return False
    if token.text in _APOSTROPHES:
        return owner.lower_.endswith("s")
    return token.lower_ in ("'s", "\u2019s")


def name_token(doc: Doc, index: int) -> bool:
    """A word of a proper name ("Anheuser", "Cos", "3M") or a connector glued inside one ("-", "&")."""
    token = doc[index]
    if token.is_punct or token.is_space:
        glued = index > 0 and not doc[index - 1].whitespace_ and not token.whitespace_
        return glued and token.text in ("-", "&", ".")
    return token.pos_ == "PROPN" or token.is_title or token.is_upper or token.like_num


def whole_brackets(doc: Doc, start: int, end: int) -> TokenRange:
    """A speaker span with its ticker brackets whole: "<Parlux Fragrances Inc>", "Hughes Tool Co <HT>".

    Reuters wraps tickers and unlisted company names in angle brackets, which en_core_web_sm parses
    erratically ("<" hangs off the verb, ">" becomes a second subject). A span that closes a bracket
    it did not open takes in the "<" just before it; a span that opens a bracket takes in the ">"
    just after it, or else stops before the "<". Never a dangling bracket.
    """
    if not _BRACKETS.intersection(doc[start:end].text):
        return start, end
    unopened, unclosed = _bracket_balance(doc, start, end)
    if unopened:
        opening = _opening_before(doc, start)
        if opening is not None:
            start = opening
        else:
            while end - start > 1 and ">" in doc[end - 1].text:
                end -= 1
            while end - start > 1 and ">" in doc[start].text:
                start += 1
        _, unclosed = _bracket_balance(doc, start, end)
    if unclosed:
        start, end = _close_brackets(doc, start, end)
    return _named_ticker_start(doc, start), end


def _named_ticker_start(doc: Doc, start: int) -> int:
    """ "*Beecham Group Plc* <BHAM.L> said": a ticker speaker takes in the name it follows, which the
    parser often hangs elsewhere (as an adverbial of the verb)."""
    if not doc[start].text.startswith("<"):
        return start
    first = start
    while first > 0 and start - first < _BRACKET_REACH and name_token(doc, first - 1):
        first -= 1
    while first < start and doc[first].is_sent_start and doc[first].pos_ != "PROPN":
        first += 1  # a capitalised first word of the sentence ("Yesterday <ABC> said")
    return first


_BRACKETS = frozenset("<>")
_BRACKET_REACH = 8
"""Tokens searched for the other half of a ticker bracket (tickers and bracketed names are short)."""


def _bracket_balance(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """How many ">" in the span close nothing, and how many "<" stay open at its end."""
    unopened = depth = 0
    for token in doc[start:end]:
        depth += token.text.count("<")
        closes = token.text.count(">")
        unopened += max(0, closes - depth)
        depth = max(0, depth - closes)
    return unopened, depth


def _opening_before(doc: Doc, start: int) -> int | None:
    """The "<" that opens the bracket a span closes, when it comes shortly before the span."""
    for index in range(start - 1, max(-1, start - 1 - _BRACKET_REACH), -1):
        if ">" in doc[index].text:
            return None
        if "<" in doc[index].text:
            return index
    return None


def _close_brackets(doc: Doc, start: int, end: int) -> TokenRange:
    """Extend a span that leaves a bracket open to its ">", or cut it before the unclosed "<"."""
    for index in range(end, min(len(doc), end + _BRACKET_REACH)):
        if "<" in doc[index].text:
            break
        if ">" in doc[index].text and _bracket_balance(doc, start, index + 1) == (0, 0):
            return start, index + 1
    cut = max(i for i in range(start, end) if "<" in doc[i].text)
    while cut > start and (doc[cut - 1].is_punct or doc[cut - 1].is_space):
        cut -= 1
    return (start, cut) if cut > start else (start, end)
