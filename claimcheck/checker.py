"""The two flows, end to end: ``ingest(document)`` and ``check(claim)``.

The checker owns the loaded models and the data (``claimcheck.sync.Indexes``: the store with its
FAISS and story indexes); ``api/`` and the CLI only call it. Checks may run concurrently; writes
are serialised inside ``Indexes`` so the index applies store changes in commit order. spaCy
pipelines are not safe to share between threads that run at the same time (their string store
grows as they parse), so claims are parsed by ``claim_nlp``, a second copy of the pipeline, when a
server runs ingest and checks in parallel.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc

from claimcheck import claimcache
from claimcheck import evidence as evidence_item
from claimcheck.claimcache import CacheKey, ClaimCache
from claimcheck.evidence import Verified, facts_of
from claimcheck.ingest import AnalysedDocument, Embedded, analyse, embed
from claimcheck.provenance import summarize
from claimcheck.requests import CheckFilters, NothingToIndexError, Submission
from claimcheck.results import CheckResult, DocumentListing, DocumentView, Evidence, IngestResult
from claimcheck.storage import open_store, prepare
from claimcheck.sync import Indexes
from claimcheck.vectorspace import bind
from claimcheck.views import document_listing, document_view
from embeddings.encoder import Encoder, Vectors
from retrieval.candidates import Searches, candidates
from retrieval.claim import Claim
from retrieval.merge import group_identical, sentence_key
from retrieval.support import SupportPolicy
from store import DocumentInfo, DocumentRecord, StoredParagraph
from verification import Verifier
from verification.claims import ClaimedAttribution, against_the_claimed_stance, claimed_attribution

log = logging.getLogger("claimcheck")

#: Told about each document of a stream refused for having nothing to index (and not written).
Refused = Callable[[Submission, NothingToIndexError], None]


@dataclass(frozen=True, slots=True)
class Stats:
    """What the index holds and whether it can take writes, for health checks and metrics.

    ``writable`` is False when the server runs read-only (checks and reads work, writes are refused
    with ``ReadOnlyStore``, or ``StorageFull`` when the disk was full at start-up); ``disk_full``
    is True while the last write failed for lack of space. ``storage`` says either in words.
    ``paragraphs`` counts the vectors in the FAISS index; ``index_kind`` is its layout (``flat``,
    ``hnsw`` or ``ivf``, see ``embeddings.ann``).
    """

    documents: int
    paragraphs: int
    writable: bool = True
    disk_full: bool = False
    storage: str | None = None
    index_kind: str = "flat"

    @property
    def mode(self) -> Literal["read-write", "read-only"]:
        return "read-write" if self.writable else "read-only"


def _batched(items: Iterable[Submission], size: int) -> Iterator[list[Submission]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Checker:
    def __init__(
        self,
        indexes: Indexes,
        encoder: Encoder,
        nlp: Language,
        policy: SupportPolicy | None = None,
        claim_nlp: Language | None = None,
        verifier: Verifier | None = None,
        cache_size: int = claimcache.DEFAULT_SIZE,
    ) -> None:
        self.indexes = indexes
        self.encoder = encoder
        self.nlp = nlp
        self.claim_nlp = claim_nlp or nlp
        self.policy = policy or SupportPolicy()
        self.verifier = verifier or Verifier.shipped()
        # Answers of repeated claims, valid until the next write or delete (claimcheck.claimcache).
        self.claim_cache = ClaimCache(cache_size)
        self._encode_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-encode")
        self._language_lock = threading.Lock()
        store = indexes.store
        self._searches: Searches[StoredParagraph] = Searches(
            dense=lambda vector, k: indexes.index.search(vector, k).ids.tolist(),
            lexical=store.lexical.search,
            paragraphs=store.paragraphs,
            sentence_vectors=store.sentence_vectors,
        )

    @classmethod
    def open(
        cls,
        data_dir: Path,
        encoder: Encoder,
        nlp: Language,
        policy: SupportPolicy | None = None,
        claim_nlp: Language | None = None,
        verifier: Verifier | None = None,
        *,
        read_only: bool = False,
        reserve_bytes: int = 0,
        cache_size: int = claimcache.DEFAULT_SIZE,
        store_url: str | None = None,
    ) -> Checker:
        """Open (or create, mode 0700) the store and indexes in ``data_dir``, catching them up with
        the store. A data directory that cannot be written (or ``read_only``) is served read-only;
        ``reserve_bytes`` of disk are held back for deletes on a full disk (``store.reserve``).
        Raises ``EncoderMismatchError`` when the store's vectors were made by another encoder
        (``claimcheck.vectorspace``). With ``store_url`` the store is that PostgreSQL database, shared
        with other replicas, and ``data_dir`` holds this replica's index cache."""
        store = open_store(prepare(data_dir, read_only), reserve_bytes, store_url)
        try:
            bind(store, encoder.space, data_dir)
        except BaseException:
            store.close()
            raise
        indexes = Indexes.open(store, data_dir, encoder.dimension)
        return cls(indexes, encoder, nlp, policy, claim_nlp, verifier, cache_size)

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(self, submission: Submission) -> IngestResult:
        """Parse, analyse and store one document; replaces a document with the same id.

        Raises :class:`NothingToIndexError` (and writes nothing) when no sentence is left to index.
        """
        (result,) = self.ingest_many([submission])
        return result

    def ingest_files(self, paths: Iterable[Path]) -> list[IngestResult]:
        """Ingest files; each document's id is its file name without extension. A file with
        nothing to index is skipped with a warning in the log."""

        def skipped(submission: Submission, error: NothingToIndexError) -> None:
            log.warning("not ingested: %s: %s", submission.id, error)

        submissions = (Submission(text=p.read_text(encoding="utf-8"), id=p.stem) for p in sorted(paths))
        return list(self.ingest_many(submissions, refused=skipped))

    def ingest_many(
        self, submissions: Iterable[Submission], batch_size: int = 32, *, refused: Refused | None = None
    ) -> Iterator[IngestResult]:
        """Ingest documents in batches, on both cores: spaCy parses batch n+1 on a worker thread
        while this thread embeds and stores batch n (the encoder releases the GIL while it computes).

        Each document is stored in its own transaction; a result is yielded once it is committed. A
        read-only server refuses (``ReadOnlyStore``) before anything is parsed; a document the disk
        has no room for raises ``StorageFull``, with the documents before it committed. A document
        with nothing to index is not written: ``refused`` is told and the stream goes on, or
        without ``refused`` the stream stops with :class:`NothingToIndexError` (the documents
        before it are committed, the ones after it are not ingested).
        """
        with self.pipeline(refused) as pipeline:
            for batch in _batched(submissions, batch_size):
                yield from pipeline.feed(batch)
            yield from pipeline.flush()

    def pipeline(self, refused: Refused | None = None) -> IngestPipeline:
        """:meth:`ingest_many`'s two stages, for a caller that hands over batches as they come
        (the HTTP bulk route, one writer turn per batch). ``ReadOnlyStore`` before anything starts."""
        self.indexes.ensure_writable("no document was stored")
        return IngestPipeline(self, refused)

    def _analyse(self, batch: list[Submission]) -> list[AnalysedDocument]:
        # A pipeline's parse of its next batch runs between the writer's turns, so it may meet a
        # single ingest parsing on the writer thread: one spaCy pipeline, one parse at a time.
        with self._language_lock:
            return analyse(batch, self.nlp)

    def _store(
        self, batch: list[AnalysedDocument], refused: Refused | None, helper: Executor | None = None
    ) -> Iterator[IngestResult]:
        """Vector stage and writes: one encoder call for the batch (shared with ``helper``'s thread
        while it is idle), one transaction per document."""
        indexable = [document for document in batch if document.paragraphs]
        vectors = iter(embed(indexable, self.encoder, helper) if indexable else [])
        for document in batch:
            error = document.refusal()
            if error is not None:
                if refused is None:
                    raise error
                refused(document.submission, error)
                continue
            yield self.commit(document, next(vectors))

    def commit(self, document: AnalysedDocument, vectors: Embedded) -> IngestResult:
        """Write one analysed and embedded document in its own transaction (replacing one with its
        id) and bring the indexes up to it: the one commit path of every ingest, in this process or
        from a Ray pipeline (``claimcheck.cluster``). Returned once the document is committed."""
        submission = document.submission
        record = DocumentRecord(
            id=document.id,
            meta=document.meta,
            format=submission.format or "auto",
            text=submission.text,
            paragraphs=document.paragraphs,
            paragraph_vectors=vectors.paragraphs,
            sentence_vectors=vectors.sentences,
            story_id="",
            agency=document.agency,
            context=document.context,
        )
        self.indexes.write(record, document.minhash)
        return IngestResult(document.id, len(document.paragraphs), document.sentence_count)

    def delete(self, document_id: str) -> bool:
        """Remove a document from the store and both indexes; False if there was none.

        Raises ``StorageFull`` (document still there) when even the space reserve could not make
        room, ``ReadOnlyStore`` on a read-only server."""
        return self.indexes.delete(document_id)

    def save(self) -> None:
        """Persist the index now (at shutdown, after bulk ingest). Never raises for a full or
        read-only disk: the index file is a cache of the store, which already holds every write."""
        self.indexes.save()

    def close(self) -> None:
        self.save()
        self._encode_pool.shutdown(wait=True)
        self.indexes.store.close()

    # -- reads ----------------------------------------------------------------------------------

    def document(self, document_id: str) -> DocumentView | None:
        stored = self.indexes.store.get_document(document_id)
        return document_view(stored) if stored is not None else None

    def documents(self, offset: int, limit: int) -> tuple[list[DocumentListing], int]:
        items, total = self.indexes.store.list_documents(offset, limit)
        return [document_listing(s) for s in items], total

    def stats(self) -> Stats:
        writable, disk_full, storage = self.indexes.storage_status()
        index = self.indexes.index
        return Stats(
            self.indexes.store.document_count(), len(index), writable, disk_full, storage, str(index.kind)
        )

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
        generation = self.indexes.catch_up()
        filters = filters or CheckFilters()
        keys = [CacheKey(text, limit, filters, generation) for text in texts]
        results = [self.claim_cache.get(key) for key in keys]
        todo = [i for i, result in enumerate(results) if result is None]
        if not todo:
            return [r for r in results if r is not None]
        fresh = [texts[i] for i in todo]
        # The encoder (onnxruntime, GIL released) runs on its own thread while spaCy parses the
        # claims here: on two cores a check costs the longer of the two, not their sum.
        vectors_future = self._encode_pool.submit(self.encoder.encode, fresh)
        parsed_claims = list(self.claim_nlp.pipe(fresh))
        vectors = vectors_future.result()
        for i, doc, vector in zip(todo, parsed_claims, vectors, strict=True):
            result = self._check_one(texts[i], doc, vector, limit, filters)
            self.claim_cache.put(keys[i], result)
            results[i] = result
        return [r for r in results if r is not None]

    def verify_all(self, claim: str, limit: int = 10) -> list[Verified]:
        """Every admitted candidate of ``claim`` with its verdict, before copies are merged and the
        list is cut: what ``check`` decided and why (training and diagnosis)."""
        text = claim.strip()
        vector = self.encoder.encode([text])[0]
        parsed = self.claim_nlp(text)
        query, _ = self._claim(text, parsed, vector)
        return self._verified(query, limit, CheckFilters(), every=True)[0]

    def _claim(self, text: str, parsed: Doc, vector: Vectors) -> tuple[Claim, ClaimedAttribution]:
        """The claim to verify (its content when it names its own speaker) and what it says of
        its own attribution."""
        attribution = claimed_attribution(parsed)
        return Claim.from_parse(text, attribution.content, vector), attribution

    def _verified(
        self, claim: Claim, limit: int, filters: CheckFilters, every: bool = False
    ) -> tuple[list[Verified], dict[str, DocumentInfo]]:
        """Candidates verified best first, until both lists hold ``limit`` distinct sentences (or
        every candidate with ``every``): verification is the costly step of a check."""
        found = candidates(claim, self._searches, limit, self.policy)
        infos = self.indexes.store.info([c.paragraph.document_id for c in found])
        verified: list[Verified] = []
        distinct: dict[str, set[str]] = {"supports": set(), "contradicts": set()}
        for c in found:
            if c.paragraph.document_id not in infos or not filters.admits(infos[c.paragraph.document_id]):
                continue
            item = Verified(c, self.verifier.verify(claim, facts_of(c), c.paragraph.frames))
            verified.append(item)
            if item.verification.verdict in distinct:
                distinct[item.verification.verdict].add(sentence_key(item.sentence.text))
            if not every and all(len(keys) >= limit for keys in distinct.values()):
                break
        return verified, infos

    def _check_one(
        self, text: str, parsed: Doc, vector: Vectors, limit: int, filters: CheckFilters
    ) -> CheckResult:
        """Candidates, each verified; supporting and contradicting sentences, copies merged."""
        claim, claimed = self._claim(text, parsed, vector)
        claimed_speaker = claimed.speaker
        verified, infos = self._verified(claim, limit, filters)
        if claimed_speaker is not None:
            # "Thatcher acknowledged that ..." is contradicted by Thatcher denying it
            verified = [
                replace(
                    v,
                    verification=against_the_claimed_stance(
                        v.verification,
                        claimed,
                        evidence_item.speaker_match(claimed_speaker, v.verification.frame).agrees,
                    ),
                )
                for v in verified
            ]
        store = self.indexes.store

        def items(verdict: str) -> tuple[Evidence, ...]:
            chosen = [v for v in verified if v.verification.verdict == verdict]
            if claimed_speaker is not None:
                # "According to a naval source, ...": what that source says comes first
                chosen.sort(
                    key=lambda v: (
                        not evidence_item.speaker_match(claimed_speaker, v.verification.frame).agrees
                    )
                )
            groups = group_identical(chosen, lambda v: v.sentence.text)[:limit]
            return tuple(
                evidence_item.build(group, infos, lambda d: store.document_text(d) or "", claimed_speaker)
                for group in groups
            )

        evidence, contradicting = items("supports"), items("contradicts")
        return CheckResult(text, evidence, summarize(evidence, infos, contradicting), contradicting)


class IngestPipeline:
    """Ingest in two stages that overlap: the language stage parses batch n+1 on its own thread
    while the caller embeds and stores batch n (:meth:`feed`). The caller decides when each step
    runs, so a long stream can take the writer one batch at a time and let other writes in between.

    Results come in submission order, each once its document is committed; ``refused`` is told
    about a document with nothing to index (without it, :class:`NothingToIndexError` is raised). A
    step that raises (``StorageFull``) leaves the documents before the failing one committed. Close
    it (or use it as a context manager) to stop the language thread; a batch still being parsed
    then is dropped, never written.
    """

    def __init__(self, checker: Checker, refused: Refused | None) -> None:
        self._checker = checker
        self._refused = refused
        self._language = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-language")
        self._pending: Future[list[AnalysedDocument]] | None = None

    @property
    def pending(self) -> bool:
        """A batch is parsed (or being parsed) and not stored yet: :meth:`flush` stores it."""
        return self._pending is not None

    def feed(self, batch: list[Submission]) -> Iterator[IngestResult]:
        """Start parsing ``batch``, then store the batch fed before it (if any)."""
        previous, self._pending = self._pending, self._language.submit(self._checker._analyse, batch)
        if previous is not None:
            yield from self._checker._store(previous.result(), self._refused, self._language)

    def flush(self) -> Iterator[IngestResult]:
        """Store the batch still pending (waiting for its parse to finish)."""
        previous, self._pending = self._pending, None
        if previous is not None:
            yield from self._checker._store(previous.result(), self._refused, self._language)

    def close(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self._language.shutdown(wait=True)

    def __enter__(self) -> IngestPipeline:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
