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
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from spacy.language import Language

from attribution.frame import Frame
from attribution.verdict import denials_of, frame_for_match
from claimcheck import index_sync
from claimcheck.analyze import analyze
from claimcheck.results import Attribution, CheckResult, Evidence, IngestResult, Source, Submission
from corpus.document import DocumentMeta
from corpus.parse import parse_document
from corpus.store import (
    DocumentRecord,
    DocumentSummary,
    FrameRecord,
    Store,
    StoredDocument,
    StoredParagraph,
    StoredSentence,
)
from embeddings.encoder import Encoder
from embeddings.index import ParagraphIndex
from retrieval.merge import group_identical
from retrieval.support import Support, SupportPolicy, assess
from retrieval.terms import claim_requirements

STORE_FILENAME = "store.sqlite3"
# Paragraphs fetched from FAISS per check: enough that every supporting sentence of a small
# limit is among them, few enough that ranking their sentences stays cheap.
MIN_PARAGRAPH_CANDIDATES = 24
# Save the index after this many unsaved changes or seconds; the log covers anything in between.
SAVE_EVERY_CHANGES = 2000
SAVE_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class _Candidate:
    sentence: StoredSentence
    paragraph: StoredParagraph
    support: Support
    score: float


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
    ) -> None:
        self.store = store
        self.index = index
        self.encoder = encoder
        self.nlp = nlp
        self.claim_nlp = claim_nlp or nlp
        self.data_dir = data_dir
        self.policy = policy or SupportPolicy()
        self._write_lock = threading.Lock()
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
    ) -> Checker:
        """Open (or create) the store and index in ``data_dir``, catching the index up with the store."""
        data_dir.mkdir(parents=True, exist_ok=True)
        store = Store(data_dir / STORE_FILENAME)
        index = index_sync.open_index(store, data_dir, encoder.dimension)
        return cls(store, index, encoder, nlp, data_dir, policy, claim_nlp)

    # -- ingest ---------------------------------------------------------------------------------

    def ingest(self, submission: Submission) -> IngestResult:
        """Parse, analyse and store one document; replaces a document with the same id."""
        parsed = parse_document(submission.text, submission.format)  # type: ignore[arg-type]
        meta = _override(parsed.meta, submission.meta)
        paragraphs = analyze(parsed, self.nlp, self.encoder)
        doc_id = submission.id or _content_id(submission.text)
        record = DocumentRecord(doc_id, meta, submission.format or "auto", submission.text, paragraphs)
        with self._write_lock:
            result = self.store.replace_document(record)
            self.index.remove(np.asarray(result.removed, dtype=np.int64))
            if result.added:
                self.index.upsert(
                    np.asarray(result.added, dtype=np.int64), np.vstack([p.vector for p in paragraphs])
                )
            self.index.generation = result.generation
            self._maybe_save()
        return IngestResult(
            doc_id, len(paragraphs), sum(len(p.sentences) for p in paragraphs), bool(result.removed)
        )

    def ingest_files(self, paths: Iterable[Path]) -> list[IngestResult]:
        """Ingest files; each document's id is its file name without extension."""
        return [
            self.ingest(Submission(text=path.read_text(encoding="utf-8"), id=path.stem))
            for path in sorted(paths)
        ]

    def delete(self, document_id: str) -> bool:
        with self._write_lock:
            result = self.store.delete_document(document_id)
            if result is None:
                return False
            self.index.remove(np.asarray(result.removed, dtype=np.int64))
            self.index.generation = result.generation
            self._maybe_save()
        return True

    def save(self) -> None:
        """Persist the index now (at shutdown, after bulk ingest)."""
        with self._write_lock:
            index_sync.save(self.store, self.index, self.data_dir)
            self._saved_generation = self.index.generation
            self._saved_at = time.monotonic()

    def close(self) -> None:
        self.save()
        self.store.close()

    def _maybe_save(self) -> None:
        unsaved = self.index.generation - self._saved_generation
        if unsaved >= SAVE_EVERY_CHANGES or (
            unsaved and time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS
        ):
            index_sync.save(self.store, self.index, self.data_dir)
            self._saved_generation = self.index.generation
            self._saved_at = time.monotonic()

    # -- reads ----------------------------------------------------------------------------------

    def document(self, document_id: str) -> StoredDocument | None:
        return self.store.get_document(document_id)

    def documents(self, offset: int, limit: int) -> tuple[list[DocumentSummary], int]:
        return self.store.list_documents(offset, limit)

    # -- check ----------------------------------------------------------------------------------

    def check(self, claim: str, limit: int = 10) -> CheckResult:
        """Ranked supporting sentences for ``claim``, near-duplicates merged, each with its verdict."""
        claim = claim.strip()
        requirements = claim_requirements(self.claim_nlp(claim)[:])
        query = self.encoder.encode([claim])[0]
        hits = self.index.search(query, max(MIN_PARAGRAPH_CANDIDATES, 3 * limit))
        paragraphs = self.store.paragraphs([int(i) for i in hits.ids])
        candidates = []
        for pid in hits.ids:
            paragraph = paragraphs.get(int(pid))
            if paragraph is None:  # deleted since the search
                continue
            for sentence in paragraph.sentences:
                support = assess(requirements, sentence.terms, float(np.dot(sentence.vector, query)))
                if support.supports(self.policy):
                    candidates.append(_Candidate(sentence, paragraph, support, support.score(self.policy)))
        candidates.sort(key=lambda c: c.score, reverse=True)
        groups = group_identical(candidates, lambda c: c.sentence.text)[:limit]
        metas = self.store.metadata([c.sentence.document_id for group in groups for c in group])
        return CheckResult(claim, tuple(self._evidence(group, metas) for group in groups))

    def _evidence(self, group: list[_Candidate], metas: dict[str, DocumentMeta]) -> Evidence:
        best = group[0]
        frames = [_frame(f) for f in best.paragraph.frames]
        positions = best.support.match_positions or tuple(start for _, start, _ in best.sentence.terms)
        frame = frame_for_match(positions, frames)
        denials = self._denials(best, frame, frames)
        seen: set[tuple[str, int]] = set()
        sources = []
        for c in sorted(group, key=lambda c: (c.sentence.document_id, c.sentence.start)):
            key = (c.sentence.document_id, c.sentence.start)
            if key in seen:
                continue
            seen.add(key)
            sources.append(
                Source(
                    document_id=c.sentence.document_id,
                    meta=metas.get(c.sentence.document_id, DocumentMeta()),
                    paragraph=c.sentence.paragraph_index,
                    start=c.sentence.start,
                    end=c.sentence.end,
                )
            )
        return Evidence(
            sentence=best.sentence.text,
            score=round(best.score, 4),
            allegation=frame is not None,
            attribution=Attribution(frame.speaker, frame.cue, frame.kind) if frame else None,
            sources=tuple(sources),
            denied_by=tuple(Attribution(d.speaker, d.cue, d.kind) for d in denials),
        )

    def _denials(self, best: _Candidate, frame: Frame | None, frames: list[Frame]) -> list[Frame]:
        """Denials of the matched content in its own or the following sentences of the paragraph."""
        if not any(f.kind == "denial" for f in frames):
            return []
        text = self.store.document_text(best.sentence.document_id) or ""
        anchor = frame if frame is not None else (best.sentence.start, best.sentence.end)
        sentences = [(s.start, s.end) for s in best.paragraph.sentences]
        return denials_of(anchor, frames, sentences, text)


def _frame(record: FrameRecord) -> Frame:
    return Frame(
        kind=record.kind,  # type: ignore[arg-type]
        cue=record.cue,
        cue_start=record.cue_start,
        cue_end=record.cue_end,
        speaker=record.speaker,
        speaker_start=record.speaker_start,
        speaker_end=record.speaker_end,
        content_start=record.content_start,
        content_end=record.content_end,
    )


def _override(found: DocumentMeta, given: DocumentMeta) -> DocumentMeta:
    """Metadata the client sent wins over what the parser found, field by field."""
    changes = {name: getattr(given, name) for name in given.__slots__ if getattr(given, name) is not None}
    return replace(found, **changes)


def _content_id(text: str) -> str:
    """Id for a document posted without one: stable for identical text, so re-posting replaces it."""
    return "doc_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
