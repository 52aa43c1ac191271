"""Held-out stance figures of the shipped classifier, per dataset, against the majority baseline.

Why this exists: the service labels each evidence item supports / refutes / reports, and a label a
fact-checker reads as the outlet's side must be backed by a number measured on data the model never
saw. This prints, for each dataset's held-out split (see :mod:`evaluation.stance_data` for the split rules):
n, the majority-class baseline, the model's arg-max accuracy and macro-F1, the same with unsure
predictions mapped to neutral (the service's ``reports``), the share of pairs still given a side and
how often that side is right. It also times :meth:`StanceModel.predict` per pair.

Run: ``.venv/bin/python -m bench.stance`` (encoder outputs are cached in
``$TMPDIR/claimcheck-stance-cache``; a cold run encodes ~45k texts, several minutes on two cores).
"""

from __future__ import annotations

import argparse
import time

from evaluation.stance_data import VectorCache, load_all
from evaluation.stance_scores import format_table, score
from stance.features import pair_feature_matrix
from stance.model import WEIGHTS_PATH, StanceModel


def main() -> None:
    parser = argparse.ArgumentParser(description="Held-out stance figures per dataset.")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for encoding")
    args = parser.parse_args()

    import torch

    from embeddings.encoder import MiniLMEncoder

    torch.set_num_threads(args.threads)
    encode = VectorCache(MiniLMEncoder().encode)
    model = StanceModel.load()
    datasets = load_all(encode)
    rows = []
    for splits in datasets:
        claims = [p.claim for p in splits.heldout]
        sentences = [p.sentence for p in splits.heldout]
        x = pair_feature_matrix(encode(claims), encode(sentences), claims, sentences)
        rows.append(score(splits, model.probabilities(x), model.classes, model.threshold))
    encode.save()
    for splits in datasets:
        print(
            f"{splits.name:<16} train {len(splits.train):>6}  held-out {len(splits.heldout):>5}",
            splits.rule,
        )
    print(format_table(rows, model.threshold))

    sample = datasets[0].heldout[:500]
    u = encode([p.claim for p in sample])
    v = encode([p.sentence for p in sample])
    started = time.perf_counter()
    for i, pair in enumerate(sample):
        model.predict(u[i], v[i], pair.claim, pair.sentence)
    per_pair = (time.perf_counter() - started) / len(sample)
    print(f"predict latency: {per_pair * 1e3:.3f} ms per pair (mean of {len(sample)}, vectors given)")
    print(
        f"weights: {WEIGHTS_PATH.name}, {WEIGHTS_PATH.stat().st_size} bytes, coef {model.coef.shape} float32"
    )


if __name__ == "__main__":
    main()
