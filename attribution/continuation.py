"""Quotations that run over several paragraphs.

News style quotes a long statement over several paragraphs: each paragraph opens with a quotation
mark, and only the last one closes it ('USAir said "In light of ... Piedmont.' then '"TWA's
proposal is nothing more than ...."'). A paragraph that opens with a quotation mark, right after a
paragraph whose quotation was still open and reported by a named source, continues that source's
quotation, unless the paragraph names its own source for it ('"...," he said', "PENCE: ...").

The continued frame's cue is the paragraph's opening quotation mark (the reporting verb is in an
earlier paragraph, and a frame's offsets index its own paragraph), and its speaker is named but has
no span in this paragraph. Its kind is a statement (which becomes a denial when the continued
content is negated, as for any statement), or a hedge when the source is an anonymous one.

Within one paragraph the same convention holds sentence by sentence: '"Prices should move up," said
Daniel Roling of Merrill Lynch. "I see average prices at 70 cts ..."' -- a quotation that follows the
one a named source was just credited with, with no source of its own, is still that source's: the
source's frame runs on over it
(``extend_to_following_quotations``).
"""

from __future__ import annotations

import dataclasses
import itertools

from attribution.frame import Frame
from attribution.quotes import mark_length, open_at_end
from attribution.spans import CharRange, trim_chars


def open_quotation_holder(text: str, quotes: list[CharRange], frames: list[Frame]) -> Frame | None:
    """The frame of a named source whose content is the quotation still open at the paragraph's end.

    When several cover it, the innermost wins ('He said "We told them that ...' -> "He").
    """
    open_quote = open_at_end(text, quotes)
    if open_quote is None:
        return None
    start, end = trim_chars(text, (open_quote[0] + 1, open_quote[1]))
    holders = [
        f
        for f in frames
        if f.speaker is not None and f.content_start <= start < f.content_end and f.content_end >= end
    ]
    return max(holders, key=lambda f: f.content_start, default=None)


def continued_quotation(
    text: str, quotes: list[CharRange], frames: list[Frame], holder: Frame | None
) -> Frame | None:
    """The frame continuing ``holder``'s quotation into this paragraph (text ``text``, quotations
    ``quotes``, frames found so far ``frames``), if the paragraph opens with a quotation mark."""
    if holder is None or not quotes or quotes[0][0] != len(text) - len(text.lstrip()):
        return None
    open_at, close_at = quotes[0]
    start, end = trim_chars(text, (open_at + 1, close_at))
    if start >= end or _names_its_own_source(frames, (open_at, close_at), start):
        return None
    cue_end = open_at + mark_length(text, open_at)
    return Frame(
        "hedge" if holder.kind == "hedge" else "statement",
        text[open_at:cue_end],
        open_at,
        cue_end,
        holder.speaker,
        None,
        None,
        start,
        end,
    )


def _names_its_own_source(frames: list[Frame], quote: CharRange, start: int) -> bool:
    """'"...," he said' (a cue outside the quotation reports it) or "PENCE: ..." (a new turn)."""
    for frame in frames:
        outside = not quote[0] <= frame.cue_start < quote[1]
        if outside and frame.content_start <= start < frame.content_end:
            return True
        if frame.speaker_start == start:
            return True
    return False


def extend_to_following_quotations(text: str, quotes: list[CharRange], frames: list[Frame]) -> list[Frame]:
    """``frames`` with the content of each one that credits a named source with a quotation run on
    over the quotations that follow it, each in a new sentence with no source of its own: the same
    source's words, as PolNeAR annotates them (one attribution whose content spans both)."""
    out = list(frames)
    for previous, quote in itertools.pairwise(quotes):
        start, end = trim_chars(text, (quote[0] + 1, quote[1]))
        if start >= end or any(f.content_start <= start < f.content_end for f in out):
            continue
        if any(quote[1] < f.cue_start < quote[1] + 40 for f in out):
            continue  # '"...," he added': the quotation names its source after it
        gap = (previous[1], quote[0])
        if not text[gap[0] : gap[1]].rstrip().endswith("."):
            continue
        for index, holder in enumerate(out):
            credited = holder.content_start <= previous[0] + 1 < holder.content_end
            if holder.speaker is not None and credited and gap[0] <= holder.cue_start < gap[1]:
                out[index] = dataclasses.replace(holder, content_end=end)
                break
    return out


def extend_to_adjoining_quotation(text: str, quotes: list[CharRange], frames: list[Frame]) -> list[Frame]:
    """``frames`` with the content of each named source's report run on over a quotation that
    closes its sentence right after it ('Domtar said it is withdrawing the issue, "due to
    unfavourable conditions in the financial markets."'): the quoted words are the same source's,
    the reason it gave. Only across a comma or a dash, and only a quotation nobody else is credited
    with and that names no source of its own."""
    out = list(frames)
    for index, frame in enumerate(out):
        if frame.speaker is None:
            continue
        for quote in quotes:
            gap = text[frame.content_end : quote[0]]
            if quote[0] < frame.content_end or gap.strip() not in (",", "-", "--"):
                continue
            start, end = trim_chars(text, (quote[0] + 1, quote[1]))
            if start >= end or any(
                other.content_start <= start < other.content_end
                or quote[0] <= other.cue_start < quote[1] + 40
                for other in out
            ):
                break  # someone else's words, or '"...," he added': the quotation names its source
            out[index] = dataclasses.replace(frame, content_end=end)
            break
    return out
