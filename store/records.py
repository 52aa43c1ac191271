"""What goes into the store and what comes back out of it.

Write side: a :class:`DocumentRecord` is one analysed document ready to commit (the language stage
builds its paragraphs, the vector stage adds their vectors). Read side: the ``Stored*`` types carry
what only the store knows, the row ids that the FAISS index and the change log refer to, and what
a query reads back (vectors, terms). Frames are the attribution package's own ``Frame``, stored in
document offsets; terms are retrieval's ``Term``; metadata is corpus's ``DocumentMeta``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from attribution.frame import Frame
from corpus.document import DocumentMeta
from embeddings.encoder import Vectors
from retrieval.structure import EMPTY, Structure
from retrieval.structure import decode as structure_decode
from retrieval.terms import Term


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    """One sentence to store: where it is in the posted text, its content terms and the news
    agencies it names ("told AFP"), all worked out once at ingest."""

    start: int
    end: int
    text: str
    terms: tuple[Term, ...]
    agencies: tuple[str, ...] = ()
    structure: Structure = EMPTY


@dataclass(frozen=True, slots=True)
class ParagraphRecord:
    """One analysed paragraph: its sentences and the attribution frames found in it."""

    start: int
    end: int
    text: str
    sentences: tuple[SentenceRecord, ...]
    frames: tuple[Frame, ...]


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document ready to commit in one transaction.

    ``paragraph_vectors`` has one row per paragraph and ``sentence_vectors`` one per sentence, in
    reading order (the vector stage fills them in one encoder call for a whole batch).
    """

    id: str
    meta: DocumentMeta
    format: str
    text: str
    paragraphs: tuple[ParagraphRecord, ...]
    paragraph_vectors: Vectors
    sentence_vectors: Vectors
    story_id: str
    agency: str | None = None
    fingerprint: bytes = b""
    context: tuple[str, ...] = ()  # term keys of the title, the lead and the publication year


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a check needs of a document: the citation facts (metadata, story, the agency that wrote
    it) and its context, the term keys its title, lead and date lend every sentence ("the strike"
    in a story titled "GM workers strike Pontiac plants")."""

    meta: DocumentMeta
    story_id: str
    agency: str | None
    ingested_at: str
    context: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StoredSentence:
    """A sentence as read back for ranking: where it is, what it says, its vector and terms."""

    id: int
    paragraph_id: int
    document_id: str
    paragraph_index: int
    index: int
    start: int
    end: int
    text: str
    vector: Vectors
    terms: tuple[Term, ...]
    agencies: tuple[str, ...]
    structure_json: str | None  # ``retrieval.structure`` JSON, decoded only for verified candidates

    @property
    def structure(self) -> Structure:
        return structure_decode(self.structure_json)


@dataclass(frozen=True, slots=True)
class StoredParagraph:
    id: int
    document_id: str
    index: int
    start: int
    end: int
    sentences: tuple[StoredSentence, ...]
    frames: tuple[Frame, ...]
    context: frozenset[str] = frozenset()  # its document's context keys (title, lead, year)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    info: DocumentInfo
    format: str
    paragraphs: tuple[StoredParagraph, ...]


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document as listed: its citation facts and how much of it is indexed."""

    id: str
    info: DocumentInfo
    paragraphs: int
    sentences: int


@dataclass(frozen=True, slots=True)
class StoryRow:
    """The story facts of one document, enough to rebuild the story index without parsing."""

    document_id: str
    story_id: str | None  # None for documents stored before stories existed
    fingerprint: bytes | None
    published: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class WriteResult:
    """Paragraph ids a write added and removed, and the change-log generation it committed."""

    added: tuple[int, ...]
    removed: tuple[int, ...]
    generation: int


class TermsCodec:
    """Sentence terms as compact JSON; decoded straight into tuples by msgspec (5x faster than
    json + tuple building, and term decoding dominates reading candidate sentences at query time)."""

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._terms = msgspec.json.Decoder(tuple[tuple[str, int, int], ...])
        self._names = msgspec.json.Decoder(tuple[str, ...])

    def encode(self, value: Sequence[Term] | Sequence[str]) -> str:
        return self._encoder.encode(value).decode()

    def terms(self, raw: str | bytes) -> tuple[Term, ...]:
        return self._terms.decode(raw)

    def names(self, raw: str | bytes | None) -> tuple[str, ...]:
        return self._names.decode(raw) if raw else ()


CODEC = TermsCodec()


def blob(vector: Vectors) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vector(raw: bytes) -> Vectors:
    return np.frombuffer(raw, dtype=np.float32)


def owned_vectors(rows: Iterable[Sequence[Any]]) -> tuple[list[int], Vectors]:
    """Rows of (owner id, vector bytes) as the owners' ids and one float32 matrix, a row each:
    one buffer decoded once, not an array per row."""
    owners, raws = [], []
    for owner, raw in rows:
        owners.append(int(owner))
        raws.append(bytes(raw))
    if not raws:
        return [], np.empty((0, 0), dtype=np.float32)
    return owners, np.frombuffer(b"".join(raws), dtype=np.float32).reshape(len(raws), -1)


class ParagraphAssembly:
    """Stored paragraphs built from the rows both backends read the same way: one row per sentence
    joined with its paragraph and its document's context (``p.id, p.document_id, p.idx, p.start,
    p.end, d.context, s.id, s.idx, s.start, s.end, s.text, s.vector, s.terms, s.agencies,
    s.structure``; the sentence columns null for a paragraph without sentences), then one row per
    frame (``paragraph_id`` and the :class:`Frame` fields). Kept here so the SQLite and PostgreSQL
    stores decode a paragraph identically."""

    def __init__(self) -> None:
        self._heads: dict[int, tuple[str, int, int, int]] = {}
        self._contexts: dict[str, frozenset[str]] = {}
        self._sentences: dict[int, list[StoredSentence]] = {}
        self._frames: dict[int, list[Frame]] = {}

    def add_sentence_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for pid, doc_id, p_idx, p_start, p_end, context, sid, *sentence in rows:
            if pid not in self._heads:
                self._heads[pid] = (doc_id, p_idx, p_start, p_end)
                if doc_id not in self._contexts:
                    self._contexts[doc_id] = frozenset(CODEC.names(context))
            if sid is None:
                continue  # a paragraph without sentences
            idx, start, end, text, raw_vector, terms, agencies, facts = sentence
            self._sentences.setdefault(pid, []).append(
                StoredSentence(
                    sid,
                    pid,
                    doc_id,
                    p_idx,
                    idx,
                    start,
                    end,
                    text,
                    vector(raw_vector),
                    CODEC.terms(terms),
                    CODEC.names(agencies),
                    facts,
                )
            )

    def add_frame_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self._frames.setdefault(row[0], []).append(Frame(*row[1:]))

    def paragraphs(self) -> dict[int, StoredParagraph]:
        return {
            pid: StoredParagraph(
                pid,
                doc_id,
                idx,
                start,
                end,
                tuple(self._sentences.get(pid, ())),
                tuple(self._frames.get(pid, ())),
                self._contexts[doc_id],
            )
            for pid, (doc_id, idx, start, end) in self._heads.items()
        }
