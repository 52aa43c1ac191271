"""Claim-aware allegation verdicts: is the part of a sentence that matches a claim reported by a
source (an allegation) or asserted by the outlet, and who disputes it?

Works on stored frames and plain offsets only (no parse at query time). All positions are character
offsets into the paragraph text the frames were extracted from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from attribution import lexicon as lx
from attribution.frame import Frame

SentenceSpan = tuple[int, int]
"""Half-open character range ``[start, end)`` of one sentence within the paragraph text."""

_APOSTROPHES = "'\u2019"
_WORD = re.compile(rf"[\w{_APOSTROPHES}]+")
_MAX_ANAPHOR_WORDS = 5


def frame_for_match(match_positions: Sequence[int], frames: Sequence[Frame]) -> Frame | None:
    """The frame that reports the matched words, or None when the outlet asserts them.

    ``match_positions`` are the start offsets of the sentence tokens that matched the claim. A
    frame qualifies when its content holds at least half of them, not counting those in its speaker
    ("A spokesman for Daimler-Benz said rumours the car-maker was suffering ...": the claim's
    party named as the source's employer); the one holding most wins; among
    equals a frame whose speaker names someone beats a vague one ("The Russian ministry said both
    confirmed ..." -> the ministry), then the smallest content, because nested attribution ("the
    office said that Erdogan insisted that ...") reports the innermost speaker. Every kind counts:
    a hedge is an allegation without a named source, and a denial reports the content as disputed.
    """
    if not match_positions:
        return None
    best: Frame | None = None
    best_key: tuple[int, bool, int] | None = None
    for frame in frames:
        inside = sum(1 for p in match_positions if frame.content_start <= p < frame.content_end)
        in_speaker = sum(1 for p in match_positions if _in_speaker(frame, p))
        if inside == 0 or 2 * inside < len(match_positions) - in_speaker:
            continue
        key = (inside, _names_someone(frame), -(frame.content_end - frame.content_start))
        if best_key is None or key > best_key:
            best, best_key = frame, key
    return best


def _in_speaker(frame: Frame, position: int) -> bool:
    return (
        frame.speaker_start is not None
        and frame.speaker_end is not None
        and (frame.speaker_start <= position < frame.speaker_end)
    )


def _names_someone(frame: Frame) -> bool:
    return frame.speaker is not None and frame.speaker.strip().lower() not in lx.VAGUE_SPEAKERS


def denials_of(
    anchor: Frame | SentenceSpan,
    frames: Sequence[Frame],
    sentences: Sequence[SentenceSpan],
    text: str,
) -> list[Frame]:
    """Denial frames that dispute what ``anchor`` reports.

    ``anchor`` is the frame returned by :func:`frame_for_match`, or the matched sentence's span
    when the outlet asserts it. ``frames`` and ``sentences`` cover the whole paragraph ``text``.

    A denial disputes the anchor when it lies in the anchor's sentence or the reporting window
    that follows and either contains the anchored report ("rejected Erdogan's claim that ...") or
    comes after it with content that points back ("deny them", "rejected Erdogan's allegations").
    The window is the next sentence, stretched over sentences that merely echo the report, as in
    "Yerevan has also accused Ankara of ... These claims have been echoed by France ... The
    Turkish and Azerbaijani governments deny them."
    """
    if isinstance(anchor, Frame) and anchor.kind == "denial":
        return []
    start, end = _anchor_extent(anchor)
    first = _sentence_index(sentences, max(start, end - 1))
    if first is None:
        return []
    window = (sentences[first][0], sentences[_window_end(first, frames, sentences, text)][1])
    return [
        frame
        for frame in frames
        if frame.kind == "denial" and frame is not anchor and _disputes(frame, (start, end), window, text)
    ]


def _disputes(denial: Frame, anchor: tuple[int, int], window: tuple[int, int], text: str) -> bool:
    """A denial in the window that contains the anchored report, or points back to it from after it."""
    if not window[0] <= denial.cue_start < window[1]:
        return False
    if denial.content_start <= anchor[0] and anchor[1] <= denial.content_end:
        return True
    return anchor[1] <= denial.cue_start and _is_anaphoric(text[denial.content_start : denial.content_end])


def _anchor_extent(anchor: Frame | SentenceSpan) -> tuple[int, int]:
    """Where the anchored report lies: a frame's whole extent (cue, speaker, content) or the span."""
    if isinstance(anchor, Frame):
        starts = [anchor.cue_start, anchor.content_start]
        ends = [anchor.cue_end, anchor.content_end]
        if anchor.speaker_start is not None and anchor.speaker_end is not None:
            starts.append(anchor.speaker_start)
            ends.append(anchor.speaker_end)
        return min(starts), max(ends)
    return anchor


def _sentence_index(sentences: Sequence[SentenceSpan], position: int) -> int | None:
    return next((i for i, (s, e) in enumerate(sentences) if s <= position < e), None)


def _window_end(first: int, frames: Sequence[Frame], sentences: Sequence[SentenceSpan], text: str) -> int:
    """Index of the last sentence a denial of sentence ``first`` may appear in."""
    last = min(first + 1, len(sentences) - 1)
    while last + 1 < len(sentences) and _echoes(sentences[last], frames, text):
        last += 1
    return last


def _echoes(sentence: SentenceSpan, frames: Sequence[Frame], text: str) -> bool:
    """A sentence that only restates an earlier report: a non-denial frame with anaphoric content."""
    return any(
        sentence[0] <= f.cue_start < sentence[1]
        and f.kind != "denial"
        and _is_anaphoric(text[f.content_start : f.content_end])
        for f in frames
    )


def _is_anaphoric(content: str) -> bool:
    """Whether a content span points back instead of stating something: "them", "these claims",
    "Erdogan's allegations", "the reports"."""
    words = _WORD.findall(content.lower())
    if not words or len(words) > _MAX_ANAPHOR_WORDS:
        return False
    if len(words) == 1:
        return words[0] in lx.ANAPHORIC_PRONOUNS
    determiner, head = words[0], words[-1]
    definite = determiner in lx.ANAPHORIC_DETERMINERS or determiner.endswith(
        tuple(a + "s" for a in _APOSTROPHES)
    )
    return definite and head in lx.ANAPHORIC_NOUNS
