"""Does an evidence sentence take the claim's side? The one place the stance is decided.

``reports`` whenever the matched words are someone else's (an attribution frame carries them,
denials included): the outlet takes no side. Otherwise ``refutes`` when the outlet states the
claim's opposite (a word shared with the claim is negated in one and not in the other), else what
the learned classifier says when it is confident, else ``supports``: the outlet asserts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from retrieval.claim import Claim
from retrieval.terms import NEGATED, Term
from stance.model import Stance, StancePrediction


class StanceClassifier(Protocol):
    """A learned stance model (``stance.model.StanceModel``, or a stand-in in tests)."""

    def predict(
        self,
        claim_vector: npt.NDArray[np.float32],
        sentence_vector: npt.NDArray[np.float32],
        claim_text: str,
        sentence_text: str,
    ) -> StancePrediction: ...

    def reported_stance(self, prediction: StancePrediction) -> Stance: ...


def negation_conflict(claim: Claim, sentence_terms: Sequence[Term]) -> bool:
    """A word shared by claim and sentence is negated in one of them and not in the other.

    "Turkey did not release a statement" against "Turkey released a statement": "release" is
    negated in one only. Words the sentence does not share with the claim say nothing either way.
    """
    negated_at = {start for key, start, _ in sentence_terms if key == NEGATED}
    for key, start, _ in sentence_terms:
        if key in claim.keys and (start in negated_at) != (key in claim.negated_keys):
            return True
    return False


class StanceJudge:
    """Applies the rules above, consulting ``classifier`` (if any) only where the rules say
    ``supports``; the classifier speaks only above its tuned confidence threshold."""

    def __init__(self, classifier: StanceClassifier | None = None) -> None:
        self.classifier = classifier

    def stance(
        self,
        claim: Claim,
        reported: bool,
        sentence_text: str,
        sentence_vector: npt.NDArray[np.float32],
        sentence_terms: Sequence[Term],
    ) -> Stance:
        if reported:
            return "reports"
        if negation_conflict(claim, sentence_terms):
            return "refutes"
        if self.classifier is not None:
            prediction = self.classifier.predict(
                claim.vector, np.asarray(sentence_vector, dtype=np.float32), claim.text, sentence_text
            )
            decided = self.classifier.reported_stance(prediction)
            if decided in ("supports", "refutes"):
                return decided
        return "supports"
