"""Can a cross-encoder fine-tuned here tell Climate-FEVER's relevant evidence from the rest?

Why this exists: issue 9 allows "a cross-encoder fine-tuned here from the shipped MiniLM weights"
if it measures better. The relevance frontier (``bench/relevance_frontier.py``) shows that the
Climate-FEVER target needs a decision that tells a NOT_ENOUGH_INFO sentence from a SUPPORTS/REFUTES
one by what it says. This measures exactly that, on each claim's own five labelled sentences, with
no retrieval in between: the area under the ROC curve and the average precision of

* the claim-sentence cosine of the service's encoder (the baseline),
* a logistic regression over cosine, cosine with the article title and the share of the claim's
  words in the sentence and in the title (the frontier's surface model), fitted on ``tune``,
* the same regression with the encoders' interaction features (u*v, |u-v|) added,
* all-MiniLM-L6-v2 fine-tuned as a cross-encoder (claim and sentence in one input, a fresh
  one-logit head, binary cross-entropy) on the ``tune`` pairs; ``--epochs`` passes, ~6 minutes each
  on two cores.

Claims are split as in ``bench.retrieval`` (SHA-1 of the claim id); everything is scored on
``report``. Run: ``.venv/bin/python -m bench.relevance_cross_encoder [--epochs 3] [--skip-fine-tune]``.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bench.relevance_frontier import RELEVANT, content_words, share
from bench.retrieval import DATASET, load_claims, split_of

SEED = 0
BATCH = 16
LEARNING_RATE = 3e-5
MAX_TOKENS = 128


@dataclass(frozen=True, slots=True)
class Pair:
    claim: str
    sentence: str
    title: str
    relevant: bool
    tune: bool


def labelled_pairs() -> list[Pair]:
    """Every claim's five labelled sentences, relevant when SUPPORTS or REFUTES."""
    return [
        Pair(c.text, e.text, e.article, e.label in RELEVANT, split_of(c) == "tune")
        for c in load_claims(DATASET, None)
        for e in c.evidence
    ]


def _scores(target: npt.NDArray[np.int_], scores: npt.NDArray[np.float64]) -> str:
    from sklearn.metrics import average_precision_score, roc_auc_score

    return f"AUC {roc_auc_score(target, scores):.3f}  AP {average_precision_score(target, scores):.3f}"


def feature_baselines(pairs: Sequence[Pair]) -> None:
    """Cosine, the surface regression, and the regression with interaction features."""
    from sklearn.linear_model import LogisticRegression

    from embeddings.encoder import MiniLMEncoder

    encoder = MiniLMEncoder()
    claims = encoder.encode([p.claim for p in pairs])
    sentences = encoder.encode([p.sentence for p in pairs])
    titled = encoder.encode([f"{p.title}: {p.sentence}" for p in pairs])
    cosine = (claims * sentences).sum(axis=1)
    surface = np.column_stack(
        [
            cosine,
            (claims * titled).sum(axis=1),
            [share(content_words(p.claim), content_words(p.sentence)) for p in pairs],
            [share(content_words(p.claim), content_words(p.title)) for p in pairs],
        ]
    )
    interaction = np.column_stack([surface, claims * sentences, np.abs(claims - sentences)])
    tune = np.array([p.tune for p in pairs])
    target = np.array([int(p.relevant) for p in pairs])
    print(f"  cosine (no fitting)                         {_scores(target[~tune], cosine[~tune])}")
    for name, features, c in (
        ("surface regression", surface, 1.0),
        ("+ interaction (u*v, |u-v|)", interaction, 0.1),
    ):
        model = LogisticRegression(max_iter=3000, C=c).fit(features[tune], target[tune])
        print(f"  {name:<44}{_scores(target[~tune], model.predict_proba(features[~tune])[:, 1])}")


def fine_tuned_cross_encoder(pairs: Sequence[Pair], epochs: int) -> None:
    """MiniLM as a cross-encoder, fine-tuned on the tune pairs, scored on report after each epoch."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from embeddings.encoder import model_path

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    tokenizer = AutoTokenizer.from_pretrained(model_path())
    model = AutoModelForSequenceClassification.from_pretrained(model_path(), num_labels=1)
    train = [p for p in pairs if p.tune]
    test = [p for p in pairs if not p.tune]
    steps = epochs * (len(train) // BATCH)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, s / warmup) * max(0.0, (steps - s) / steps)
    )
    loss_of = torch.nn.BCEWithLogitsLoss()

    def batch(chunk: Sequence[Pair]) -> dict[str, torch.Tensor]:
        return dict(
            tokenizer(
                [p.claim for p in chunk],
                [p.sentence for p in chunk],
                truncation=True,
                max_length=MAX_TOKENS,
                padding=True,
                return_tensors="pt",
            )
        )

    started = time.perf_counter()
    target = np.array([int(p.relevant) for p in test])
    for epoch in range(epochs):
        model.train()
        order = list(range(len(train)))
        rng.shuffle(order)
        for at in range(0, len(order) - BATCH + 1, BATCH):
            chunk = [train[i] for i in order[at : at + BATCH]]
            logits = model(**batch(chunk)).logits[:, 0]
            loss = loss_of(logits, torch.tensor([float(p.relevant) for p in chunk]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        model.eval()
        scores: list[float] = []
        with torch.no_grad():
            for at in range(0, len(test), 64):
                scores.extend(model(**batch(test[at : at + 64])).logits[:, 0].tolist())
        elapsed = time.perf_counter() - started
        label = f"cross-encoder, epoch {epoch + 1} ({elapsed:.0f} s)"
        print(f"  {label:<44}{_scores(target, np.array(scores))}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--skip-fine-tune", action="store_true", help="the feature baselines only")
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    from embeddings.encoder import configure_threads

    configure_threads(2, 1)
    pairs = labelled_pairs()
    tune = sum(p.tune for p in pairs)
    relevant = sum(p.relevant for p in pairs)
    print(
        f"Climate-FEVER labelled pairs: {len(pairs)} (tune {tune}, report {len(pairs) - tune});"
        f" SUPPORTS/REFUTES {relevant / len(pairs):.3f}. Scored on report:"
    )
    feature_baselines(pairs)
    if not args.skip_fine_tune:
        fine_tuned_cross_encoder(pairs, args.epochs)


if __name__ == "__main__":
    main()
