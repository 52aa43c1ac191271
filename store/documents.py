"""The store: documents, paragraphs, sentences, attribution frames and every vector, in one SQLite file.

The store is the source of truth. Each document is written or removed in one transaction, so an
acknowledged document is never half there, and the change log entries that let the FAISS cache
catch up are part of that transaction (:mod:`store.changelog`). All offsets are character offsets
into the document text as it was posted. The lexical search over the same sentences is
:mod:`store.lexical`, reached as ``Store.lexical``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from corpus.document import DocumentMeta
from embeddings.encoder import Vectors
from retrieval import structure
from store import changelog
from store.changelog import ChangeLog
from store.connection import Database
from store.faults import (
    ReadOnlyStore,
    StorageError,
    StorageFull,
    full_message,
    read_only_message,
    translate,
)
from store.lexical import LexicalIndex
from store.records import (
    CODEC,
    DocumentInfo,
    DocumentRecord,
    DocumentSummary,
    ParagraphAssembly,
    ParagraphRecord,
    StoredDocument,
    StoredParagraph,
    StoryRow,
    WriteResult,
    blob,
    owned_vectors,
    vector,
)
from store.reserve import Reserve

# Columns behind a DocumentInfo. A copy without its own agency credit inherits one from any other
# copy of the same story (000 is the AFP story that 001 credits to AFP).
_INFO_COLUMNS = (
    "d.title, d.outlet, d.byline, d.published, d.url, d.story_id,"
    " COALESCE(d.agency, (SELECT o.agency FROM documents o WHERE o.story_id = d.story_id"
    " AND o.agency IS NOT NULL ORDER BY o.id LIMIT 1)), d.ingested_at, d.context"
)
# SQLite binds at most this many parameters per statement in old builds; lists are read in chunks.
_CHUNK = 500


def _info(document_id: object, row: Sequence[object]) -> DocumentInfo:
    title, outlet, byline, published, url, story_id, agency, ingested_at, context = row
    meta = DocumentMeta(*(None if v is None else str(v) for v in (title, outlet, byline, published, url)))
    return DocumentInfo(
        meta,
        str(story_id) if story_id else f"story:{document_id}",
        str(agency) if agency else None,
        str(ingested_at),
        frozenset(CODEC.names(context if isinstance(context, str | bytes) else None)),
    )


class Store:
    """One SQLite file. Reads use a connection per thread (WAL); writes are serialised.

    Every write either commits whole or raises, rolled back: ``StorageFull`` when the disk (or
    quota) has no room for it, ``ReadOnlyStore`` when the file cannot be written. A store opened
    ``read_only`` never writes: each write raises ``refusal`` (by default a ``ReadOnlyStore`` that
    names the directory) prefixed with what was refused.

    ``reserve_bytes`` of disk are held in a file beside the store (``store.reserve``) and given up
    when opening the store or deleting a document fails for lack of space, so that documents can
    still be deleted on a full disk.
    """

    def __init__(
        self,
        path: Path,
        read_only: bool = False,
        reserve_bytes: int = 0,
        refusal: StorageError | None = None,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self.refusal = refusal if refusal is not None or not read_only else _default_refusal(path)
        self.reserve = Reserve(path.with_name(path.name + ".reserve"), 0 if read_only else reserve_bytes)
        self._db = Database(path, read_only=True) if read_only else self._open_with_room(path)
        self.reserve.ensure()
        self.lexical = LexicalIndex(self._db)
        self.log = ChangeLog(self._db)

    def _open_with_room(self, path: Path) -> Database:
        """Open read-write; on a full disk, give up the reserve and try once more."""
        try:
            return Database(path)
        except StorageFull:
            if not self.reserve.release():
                raise
        return Database(path)

    @property
    def writable(self) -> bool:
        return not self.read_only

    def close(self) -> None:
        self._db.close()

    # -- writes ---------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection]:
        """A write transaction whose storage errors come out as faults that say ``what`` failed."""
        if self.refusal is not None:
            raise type(self.refusal)(f"{what}: {self.refusal}")
        try:
            with self._db.transaction() as conn:
                yield conn
        except (sqlite3.Error, OSError) as exc:
            fault = translate(exc, self.path.parent, what)
            if fault is None:
                raise
            raise fault from exc
        self.reserve.ensure()

    def replace_document(self, document: DocumentRecord) -> WriteResult:
        """Insert ``document``, replacing any document with the same id, in one transaction.

        Refused with ``StorageFull`` while the disk has no room for the reserve: that room is kept
        for deletes (``store.reserve``).
        """
        what = f"document {document.id!r} was not stored; the store is unchanged"
        if self.refusal is None and not self.reserve.ensure():
            kept = f"less than the {self.reserve.size // 1024} KiB kept free for deletes is left"
            raise StorageFull(f"{what}: {full_message(self.path.parent, kept)}")
        with self._writing(what) as conn:
            removed = self._delete(conn, document.id)
            meta = document.meta
            conn.execute(
                "INSERT INTO documents (id, title, outlet, byline, published, url, format, text,"
                " story_id, agency, fingerprint, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    CODEC.encode(document.context),
                ),
            )
            added = []
            first_sentence = 0
            for i, paragraph in enumerate(document.paragraphs):
                count = len(paragraph.sentences)
                sentence_vectors = document.sentence_vectors[first_sentence : first_sentence + count]
                added.append(
                    _insert_paragraph(
                        conn, document.id, i, paragraph, document.paragraph_vectors[i], sentence_vectors
                    )
                )
                first_sentence += count
            changelog.record(conn, "add", added)
            generation = changelog.generation_of(conn)
        return WriteResult(tuple(added), removed, generation)

    def delete_document(self, document_id: str) -> WriteResult | None:
        """Remove a document and everything derived from it; ``None`` if it was not there.

        A delete needs disk space too (the WAL, FTS5's delete markers). When there is none, the
        WAL is checkpointed so the next write can reuse it from its start, then the reserve is
        given up, retrying after each; ``StorageFull`` only when neither made room.
        """
        remedies = [self._db.checkpoint, self.reserve.release]
        while True:
            try:
                return self._delete_document(document_id)
            except StorageFull:
                if self.refusal is not None or not remedies:
                    raise
            remedies.pop(0)()

    def _delete_document(self, document_id: str) -> WriteResult | None:
        with self._writing(f"document {document_id!r} was not deleted and is still stored") as conn:
            exists = conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
            if exists is None:
                return None
            removed = self._delete(conn, document_id)
            generation = changelog.generation_of(conn)
        return WriteResult((), removed, generation)

    @staticmethod
    def _delete(conn: sqlite3.Connection, document_id: str) -> tuple[int, ...]:
        rows = conn.execute("SELECT id FROM paragraphs WHERE document_id = ?", (document_id,)).fetchall()
        removed = tuple(int(r[0]) for r in rows)
        changelog.record(conn, "remove", removed)
        conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        return removed

    def set_fingerprint(self, document_id: str, story_id: str, fingerprint: bytes) -> None:
        """Back-fill a document stored before stories existed."""
        with self._writing(f"the story fingerprint of {document_id!r} was not stored") as conn:
            conn.execute(
                "UPDATE documents SET story_id = ?, fingerprint = ? WHERE id = ?",
                (story_id, fingerprint, document_id),
            )

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the whole store (``store_meta``), e.g. which encoder made its vectors."""
        with self._writing(f"the store's {key} was not recorded") as conn:
            conn.execute(
                "INSERT INTO store_meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reads ----------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        """A fact recorded by ``set_meta``; None when absent (or the store predates ``store_meta``)."""
        try:
            row = self._db.conn().execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # a read-only store written before the table existed
            return None
        return str(row[0]) if row else None

    def has_paragraphs(self) -> bool:
        return self._db.conn().execute("SELECT 1 FROM paragraphs LIMIT 1").fetchone() is not None

    def document_count(self) -> int:
        return int(self._db.conn().execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def document_text(self, document_id: str) -> str | None:
        """The text exactly as it was posted (all stored offsets index into it)."""
        row = self._db.conn().execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return str(row[0]) if row else None

    def info(self, document_ids: Sequence[str]) -> dict[str, DocumentInfo]:
        """Citation facts for each known id (unknown ids are left out)."""
        out: dict[str, DocumentInfo] = {}
        for chunk in _chunks(list(dict.fromkeys(document_ids))):
            marks = ",".join("?" * len(chunk))
            rows = self._db.conn().execute(
                f"SELECT d.id, {_INFO_COLUMNS} FROM documents d WHERE d.id IN ({marks})", chunk
            )
            for row in rows:
                out[str(row[0])] = _info(row[0], row[1:])
        return out

    def list_documents(self, offset: int, limit: int) -> tuple[list[DocumentSummary], int]:
        """A page of documents in id order, and how many there are in all."""
        conn = self._db.conn()
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
        conn = self._db.conn()
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
        """Paragraphs with their sentences (vectors, terms) and frames, keyed by paragraph id.

        Two queries per chunk of ids, whatever their number: each paragraph's sentences joined with
        the paragraph and its document's context (a check reads a few dozen paragraphs at a time),
        then their frames."""
        conn = self._db.conn()
        assembly = ParagraphAssembly()
        for chunk in _chunks(list(dict.fromkeys(paragraph_ids))):
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                "SELECT p.id, p.document_id, p.idx, p.start, p.end, d.context, s.id, s.idx, s.start, s.end,"
                " s.text, s.vector, s.terms, s.agencies, s.structure"
                " FROM paragraphs p JOIN documents d ON d.id = p.document_id"
                " LEFT JOIN sentences s ON s.paragraph_id = p.id"
                f" WHERE p.id IN ({marks}) ORDER BY p.id, s.idx",
                chunk,
            )
            assembly.add_sentence_rows(rows)
            assembly.add_frame_rows(
                conn.execute(
                    "SELECT paragraph_id, kind, cue, cue_start, cue_end, speaker, speaker_start, speaker_end,"
                    f" content_start, content_end FROM frames WHERE paragraph_id IN ({marks}) ORDER BY id",
                    chunk,
                )
            )
        return assembly.paragraphs()

    def sentence_vectors(self, paragraph_ids: Sequence[int]) -> tuple[list[int], Vectors]:
        """The vector of every sentence of these paragraphs, one matrix row each, with the id of the
        paragraph each belongs to (any order): what a check reads first, so that it reads whole
        paragraphs only where a sentence is close enough to the claim (about a third of them)."""
        conn = self._db.conn()
        rows: list[tuple[int, bytes]] = []
        for chunk in _chunks(list(dict.fromkeys(paragraph_ids))):
            marks = ",".join("?" * len(chunk))
            rows += conn.execute(
                f"SELECT paragraph_id, vector FROM sentences WHERE paragraph_id IN ({marks})", chunk
            ).fetchall()
        return owned_vectors(rows)

    def paragraph_vectors(self, ids: Sequence[int] | None = None) -> tuple[list[int], list[Vectors]]:
        """Stored vectors of the given paragraphs (all paragraphs when ``ids`` is None)."""
        conn = self._db.conn()
        if ids is None:
            rows = conn.execute("SELECT id, vector FROM paragraphs ORDER BY id").fetchall()
        else:
            rows = []
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    f"SELECT id, vector FROM paragraphs WHERE id IN ({marks})", chunk
                ).fetchall()
        return [int(r[0]) for r in rows], [vector(r[1]) for r in rows]

    def paragraph_ids(self) -> list[int]:
        return [int(r[0]) for r in self._db.conn().execute("SELECT id FROM paragraphs ORDER BY id")]

    def dangling_rows(self) -> dict[str, int]:
        """Rows whose parent is gone, by kind (all zero in a sound store).

        Foreign keys cascade deletes and the FTS trigger follows sentences, so none should ever
        exist; a crash test counts them rather than trusting that.
        """
        queries = {
            "paragraphs without document": "SELECT COUNT(*) FROM paragraphs p"
            " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.document_id)",
            "sentences without paragraph": "SELECT COUNT(*) FROM sentences s"
            " WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.id = s.paragraph_id)",
            "frames without paragraph": "SELECT COUNT(*) FROM frames f"
            " WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.id = f.paragraph_id)",
            "search rows without sentence": "SELECT COUNT(*) FROM sentence_fts t"
            " WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.id = t.rowid)",
            "sentences without search row": "SELECT COUNT(*) FROM sentences s"
            " WHERE NOT EXISTS (SELECT 1 FROM sentence_fts t WHERE t.rowid = s.id)",
        }
        conn = self._db.conn()
        return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in queries.items()}

    def paragraph_texts(self, document_id: str) -> list[str]:
        rows = self._db.conn().execute(
            "SELECT text FROM paragraphs WHERE document_id = ? ORDER BY idx", (document_id,)
        )
        return [str(r[0]) for r in rows]

    # -- story facts ----------------------------------------------------------------------------

    def story_rows(self) -> list[StoryRow]:
        """Story facts of every document in ingest order, to rebuild the story index."""
        rows = self._db.conn().execute(
            "SELECT id, story_id, fingerprint, published, title FROM documents ORDER BY rowid"
        )
        return [StoryRow(str(d), str(s) if s else None, f, p, t) for d, s, f, p, t in rows]

    def story_rows_after(self, rowid: int) -> tuple[list[StoryRow], int]:
        """Story facts of documents stored after ``rowid`` (by any process), and the new high mark."""
        rows = (
            self._db.conn()
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
        return int(self._db.conn().execute("SELECT COALESCE(max(rowid), 0) FROM documents").fetchone()[0])


def _insert_paragraph(
    conn: sqlite3.Connection,
    document_id: str,
    idx: int,
    p: ParagraphRecord,
    paragraph_vector: Vectors,
    sentence_vectors: Vectors,
) -> int:
    cur = conn.execute(
        "INSERT INTO paragraphs (document_id, idx, start, end, text, vector) VALUES (?, ?, ?, ?, ?, ?)",
        (document_id, idx, p.start, p.end, p.text, blob(paragraph_vector)),
    )
    pid = cur.lastrowid
    assert pid is not None
    conn.executemany(
        "INSERT INTO sentences (paragraph_id, idx, start, end, text, vector, terms, agencies, structure)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                pid,
                i,
                s.start,
                s.end,
                s.text,
                blob(v),
                CODEC.encode(s.terms),
                CODEC.encode(s.agencies),
                structure.encode(s.structure),
            )
            for i, (s, v) in enumerate(zip(p.sentences, sentence_vectors, strict=True))
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


def _default_refusal(path: Path) -> StorageError:
    return ReadOnlyStore(read_only_message(path.parent, "the store was opened read-only"))


T = TypeVar("T")


def _chunks(items: list[T]) -> Iterator[list[T]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]
