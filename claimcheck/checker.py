"""The two flows, end to end: ``ingest(document)`` and ``check(claim)``.

The checker owns the loaded models, the store and the index; ``api/`` and the CLI only call it.
Thread safety: checks may run concurrently; writes are serialised by ``_write_lock`` so the
index applies store changes in commit order. spaCy pipelines are not safe to share between
threads that run at the same time (their string store grows as they parse), so claims are parsed
by ``claim_nlp``, a second copy of the pipeline, when a server runs ingest and checks in parallel.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

import numpy as np
from datasketch import MinHash
from spacy.language import Language
from spacy.tokens import Span

from claimcheck import evidence as evidence_item
from claimcheck import index_sync
from claimcheck.analyze import ParagraphDraft, embed_many, prepare_many
from claimcheck.evidence import Candidate, Claim, StancePredictor
from claimcheck.provenance import summarize
from claimcheck.results import CheckFilters, CheckResult, IngestResult, Submission
from corpus.document import DocumentMeta
from corpus.origin import masthead_outlet, originating_agency
from corpus.parse import parse_document
from corpus.store import (
    DocumentRecord,
    DocumentSummary,
    ParagraphRecord,
    Store,
    StoredDocument,
    WriteResult,
)
from corpus.stories import StoryIndex, fingerprint
from corpus.stories import to_bytes as story_bytes
from embeddings.encoder import Encoder, Vectors
from embeddings.index import ParagraphIndex
from retrieval.merge import group_identical
from retrieval.support import SupportPolicy, assess
from retrieval.terms import Requirement, claim_requirements, is_content, negated_keys

STORE_FILENAME = "store.sqlite3"
# Paragraphs fetched from FAISS per check: max(MIN_PARAGRAPH_CANDIDATES, 2 x limit) -- enough that
# the supporting sentences of a limit are among them (BM25 adds rare-word hits), few enough that
# reading and scoring their sentences stays a couple of milliseconds.
MIN_PARAGRAPH_CANDIDATES = 16
# Save the index after this many unsaved changes or seconds; the log covers anything in between.
SAVE_EVERY_CHANGES = 2000
SAVE_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A document after the language stage, waiting for vectors and its write."""

    submission: Submission
    id: str
    meta: DocumentMeta
    agency: str | None
    minhash: MinHash
    paragraphs: tuple[ParagraphDraft, ...]


def _batched(items: Iterable[Submission], size: int) -> Iterator[list[Submission]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Checker:
    def __init__(
        self,
        store: Store,
        index: ParagraphIndex,
        encoder: Encoder,
        nlp: Language,
        data_dir: Path,
        policy: SupportPolicy | None = None,
        claim_nlp: Language | None = None,
        stories: StoryIndex | None = None,
        stance_predictor: StancePredictor | None = None,
    ) -> None:
        self.store = store
        self.index = index
        self.stories = stories if stories is not None else index_sync.open_story_index(store)
        self.stance_predictor = stance_predictor
        self.encoder = encoder
        self.nlp = nlp
        self.claim_nlp = claim_nlp or nlp
        self.data_dir = data_dir
        self.policy = policy or SupportPolicy()
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._stories_seen = store.max_document_rowid()
        self._encode_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-encode")
        self._saved_generation = index.generation
        self._saved_at = time.monotonic()

    @classmethod
    def open(
        cls,
        data_dir: Path,
        encoder: Encoder,
        nlp: Language,
        policy: SupportPolicy | None = None,
        claim_nlp: Language | None = None,
        stance_predictor: StancePredictor | None = None,
    ) -> Checker:
        """Open (or create) the store and indexes in ``data_dir``, catching them up with the store."""
        data_dir.mkdir(parents=True, exist_ok=True)
        store = Store(data_dir / STORE_FILENAME)
        index = index_sync.open_index(store, data_dir, encoder.dimension)
        return cls(store, index, encoder, nlp, data_dir, policy, claim_nlp, stance_predictor=stance_predictor)

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(self, submission: Submission) -> IngestResult:
        """Parse, analyse and store one document; replaces a document with the same id."""
        (result,) = self.ingest_many([submission])
        return result

    def ingest_files(self, paths: Iterable[Path]) -> list[IngestResult]:
        """Ingest files; each document's id is its file name without extension."""
        return list(
            self.ingest_many(Submission(text=p.read_text(encoding="utf-8"), id=p.stem) for p in sorted(paths))
        )

    def ingest_many(self, submissions: Iterable[Submission], batch_size: int = 32) -> Iterator[IngestResult]:
        """Ingest documents in batches, on both cores: spaCy parses batch n+1 on a worker thread
        while this thread embeds and stores batch n (torch releases the GIL while it computes).

        Each document is stored in its own transaction; a result is yielded once it is committed.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-language") as language:
            pending: Future[list[_Prepared]] | None = None
            for batch in _batched(submissions, batch_size):
                upcoming = language.submit(self._prepare, batch)
                if pending is not None:
                    yield from self._store(pending.result())
                pending = upcoming
            if pending is not None:
                yield from self._store(pending.result())

    def _prepare(self, batch: list[Submission]) -> list[_Prepared]:
        """Language stage: parse, metadata, origin, story fingerprint, spaCy analysis."""
        parsed_docs = [parse_document(s.text, s.format) for s in batch]  # type: ignore[arg-type]
        drafts = prepare_many(parsed_docs, self.nlp)
        prepared = []
        for submission, parsed, paragraphs in zip(batch, parsed_docs, drafts, strict=True):
            meta = _override(parsed.meta, submission.meta)
            if meta.outlet is None:
                meta = replace(meta, outlet=masthead_outlet(parsed.paragraphs, parsed.text))
            prepared.append(
                _Prepared(
                    submission,
                    submission.id or _content_id(submission.text),
                    meta,
                    originating_agency(meta, parsed.paragraphs, parsed.text),
                    fingerprint([meta.title or "", *(p.text for p in parsed.paragraphs)]),
                    paragraphs,
                )
            )
        return prepared

    def _store(self, batch: list[_Prepared]) -> Iterator[IngestResult]:
        """Vector stage and writes: one encoder call for the batch, one transaction per document."""
        records = embed_many([p.paragraphs for p in batch], self.encoder)
        for prepared, paragraphs in zip(batch, records, strict=True):
            yield self._write(prepared, paragraphs)

    def _write(self, prepared: _Prepared, paragraphs: tuple[ParagraphRecord, ...]) -> IngestResult:
        submission, doc_id, meta = prepared.submission, prepared.id, prepared.meta
        with self._write_lock:
            self._stories_seen = index_sync.catch_up_stories(self.store, self.stories, self._stories_seen)
            story_id = self.stories.story_for(doc_id, prepared.minhash, submission.text, meta.published)
            record = DocumentRecord(
                doc_id,
                meta,
                submission.format or "auto",
                submission.text,
                paragraphs,
                story_id=story_id,
                agency=prepared.agency,
                fingerprint=story_bytes(prepared.minhash),
            )
            self._catch_up()
            result = self.store.replace_document(record)
            self.stories.add(doc_id, prepared.minhash, story_id, meta.published)
            self._apply(result, [p.vector for p in paragraphs])
        sentences = sum(len(p.sentences) for p in paragraphs)
        return IngestResult(doc_id, len(paragraphs), sentences, bool(result.removed), story_id)

    def delete(self, document_id: str) -> bool:
        with self._write_lock:
            result = self.store.delete_document(document_id)
            if result is None:
                return False
            self.stories.remove(document_id)
            self._apply(result, [])
        return True

    def _apply(self, result: WriteResult, vectors: list[Vectors]) -> None:
        """Bring the index up to a write this process just committed.

        When no other process committed in between (the generations are contiguous), apply the
        write directly from the vectors in hand; otherwise replay the log, which covers both.
        Called under ``_write_lock`` after ``_catch_up``.
        """
        contiguous = result.generation == self.index.generation + len(result.removed) + len(result.added)
        if contiguous:
            self.index.remove(np.asarray(result.removed, dtype=np.int64))
            if result.added:
                self.index.upsert(np.asarray(result.added, dtype=np.int64), np.vstack(vectors))
            self.index.generation = result.generation
        else:
            with self._sync_lock:
                index_sync.replay(self.store, self.index)
        self._maybe_save()

    def _catch_up(self) -> None:
        """Replay what other worker processes sharing the data directory committed since this
        process's index last changed (each ``--workers`` process holds its own index)."""
        if self.store.generation() <= self.index.generation:
            return
        with self._sync_lock:
            index_sync.replay(self.store, self.index)

    def save(self) -> None:
        """Persist the index now (at shutdown, after bulk ingest)."""
        with self._write_lock:
            index_sync.save(self.index, self.data_dir)
            self._saved_generation = self.index.generation
            self._saved_at = time.monotonic()

    def close(self) -> None:
        self.save()
        self._encode_pool.shutdown(wait=True)
        self.store.close()

    def _maybe_save(self) -> None:
        unsaved = self.index.generation - self._saved_generation
        if unsaved >= SAVE_EVERY_CHANGES or (
            unsaved and time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS
        ):
            index_sync.save(self.index, self.data_dir)
            self._saved_generation = self.index.generation
            self._saved_at = time.monotonic()

    # -- reads ----------------------------------------------------------------------------------

    def document(self, document_id: str) -> StoredDocument | None:
        return self.store.get_document(document_id)

    def documents(self, offset: int, limit: int) -> tuple[list[DocumentSummary], int]:
        return self.store.list_documents(offset, limit)

    # -- check ----------------------------------------------------------------------------------

    def check(self, claim: str, limit: int = 10, filters: CheckFilters | None = None) -> CheckResult:
        """Ranked supporting sentences for ``claim``, copies merged, each with verdict and provenance."""
        (result,) = self.check_many([claim], limit, filters)
        return result

    def check_many(
        self, claims: Sequence[str], limit: int = 10, filters: CheckFilters | None = None
    ) -> list[CheckResult]:
        """Several claims with one encoder call and one spaCy pass (batch endpoint, micro-batching)."""
        texts = [c.strip() for c in claims]
        if not texts:
            return []
        self._catch_up()
        # The encoder (onnxruntime/torch, GIL released) runs on its own thread while spaCy parses
        # the claims here: on two cores a check costs the longer of the two, not their sum.
        vectors_future = self._encode_pool.submit(self.encoder.encode, texts)
        parsed_claims = list(self.claim_nlp.pipe(texts))
        vectors = vectors_future.result()
        return [
            self._check_one(text, doc[:], vector, limit, filters or CheckFilters())
            for text, doc, vector in zip(texts, parsed_claims, vectors, strict=True)
        ]

    def _check_one(
        self, claim: str, parsed: Span, vector: Vectors, limit: int, filters: CheckFilters
    ) -> CheckResult:
        requirements = claim_requirements(parsed)
        keys = frozenset(key for r in requirements for key in r.keys)
        words = tuple(t.text for t in parsed if is_content(t))
        query = Claim(claim, vector, keys, negated_keys(parsed), words)
        candidates = self._candidates(query, requirements, limit)
        infos = self.store.info([c.sentence.document_id for c in candidates])
        admitted = [
            c
            for c in candidates
            if c.sentence.document_id in infos and filters.admits(infos[c.sentence.document_id])
        ]
        groups = group_identical(admitted, lambda c: c.sentence.text)[:limit]
        evidence = tuple(
            evidence_item.build(
                query,
                group,
                infos,
                lambda document_id: self.store.document_text(document_id) or "",
                self.stance_predictor,
            )
            for group in groups
        )
        return CheckResult(claim, evidence, summarize(evidence))

    def _candidates(self, claim: Claim, requirements: tuple[Requirement, ...], limit: int) -> list[Candidate]:
        """Sentences of the nearest paragraphs (dense) and best BM25 sentences (lexical) that support
        the claim, best first."""
        hits = self.index.search(claim.vector, max(MIN_PARAGRAPH_CANDIDATES, 2 * limit))
        lexical = self.store.lexical_search(claim.words, self.policy.lexical_candidates)
        best_bm25 = max((h.score for h in lexical), default=0.0)
        lexical_score = {h.sentence_id: h.score / best_bm25 for h in lexical if best_bm25 > 0}
        paragraph_ids = list(dict.fromkeys([int(i) for i in hits.ids] + [h.paragraph_id for h in lexical]))
        paragraphs = self.store.paragraphs(paragraph_ids)
        sentences = [
            (paragraph, sentence)
            for pid in paragraph_ids
            if (paragraph := paragraphs.get(pid)) is not None  # None: deleted since the search
            for sentence in paragraph.sentences
        ]
        if not sentences:
            return []
        cosines = np.vstack([sentence.vector for _, sentence in sentences]) @ claim.vector
        candidates = []
        for (paragraph, sentence), cosine in zip(sentences, cosines.tolist(), strict=True):
            support = assess(requirements, sentence.terms, cosine)
            if support.supports(self.policy):
                score = support.score(self.policy, lexical_score.get(sentence.id, 0.0))
                candidates.append(Candidate(sentence, paragraph, support, score))
        candidates.sort(key=lambda c: c.score, reverse=True)
        return candidates


def _override(found: DocumentMeta, given: DocumentMeta) -> DocumentMeta:
    """Metadata the client sent wins over what the parser found, field by field."""
    changes = {name: getattr(given, name) for name in given.__slots__ if getattr(given, name) is not None}
    return replace(found, **changes)


def _content_id(text: str) -> str:
    """Id for a document posted without one: stable for identical text, so re-posting replaces it."""
    return "doc_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
