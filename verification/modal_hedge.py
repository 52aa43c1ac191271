"""A sentence that supports a claim only as a possibility hedges it: "Mexico might supply Ecuador's
South Korean market" carries "Mexico is to take over supplying Ecuador's customers in South Korea",
but the outlet does not vouch for it.

Why here and not in attribution: modal verbs are far too frequent in plain reporting to make every
"may" an attribution frame (``attribution.lexicon`` keeps them out). What makes this one a hedge is
the claim: the act the claim needs is the one the modal frames. So the verifier, which knows which
sentence act was paired with the claim's, marks the item as hedged when that act is in the
"possible" mode under an epistemic modal ("may", "might", "could"); obligation ("must", "should")
and ability ("can") are not hedges. The item then reads as an allegation without a named source,
as "reportedly" does.
"""

from __future__ import annotations

import re
from typing import Final

from attribution.frame import Frame
from verification.alignment import Alignment, SentenceFacts

# The modal right before the act's head, at most three words between ("might supply", "could
# possibly be activated", "may well have sold").
_MODAL_BEFORE_ACT: Final = re.compile(r"\b(may|might|could)\b(?:\s+[\w'-]+){0,3}\s*$", re.IGNORECASE)


# An epistemic adverb just before the act, whatever its mode: "pilots probably would refuse to
# cross", "the loss was possibly larger". The outlet guesses; it does not report the act as known.
_ADVERB_BEFORE_ACT: Final = re.compile(
    r"\b(probably|possibly|perhaps|presumably)\b(?:\s+[\w'-]+){0,3}\s*$", re.IGNORECASE
)


def modal_hedge(sentence: SentenceFacts, alignment: Alignment) -> Frame | None:
    """A hedge frame over ``sentence`` when the act paired with the claim's is only possible, or
    only probable."""
    if alignment.act_start is None:
        return None
    head = alignment.act_start - sentence.start
    if not 0 < head <= len(sentence.text):
        return None
    found = _ADVERB_BEFORE_ACT.search(sentence.text, 0, head)
    if found is None and alignment.act_mode == "possible":
        found = _MODAL_BEFORE_ACT.search(sentence.text, 0, head)
    if found is None:
        return None
    cue_start, cue_end = sentence.start + found.start(1), sentence.start + found.end(1)
    return Frame(
        "hedge", found.group(1).lower(), cue_start, cue_end, None, None, None, sentence.start, sentence.end
    )
