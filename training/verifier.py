"""Fit the verifier's model (``verification/verifier_weights.npz``) on labelled claim-sentence pairs.

Run: ``.venv/bin/python -m training.verifier --dataset /tmp/claimcheck-contrastive.jsonl`` (the
contrastive set from ``python -m bench.contrastive --generate-only``; about 10 minutes on 2 cores).

What the model decides, and on what it learns:

* The verifier's rules (``verification.decision``) settle role swaps, opposite acts, conflicting
  figures, negations, unmet names and acts that are only planned; the model decides the rest:
  supports or neither. So it is trained on exactly the pairs the rules leave to it, the way the
  service meets them: candidates the service's own retrieval admits for a claim.
* **Reuters pairs** (the target domain): the ``tune`` split of the contrastive set. Its stories are
  ingested through the real ingest path with distractor stories from outside the development
  subset; each claim is checked (``Checker.verify_all``); the claim's source sentence (or a copy of
  it) is a positive for a faithful claim and a negative for every perturbation; every other
  candidate is a negative. The ``report`` split is never read here.
* **Fact-checking datasets** (other domains): the train splits of Climate-FEVER, FEVER-symmetric,
  COVID-Fact and SciFact (``evaluation.fact_pairs``): each evidence sentence analysed as a
  one-paragraph document, kept only when the service would admit it; ``supports`` is a positive,
  ``refutes`` and ``neutral`` negatives. Each dataset together weighs a fifth of the Reuters pairs.
  FNC-1 is left out: its labels are per article, not per sentence.

The operating point is the threshold that maximises F1 of "supports" on out-of-fold predictions of
the Reuters pairs (folds grouped by story). Printed: the figures per source, the weights by
feature name, and the chosen threshold.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from claimcheck.checker import Checker
from claimcheck.evidence import facts_of
from claimcheck.requests import Submission
from corpus.parse import parse_document
from evaluation.fact_pairs import (
    load_climate_fever,
    load_covid_fact,
    load_fever_symmetric,
    load_scifact,
)
from retrieval.claim import Claim
from retrieval.merge import sentence_key
from retrieval.support import SupportPolicy, assess
from verification import SentenceFacts, Verifier
from verification.model import FEATURE_NAMES, FEATURE_VERSION, WEIGHTS_PATH, features

SHARED = Path(__file__).resolve().parents[2] / "shared"
REUTERS = SHARED / "datasets" / "reuters-21578" / "reuters21578.jsonl"
DEV_SUBSET = SHARED / "eval" / "reuters_subset_dev.json"
SEED = 1987
DISTRACTORS = 600
EXTERNAL_SHARE = 0.25  # weight of each external dataset, as a share of the Reuters pairs' weight
EXTERNAL_CAP = 1000  # pairs read per external dataset
# A candidate other than the claim's source is a negative only when it is plainly another
# statement: from another story and not a paraphrase of the source (copies and restatements
# support a faithful claim as much as the source does, and no label says which do).
PARAPHRASE_COSINE = 0.75


@dataclass(frozen=True, slots=True)
class Example:
    x: npt.NDArray[np.float32]
    label: int  # 1: the sentence supports the claim
    group: str  # pairs of one story (or claim) never straddle folds
    source: str


def _reuters_records(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [r for r in map(json.loads, handle) if r["split"] == "tune"]


def _stories(wanted: set[int], distractors: int) -> list[Submission]:
    dev = {int(i) for i in json.loads(DEV_SUBSET.read_text())["ids"]}
    rng = random.Random(SEED)
    chosen: list[Submission] = []
    others: list[Submission] = []
    with REUTERS.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            newid = int(record["newid"])
            if not record.get("body") or newid in dev:
                continue
            submission = Submission(
                text=record["body"],
                id=f"reuters-{newid}",
                format="text",
                title=record.get("title"),
                published=_published(record.get("date")),
            )
            (chosen if newid in wanted else others).append(submission)
    rng.shuffle(others)
    return chosen + others[:distractors]


def _published(raw: object) -> str | None:
    from datetime import datetime

    if not isinstance(raw, str) or len(raw) < 11:
        return None
    try:
        return datetime.strptime(raw.strip()[:11].title(), "%d-%b-%Y").date().isoformat()
    except ValueError:
        return None


def reuters_examples(
    checker: Checker, records: Sequence[dict[str, object]], others: bool = False
) -> tuple[list[Example], Counter[str]]:
    """Candidates the service admits for each tune claim, labelled against the claim's source.

    The source sentence is a positive for a faithful claim and a negative for each perturbation
    of it. ``others`` also makes negatives of the other candidates (off by default: measured, they
    taught the model the selection effects of this set, see ``verification.model``)."""
    examples: list[Example] = []
    tally: Counter[str] = Counter()
    for record in records:
        kind = str(record["kind"])
        doc_id, start, end = str(record["doc_id"]), int(str(record["start"])), int(str(record["end"]))
        source_key = sentence_key(str(record["sentence"]))
        source_vector = checker.encoder.encode([str(record["sentence"])])[0]
        found_source = False
        for verified in checker.verify_all(str(record["claim"]), limit=10):
            sentence = verified.sentence
            is_source = (
                sentence.document_id == doc_id and sentence.start < end and start < sentence.end
            ) or (sentence_key(sentence.text) == source_key)
            found_source |= is_source
            if not is_source and (
                not others
                or sentence.document_id == doc_id
                or float(sentence.vector @ source_vector) >= PARAPHRASE_COSINE
            ):
                tally[f"ambiguous:{kind}"] += 1
                continue
            label = int(is_source and kind == "faithful")
            verification = verified.verification
            if verification.decided_by == "rules":
                tally[f"rules:{kind}:{'source' if is_source else 'other'}:{verification.verdict}"] += 1
                continue
            facts = facts_of(verified.candidate)
            x = features(verification.alignment, facts, verification.frame is not None)
            examples.append(Example(x, label, doc_id, "reuters"))
        tally[f"candidate:{kind}:{'found' if found_source else 'missed'}"] += 1
    return examples, tally


def external_examples(checker: Checker, policy: SupportPolicy) -> list[Example]:
    """Dataset pairs the service would admit, as the verifier would see them (no store needed)."""
    from claimcheck.ingest import analyse_paragraphs

    verifier = Verifier(None)
    out: list[Example] = []
    for loader in (load_climate_fever, load_fever_symmetric, load_covid_fact, load_scifact):
        splits = loader()
        pairs = splits.train[:EXTERNAL_CAP]
        claims = list(checker.claim_nlp.pipe([p.claim for p in pairs]))
        vectors_claim = checker.encoder.encode([p.claim for p in pairs])
        vectors_sentence = checker.encoder.encode([p.sentence for p in pairs])
        parsed = [parse_document(p.sentence, "text") for p in pairs]
        analysed = analyse_paragraphs(parsed, checker.nlp)
        kept = 0
        for pair, doc, u, v, paragraphs in zip(
            pairs, claims, vectors_claim, vectors_sentence, analysed, strict=True
        ):
            if not paragraphs or not paragraphs[0].sentences:
                continue
            claim = Claim.from_parse(pair.claim, doc[:], u)
            paragraph = paragraphs[0]
            record = paragraph.sentences[0]
            support = assess(claim.requirements, record.terms, float(np.dot(u, v)))
            if not support.supports(policy):
                continue
            facts = SentenceFacts(
                record.text, record.start, record.end, record.terms, record.structure, support
            )
            verification = verifier.verify(claim, facts, paragraph.frames)
            if verification.decided_by == "rules":
                continue
            x = features(verification.alignment, facts, verification.frame is not None)
            out.append(Example(x, int(pair.label == "supports"), f"{splits.name}:{pair.group}", splits.name))
            kept += 1
        print(f"  {splits.name}: {kept} of {len(pairs)} training pairs reach the model", flush=True)
    return out


def _save_examples(path: Path, examples: Sequence[Example]) -> None:
    np.savez(
        path,
        x=np.vstack([e.x for e in examples]),
        label=np.asarray([e.label for e in examples]),
        group=np.asarray([e.group for e in examples]),
        source=np.asarray([e.source for e in examples]),
        feature_version=np.str_(FEATURE_VERSION),
    )


def _load_examples(path: Path) -> list[Example]:
    with np.load(path, allow_pickle=False) as data:
        if str(data["feature_version"]) != FEATURE_VERSION:
            raise SystemExit(f"{path} holds examples of another feature layout: delete it")
        return [
            Example(x, int(label), str(group), str(source))
            for x, label, group, source in zip(
                data["x"], data["label"], data["group"], data["source"], strict=True
            )
        ]


def _weights(examples: Sequence[Example]) -> npt.NDArray[np.float64]:
    counts = Counter(e.source for e in examples)
    reuters = counts.get("reuters", 1)
    return np.asarray(
        [1.0 if e.source == "reuters" else EXTERNAL_SHARE * reuters / counts[e.source] for e in examples]
    )


def fit(examples: Sequence[Example], c: float) -> npt.NDArray[np.float32]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([e.x for e in examples])
    y = np.asarray([e.label for e in examples])
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=2000, class_weight="balanced")
    model.fit(x, y, sample_weight=_weights(examples))
    coef: npt.NDArray[np.float32] = model.coef_[0].astype(np.float32)
    return coef


def out_of_fold(examples: Sequence[Example], c: float, folds: int = 5) -> npt.NDArray[np.float64]:
    """P(supports) for each example from a model fitted without its group (story or claim)."""
    groups = sorted({e.group for e in examples})
    rng = random.Random(SEED)
    rng.shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scores = np.zeros(len(examples))
    for fold in range(folds):
        coef = fit([e for e in examples if fold_of[e.group] != fold], c)
        for i, e in enumerate(examples):
            if fold_of[e.group] == fold:
                scores[i] = 1 / (1 + np.exp(-float(e.x @ coef)))
    return scores


def best_threshold(labels: Sequence[int], scores: Iterable[float]) -> tuple[float, float, float, float]:
    """(threshold, F1, precision, recall) maximising F1 of the positive class."""
    y = np.asarray(labels)
    s = np.asarray(list(scores))
    best = (0.5, 0.0, 0.0, 0.0)
    for threshold in np.arange(0.05, 0.96, 0.01):
        predicted = s >= threshold
        tp = int((predicted & (y == 1)).sum())
        precision = tp / max(1, int(predicted.sum()))
        recall = tp / max(1, int((y == 1).sum()))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[1]:
            best = (float(round(threshold, 2)), f1, precision, recall)
    return best


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, required=True, help="contrastive JSONL (bench.contrastive)")
    parser.add_argument("--data-dir", type=Path, default=None, help="keep the ingested store here")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--no-external", action="store_true")
    parser.add_argument("--others", action="store_true", help="other candidates as Reuters negatives")
    parser.add_argument("--no-reuters", action="store_true", help="fit on the external datasets only")
    parser.add_argument("--cache", type=Path, default=None, help="save/reuse the examples (npz)")
    args = parser.parse_args(argv)

    from corpus.nlp import load_pipeline
    from embeddings.backends import load_encoder
    from embeddings.encoder import configure_threads

    started = time.perf_counter()
    records = _reuters_records(args.dataset)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="claimcheck-verifier-"))
    configure_threads(1, 1)
    encoder = load_encoder("onnx", data_dir / "models", 1)
    # The rules alone: the model being fitted must not decide which pairs it is fitted on.
    checker = Checker.open(data_dir, encoder, load_pipeline(), verifier=Verifier(None))
    if checker.stats().documents == 0:
        stories = _stories({int(str(r["newid"])) for r in records}, DISTRACTORS)
        for _ in checker.ingest_many(stories):
            pass
        checker.save()
    print(f"store: {checker.stats().documents} stories; {len(records)} tune claims", flush=True)
    if args.cache is not None and args.cache.exists():
        examples = _load_examples(args.cache)
    else:
        reuters, tally = reuters_examples(checker, records, args.others)
        print(f"reuters: {len(reuters)} pairs reach the model ({sum(e.label for e in reuters)} positive)")
        for key in sorted(tally):
            print(f"  {key}: {tally[key]}")
        external = [] if args.no_external else external_examples(checker, checker.policy)
        examples = reuters + external
        if args.cache is not None:
            _save_examples(args.cache, examples)
    if args.no_reuters:
        examples = [e for e in examples if e.source != "reuters"]

    scores = out_of_fold(examples, args.c)
    threshold, f1, precision, recall = best_threshold([e.label for e in examples], scores)
    print(
        f"out-of-fold, all pairs: threshold {threshold:.2f}, F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f})"
    )
    for source in sorted({e.source for e in examples}):
        idx = [i for i, e in enumerate(examples) if e.source == source]
        y = np.asarray([examples[i].label for i in idx])
        predicted = scores[idx] >= threshold
        tp = int((predicted & (y == 1)).sum())
        print(
            f"  {source:16s} n={len(idx):5d} positives={int(y.sum()):4d}"
            f" P {tp / max(1, int(predicted.sum())):.3f} R {tp / max(1, int(y.sum())):.3f}"
        )
    coef = fit(examples, args.c)
    for name, weight in zip(FEATURE_NAMES, coef, strict=True):
        print(f"  {name:22s} {weight:+.3f}")
    np.savez(
        args.out,
        coef=coef,
        threshold=np.float32(threshold),
        feature_version=np.str_(FEATURE_VERSION),
        feature_names=np.asarray(FEATURE_NAMES),
    )
    print(f"wrote {args.out} in {time.perf_counter() - started:.0f} s")
    checker.close()


if __name__ == "__main__":
    main()
