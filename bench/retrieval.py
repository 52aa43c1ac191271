"""Retrieval quality of the real ingest and check flows, measured on Climate-FEVER.

Why this exists: the support decision (``retrieval/support.py``) is meant to return only sentences
that support a claim and ``[]`` otherwise, and nothing in the test suite says what that costs in
recall or buys in precision on data the service was not built around. This benchmark indexes
every Climate-FEVER evidence sentence through ``Checker.ingest`` (one document per Wikipedia
article), then asks ``Checker.check`` about every claim, and compares against the human labels:

1. the raw dense ranking (FAISS paragraphs, then sentences by cosine; no support filter),
2. the service's answer (support filter on), including a check of the support decision itself,
3. ingest throughput and check latency.

Run: ``.venv/bin/python -m bench.retrieval [--limit-claims N]`` (see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from claimcheck.checker import Checker
from claimcheck.results import Submission
from corpus.nlp import load_pipeline
from embeddings.encoder import MiniLMEncoder, configure_threads

DATASET = (
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "climate-fever" / "climate-fever.jsonl"
)
GOLD_LABELS = frozenset({"SUPPORTS", "REFUTES"})
CHECK_LIMIT = 10
DENSE_PARAGRAPHS = 50
RECALL_K = 5
NDCG_K = 10

EvidenceIds = frozenset[str]
SentenceKey = tuple[str, str]  # (document id, sentence text as stored)


# -- data set -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldEvidence:
    id: str
    label: str
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    evidence: tuple[GoldEvidence, ...]

    def ids_labelled(self, labels: Iterable[str]) -> EvidenceIds:
        wanted = set(labels)
        return frozenset(e.id for e in self.evidence if e.label in wanted)

    @property
    def gold(self) -> EvidenceIds:
        """Evidence the annotators judged relevant either way: SUPPORTS or REFUTES."""
        return self.ids_labelled(GOLD_LABELS)


@dataclass(frozen=True, slots=True)
class Article:
    """One document to ingest: an article's distinct evidence sentences, one paragraph each."""

    document_id: str
    title: str
    sentences: tuple[tuple[str, EvidenceIds], ...]

    @property
    def text(self) -> str:
        return "\n\n".join(sentence for sentence, _ in self.sentences)

    def spans(self) -> list[tuple[int, int, EvidenceIds]]:
        """Character span of each evidence sentence in ``text``, with its evidence ids."""
        spans, start = [], 0
        for sentence, ids in self.sentences:
            spans.append((start, start + len(sentence), ids))
            start += len(sentence) + 2
        return spans


def load_claims(path: Path, limit: int | None) -> list[Claim]:
    claims = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            evidence = tuple(
                GoldEvidence(e["evidence_id"], e["evidence_label"], e["article"], e["evidence"].strip())
                for e in record["evidences"]
            )
            claims.append(Claim(record["claim_id"], record["claim"], evidence))
    return claims[:limit] if limit is not None else claims


def document_id(title: str) -> str:
    """A readable, collision-safe id for an article title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
    return f"{slug}-{hashlib.sha1(title.encode('utf-8')).hexdigest()[:8]}"


def _evidence_order(evidence_id: str) -> int:
    """Sentence number within its article ("Global warming:14" -> 14), to keep article order."""
    tail = evidence_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def build_articles(claims: Sequence[Claim]) -> list[Article]:
    """Group evidence by article title; identical sentences of one article become one paragraph."""
    by_title: dict[str, dict[str, set[str]]] = defaultdict(dict)
    order: dict[tuple[str, str], int] = {}
    for claim in claims:
        for e in claim.evidence:
            by_title[e.article].setdefault(e.text, set()).add(e.id)
            order.setdefault((e.article, e.text), _evidence_order(e.id))
    return [
        Article(
            document_id(title),
            title,
            tuple(
                (text, frozenset(ids))
                for text, ids in sorted(sentences.items(), key=lambda item: order[(title, item[0])])
            ),
        )
        for title, sentences in sorted(by_title.items())
    ]


# -- ingest and the (document id, sentence) -> evidence map ---------------------------------------


@dataclass(slots=True)
class Coverage:
    """How the stored sentences line up with the evidence sentences that were posted."""

    evidence: int = 0
    indexed: set[str] = field(default_factory=set)
    split: set[str] = field(default_factory=set)
    stored_sentences: int = 0
    unmatched_sentences: int = 0


def ingest_articles(checker: Checker, articles: Sequence[Article]) -> tuple[float, int]:
    """Ingest every article through ``Checker.ingest``; returns (seconds, stored sentences)."""
    stored = 0
    total = sum(len(a.sentences) for a in articles)
    started = time.perf_counter()
    with tqdm(total=total, unit="sent", desc="ingest") as bar:
        for article in articles:
            result = checker.ingest(Submission(text=article.text, id=article.document_id, format="text"))
            stored += result.sentences
            bar.update(len(article.sentences))
    return time.perf_counter() - started, stored


def sentence_map(
    checker: Checker, articles: Sequence[Article]
) -> tuple[dict[SentenceKey, EvidenceIds], Coverage]:
    """Map each stored sentence to the evidence it came from, by character overlap.

    Offsets rather than text equality, so an evidence sentence that spaCy splits in two still
    maps both halves to its evidence id, and one dropped by the parser shows up as not indexed.
    """
    mapping: dict[SentenceKey, set[str]] = defaultdict(set)
    coverage = Coverage(evidence=sum(len(a.sentences) for a in articles))
    for article in articles:
        stored = checker.document(article.document_id)
        if stored is None:
            continue
        pieces: dict[EvidenceIds, int] = defaultdict(int)
        spans = article.spans()
        for paragraph in stored.paragraphs:
            for sentence in paragraph.sentences:
                coverage.stored_sentences += 1
                hits = [ids for start, end, ids in spans if sentence.start < end and start < sentence.end]
                if not hits:
                    coverage.unmatched_sentences += 1
                for ids in hits:
                    mapping[(article.document_id, sentence.text)] |= ids
                    pieces[ids] += 1
        for ids, count in pieces.items():
            coverage.indexed |= ids
            if count > 1:
                coverage.split |= ids
    return {key: frozenset(ids) for key, ids in mapping.items()}, coverage


# -- rankings -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimRun:
    """What one claim got back: evidence ids per ranked item, for both rankings."""

    claim: Claim
    dense: tuple[EvidenceIds, ...]
    service: tuple[EvidenceIds, ...]
    seconds: float


def _merge_identical(ranked: Iterable[tuple[str, EvidenceIds]]) -> tuple[EvidenceIds, ...]:
    """One item per distinct sentence text (as the service merges copies), evidence ids unioned."""
    items: dict[str, EvidenceIds] = {}
    for text, ids in ranked:
        items[text] = items.get(text, frozenset()) | ids
    return tuple(items.values())


def dense_ranking(
    checker: Checker, claim: str, mapping: dict[SentenceKey, EvidenceIds]
) -> tuple[EvidenceIds, ...]:
    """Every sentence of the top paragraphs, by cosine to the claim, with no support filter."""
    query = checker.encoder.encode([claim.strip()])[0]
    hits = checker.index.search(query, DENSE_PARAGRAPHS)
    paragraphs = checker.store.paragraphs([int(i) for i in hits.ids])
    scored = [
        (float(np.dot(s.vector, query)), s.text, mapping.get((s.document_id, s.text), frozenset()))
        for p in paragraphs.values()
        for s in p.sentences
    ]
    scored.sort(key=lambda item: item[0], reverse=True)
    return _merge_identical((text, ids) for _, text, ids in scored)


def service_ranking(
    checker: Checker, claim: str, mapping: dict[SentenceKey, EvidenceIds]
) -> tuple[tuple[EvidenceIds, ...], float]:
    """``Checker.check`` as the API calls it; returns evidence ids per item and the seconds taken."""
    started = time.perf_counter()
    result = checker.check(claim, limit=CHECK_LIMIT)
    seconds = time.perf_counter() - started
    items = tuple(
        frozenset().union(*(mapping.get((src.document_id, ev.sentence), frozenset()) for src in ev.sources))
        for ev in result.evidence
    )
    return items, seconds


def run_claims(
    checker: Checker, claims: Sequence[Claim], mapping: dict[SentenceKey, EvidenceIds]
) -> list[ClaimRun]:
    runs = []
    for claim in tqdm(claims, unit="claim", desc="check"):
        service, seconds = service_ranking(checker, claim.text, mapping)
        runs.append(ClaimRun(claim, dense_ranking(checker, claim.text, mapping), service, seconds))
    return runs


# -- metrics ------------------------------------------------------------------------------------


def recall_at(items: Sequence[EvidenceIds], gold: EvidenceIds, k: int) -> float:
    found = frozenset().union(*items[:k]) & gold
    return len(found) / len(gold)


def ndcg_at(items: Sequence[EvidenceIds], gold: EvidenceIds, k: int) -> float:
    """Binary-gain nDCG; an item earns gain only for gold evidence not credited to a higher item."""
    credited: set[str] = set()
    dcg = 0.0
    for rank, ids in enumerate(items[:k]):
        new = (ids & gold) - credited
        if new:
            credited |= new
            dcg += 1.0 / math.log2(rank + 2)
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(gold), k)))
    return dcg / ideal


def ranking_figures(runs: Sequence[ClaimRun], pick: str) -> tuple[float, float]:
    """Mean recall@5 and nDCG@10 of the ``dense`` or ``service`` ranking over ``runs``."""
    recalls = [recall_at(getattr(r, pick), r.claim.gold, RECALL_K) for r in runs]
    ndcgs = [ndcg_at(getattr(r, pick), r.claim.gold, NDCG_K) for r in runs]
    return float(np.mean(recalls)), float(np.mean(ndcgs))


@dataclass(slots=True)
class SupportDecision:
    """Returned items judged against the claim's own five labelled evidence sentences."""

    labels: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    outside: int = 0
    returned: int = 0
    supports_total: int = 0
    supports_returned: int = 0
    refutes_total: int = 0
    refutes_returned: int = 0

    def add(self, run: ClaimRun) -> None:
        own = {e.id: e.label for e in run.claim.evidence}
        for ids in run.service:
            self.returned += 1
            labels = {own[i] for i in ids if i in own}
            if not labels:
                self.outside += 1
            else:
                self.labels[_strongest(labels)] += 1
        returned = frozenset().union(*run.service)
        supports, refutes = run.claim.ids_labelled({"SUPPORTS"}), run.claim.ids_labelled({"REFUTES"})
        self.supports_total += len(supports)
        self.supports_returned += len(supports & returned)
        self.refutes_total += len(refutes)
        self.refutes_returned += len(refutes & returned)

    @property
    def precision(self) -> float:
        gold = self.labels["SUPPORTS"] + self.labels["REFUTES"]
        judged = gold + self.labels["NOT_ENOUGH_INFO"]
        return gold / judged if judged else float("nan")


def _strongest(labels: set[str]) -> str:
    """Label of a returned sentence (ids of one claim never share a text, so this is a formality)."""
    for label in ("SUPPORTS", "REFUTES"):
        if label in labels:
            return label
    return "NOT_ENOUGH_INFO"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a (0/0)"


# -- report -------------------------------------------------------------------------------------


def report(
    runs: Sequence[ClaimRun],
    articles: Sequence[Article],
    coverage: Coverage,
    ingest: tuple[float, int],
) -> None:
    ranked = [r for r in runs if r.claim.gold]
    skipped = len(runs) - len(ranked)
    print(f"Climate-FEVER: {len(runs)} claims, {coverage.evidence} distinct evidence sentences")
    print(f"  in {len(articles)} documents (one per article title)")
    print(
        f"  evidence sentences indexed: {len(coverage.indexed)}/{coverage.evidence};"
        f" split by the segmenter into several sentences: {len(coverage.split)};"
        f" stored sentences matching no evidence: {coverage.unmatched_sentences}/{coverage.stored_sentences}"
    )
    print(f"  claims with SUPPORTS/REFUTES evidence: {len(ranked)} (skipped for 1-2: {skipped})")

    recall, ndcg = ranking_figures(ranked, "dense")
    print(f"\n1. Dense ranking, no support filter (sentences of the top {DENSE_PARAGRAPHS} paragraphs)")
    print(f"  recall@{RECALL_K}  {recall:.3f}")
    print(f"  nDCG@{NDCG_K}   {ndcg:.3f}")

    recall, ndcg = ranking_figures(ranked, "service")
    empty_ranked = sum(1 for r in ranked if not r.service)
    empty_all = sum(1 for r in runs if not r.service)
    print(f"\n2. Service answer, Checker.check(claim, limit={CHECK_LIMIT}) with the support filter")
    print(f"  recall@{RECALL_K}  {recall:.3f}")
    print(f"  nDCG@{NDCG_K}   {ndcg:.3f}")
    print(f"  empty evidence: {_share(empty_ranked, len(ranked))} of the claims above;")
    print(f"                  {_share(empty_all, len(runs))} of all claims")
    print_support_decision(runs)

    print_timing(runs, ingest)


def print_support_decision(runs: Sequence[ClaimRun]) -> None:
    decision = SupportDecision()
    for run in runs:
        decision.add(run)
    judged = decision.returned - decision.outside
    gold = decision.labels["SUPPORTS"] + decision.labels["REFUTES"]
    print(f"  support decision, over all {len(runs)} claims and {decision.returned} returned items:")
    print(
        f"    returned items among the claim's own 5 evidence sentences: {judged}"
        f" (SUPPORTS {decision.labels['SUPPORTS']}, REFUTES {decision.labels['REFUTES']},"
        f" NOT_ENOUGH_INFO {decision.labels['NOT_ENOUGH_INFO']});"
        f" outside them: {decision.outside}"
    )
    print(f"    precision (SUPPORTS/REFUTES vs NOT_ENOUGH_INFO): {_share(gold, judged)}")
    print(f"    recall of SUPPORTS evidence: {_share(decision.supports_returned, decision.supports_total)}")
    print(f"    recall of REFUTES evidence:  {_share(decision.refutes_returned, decision.refutes_total)}")


def print_timing(runs: Sequence[ClaimRun], ingest: tuple[float, int]) -> None:
    seconds, sentences = ingest
    latencies = np.array([r.seconds for r in runs]) * 1000.0
    print("\n3. Timing (1 torch thread, 1 faiss thread)")
    print(
        f"  ingest: {sentences} stored sentences in {seconds:.1f} s = {sentences / seconds:.1f} sentences/s"
    )
    print(
        f"  check latency: mean {latencies.mean():.1f} ms, p50 {np.percentile(latencies, 50):.1f} ms,"
        f" p99 {np.percentile(latencies, 99):.1f} ms over {len(runs)} checks"
    )


# -- main ---------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DATASET, help="climate-fever.jsonl")
    parser.add_argument(
        "--limit-claims",
        type=int,
        default=None,
        metavar="N",
        help="quick run: the first N claims, indexing only their evidence",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"  # models load from installed packages, never from the hub
    claims = load_claims(args.dataset, args.limit_claims)
    articles = build_articles(claims)
    configure_threads(1, 1)
    encoder, nlp = MiniLMEncoder(), load_pipeline()
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as data_dir:
        checker = Checker.open(Path(data_dir), encoder, nlp)
        try:
            ingest = ingest_articles(checker, articles)
            mapping, coverage = sentence_map(checker, articles)
            runs = run_claims(checker, claims, mapping)
        finally:
            checker.close()
    report(runs, articles, coverage, ingest)


if __name__ == "__main__":
    main()
