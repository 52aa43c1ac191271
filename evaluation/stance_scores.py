"""Held-out figures for the stance model, shared by ``training.stance`` and ``bench.stance``.

Why shared: the numbers printed after training and the numbers the benchmark prints must be the same
computation, or the README would quote two different "accuracies" for one model.

Definitions (stated here because they change the figures):

* macro-F1 averages the F1 of the classes *present in the dataset's gold labels* (fever-symmetric,
  covid-fact and scifact have no neutral class); a ``neutral`` prediction on such a dataset is a
  miss, it does not add a zero-F1 class;
* the majority baseline predicts the most frequent label of the dataset's *training* split for every
  held-out pair (on a balanced dataset it is the first class in label order);
* "thresholded" maps every prediction below the model's confidence threshold to ``neutral`` (the
  service's ``reports``); ``decided`` is the share of pairs still labelled supports/refutes and
  ``precision`` is the accuracy on those pairs — the figure a fact-checker actually relies on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from evaluation.stance_data import LABELS, Splits
from stance.model import Label


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of exact matches."""
    if not gold:
        return 0.0
    return sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold)


def macro_f1(gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> float:
    """Unweighted mean of per-class F1 over ``classes`` (an empty class scores 0)."""
    scores = []
    for label in classes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def majority_label(splits: Splits) -> Label:
    """Most frequent training label (ties broken by :data:`LABELS` order)."""
    counts = Counter(p.label for p in splits.train)
    return max(LABELS, key=lambda label: (counts[label], -LABELS.index(label)))


def thresholded(
    probabilities: npt.NDArray[np.float64], classes: Sequence[Label], threshold: float
) -> list[Label]:
    """Arg-max labels, with every prediction under ``threshold`` replaced by ``neutral``."""
    best = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    return [classes[int(b)] if c >= threshold else "neutral" for b, c in zip(best, confidence, strict=True)]


@dataclass(frozen=True)
class Row:
    """One dataset's held-out figures."""

    name: str
    n: int
    classes: tuple[Label, ...]
    majority: Label
    baseline_accuracy: float
    baseline_f1: float
    model_accuracy: float
    model_f1: float
    thresholded_accuracy: float
    thresholded_f1: float
    decided: float
    decided_precision: float


def score(
    splits: Splits, probabilities: npt.NDArray[np.float64], classes: Sequence[Label], threshold: float
) -> Row:
    """Figures for one dataset's held-out pairs, given the model's probabilities for them."""
    gold = [p.label for p in splits.heldout]
    model = thresholded(probabilities, classes, 0.0)
    gated = thresholded(probabilities, classes, threshold)
    majority = majority_label(splits)
    baseline = [majority] * len(gold)
    decided = [(g, p) for g, p in zip(gold, gated, strict=True) if p != "neutral"]
    return Row(
        name=splits.name,
        n=len(gold),
        classes=splits.classes,
        majority=majority,
        baseline_accuracy=accuracy(gold, baseline),
        baseline_f1=macro_f1(gold, baseline, splits.classes),
        model_accuracy=accuracy(gold, model),
        model_f1=macro_f1(gold, model, splits.classes),
        thresholded_accuracy=accuracy(gold, gated),
        thresholded_f1=macro_f1(gold, gated, splits.classes),
        decided=len(decided) / len(gold) if gold else 0.0,
        decided_precision=sum(1 for g, p in decided if g == p) / len(decided) if decided else 0.0,
    )


def format_table(rows: Sequence[Row], threshold: float) -> str:
    """A fixed-width table of :class:`Row` figures (what the README quotes)."""
    header = (
        f"{'dataset':<16}{'n':>6}  {'majority':<9}{'base acc':>9}{'base F1':>8}"
        f"{'acc':>7}{'F1':>7}{'thr acc':>9}{'thr F1':>8}{'decided':>9}{'prec':>7}"
    )
    lines = [f"held-out stance figures (threshold {threshold:.2f}; thr = unsure -> neutral)", header]
    for r in rows:
        lines.append(
            f"{r.name:<16}{r.n:>6}  {r.majority:<9}{r.baseline_accuracy:>9.3f}{r.baseline_f1:>8.3f}"
            f"{r.model_accuracy:>7.3f}{r.model_f1:>7.3f}{r.thresholded_accuracy:>9.3f}"
            f"{r.thresholded_f1:>8.3f}{r.decided:>9.3f}{r.decided_precision:>7.3f}"
        )
    return "\n".join(lines)
