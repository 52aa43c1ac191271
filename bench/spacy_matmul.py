"""Where spaCy's matrix products should run: numpy (OpenBLAS) or blis, for documents and for claims.

    .venv/bin/python -m bench.spacy_matmul [--bodies 200] [--claims 300] [--rounds 3]

Loads the service's pipeline twice (``corpus.nlp.load_pipeline(matmul="numpy")`` and ``"blis"``),
after ``configure_threads(1, 1)`` as a serving process does (one OpenBLAS thread), and times both
on the same inputs, interleaved so that a busy machine slows them alike:

* documents: the first ``--bodies`` non-empty Reuters-21578 bodies through ``nlp.pipe`` in batches
  of 64, as ingest parses paragraphs; tokens per second of process CPU, per round and the median;
* claims: ``--claims`` Reuters titles, lower-cased, one ``nlp(title)`` call each, as a check parses
  its claim; p50 and mean CPU milliseconds.

Then it compares what the two pipelines found, token by token (tag, dependency label, head, entity
type and IOB, lemma, sentence start): a backend that changed the analyses would not be a speed-up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from bench.claims_from_reuters import DEFAULT_DATASET
from corpus.nlp import MatMul, load_pipeline
from embeddings.encoder import configure_threads

BATCH = 64


def reuters_texts(path: Path, bodies: int, claims: int) -> tuple[list[str], list[str]]:
    """The first ``bodies`` non-empty bodies and the first ``claims`` titles, lower-cased."""
    body_texts: list[str] = []
    titles: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            body, title = (record.get("body") or "").strip(), (record.get("title") or "").strip()
            if body and len(body_texts) < bodies:
                body_texts.append(body)
            if title and len(titles) < claims:
                titles.append(title.lower())
            if len(body_texts) >= bodies and len(titles) >= claims:
                break
    return body_texts, titles


def analyses(docs: Iterable[Doc]) -> list[tuple[str, str, int, str, str, str, bool]]:
    return [
        (t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.lemma_, bool(t.is_sent_start))
        for doc in docs
        for t in doc
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=int, default=200)
    parser.add_argument("--claims", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    args = parser.parse_args(argv)
    configure_threads(1, 1)
    bodies, titles = reuters_texts(args.dataset, args.bodies, args.claims)
    kinds: tuple[MatMul, ...] = ("numpy", "blis")
    pipelines: dict[MatMul, Language] = {kind: load_pipeline(matmul=kind) for kind in kinds}
    for nlp in pipelines.values():
        list(nlp.pipe(bodies[:10], batch_size=BATCH))  # warm-up
    rates: dict[MatMul, list[float]] = {kind: [] for kind in kinds}
    parsed: dict[MatMul, list[Doc]] = {}
    for _ in range(args.rounds):
        for kind, nlp in pipelines.items():
            start = time.process_time()
            docs = list(nlp.pipe(bodies, batch_size=BATCH))
            rates[kind].append(sum(len(d) for d in docs) / (time.process_time() - start))
            parsed[kind] = docs
    claim_ms: dict[MatMul, list[float]] = {kind: [] for kind in kinds}
    claim_docs: dict[MatMul, list[Doc]] = {kind: [] for kind in kinds}
    for title in titles:
        for kind, nlp in pipelines.items():
            start = time.process_time()
            claim_docs[kind].append(nlp(title))
            claim_ms[kind].append(1000 * (time.process_time() - start))
    tokens = sum(len(d) for d in parsed["numpy"])
    print(f"{len(bodies)} Reuters bodies ({tokens:,} tokens) in batches of {BATCH}; {len(titles)} titles")
    print("| matrix products | documents: tokens/s of CPU, median (rounds) | one claim: CPU ms p50 / mean |")
    print("|---|---|---|")
    for kind in kinds:
        runs = ", ".join(f"{r:,.0f}" for r in rates[kind])
        ms = claim_ms[kind]
        print(
            f"| {kind} | {statistics.median(rates[kind]):,.0f} ({runs}) "
            f"| {statistics.median(ms):.2f} / {statistics.fmean(ms):.2f} |"
        )
    for what, a, b in (
        ("documents", parsed["numpy"], parsed["blis"]),
        ("claims", claim_docs["numpy"], claim_docs["blis"]),
    ):
        left, right = analyses(a), analyses(b)
        differing = sum(x != y for x, y in zip(left, right, strict=True))
        print(f"{what}: {differing} of {len(left):,} tokens analysed differently")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
