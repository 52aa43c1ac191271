"""Retrieval quality of the real ingest and check flows, measured on Climate-FEVER.

Why this exists: the support decision (``retrieval/support.py``) is meant to return only sentences
that support a claim and ``[]`` otherwise, and nothing in the test suite says what that costs in
recall or buys in precision on data the service was not built around. This benchmark indexes
every Climate-FEVER evidence sentence through ``Checker.ingest`` (one document per Wikipedia
article), ranks each claim's evidence several ways and asks ``Checker.check`` about every claim
under several ``SupportPolicy`` settings, and compares against the human labels:

1. rankings without the support filter: dense (FAISS paragraphs, then sentences by cosine), BM25
   (the ``bm25s`` library in-process, and the service's own SQLite FTS5), hybrid RRF fusions, and
   the same with each sentence's article title prepended (encoded and indexed here, in the bench),
2. the service's answer (support filter on) per policy, with its share of empty answers and the
   seed development claims (``../shared/eval/seed_claims_dev.json``) checked in-process under the
   same policy, then a recommended policy: the best recall@5 on the *tune* half of the claims
   among the policies that pass every dev check,
3. why gold evidence is missing from the default answer, a check of the support decision itself,
   ingest throughput and check latency.

Claims are split deterministically by the SHA-1 of their id: ``tune`` (first byte even) and
``report`` (odd). Choices are made on ``tune`` only; figures are printed for both halves and all.

Run: ``.venv/bin/python -m bench.retrieval [--limit-claims N] [--data-dir DIR]`` (see ``bench/README.md``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import math
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType

import numpy as np
from tqdm import tqdm

from bench.relevance_frontier import LabelledClaim, RankedItem, content_words, print_frontier, share
from bench.tools import load_tool
from claimcheck.checker import Checker
from claimcheck.requests import NothingToIndexError, Submission
from corpus.nlp import load_pipeline
from embeddings.backends import BACKENDS, load_encoder
from embeddings.encoder import Encoder, configure_threads
from retrieval.candidates import paragraph_depth
from retrieval.claim import Claim as ClaimQuery
from retrieval.support import SupportPolicy, assess
from retrieval.terms import is_content

DATASET = (
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "climate-fever" / "climate-fever.jsonl"
)
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_CLAIMS = SHARED / "eval" / "seed_claims_dev.json"
DEV_SCORER = SHARED / "tools" / "eval_claims.py"
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
GOLD_LABELS = frozenset({"SUPPORTS", "REFUTES"})
CHECK_LIMIT = 10
DENSE_PARAGRAPHS = 50
LEXICAL_DEPTH = 100  # BM25 hits per claim that enter a ranking (and the fusion)
RRF_K = 60  # reciprocal rank fusion constant (Cormack et al. 2009), not tuned
RECALL_K = 5
NDCG_K = 10
SPLITS = ("tune", "report", "all")

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
            submission = Submission(
                text=article.text, id=article.document_id, format="text", title=article.title
            )
            # An article whose only evidence is a date line has nothing to index: its evidence
            # shows up as not indexed in the coverage counts.
            with contextlib.suppress(NothingToIndexError):
                stored += checker.ingest(submission).sentences
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


def split_of(claim: Claim) -> str:
    """``tune`` or ``report``, fixed by the claim id alone (about half each)."""
    return "tune" if hashlib.sha1(claim.id.encode("utf-8")).digest()[0] % 2 == 0 else "report"


# -- the indexed sentences, as rows -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One stored sentence: its store id, where it is, its text and gold evidence ids."""

    sentence_id: int
    paragraph_id: int
    document_id: str
    title: str
    text: str
    ids: EvidenceIds


@dataclass(slots=True)
class Corpus:
    rows: list[Row]
    by_sentence_id: dict[int, int]
    vectors: np.ndarray  # stored sentence vectors, as ingested
    title_vectors: np.ndarray  # "title: sentence", encoded here
    title_seconds: float


def read_corpus(
    checker: Checker, articles: Sequence[Article], mapping: dict[SentenceKey, EvidenceIds]
) -> Corpus:
    rows, vectors = [], []
    for article in articles:
        stored = checker.indexes.store.get_document(article.document_id)  # with row ids and vectors
        if stored is None:
            continue
        for paragraph in stored.paragraphs:
            for s in paragraph.sentences:
                ids = mapping.get((s.document_id, s.text), frozenset())
                rows.append(Row(s.id, s.paragraph_id, s.document_id, article.title, s.text, ids))
                vectors.append(s.vector)
    started = time.perf_counter()
    title_vectors = checker.encoder.encode([f"{r.title}: {r.text}" for r in rows])
    seconds = time.perf_counter() - started
    return Corpus(
        rows, {r.sentence_id: i for i, r in enumerate(rows)}, np.vstack(vectors), title_vectors, seconds
    )


# -- BM25 with bm25s (reference implementation, in-process) ----------------------------------------


class Bm25:
    """``bm25s`` (Lucene BM25, k1=1.5, b=0.75) over the rows, English stop words, Snowball stems."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s
        import snowballstemmer

        self._bm25s = bm25s
        self._stemmer = snowballstemmer.stemmer("english")
        self._model = bm25s.BM25()
        self._model.index(self._tokens(texts), show_progress=False)
        self._size = len(texts)

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        tokens: list[list[str]] = self._bm25s.tokenize(
            list(texts),
            stopwords="en",
            stemmer=self._stemmer.stemWords,
            return_ids=False,
            show_progress=False,
        )
        return tokens

    def search(self, queries: Sequence[str], k: int) -> list[list[int]]:
        """Row numbers of the best ``k`` rows per query with a positive score."""
        out: list[list[int]] = []
        for tokens in self._tokens(queries):
            if not tokens:
                out.append([])
                continue
            docs, scores = self._model.retrieve([tokens], k=min(k, self._size), show_progress=False)
            out.append([int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0])
        return out


# -- rankings -----------------------------------------------------------------------------------

Ranking = tuple[EvidenceIds, ...]  # evidence ids per ranked item, best first


@dataclass(frozen=True, slots=True)
class RankingSpec:
    key: str
    label: str


RANKINGS = (
    RankingSpec("dense", f"(a) dense: FAISS top {DENSE_PARAGRAPHS} paragraphs, sentences by cosine"),
    RankingSpec("dense_all", "(a') dense: cosine over every sentence (exact)"),
    RankingSpec("bm25s", "(b) BM25, bm25s over every sentence"),
    RankingSpec("fts5", "(c) BM25, service FTS5 (claim content words)"),
    RankingSpec("rrf_bm25s", "(d) RRF dense (a) + bm25s (b)"),
    RankingSpec("rrf_fts5", "(d') RRF dense (a) + FTS5 (c)"),
    RankingSpec("rrf_all_bm25s", "(d'') RRF dense exact (a') + bm25s (b)"),
    RankingSpec("title_dense", "(e1) dense exact, 'title: sentence' vectors"),
    RankingSpec("title_bm25s", "(e2) bm25s over 'title sentence'"),
    RankingSpec("title_rrf", "(e3) RRF (e1) + (e2)"),
    RankingSpec("title_rrf_fts5", "(e4) RRF (e1) + FTS5 (c)"),
)


def _items(corpus: Corpus, rows: Iterable[int]) -> Ranking:
    """One item per distinct sentence text (as the service merges copies), evidence ids unioned."""
    items: dict[str, EvidenceIds] = {}
    for i in rows:
        row = corpus.rows[i]
        items[row.text] = items.get(row.text, frozenset()) | row.ids
    return tuple(items.values())


def rrf(*rankings: Sequence[int]) -> list[int]:
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            scores[row] += 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda row: -scores[row])


def _dedupe(rows: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(rows))


def rankings_for(
    checker: Checker,
    corpus: Corpus,
    claims: Sequence[Claim],
    bm25: Bm25,
    bm25_title: Bm25,
) -> list[dict[str, Ranking]]:
    """Every ranking of ``RANKINGS`` for every claim."""
    texts = [c.text.strip() for c in claims]
    queries = checker.encoder.encode(texts)
    lexical = bm25.search(texts, LEXICAL_DEPTH)
    lexical_title = bm25_title.search(texts, LEXICAL_DEPTH)
    out = []
    for n, claim in enumerate(tqdm(claims, unit="claim", desc="rankings")):
        q = queries[n]
        hits = checker.indexes.index.search(q, DENSE_PARAGRAPHS)
        paragraphs = checker.indexes.store.paragraphs([int(i) for i in hits.ids])
        scored = [
            (float(np.dot(s.vector, q)), corpus.by_sentence_id[s.id])
            for p in paragraphs.values()
            for s in p.sentences
            if s.id in corpus.by_sentence_id
        ]
        dense = [row for _, row in sorted(scored, key=lambda item: -item[0])]
        dense_all = list(np.argsort(-(corpus.vectors @ q), kind="stable")[: max(LEXICAL_DEPTH, len(dense))])
        title_dense = list(np.argsort(-(corpus.title_vectors @ q), kind="stable")[:LEXICAL_DEPTH])
        words = tuple(t.text for t in checker.claim_nlp(claim.text.strip()) if is_content(t))
        fts5 = _dedupe(
            corpus.by_sentence_id[h.sentence_id]
            for h in checker.indexes.store.lexical.search(words, LEXICAL_DEPTH)
            if h.sentence_id in corpus.by_sentence_id
        )
        ranked = {
            "dense": dense,
            "dense_all": dense_all,
            "bm25s": lexical[n],
            "fts5": fts5,
            "rrf_bm25s": rrf(dense, lexical[n]),
            "rrf_fts5": rrf(dense, fts5),
            "rrf_all_bm25s": rrf(dense_all, lexical[n]),
            "title_dense": title_dense,
            "title_bm25s": lexical_title[n],
            "title_rrf": rrf(title_dense, lexical_title[n]),
            "title_rrf_fts5": rrf(title_dense, fts5),
        }
        out.append({key: _items(corpus, rows) for key, rows in ranked.items()})
    return out


# -- the service's answer under a policy ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicySpec:
    name: str
    policy: SupportPolicy


_LOOSE = SupportPolicy(min_cosine=0.35, min_cosine_named=0.30, min_coverage=0.15, paraphrase_cosine=0.55)
_LOOSER = SupportPolicy(min_cosine=0.25, min_cosine_named=0.20, min_coverage=0.0, paraphrase_cosine=0.45)
# Every threshold off: only the part of the decision no policy field controls is left (the sentence
# must name every entity and number of the claim). The loosest a SupportPolicy can be.
_NAMES_ONLY = SupportPolicy(min_cosine=-1.0, min_cosine_named=-1.0, min_coverage=0.0, paraphrase_cosine=-1.0)

POLICIES = (
    PolicySpec("default", SupportPolicy()),
    PolicySpec("lw0.1", SupportPolicy(lexical_weight=0.1)),
    PolicySpec("lw0.2", SupportPolicy(lexical_weight=0.2)),
    PolicySpec("lw0.3", SupportPolicy(lexical_weight=0.3)),
    PolicySpec("loose", _LOOSE),
    PolicySpec("looser", _LOOSER),
    PolicySpec("looser+lw0.3", replace(_LOOSER, lexical_weight=0.3)),
    PolicySpec("names-only", _NAMES_ONLY),
    PolicySpec("names-only+lw0.3", replace(_NAMES_ONLY, lexical_weight=0.3)),
)


def describe(policy: SupportPolicy) -> str:
    default = SupportPolicy()
    changed = [
        f"{name}={getattr(policy, name)}"
        for name in policy.__slots__
        if getattr(policy, name) != getattr(default, name)
    ]
    return ", ".join(changed) or "(defaults)"


@dataclass(frozen=True, slots=True)
class ServiceRun:
    items: tuple[Ranking, ...]  # per claim
    seconds: tuple[float, ...]  # per claim


def service_runs(
    checker: Checker, claims: Sequence[Claim], corpus: Corpus, policy: SupportPolicy, name: str
) -> ServiceRun:
    """``Checker.check`` as the API calls it, every claim, under ``policy``."""
    checker.policy = policy
    by_key = {(r.document_id, r.text): r.ids for r in corpus.rows}
    items, seconds = [], []
    for claim in tqdm(claims, unit="claim", desc=f"check {name}"):
        started = time.perf_counter()
        result = checker.check(claim.text, limit=CHECK_LIMIT)
        seconds.append(time.perf_counter() - started)
        # Gold evidence is SUPPORTS or REFUTES: an item counts from either list, best score first.
        returned = sorted((*result.evidence, *result.contradicting), key=lambda ev: -ev.score)
        items.append(
            tuple(
                frozenset().union(
                    *(by_key.get((src.document_id, ev.sentence), frozenset()) for src in ev.sources)
                )
                for ev in returned
            )
        )
    return ServiceRun(tuple(items), tuple(seconds))


# -- seed dev claims, in-process ------------------------------------------------------------------


def _load_scorer() -> ModuleType:
    return load_tool(DEV_SCORER, "eval_claims")


class DevClaims:
    """The shared scorer's ``evaluate`` with its HTTP call replaced by ``Checker.check`` + the API view.

    Same checks as ``tests/test_dev_claims.py`` (found in the top 5, sources, allegation, speaker,
    none = empty, offsets, forbidden phrases), without a server.
    """

    def __init__(self, encoder: object, nlp: object, data_dir: Path) -> None:
        import msgspec

        self.checker = Checker.open(data_dir, encoder, nlp)  # type: ignore[arg-type]
        self.checker.ingest_files(sorted(SEEDS_DIR.glob("*.txt")))
        self.spec = json.loads(DEV_CLAIMS.read_text(encoding="utf-8"))
        self.seeds = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
        self.scorer = _load_scorer()

        def post(url: str, body: dict[str, object], timeout: float = 60.0) -> tuple[int, object, float]:
            started = time.perf_counter()
            result = self.checker.check(str(body["claim"]), int(str(body.get("limit", 10))))
            payload = msgspec.to_builtins(result)
            return 200, payload, time.perf_counter() - started

        self.scorer.post = post  # type: ignore[attr-defined]

    def evaluate(self, policy: SupportPolicy) -> tuple[dict[str, tuple[int, int]], bool, str]:
        """Tally per check, whether everything passed, and the scorer's per-claim lines."""
        self.checker.policy = policy
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = self.scorer.evaluate("in-process", self.spec, False, self.seeds)
        tally = {k: (int(g), int(t)) for k, (g, t) in result["tally"].items()}
        passed = not result["errors"] and not result["forbidden"] and all(g == t for g, t in tally.values())
        return tally, passed, out.getvalue()

    def close(self) -> None:
        self.checker.close()


# -- why gold evidence is missing from the answer -------------------------------------------------


def missing_gold_reasons(
    checker: Checker, claims: Sequence[Claim], corpus: Corpus, runs: ServiceRun, policy: SupportPolicy
) -> dict[str, int]:
    """For each gold evidence sentence (stored) of each claim: where the service loses it.

    Uses the service's own pieces (``retrieval.claim.Claim``, ``assess``, ``SupportPolicy``) on the
    gold sentence; "not a candidate" means its paragraph is neither among the FAISS paragraphs
    nor the FTS5 sentences that ``Checker.check`` fetches for ``limit=10``
    (``retrieval.candidates.paragraph_depth``).
    """
    gold_rows: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(corpus.rows):
        for evidence_id in row.ids:
            gold_rows[evidence_id].append(i)
    sentences: dict[int, object] = {}
    fetched: set[int] = set()
    reasons: dict[str, int] = defaultdict(int)
    for claim, items in zip(claims, runs.items, strict=True):
        if not claim.gold:
            continue
        top5 = frozenset().union(*items[:RECALL_K])
        text = claim.text.strip()
        q = checker.encoder.encode([text])[0]
        query = ClaimQuery.from_parse(text, checker.claim_nlp(text)[:], q)
        requirements = query.requirements
        store = checker.indexes.store
        paragraph_ids = {int(i) for i in checker.indexes.index.search(q, paragraph_depth(CHECK_LIMIT)).ids}
        paragraph_ids |= {
            h.paragraph_id for h in store.lexical.search(query.words, policy.lexical_candidates)
        }
        for evidence_id in sorted(claim.gold):
            rows = gold_rows.get(evidence_id)
            if not rows:
                reasons["not indexed"] += 1
                continue
            if evidence_id in top5:
                reasons["returned in the top 5"] += 1
                continue
            if not any(corpus.rows[i].paragraph_id in paragraph_ids for i in rows):
                reasons["not a candidate (FAISS/FTS5)"] += 1
                continue
            supports = []
            for i in rows:
                pid = corpus.rows[i].paragraph_id
                if pid not in fetched:
                    fetched.add(pid)
                    sentences.update({s.id: s for p in store.paragraphs([pid]).values() for s in p.sentences})
                s = sentences[corpus.rows[i].sentence_id]
                supports.append(assess(requirements, s.terms, float(np.dot(s.vector, q))))  # type: ignore[attr-defined]
            if any(s.supports(policy) for s in supports):
                reasons["supported, ranked below 5"] += 1
            elif not any(s.names_all for s in supports):
                reasons["rejected: lacks a claim entity/number"] += 1
            else:
                reasons["rejected: cosine/coverage thresholds"] += 1
    return dict(reasons)


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


@dataclass(frozen=True, slots=True)
class Figures:
    recall: float
    ndcg: float
    claims: int  # claims with gold, averaged over
    empty_gold: int = 0  # of those, claims with no item
    empty_all: int = 0  # of every claim in the split
    all_claims: int = 0


def figures(claims: Sequence[Claim], items: Sequence[Ranking], split: str) -> Figures:
    """recall@5 / nDCG@10 over the split's claims with gold; empty answers over the split."""
    chosen = [(c, r) for c, r in zip(claims, items, strict=True) if split == "all" or split_of(c) == split]
    ranked = [(c, r) for c, r in chosen if c.gold]
    return Figures(
        float(np.mean([recall_at(r, c.gold, RECALL_K) for c, r in ranked])) if ranked else float("nan"),
        float(np.mean([ndcg_at(r, c.gold, NDCG_K) for c, r in ranked])) if ranked else float("nan"),
        len(ranked),
        sum(1 for _, r in ranked if not r),
        sum(1 for _, r in chosen if not r),
        len(chosen),
    )


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

    def add(self, claim: Claim, items: Ranking) -> None:
        own = {e.id: e.label for e in claim.evidence}
        for ids in items:
            self.returned += 1
            labels = {own[i] for i in ids if i in own}
            if not labels:
                self.outside += 1
            else:
                self.labels[_strongest(labels)] += 1
        returned = frozenset().union(*items)
        supports, refutes = claim.ids_labelled({"SUPPORTS"}), claim.ids_labelled({"REFUTES"})
        self.supports_total += len(supports)
        self.supports_returned += len(supports & returned)
        self.refutes_total += len(refutes)
        self.refutes_returned += len(refutes & returned)


def _strongest(labels: set[str]) -> str:
    """Label of a returned sentence (ids of one claim never share a text, so this is a formality)."""
    for label in ("SUPPORTS", "REFUTES"):
        if label in labels:
            return label
    return "NOT_ENOUGH_INFO"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a (0/0)"


# -- report -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyResult:
    spec: PolicySpec
    run: ServiceRun
    dev: dict[str, tuple[int, int]]
    dev_passed: bool
    dev_lines: str


def _header(claims: Sequence[Claim], first: str, extra: str = "") -> str:
    counts = {s: sum(1 for c in claims if c.gold and (s == "all" or split_of(c) == s)) for s in SPLITS}
    cells = "".join(f"  {f'{s} (n={counts[s]})':<17}" for s in SPLITS)
    sub = "".join(f"  {'R@5':>6} {'nDCG@10':>8}  " for _ in SPLITS)
    return f"{first:<58}{cells}{extra}\n{'':<58}{sub}"


def _cells(claims: Sequence[Claim], items: Sequence[Ranking]) -> str:
    out = ""
    for split in SPLITS:
        f = figures(claims, items, split)
        out += f"  {f.recall:>6.3f} {f.ndcg:>8.3f}  "
    return out


def print_corpus(claims: Sequence[Claim], articles: Sequence[Article], coverage: Coverage) -> None:
    ranked = [c for c in claims if c.gold]
    print(f"Climate-FEVER: {len(claims)} claims, {coverage.evidence} distinct evidence sentences")
    print(f"  in {len(articles)} documents (one per article title)")
    print(
        f"  evidence sentences indexed: {len(coverage.indexed)}/{coverage.evidence};"
        f" split by the segmenter into several sentences: {len(coverage.split)};"
        f" stored sentences matching no evidence: {coverage.unmatched_sentences}/{coverage.stored_sentences}"
    )
    tune = sum(1 for c in claims if split_of(c) == "tune")
    print(
        f"  claims with SUPPORTS/REFUTES evidence: {len(ranked)}"
        f" (skipped for recall/nDCG: {len(claims) - len(ranked)})"
    )
    print(f"  split by sha1(claim id): tune {tune} claims, report {len(claims) - tune} claims")


def print_rankings(claims: Sequence[Claim], rankings: Sequence[dict[str, Ranking]]) -> None:
    print("\n1. Rankings without the support filter (recall@5 / nDCG@10, claims with gold evidence)")
    print(_header(claims, "ranking", "  precision of the top 5 (all claims)"))
    for spec in RANKINGS:
        decision = SupportDecision()
        for claim, ranked in zip(claims, rankings, strict=True):
            decision.add(claim, ranked[spec.key][:RECALL_K])
        judged = sum(decision.labels.values())
        relevant = judged - decision.labels["NOT_ENOUGH_INFO"]
        cells = _cells(claims, [r[spec.key] for r in rankings])
        print(f"{spec.label:<58}{cells}  {_share(relevant, judged)}")


FRONTIER_RANKING = "title_rrf"  # the best ranking of part 1
FRONTIER_DEPTH = 20  # ranked sentences per claim the frontier's decisions choose among


def labelled_claims(
    checker: Checker, claims: Sequence[Claim], corpus: Corpus, rankings: Sequence[dict[str, Ranking]]
) -> list[LabelledClaim]:
    """The best ranking's first sentences of every claim, with the features of each pair."""
    row_of = {i: n for n, row in enumerate(corpus.rows) for i in row.ids}
    queries = checker.encoder.encode([c.text.strip() for c in claims])
    out = []
    for claim, query, ranked in zip(claims, queries, rankings, strict=True):
        words = content_words(claim.text)
        items = []
        for ids in ranked[FRONTIER_RANKING][:FRONTIER_DEPTH]:
            n = row_of[next(iter(ids))]
            row = corpus.rows[n]
            items.append(
                RankedItem(
                    ids,
                    float(corpus.vectors[n] @ query),
                    float(corpus.title_vectors[n] @ query),
                    share(words, content_words(row.text)),
                    share(words, content_words(row.title)),
                )
            )
        out.append(LabelledClaim({e.id: e.label for e in claim.evidence}, split_of(claim), tuple(items)))
    return out


def print_policies(claims: Sequence[Claim], results: Sequence[PolicyResult]) -> PolicyResult | None:
    """The service table; returns the recommended policy (best tune recall@5 among dev passes)."""
    print(
        f"\n2. Service answer, Checker.check(claim, limit={CHECK_LIMIT}) with the support filter,"
        " per SupportPolicy"
    )
    print(_header(claims, "policy", "  empty (gold / all claims)   dev claims (in-process)"))
    for r in results:
        f = figures(claims, r.run.items, "all")
        dev = " ".join(f"{k} {g}/{t}" for k, (g, t) in r.dev.items() if t)
        print(
            f"{r.spec.name:<58}{_cells(claims, r.run.items)}"
            f"  {f.empty_gold / f.claims:.3f} / {f.empty_all / f.all_claims:.3f}"
            f"       {'PASS' if r.dev_passed else 'FAIL'}: {dev}"
        )
    print("  policies (fields differing from SupportPolicy()):")
    for r in results:
        print(f"    {r.spec.name:<20} {describe(r.spec.policy)}")
    passing = [r for r in results if r.dev_passed]
    for r in results:
        if not r.dev_passed:
            failed = [line for line in r.dev_lines.splitlines() if "FAIL" in line]
            print(f"  dev failures under {r.spec.name}: " + " | ".join(failed))
    if not passing:
        print("  no policy passes every dev claim")
        return None
    best = max(
        passing,
        key=lambda r: (
            figures(claims, r.run.items, "tune").recall,
            figures(claims, r.run.items, "tune").ndcg,
        ),
    )
    tune, rep = figures(claims, best.run.items, "tune"), figures(claims, best.run.items, "report")
    print(
        f"  recommended (best tune recall@5 among policies passing every dev check): {best.spec.name}"
        f" = SupportPolicy({describe(best.spec.policy)}); tune {tune.recall:.3f} / {tune.ndcg:.3f},"
        f" report {rep.recall:.3f} / {rep.ndcg:.3f}"
    )
    return best


def print_support_decision(claims: Sequence[Claim], result: PolicyResult) -> None:
    decision = SupportDecision()
    for claim, items in zip(claims, result.run.items, strict=True):
        decision.add(claim, items)
    judged = decision.returned - decision.outside
    gold = decision.labels["SUPPORTS"] + decision.labels["REFUTES"]
    print(
        f"  support decision under {result.spec.name}, over all {len(claims)} claims"
        f" and {decision.returned} returned items:"
    )
    print(
        f"    returned items among the claim's own 5 evidence sentences: {judged}"
        f" (SUPPORTS {decision.labels['SUPPORTS']}, REFUTES {decision.labels['REFUTES']},"
        f" NOT_ENOUGH_INFO {decision.labels['NOT_ENOUGH_INFO']});"
        f" outside them: {decision.outside}"
    )
    print(f"    precision (SUPPORTS/REFUTES vs NOT_ENOUGH_INFO): {_share(gold, judged)}")
    print(f"    recall of SUPPORTS evidence: {_share(decision.supports_returned, decision.supports_total)}")
    print(f"    recall of REFUTES evidence:  {_share(decision.refutes_returned, decision.refutes_total)}")


def print_reasons(name: str, reasons: dict[str, int]) -> None:
    total = sum(reasons.values())
    print(f"  where gold evidence goes under {name} ({total} claim-evidence pairs, all claims):")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"    {reason:<40} {_share(count, total)}")


def print_timing(
    ingest: tuple[float, int] | None, results: Sequence[PolicyResult], walls: dict[str, float]
) -> None:
    print("\n4. Timing (1 torch thread, 1 faiss thread)")
    if ingest is None:
        print("  ingest: reused the store in --data-dir (not timed)")
    else:
        seconds, sentences = ingest
        print(
            f"  ingest: {sentences} stored sentences in {seconds:.1f} s"
            f" = {sentences / seconds:.1f} sentences/s"
        )
    for r in results[:1]:
        latencies = np.array(r.run.seconds) * 1000.0
        print(
            f"  check latency ({r.spec.name}): mean {latencies.mean():.1f} ms,"
            f" p50 {np.percentile(latencies, 50):.1f} ms,"
            f" p99 {np.percentile(latencies, 99):.1f} ms over {len(latencies)} checks"
        )
    print("  wall: " + ", ".join(f"{k} {v:.0f} s" for k, v in walls.items()))


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
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the ingested store here and reuse it on the next run (default: a temporary dir)",
    )
    parser.add_argument(
        "--policies",
        default=None,
        help="comma-separated policy names to run (default: all of "
        + ", ".join(p.name for p in POLICIES)
        + ")",
    )
    parser.add_argument(
        "--encoder",
        choices=BACKENDS,
        default="torch",
        help="how MiniLM runs (default torch, as the figures in the README were made; onnx computes the "
        "same fp32 vectors, onnx-int8 the quantized ones)",
    )
    parser.add_argument(
        "--model-cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "claimcheck-bench-models",
        help="where the ONNX export (and its int8 quantization) is kept between runs",
    )
    return parser.parse_args(argv)


def _open_or_ingest(
    data_dir: Path, encoder: Encoder, nlp: object, articles: Sequence[Article]
) -> tuple[Checker, tuple[float, int] | None]:
    checker = Checker.open(data_dir, encoder, nlp)  # type: ignore[arg-type]
    count = checker.stats().documents
    if count == 0:
        ingest = ingest_articles(checker, articles)
        checker.save()
        return checker, ingest
    if count == len(articles) and len(checker.indexes.store.info([a.document_id for a in articles])) == len(
        articles
    ):
        return checker, None
    checker.close()
    raise SystemExit(
        f"{data_dir} holds {count} documents that are not this run's {len(articles)}: use another dir"
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"  # models load from installed packages, never from the hub
    started = time.perf_counter()
    walls: dict[str, float] = {}
    policies: tuple[PolicySpec, ...] = POLICIES
    if args.policies:
        wanted = args.policies.split(",")
        policies = tuple(p for p in POLICIES if p.name in wanted)
        if len(policies) != len(wanted):
            raise SystemExit(f"unknown policy in {wanted}")
    claims = load_claims(args.dataset, args.limit_claims)
    articles = build_articles(claims)
    configure_threads(1, 1)
    encoder, nlp = load_encoder(args.encoder, args.model_cache, 1), load_pipeline()
    with contextlib.ExitStack() as stack:
        data_dir = args.data_dir or Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-retrieval-"))
        )
        checker, ingest = _open_or_ingest(data_dir, encoder, nlp, articles)
        stack.callback(checker.close)
        mark = time.perf_counter()
        walls["ingest"] = mark - started
        mapping, coverage = sentence_map(checker, articles)
        corpus = read_corpus(checker, articles, mapping)
        walls["title encoding"] = corpus.title_seconds
        bm25 = Bm25([r.text for r in corpus.rows])
        bm25_title = Bm25([f"{r.title} {r.text}" for r in corpus.rows])
        rankings = rankings_for(checker, corpus, claims, bm25, bm25_title)
        walls["rankings"] = time.perf_counter() - mark

        mark = time.perf_counter()
        dev = DevClaims(
            encoder, nlp, Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-dev-")))
        )
        stack.callback(dev.close)
        results = []
        for spec in policies:
            run = service_runs(checker, claims, corpus, spec.policy, spec.name)
            tally, passed, lines = dev.evaluate(spec.policy)
            results.append(PolicyResult(spec, run, tally, passed, lines))
        walls["service checks"] = time.perf_counter() - mark

        print_corpus(claims, articles, coverage)
        print_rankings(claims, rankings)
        print_frontier(labelled_claims(checker, claims, corpus, rankings), FRONTIER_RANKING)
        best = print_policies(claims, results)
        print("\n3. Where the service loses gold evidence")
        shown = [results[0]] + ([best] if best is not None and best is not results[0] else [])
        for r in shown:
            print_support_decision(claims, r)
            print_reasons(r.spec.name, missing_gold_reasons(checker, claims, corpus, r.run, r.spec.policy))
        checker.policy = SupportPolicy()
    walls["total"] = time.perf_counter() - started
    print_timing(ingest, results, walls)


if __name__ == "__main__":
    main()
