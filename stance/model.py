"""Serving side of the stance classifier: shipped weights, loaded and applied with numpy only.

Why numpy and not scikit-learn at run time: the model is a multinomial logistic regression whose
feature standardisation is folded into ``coef``/``intercept`` by :mod:`training.stance`, so prediction
is one matrix-vector product and a softmax (~20 us). Shipping an ``.npz`` of plain arrays (loaded
with ``allow_pickle=False``) keeps sklearn out of the service's dependencies and avoids unpickling
code at start-up.

The classifier says ``supports`` / ``refutes`` / ``neutral``. The service's stance vocabulary is
``supports`` / ``refutes`` / ``reports``: ``neutral`` *and* any prediction whose confidence is below
:attr:`StanceModel.threshold` become ``reports`` (:meth:`StanceModel.reported_stance`). A stance the
model is unsure of is never passed off as a side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from stance.features import FEATURE_DIM, FEATURE_VERSION, pair_features

Label = Literal["supports", "refutes", "neutral"]
Stance = Literal["supports", "refutes", "reports"]

WEIGHTS_PATH: Final = Path(__file__).resolve().parent / "stance_weights.npz"
_LABELS: Final[frozenset[str]] = frozenset({"supports", "refutes", "neutral"})


@dataclass(frozen=True)
class StancePrediction:
    """The classifier's answer for one claim / sentence pair.

    ``confidence`` is the probability of ``label`` (the arg-max); ``probabilities`` has one entry per
    class and sums to 1.
    """

    label: Label
    confidence: float
    probabilities: dict[str, float]


def _as_label(name: str) -> Label:
    if name == "supports":
        return "supports"
    if name == "refutes":
        return "refutes"
    if name == "neutral":
        return "neutral"
    raise ValueError(f"unknown stance class {name!r} in the weights file")


class StanceModel:
    """A linear softmax over :func:`stance.features.pair_features`, plus its decision threshold."""

    def __init__(
        self,
        coef: npt.NDArray[np.float32],
        intercept: npt.NDArray[np.float32],
        classes: tuple[Label, ...],
        threshold: float,
    ) -> None:
        if coef.shape != (len(classes), FEATURE_DIM) or intercept.shape != (len(classes),):
            raise ValueError(
                f"weights have shape {coef.shape} / {intercept.shape}, "
                f"expected ({len(classes)}, {FEATURE_DIM}) / ({len(classes)},)"
            )
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = np.ascontiguousarray(intercept, dtype=np.float32)
        self.classes = classes
        self.threshold = float(threshold)
        """Confidence under which a supports/refutes prediction is reported as ``reports``. Tuned by
        :mod:`training.stance` on out-of-fold predictions over the training splits only."""

    @classmethod
    def load(cls, path: Path | None = None) -> StanceModel:
        """Read the shipped weights; refuses a file written for another feature layout."""
        with np.load(path or WEIGHTS_PATH, allow_pickle=False) as weights:
            version = str(weights["feature_version"])
            if version != FEATURE_VERSION:
                raise ValueError(
                    f"stance weights were trained for features {version!r}, this code computes "
                    f"{FEATURE_VERSION!r}: retrain with `python -m training.stance`"
                )
            classes = tuple(_as_label(str(c)) for c in weights["classes"])
            return cls(weights["coef"], weights["intercept"], classes, float(weights["threshold"]))

    def probabilities(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Class probabilities for a ``(n, FEATURE_DIM)`` matrix (columns in :attr:`classes` order)."""
        logits = features.astype(np.float32) @ self.coef.T + self.intercept
        logits = logits.astype(np.float64)
        logits -= logits.max(axis=-1, keepdims=True)
        exp = np.exp(logits)
        result: npt.NDArray[np.float64] = exp / exp.sum(axis=-1, keepdims=True)
        return result

    def predict(
        self,
        claim_vector: npt.NDArray[np.float32],
        sentence_vector: npt.NDArray[np.float32],
        claim_text: str,
        sentence_text: str,
    ) -> StancePrediction:
        """Stance of the sentence towards the claim, from their unit vectors and texts."""
        features = pair_features(claim_vector, sentence_vector, claim_text, sentence_text)
        probs = self.probabilities(features[np.newaxis, :])[0]
        best = int(np.argmax(probs))
        return StancePrediction(
            label=self.classes[best],
            confidence=float(probs[best]),
            probabilities={c: float(p) for c, p in zip(self.classes, probs, strict=True)},
        )

    def reported_stance(self, prediction: StancePrediction) -> Stance:
        """What the service says: a side only when the model takes one with enough confidence."""
        if prediction.label == "neutral" or prediction.confidence < self.threshold:
            return "reports"
        return prediction.label
