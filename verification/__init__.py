"""Does a candidate sentence support the claim, contradict it, or neither — and why.

The stage between candidates and answer: ``alignment`` measures what a claim and a sentence share
and where they conflict (names, figures, acts, roles, polarity, mode, context), ``decision`` turns
that into a verdict with the rules for hard conflicts and the learned ``model`` for the rest.
"""

from verification.alignment import Alignment, Pair, SentenceFacts, align
from verification.decision import Stance, Verdict, Verification, Verifier
from verification.model import VerifierModel

__all__ = [
    "Alignment",
    "Pair",
    "SentenceFacts",
    "Stance",
    "Verdict",
    "Verification",
    "Verifier",
    "VerifierModel",
    "align",
]
