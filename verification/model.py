"""The learned part of the verdict: a small calibrated classifier over alignment features.

Why a model: how much closeness, shared names, context and an aligned act must add up to before a
sentence supports a claim is a trade-off between recall and precision, and it is fitted on labelled
claim-sentence pairs (``training.verifier``: Reuters pairs generated outside the development
subset, and the train splits of the shared fact-checking datasets) instead of set by hand. The
rules of :mod:`verification.decision` still decide the hard cases (role swaps, opposite acts,
conflicting figures, negations, unmet names), which no weighting should overrule.

Serving needs numpy only: the weights are plain arrays in ``verifier_weights.npz`` (written by
``python -m training.verifier``), with the feature layout's version and the decision thresholds
picked on a development split.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import numpy as np
import numpy.typing as npt

from verification.alignment import Alignment, SentenceFacts

if TYPE_CHECKING:
    from verification.decision import Verdict

FEATURE_VERSION: Final = "verifier-features-v2"
FEATURE_NAMES: Final[tuple[str, ...]] = (
    "bias",
    "cosine",
    "cosine_sq",
    "coverage",
    "names_in_sentence",
    "names_from_context",
    "figures_matched",
    "act_aligned",
    "act_same_lemma",
    "act_missing",
    "agents_agree",
    "cosine_x_act",
    "cosine_x_no_act",
)
"""Deliberately few, each with one meaning a reader can check: closeness, shared content words,
where the names were found, whether the claim's act and doer were found. Retrieval artefacts
(BM25 rank, whether a frame reports the sentence) were tried and dropped: the model learned the
training set's selection effects from them, not support."""
CLASSES: Final[tuple[Literal["supports", "neither"], ...]] = ("supports", "neither")
WEIGHTS_PATH: Final = Path(__file__).resolve().parent / "verifier_weights.npz"


def features(a: Alignment, sentence: SentenceFacts, reported: bool) -> npt.NDArray[np.float32]:
    """The model's input for one pair, in ``FEATURE_NAMES`` order."""
    support = sentence.support
    cosine = support.cosine
    names_total = max(1, support.named_total)
    act_missing = a.claim_has_act and not a.act_aligned
    return np.asarray(
        [
            1.0,
            cosine,
            cosine * cosine,
            support.coverage,
            support.named_matched / names_total,
            support.named_from_context / names_total,
            a.figures_matched / max(1, a.figures_total) if a.figures_total else 1.0,
            float(a.act_aligned),
            float(a.act_same_lemma),
            float(act_missing),
            float(a.agents_agree),
            cosine * float(a.act_aligned),
            cosine * float(not a.claim_has_act),
        ],
        dtype=np.float32,
    )


class VerifierModel:
    """Logistic regression: P(supports) from the features; ``threshold`` picked on a dev split."""

    def __init__(self, coef: npt.NDArray[np.float32], threshold: float) -> None:
        if coef.shape != (len(FEATURE_NAMES),):
            raise ValueError(f"weights have shape {coef.shape}, expected ({len(FEATURE_NAMES)},)")
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.threshold = float(threshold)

    @classmethod
    def load(cls, path: Path | None = None) -> VerifierModel:
        """Read the shipped weights; refuses a file written for another feature layout."""
        with np.load(path or WEIGHTS_PATH, allow_pickle=False) as weights:
            version = str(weights["feature_version"])
            if version != FEATURE_VERSION:
                raise ValueError(
                    f"verifier weights were fitted for {version!r}, this code computes {FEATURE_VERSION!r}:"
                    " refit with `python -m training.verifier`"
                )
            return cls(weights["coef"], float(weights["threshold"]))

    def probability(self, x: npt.NDArray[np.float32]) -> float:
        return float(1.0 / (1.0 + math.exp(-float(x @ self.coef))))

    def decide(self, a: Alignment, sentence: SentenceFacts, reported: bool) -> tuple[Verdict, float]:
        p = self.probability(features(a, sentence, reported))
        return ("supports", p) if p >= self.threshold else ("neither", 1 - p)
