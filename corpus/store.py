"""SQLite store: documents, paragraphs, sentences, attribution frames, and every vector.

The store is the source of truth. Each document is written or removed in one transaction, so an
acknowledged document is never half there; the ``index_log`` table records which paragraph ids
were added or removed at which generation so the FAISS cache can catch up after a crash.
All offsets are character offsets into the document text as it was posted.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import msgspec
import numpy as np
import numpy.typing as npt
import snowballstemmer

from corpus.document import DocumentMeta

Vector = npt.NDArray[np.float32]
Term = tuple[str, int, int]  # (normalised key, start, end) of one content token

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT, outlet TEXT, byline TEXT, published TEXT, url TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    story_id TEXT, agency TEXT, fingerprint BLOB
);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_by_document ON paragraphs(document_id, idx);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_by_paragraph ON sentences(paragraph_id, idx);
CREATE VIRTUAL TABLE IF NOT EXISTS sentence_fts USING fts5(text, tokenize = 'porter unicode61');
CREATE TRIGGER IF NOT EXISTS sentences_leave_fts AFTER DELETE ON sentences BEGIN
    DELETE FROM sentence_fts WHERE rowid = old.id;
END;
CREATE TABLE IF NOT EXISTS frames (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    cue TEXT NOT NULL, cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL,
    speaker TEXT, speaker_start INTEGER, speaker_end INTEGER,
    content_start INTEGER NOT NULL, content_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS frames_by_paragraph ON frames(paragraph_id);
CREATE INDEX IF NOT EXISTS documents_by_story ON documents(story_id);
CREATE TABLE IF NOT EXISTS index_log (
    generation INTEGER PRIMARY KEY AUTOINCREMENT,
    op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
    paragraph_id INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class FrameRecord:
    kind: str
    cue: str
    cue_start: int
    cue_end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    content_start: int
    content_end: int


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    start: int
    end: int
    text: str
    vector: Vector
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class ParagraphRecord:
    start: int
    end: int
    text: str
    vector: Vector
    sentences: tuple[SentenceRecord, ...]
    frames: tuple[FrameRecord, ...]


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    meta: DocumentMeta
    format: str
    text: str
    paragraphs: tuple[ParagraphRecord, ...]
    story_id: str
    agency: str | None = None
    fingerprint: bytes = b""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a source citation needs: metadata, the story it belongs to, the agency that wrote it."""

    meta: DocumentMeta
    story_id: str
    agency: str | None
    ingested_at: str


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
    vector: Vector
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class StoredParagraph:
    id: int
    index: int
    start: int
    end: int
    sentences: tuple[StoredSentence, ...]
    frames: tuple[FrameRecord, ...]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    info: DocumentInfo
    format: str
    paragraphs: tuple[StoredParagraph, ...]

    @property
    def meta(self) -> DocumentMeta:
        return self.info.meta


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: str
    info: DocumentInfo
    paragraphs: int
    sentences: int


@dataclass(frozen=True, slots=True)
class LexicalHit:
    sentence_id: int
    paragraph_id: int
    score: float  # BM25, higher is better


@dataclass(frozen=True, slots=True)
class StoryRow:
    document_id: str
    story_id: str | None  # None for documents stored before stories existed
    fingerprint: bytes | None
    published: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class IndexChange:
    generation: int
    op: str
    paragraph_id: int


@dataclass(frozen=True, slots=True)
class WriteResult:
    """Paragraph ids a write added and removed, and the generation it committed."""

    added: tuple[int, ...]
    removed: tuple[int, ...]
    generation: int


# Columns added to ``documents`` after the first release; older stores gain them on open.
_LATER_DOCUMENT_COLUMNS = {"story_id": "TEXT", "agency": "TEXT", "fingerprint": "BLOB"}


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    existing = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    if not existing:
        return  # a new store: SCHEMA creates the table whole
    for name, kind in _LATER_DOCUMENT_COLUMNS.items():
        if name not in existing:
            conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {kind}")


# Columns behind a DocumentInfo. A copy without its own agency credit inherits one from any other
# copy of the same story (000 is the AFP story that 001 credits to AFP).
_INFO_COLUMNS = (
    "d.title, d.outlet, d.byline, d.published, d.url, d.story_id,"
    " COALESCE(d.agency, (SELECT o.agency FROM documents o WHERE o.story_id = d.story_id"
    " AND o.agency IS NOT NULL ORDER BY o.id LIMIT 1)), d.ingested_at"
)


def _info(document_id: object, row: Sequence[object]) -> DocumentInfo:
    title, outlet, byline, published, url, story_id, agency, ingested_at = row
    meta = DocumentMeta(*(None if v is None else str(v) for v in (title, outlet, byline, published, url)))
    return DocumentInfo(
        meta,
        str(story_id) if story_id else f"story:{document_id}",
        str(agency) if agency else None,
        str(ingested_at),
    )


def _fill_fts(conn: sqlite3.Connection) -> None:
    """Index the sentences of a store created before full-text search existed (once)."""
    if conn.execute("SELECT 1 FROM sentence_fts LIMIT 1").fetchone() is None:
        conn.execute("INSERT INTO sentence_fts (rowid, text) SELECT id, text FROM sentences")


# Lexical search uses a claim's rarest words only: at most LEXICAL_MAX_TERMS of them, each found in
# at most 1% of the sentences and never more than LEXICAL_MAX_DF (see Store.lexical_search).
LEXICAL_MAX_DF = 500
LEXICAL_MAX_DF_FRACTION = 0.01
LEXICAL_MAX_TERMS = 6
_PORTER = snowballstemmer.stemmer("porter")
_FTS_TOKEN = re.compile(r"[^\W_]+")


def _porter_tokens(word: str) -> list[str]:
    """The terms FTS5's ``porter unicode61`` tokenizer stores for a word ("F-16" -> "f", "16")."""
    return [str(_PORTER.stemWord(token)) for token in _FTS_TOKEN.findall(word.lower())]


class _TermsCodec:
    """Sentence terms as compact JSON; decoded straight into tuples by msgspec (5x faster than
    json + tuple building, and term decoding dominates reading candidate sentences at query time)."""

    def __init__(self) -> None:
        self._encoder = msgspec.json.Encoder()
        self._decoder = msgspec.json.Decoder(tuple[tuple[str, int, int], ...])

    def encode(self, terms: Sequence[Term]) -> str:
        return self._encoder.encode(terms).decode()

    def decode(self, raw: str | bytes) -> tuple[Term, ...]:
        return self._decoder.decode(raw)


_TERMS_JSON = _TermsCodec()


def _blob(vector: Vector) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def _vector(blob: bytes) -> Vector:
    return np.frombuffer(blob, dtype=np.float32)


class Store:
    """One SQLite file. Reads use a connection per thread (WAL); writes are serialised."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        conn = self._conn()
        conn.execute("PRAGMA journal_mode = WAL")
        _add_missing_columns(conn)
        conn.executescript(SCHEMA)
        _fill_fts(conn)

    # -- connections ----------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 10000")
            self._local.conn = conn
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.vocab = False

    # -- writes ---------------------------------------------------------------------------------

    def replace_document(self, document: DocumentRecord) -> WriteResult:
        """Insert ``document``, replacing any document with the same id, in one transaction."""
        with self._transaction() as conn:
            removed = self._delete(conn, document.id)
            meta = document.meta
            conn.execute(
                "INSERT INTO documents (id, title, outlet, byline, published, url, format, text,"
                " story_id, agency, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    meta.title,
                    meta.outlet,
                    meta.byline,
                    meta.published,
                    meta.url,
                    document.format,
                    document.text,
                    document.story_id,
                    document.agency,
                    document.fingerprint,
                ),
            )
            added = [
                self._insert_paragraph(conn, document.id, i, p) for i, p in enumerate(document.paragraphs)
            ]
            conn.executemany(
                "INSERT INTO index_log (op, paragraph_id) VALUES ('add', ?)", [(pid,) for pid in added]
            )
            generation = self._generation(conn)
        return WriteResult(tuple(added), removed, generation)

    def delete_document(self, document_id: str) -> WriteResult | None:
        """Remove a document and everything derived from it; ``None`` if it was not there."""
        with self._transaction() as conn:
            exists = conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
            if exists is None:
                return None
            removed = self._delete(conn, document_id)
            generation = self._generation(conn)
        return WriteResult((), removed, generation)

    def _delete(self, conn: sqlite3.Connection, document_id: str) -> tuple[int, ...]:
        rows = conn.execute("SELECT id FROM paragraphs WHERE document_id = ?", (document_id,)).fetchall()
        removed = tuple(int(r[0]) for r in rows)
        conn.executemany(
            "INSERT INTO index_log (op, paragraph_id) VALUES ('remove', ?)", [(pid,) for pid in removed]
        )
        conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return removed

    @staticmethod
    def _insert_paragraph(conn: sqlite3.Connection, document_id: str, idx: int, p: ParagraphRecord) -> int:
        cur = conn.execute(
            "INSERT INTO paragraphs (document_id, idx, start, end, text, vector) VALUES (?, ?, ?, ?, ?, ?)",
            (document_id, idx, p.start, p.end, p.text, _blob(p.vector)),
        )
        pid = cur.lastrowid
        assert pid is not None
        conn.executemany(
            "INSERT INTO sentences (paragraph_id, idx, start, end, text, vector, terms)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (pid, i, s.start, s.end, s.text, _blob(s.vector), _TERMS_JSON.encode(s.terms))
                for i, s in enumerate(p.sentences)
            ],
        )
        conn.execute(
            "INSERT INTO sentence_fts (rowid, text) SELECT id, text FROM sentences WHERE paragraph_id = ?",
            (pid,),
        )
        conn.executemany(
            "INSERT INTO frames (paragraph_id, kind, cue, cue_start, cue_end, speaker, speaker_start,"
            " speaker_end, content_start, content_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    pid,
                    f.kind,
                    f.cue,
                    f.cue_start,
                    f.cue_end,
                    f.speaker,
                    f.speaker_start,
                    f.speaker_end,
                    f.content_start,
                    f.content_end,
                )
                for f in p.frames
            ],
        )
        return pid

    @staticmethod
    def _generation(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").fetchone()
        return int(row[0]) if row else 0

    # -- index bookkeeping ----------------------------------------------------------------------

    def generation(self) -> int:
        return self._generation(self._conn())

    def changes_since(self, generation: int) -> list[IndexChange]:
        rows = self._conn().execute(
            "SELECT generation, op, paragraph_id FROM index_log WHERE generation > ? ORDER BY generation",
            (generation,),
        )
        return [IndexChange(int(g), str(op), int(pid)) for g, op, pid in rows]

    def paragraph_vectors(self, ids: Sequence[int] | None = None) -> tuple[list[int], list[Vector]]:
        """Stored vectors of the given paragraphs (all paragraphs when ``ids`` is None)."""
        conn = self._conn()
        if ids is None:
            rows = conn.execute("SELECT id, vector FROM paragraphs ORDER BY id").fetchall()
        else:
            rows = []
            for chunk in _chunks(list(ids), 500):
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    f"SELECT id, vector FROM paragraphs WHERE id IN ({marks})", chunk
                ).fetchall()
        return [int(r[0]) for r in rows], [_vector(r[1]) for r in rows]

    # -- reads ----------------------------------------------------------------------------------

    def _rare_terms(self, words: Sequence[str]) -> list[str]:
        """The query words (Porter stems, as FTS5 indexes them) found in few enough sentences."""
        conn = self._conn()
        if not getattr(self._local, "vocab", False):  # once per connection, not per query
            conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, sentence_fts, 'row')"
            )
            self._local.vocab = True
        stems = dict.fromkeys(stem for w in words for stem in _porter_tokens(w))
        # max(rowid) stands in for the sentence count (ids only grow): O(1) where COUNT(*) scans.
        newest = conn.execute("SELECT max(rowid) FROM sentences").fetchone()[0] or 0
        max_df = min(LEXICAL_MAX_DF, max(20, int(LEXICAL_MAX_DF_FRACTION * newest)))
        counted = []
        for stem in stems:
            row = conn.execute("SELECT doc FROM temp.fts_terms WHERE term = ?", (stem,)).fetchone()
            if row is not None and int(row[0]) <= max_df:
                counted.append((int(row[0]), stem))
        return [stem for _, stem in sorted(counted)[:LEXICAL_MAX_TERMS]]

    def lexical_search(self, words: Sequence[str], k: int) -> list[LexicalHit]:
        """Best ``k`` sentences for the claim's rare words by BM25 (SQLite FTS5, Porter-stemmed).

        The lexical side of hybrid retrieval: it finds sentences that share the claim's rare words
        (names, numbers, technical terms) even when the dense paragraph search ranks them low.
        Ranking by BM25 scores every sentence that matches any query word, so common words ("bank",
        "said") would cost tens of milliseconds on a newswire archive and add nothing the dense
        search lacks: only words in at most ``LEXICAL_MAX_DF`` sentences are searched (measured on
        Reuters-21578, 107k sentences: 30 ms -> ~2 ms per claim).
        """
        terms = self._rare_terms(words)
        if not terms or k <= 0:
            return []
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = self._conn().execute(
            "SELECT s.id, s.paragraph_id, -bm25(sentence_fts) FROM sentence_fts"
            " JOIN sentences s ON s.id = sentence_fts.rowid"
            " WHERE sentence_fts MATCH ? ORDER BY bm25(sentence_fts) LIMIT ?",
            (query, k),
        )
        return [LexicalHit(int(sid), int(pid), float(score)) for sid, pid, score in rows]

    def document_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def has_document(self, document_id: str) -> bool:
        row = self._conn().execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row is not None

    def document_text(self, document_id: str) -> str | None:
        """The text exactly as it was posted (all stored offsets index into it)."""
        row = self._conn().execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return str(row[0]) if row else None

    def info(self, document_ids: Sequence[str]) -> dict[str, DocumentInfo]:
        """Citation facts for each known id (unknown ids are left out)."""
        out: dict[str, DocumentInfo] = {}
        for chunk in _chunks(list(dict.fromkeys(document_ids)), 500):
            marks = ",".join("?" * len(chunk))
            rows = self._conn().execute(
                f"SELECT d.id, {_INFO_COLUMNS} FROM documents d WHERE d.id IN ({marks})", chunk
            )
            for row in rows:
                out[str(row[0])] = _info(row[0], row[1:])
        return out

    def fingerprints(self) -> list[StoryRow]:
        """Story facts of every document in ingest order, to rebuild the story index."""
        rows = self._conn().execute(
            "SELECT id, story_id, fingerprint, published, title FROM documents ORDER BY rowid"
        )
        return [StoryRow(str(d), str(s) if s else None, f, p, t) for d, s, f, p, t in rows]

    def story_rows_after(self, rowid: int) -> tuple[list[StoryRow], int]:
        """Story facts of documents stored after ``rowid`` (by any process), and the new high mark."""
        rows = (
            self._conn()
            .execute(
                "SELECT rowid, id, story_id, fingerprint, published, title FROM documents WHERE rowid > ?"
                " ORDER BY rowid",
                (rowid,),
            )
            .fetchall()
        )
        high = max((int(r[0]) for r in rows), default=rowid)
        return [StoryRow(str(d), str(s) if s else None, f, p, t) for _, d, s, f, p, t in rows], high

    def max_document_rowid(self) -> int:
        return int(self._conn().execute("SELECT COALESCE(max(rowid), 0) FROM documents").fetchone()[0])

    def paragraph_texts(self, document_id: str) -> list[str]:
        rows = self._conn().execute(
            "SELECT text FROM paragraphs WHERE document_id = ? ORDER BY idx", (document_id,)
        )
        return [str(r[0]) for r in rows]

    def set_fingerprint(self, document_id: str, story_id: str, fingerprint: bytes) -> None:
        """Back-fill a document stored before stories existed."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE documents SET story_id = ?, fingerprint = ? WHERE id = ?",
                (story_id, fingerprint, document_id),
            )

    def list_documents(self, offset: int, limit: int) -> tuple[list[DocumentSummary], int]:
        conn = self._conn()
        total = int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        rows = conn.execute(
            "SELECT (SELECT COUNT(*) FROM paragraphs p WHERE p.document_id = d.id),"
            " (SELECT COUNT(*) FROM sentences s JOIN paragraphs p ON s.paragraph_id = p.id"
            "  WHERE p.document_id = d.id),"
            f" d.id, {_INFO_COLUMNS} FROM documents d ORDER BY d.id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        items = [DocumentSummary(r[2], _info(r[2], r[3:]), int(r[0]), int(r[1])) for r in rows]
        return items, total

    def get_document(self, document_id: str) -> StoredDocument | None:
        conn = self._conn()
        row = conn.execute(
            f"SELECT d.format, {_INFO_COLUMNS} FROM documents d WHERE d.id = ?", (document_id,)
        ).fetchone()
        if row is None:
            return None
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM paragraphs WHERE document_id = ? ORDER BY idx", (document_id,)
            )
        ]
        paragraphs = self.paragraphs(ids)
        return StoredDocument(
            document_id, _info(document_id, row[1:]), row[0], tuple(paragraphs[i] for i in ids)
        )

    def paragraphs(self, paragraph_ids: Sequence[int]) -> dict[int, StoredParagraph]:
        """Paragraphs with their sentences (vectors, terms) and frames, keyed by paragraph id."""
        conn = self._conn()
        heads: dict[int, tuple[str, int, int, int]] = {}
        sentences: dict[int, list[StoredSentence]] = {}
        frames: dict[int, list[FrameRecord]] = {}
        for chunk in _chunks(list(dict.fromkeys(paragraph_ids)), 500):
            marks = ",".join("?" * len(chunk))
            for pid, doc_id, idx, start, end in conn.execute(
                f"SELECT id, document_id, idx, start, end FROM paragraphs WHERE id IN ({marks})", chunk
            ):
                heads[int(pid)] = (doc_id, int(idx), int(start), int(end))
            for sid, pid, idx, start, end, text, vector, terms in conn.execute(
                "SELECT id, paragraph_id, idx, start, end, text, vector, terms FROM sentences"
                f" WHERE paragraph_id IN ({marks}) ORDER BY paragraph_id, idx",
                chunk,
            ):
                doc_id, p_idx, _, _ = heads[int(pid)]
                sentences.setdefault(int(pid), []).append(
                    StoredSentence(
                        int(sid),
                        int(pid),
                        doc_id,
                        p_idx,
                        int(idx),
                        int(start),
                        int(end),
                        text,
                        _vector(vector),
                        _TERMS_JSON.decode(terms),
                    )
                )
            for row in conn.execute(
                "SELECT paragraph_id, kind, cue, cue_start, cue_end, speaker, speaker_start, speaker_end,"
                f" content_start, content_end FROM frames WHERE paragraph_id IN ({marks}) ORDER BY id",
                chunk,
            ):
                frames.setdefault(int(row[0]), []).append(FrameRecord(*row[1:]))
        return {
            pid: StoredParagraph(
                pid, idx, start, end, tuple(sentences.get(pid, ())), tuple(frames.get(pid, ()))
            )
            for pid, (_, idx, start, end) in heads.items()
        }


def _chunks(items: list[object], size: int) -> Iterator[list[object]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
