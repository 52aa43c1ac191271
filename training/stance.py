"""Train the stance classifier offline and write ``stance/stance_weights.npz``.

Run: ``.venv/bin/python -m training.stance`` (about 10 minutes on two cores the first time, most of it
encoding; encoder outputs are cached in ``$TMPDIR/claimcheck-stance-cache``, so re-runs take ~1 min).

Why this procedure:

1. Every dataset is mapped to supports / refutes / neutral and split by
   :mod:`evaluation.stance_data`; only the training splits are used below, the held-out splits only for
   the figures printed at the end.
2. Features are :func:`stance.features.pair_feature_matrix`, standardised, and fed to a multinomial
   logistic regression. Datasets differ 20-fold in size, so each pair is weighted by
   ``(n_max / n_dataset) ** 0.5`` (small datasets still count without their few hundred pairs
   dominating) and classes are balanced within each dataset (:func:`pair_weights`). ``C`` is chosen
   by 3-fold
   cross-validation grouped by claim, on the mean of the per-dataset macro-F1.
3. The confidence threshold is tuned on the same out-of-fold predictions (never on held-out data):
   the lowest threshold at which supports/refutes predictions that pass it are right at least
   :data:`TARGET_PRECISION` of the time, averaged over datasets; if none does, 1.0 (never a side).
4. The standardisation is folded into the weights, which are saved as plain float32 arrays; the
   service needs numpy only (:mod:`stance.model`).

scikit-learn is needed here only (a development dependency), never at serving time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from evaluation.stance_data import LABELS, Splits, VectorCache, load_all
from evaluation.stance_scores import format_table, macro_f1, score, thresholded
from stance.features import FEATURE_VERSION, LEXICAL_NAMES, pair_feature_matrix
from stance.model import WEIGHTS_PATH, Label, StanceModel

SEED: Final = 13
C_GRID: Final = (0.03, 0.3)
TARGET_PRECISION: Final = 0.80
MIN_DECIDED_SHARE: Final = 0.02
"""A threshold that lets through fewer than 2 % of pairs is measured on too few to trust."""
ABSTAIN: Final = 1.0
"""Threshold meaning "never take a side" (a softmax confidence is below 1.0)."""
THRESHOLD_GRID: Final = tuple(round(0.34 + 0.01 * i, 2) for i in range(62))  # 0.34 .. 0.95

FloatMatrix = npt.NDArray[np.float32]


def encoder_function(threads: int) -> VectorCache:
    """The real MiniLM encoder behind the on-disk vector cache."""
    import torch

    from embeddings.encoder import MiniLMEncoder

    torch.set_num_threads(threads)
    return VectorCache(MiniLMEncoder().encode)


def features_for(splits: Splits, heldout: bool, encode: VectorCache) -> FloatMatrix:
    """Feature matrix of one side of a dataset's split."""
    pairs = splits.heldout if heldout else splits.train
    claims = [p.claim for p in pairs]
    sentences = [p.sentence for p in pairs]
    return pair_feature_matrix(encode(claims), encode(sentences), claims, sentences)


def pair_weights(datasets: Sequence[Splits]) -> npt.NDArray[np.float64]:
    """Training weight of every pair: datasets by ``(n_max / n) ** 0.5``, classes balanced within each.

    Why within each dataset: COVID-Fact is two-thirds ``refutes`` and its counter-claims are near
    copies of their evidence, so an unbalanced fit learns "very similar -> refutes" and calls a plain
    restatement a refutation. Balancing each dataset's classes removes every dataset's label skew as
    a prior; only the text pair is left to explain the label.
    """
    largest = max(len(s.train) for s in datasets)
    weights: list[float] = []
    for s in datasets:
        scale = (largest / len(s.train)) ** 0.5
        counts = {label: sum(1 for p in s.train if p.label == label) for label in s.classes}
        for p in s.train:
            weights.append(scale * len(s.train) / (len(s.classes) * counts[p.label]))
    return np.array(weights, dtype=np.float64)


def _fit(
    x: FloatMatrix, y: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], c: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Standardise, fit, and fold the standardisation into (coef, intercept) over raw features."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0, dtype=np.float64)
    scale = x.std(axis=0, dtype=np.float64)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    model.fit(z, y, sample_weight=weights)
    # Columns must come out in LABELS order whatever order sklearn sorted the integer classes in.
    order = [int(np.where(model.classes_ == k)[0][0]) for k in range(len(LABELS))]
    coef = model.coef_[order] / scale
    intercept = model.intercept_[order] - coef @ mean
    return coef, intercept


def _probabilities(
    coef: npt.NDArray[np.float64], intercept: npt.NDArray[np.float64], x: FloatMatrix
) -> npt.NDArray[np.float64]:
    model = StanceModel(coef.astype(np.float32), intercept.astype(np.float32), LABELS, 0.0)
    return model.probabilities(x)


def tune_threshold(
    probabilities: npt.NDArray[np.float64], gold: Sequence[Label], dataset: npt.NDArray[np.int64]
) -> tuple[float, list[tuple[float, float, float]]]:
    """Lowest threshold whose decided predictions reach :data:`TARGET_PRECISION` (dataset mean).

    Returns the threshold and the (threshold, mean precision, mean decided share) curve. If no
    threshold on the grid reaches the target, the answer is :data:`ABSTAIN` (1.0): the model never
    takes a side and every evidence item is ``reports``. Picking "the most precise point" instead
    would ship a side that is wrong ~40 % of the time, which is the guess the service must not make.
    """
    curve: list[tuple[float, float, float]] = []
    for t in THRESHOLD_GRID:
        labels = thresholded(probabilities, LABELS, t)
        precisions, shares = [], []
        for d in np.unique(dataset):
            idx = np.where(dataset == d)[0]
            decided = [i for i in idx if labels[i] != "neutral"]
            shares.append(len(decided) / len(idx))
            if decided:
                precisions.append(sum(1 for i in decided if labels[i] == gold[i]) / len(decided))
        curve.append((t, float(np.mean(precisions)) if precisions else 0.0, float(np.mean(shares))))
    for t, precision, share in curve:
        if precision >= TARGET_PRECISION and share >= MIN_DECIDED_SHARE:
            return t, curve
    return ABSTAIN, curve


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    from sklearn.model_selection import GroupKFold

    started = time.perf_counter()
    encode = encoder_function(args.threads)
    datasets = load_all(encode)
    train_x = [features_for(s, False, encode) for s in datasets]
    heldout_x = [features_for(s, True, encode) for s in datasets]
    encode.save()
    print(f"encoded and featurised in {time.perf_counter() - started:.0f} s")

    x = np.concatenate(train_x)
    gold: list[Label] = [p.label for s in datasets for p in s.train]
    y = np.array([LABELS.index(label) for label in gold], dtype=np.int64)
    groups = np.array([p.group for s in datasets for p in s.train])
    dataset = np.concatenate([np.full(len(s.train), i, dtype=np.int64) for i, s in enumerate(datasets)])
    weights = pair_weights(datasets)

    folds = list(GroupKFold(n_splits=3, shuffle=True, random_state=SEED).split(x, y, groups))
    best: tuple[float, float, npt.NDArray[np.float64]] | None = None
    for c in C_GRID:
        oof = np.zeros((len(y), len(LABELS)))
        for fit_idx, val_idx in folds:
            coef, intercept = _fit(x[fit_idx], y[fit_idx], weights[fit_idx], c)
            oof[val_idx] = _probabilities(coef, intercept, x[val_idx])
        predicted = thresholded(oof, LABELS, 0.0)
        f1s = []
        for i, s in enumerate(datasets):
            idx = np.where(dataset == i)[0]
            f1s.append(macro_f1([gold[j] for j in idx], [predicted[j] for j in idx], s.classes))
        mean_f1 = float(np.mean(f1s))
        print(f"cv C={c:<5} mean macro-F1 {mean_f1:.3f}  per dataset {np.round(f1s, 3)}", flush=True)
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, c, oof)
    assert best is not None
    _, c, oof = best
    threshold, curve = tune_threshold(oof, gold, dataset)
    for t, precision, share in curve[::3]:
        print(f"  oof threshold {t:.2f}: decided precision {precision:.3f}, decided share {share:.3f}")
    print(f"chosen C={c} threshold={threshold:.2f} (target {TARGET_PRECISION})")

    coef, intercept = _fit(x, y, weights, c)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        classes=np.array(LABELS, dtype=np.str_),
        feature_version=np.array(FEATURE_VERSION, dtype=np.str_),
        lexical_names=np.array(LEXICAL_NAMES, dtype=np.str_),
        threshold=np.array(threshold, dtype=np.float32),
        config=np.array(f"C={c} seed={SEED} per-dataset class-balanced weights", dtype=np.str_),
    )
    model = StanceModel.load(args.out)
    rows = [
        score(s, model.probabilities(hx), model.classes, model.threshold)
        for s, hx in zip(datasets, heldout_x, strict=True)
    ]
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    print(format_table(rows, model.threshold))
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
