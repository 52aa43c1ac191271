"""A claim that carries its own attribution ("according to the ministry, ...", "Erdogan said that
...") is a question about who said what: its content is what must be supported, and the speaker
it names is compared with the speaker of the frame that carries that content in the evidence.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from attribution.frame import Frame
from attribution.frames import extract_frames
from attribution.lexicon import REQUEST_CUES, verb_cue_kind
from verification.alignment import Pair
from verification.decision import Verification


def _may_report(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return (
        verb_cue_kind(lemma) is not None
        or lemma in ("claim", "allegation")
        or token.lower_ == "according"  # lemmatised "accord"
        or token.text == ":"
    )


def _negated_cue(doc: Doc, start: int, end: int) -> bool:
    """ "X did not report Y" says nothing was reported: not a frame around Y but a claim whose
    negation must be verified with the rest. So for a cue noun under a negated verb: "The Treasury
    did not repeat a White House statement that ..." is about the Treasury, not the statement."""
    cue = doc.char_span(start, end, alignment_mode="expand")
    if cue is None:
        return False
    if any(child.dep_ == "neg" for token in cue for child in token.children):
        return True
    governor = _governing_verb(cue.root) if cue.root.pos_ == "NOUN" else None
    return governor is not None and any(child.dep_ == "neg" for child in governor.children)


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or through a preposition ("repeat a statement",
    "commented on a report")."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head.i != noun.i else None


def _frames_the_claim(frame: Frame, root: Token) -> bool:
    """The claim's own attribution is its main clause: the cue is its main verb ("X said Y") or
    the content holds it ("according to X, Y"). A report inside the claim ("Gull Air did not file a
    suit, charging the airline broke ...") is part of what must be verified."""
    return frame.cue_start <= root.idx < frame.cue_end or frame.content_start <= root.idx < frame.content_end


def _requested(doc: Doc, start: int, end: int) -> bool:
    """ "The SEC urged the court to accept the case": the request is the claim's act (its tense and
    its parties are verified with the rest), not a report around a content."""
    cue = doc.char_span(start, end, alignment_mode="expand")
    return cue is not None and cue.root.lemma_.lower() in REQUEST_CUES


# The claim's own frame must carry most of it: "X said Y" with Y the bulk of the claim, not a
# clause about a statement inside a longer claim.
MIN_CONTENT_SHARE = 0.4


class ClaimedAttribution(NamedTuple):
    """The part of a claim to verify, the speaker the claim names (None: none), the words by which
    it says that speaker spoke ("acknowledged", "denied") and whether they are a denial."""

    content: Span
    speaker: str | None = None
    cue: str = ""
    denies: bool = False


def split_attribution(doc: Doc) -> tuple[Span, str | None]:
    """(the part of the claim to verify, the speaker the claim names or None)."""
    attribution = claimed_attribution(doc)
    return attribution.content, attribution.speaker


def claimed_attribution(doc: Doc) -> ClaimedAttribution:
    """What the claim says of its own attribution (``ClaimedAttribution``)."""
    if not any(_may_report(token) for token in doc):
        return ClaimedAttribution(doc[:])  # no reporting word: no frame to look for (most claims)
    best: tuple[int, Span, Frame] | None = None
    root = doc[:].root
    for frame in extract_frames(doc):
        if (
            frame.kind == "hedge"
            or frame.speaker is None
            or _negated_cue(doc, frame.cue_start, frame.cue_end)
            or not _frames_the_claim(frame, root)
            or _requested(doc, frame.cue_start, frame.cue_end)
        ):
            continue
        content = doc.char_span(frame.content_start, frame.content_end, alignment_mode="expand")
        if content is None or len(content) < MIN_CONTENT_SHARE * len(doc):
            continue
        if best is None or len(content) > best[0]:
            best = (len(content), content, frame)
    if best is None:
        return ClaimedAttribution(doc[:])
    _, content, frame = best
    return ClaimedAttribution(content, frame.speaker, frame.cue, frame.kind == "denial")


def against_the_claimed_stance(
    verification: Verification, claimed: ClaimedAttribution, speaker_agrees: bool
) -> Verification:
    """A claim about what its speaker said is contradicted by that speaker saying the contrary:
    "Thatcher acknowledged that Britain's oil policy had contributed to the price fall" against
    "Thatcher denied that her government's oil policy contributed to weakness in world oil prices".
    The content is supported either way; the claim's stance (asserting it or denying it) is not,
    so such a sentence is returned as contradicting, with the two cues as the conflict. Anything
    else is returned unchanged."""
    frame = verification.frame
    if verification.verdict != "supports" or frame is None or claimed.speaker is None or not speaker_agrees:
        return verification
    denies = verification.denial or frame.kind == "denial"
    if denies == claimed.denies:
        return verification
    conflict = Pair(claimed.cue, frame.cue, "negation")
    alignment = replace(verification.alignment, conflicts=(*verification.alignment.conflicts, conflict))
    return replace(verification, verdict="contradicts", alignment=alignment)
