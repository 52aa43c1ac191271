"""The store in a PostgreSQL database, shared by API replicas on any number of machines.

The same rows, ids, transactions and change log as the SQLite store (:mod:`store.documents`), so
everything above it works unchanged (:class:`store.protocol.DocumentStore`): each replica keeps its
FAISS index in its own data directory as a cache and replays the change log to follow what the
others write. Selected with ``CLAIMCHECK_STORE_URL=postgresql://...``.

Connections come from a small pool (psycopg_pool), in autocommit mode: a read is one statement,
a write one explicit transaction that first takes the store's advisory write lock
(``store.pg_schema.WRITE_LOCK``), so writes from every replica are serialised as SQLite serialises
writers with ``BEGIN IMMEDIATE``, and change-log generations commit in order.

A write the server refuses for lack of disk (``disk_full``) or because the database is read-only
(a hot standby, ``default_transaction_read_only``, missing privileges) is rolled back and raised as
``StorageFull`` or ``ReadOnlyStore``, as with SQLite. The disk reserve of the SQLite store has no
counterpart: PostgreSQL manages its own disk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool

from corpus.document import DocumentMeta
from embeddings.encoder import Vectors
from retrieval import structure
from store.changelog import IndexChange
from store.faults import ReadOnlyStore, StorageError, StorageFull
from store.pg_connection import Conn, connection
from store.pg_lexical import PostgresLexicalIndex
from store.pg_schema import WRITE_LOCK, migrate, missing
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

# As in store.documents: a copy without its own agency credit inherits one from another copy.
_INFO_COLUMNS = (
    "d.title, d.outlet, d.byline, d.published, d.url, d.story_id,"
    " COALESCE(d.agency, (SELECT o.agency FROM documents o WHERE o.story_id = d.story_id"
    " AND o.agency IS NOT NULL ORDER BY o.id LIMIT 1)), d.ingested_at, d.context"
)
POOL_MIN = 1
POOL_MAX = 8
CONNECT_TIMEOUT_SECONDS = 10.0


def _info(document_id: object, row: Sequence[Any]) -> DocumentInfo:
    title, outlet, byline, published, url, story_id, agency, ingested_at, context = row
    meta = DocumentMeta(*(None if v is None else str(v) for v in (title, outlet, byline, published, url)))
    return DocumentInfo(
        meta,
        str(story_id) if story_id else f"story:{document_id}",
        str(agency) if agency else None,
        str(ingested_at),
        frozenset(CODEC.names(context)),
    )


def redacted(url: str) -> str:
    """``url`` without its password, for logs and messages."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    return (
        f"postgresql://{info.get('user') or ''}@{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"
    )


def peek_meta(url: str, key: str) -> tuple[bool, str | None] | None:
    """Whether the store at ``url`` holds any paragraph, and its ``store_meta`` value for ``key``,
    read on one short connection that creates and migrates nothing; None when there is no store
    there yet or it cannot be reached (opening it later says why)."""
    try:
        with psycopg.connect(url, connect_timeout=int(CONNECT_TIMEOUT_SECONDS), autocommit=True) as conn:
            if missing(conn):
                return None
            paragraph = conn.execute("SELECT 1 FROM paragraphs LIMIT 1").fetchone()
            row = conn.execute("SELECT value FROM store_meta WHERE key = %s", (key,)).fetchone()
    except psycopg.Error:
        return None
    return paragraph is not None, str(row[0]) if row else None


class PostgresChangeLog:
    """The ``index_log`` table: which paragraph ids each write added or removed, by generation."""

    def __init__(self, pool: ConnectionPool, name: str) -> None:
        self._pool = pool
        self._name = name

    def generation(self) -> int:
        """The newest generation committed (0 for an empty log); one index lookup."""
        with connection(self._pool, self._name) as conn:
            row = conn.execute("SELECT COALESCE(max(generation), 0) FROM index_log").fetchone()
        return int(row[0]) if row else 0

    def since(self, generation: int) -> list[IndexChange]:
        """Entries after ``generation``, oldest first."""
        with connection(self._pool, self._name) as conn:
            rows = conn.execute(
                "SELECT generation, op, paragraph_id FROM index_log WHERE generation > %s"
                " ORDER BY generation",
                (generation,),
            ).fetchall()
        return [IndexChange(int(g), "add" if op == "add" else "remove", int(pid)) for g, op, pid in rows]


class PostgresStore:
    """The store in one PostgreSQL database (schema created on first open).

    ``read_only`` never writes (nor creates the schema): each write raises ``refusal``. Opening
    raises ``psycopg.OperationalError`` when the server cannot be reached within
    ``CONNECT_TIMEOUT_SECONDS``.
    """

    def __init__(self, url: str, read_only: bool = False, refusal: StorageError | None = None) -> None:
        self.url = url
        self.name = redacted(url)
        self.read_only = read_only
        self.refusal = refusal if refusal is not None or not read_only else _default_refusal(self.name)
        self._pool: ConnectionPool = ConnectionPool(
            url,
            min_size=POOL_MIN,
            max_size=POOL_MAX,
            kwargs={"autocommit": True},
            open=False,
            name="claimcheck-store",
        )
        self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            with connection(self._pool, self.name) as conn:
                if read_only:
                    absent = missing(conn)
                    if absent:
                        raise ReadOnlyStore(
                            f"the store {self.name} lacks {', '.join(absent)} and is open read-only:"
                            " start one replica writable to create it"
                        )
                else:
                    migrate(conn)
        except BaseException:
            self._pool.close()
            raise
        self.lexical = PostgresLexicalIndex(self._pool, self.name)
        self.log = PostgresChangeLog(self._pool, self.name)

    @property
    def writable(self) -> bool:
        return not self.read_only

    def close(self) -> None:
        self._pool.close()

    # -- writes ---------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, what: str) -> Iterator[Conn]:
        """One write transaction under the store's write lock; storage faults come out as
        ``StorageFull``/``ReadOnlyStore`` saying ``what`` failed (rolled back)."""
        if self.refusal is not None:
            raise type(self.refusal)(f"{what}: {self.refusal}")
        try:
            with connection(self._pool, self.name) as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield conn
        except (errors.DiskFull, errors.OutOfMemory) as exc:
            raise StorageFull(
                f"{what}: the PostgreSQL server of {self.name} has no space left"
                f" ({exc.diag.message_primary}); free disk space there, or delete documents, and retry"
            ) from exc
        except (errors.ReadOnlySqlTransaction, errors.InsufficientPrivilege) as exc:
            raise ReadOnlyStore(
                f"{what}: the store {self.name} cannot be written ({exc.diag.message_primary}); this"
                " server answers checks and reads documents but stores and deletes none"
            ) from exc

    def replace_document(self, document: DocumentRecord) -> WriteResult:
        """Insert ``document``, replacing any document with the same id, in one transaction."""
        with self._writing(f"document {document.id!r} was not stored; the store is unchanged") as conn:
            removed = _delete(conn, document.id)
            meta = document.meta
            conn.execute(
                "INSERT INTO documents (id, title, outlet, byline, published, url, format, text,"
                " story_id, agency, fingerprint, context)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
            generation = _record(conn, "add", added)
        return WriteResult(tuple(added), removed, generation)

    def delete_document(self, document_id: str) -> WriteResult | None:
        """Remove a document and everything derived from it; ``None`` if it was not there."""
        with self._writing(f"document {document_id!r} was not deleted and is still stored") as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = %s", (document_id,)).fetchone() is None:
                return None
            removed = _delete(conn, document_id)
            generation = _generation(conn)
        return WriteResult((), removed, generation)

    def set_fingerprint(self, document_id: str, story_id: str, fingerprint: bytes) -> None:
        """Back-fill a document stored before stories existed."""
        with self._writing(f"the story fingerprint of {document_id!r} was not stored") as conn:
            conn.execute(
                "UPDATE documents SET story_id = %s, fingerprint = %s WHERE id = %s",
                (story_id, fingerprint, document_id),
            )

    def set_meta(self, key: str, value: str) -> None:
        """Record a fact about the whole store (``store_meta``)."""
        with self._writing(f"the store's {key} was not recorded") as conn:
            conn.execute(
                "INSERT INTO store_meta (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- reads ----------------------------------------------------------------------------------

    def _one(self, query: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with connection(self._pool, self.name) as conn:
            return conn.execute(query, params).fetchone()

    def _all(
        self, query: str, params: Sequence[Any] | dict[str, Any] = (), binary: bool = False
    ) -> list[Any]:
        with connection(self._pool, self.name) as conn:
            return conn.execute(query, params, binary=binary).fetchall()

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM store_meta WHERE key = %s", (key,))
        return str(row[0]) if row else None

    def has_paragraphs(self) -> bool:
        return self._one("SELECT 1 FROM paragraphs LIMIT 1") is not None

    def document_count(self) -> int:
        row = self._one("SELECT COUNT(*) FROM documents")
        return int(row[0]) if row else 0

    def document_text(self, document_id: str) -> str | None:
        row = self._one("SELECT text FROM documents WHERE id = %s", (document_id,))
        return str(row[0]) if row else None

    def info(self, document_ids: Sequence[str]) -> dict[str, DocumentInfo]:
        """Citation facts for each known id (unknown ids are left out)."""
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            return {}
        rows = self._all(
            f"SELECT d.id, {_INFO_COLUMNS} FROM documents d WHERE d.id = ANY(%s::text[])", (ids,)
        )
        return {str(row[0]): _info(row[0], row[1:]) for row in rows}

    def list_documents(self, offset: int, limit: int) -> tuple[list[DocumentSummary], int]:
        """A page of documents in id order, and how many there are in all."""
        with connection(self._pool, self.name) as conn:
            total_row = conn.execute("SELECT COUNT(*) FROM documents").fetchone()
            rows = conn.execute(
                "SELECT (SELECT COUNT(*) FROM paragraphs p WHERE p.document_id = d.id),"
                " (SELECT COUNT(*) FROM sentences s JOIN paragraphs p ON s.paragraph_id = p.id"
                "  WHERE p.document_id = d.id),"
                f' d.id, {_INFO_COLUMNS} FROM documents d ORDER BY d.id COLLATE "C" LIMIT %s OFFSET %s',
                (limit, offset),
            ).fetchall()
        items = [DocumentSummary(r[2], _info(r[2], r[3:]), int(r[0]), int(r[1])) for r in rows]
        return items, int(total_row[0]) if total_row else 0

    def get_document(self, document_id: str) -> StoredDocument | None:
        with connection(self._pool, self.name) as conn:
            row = conn.execute(
                f"SELECT d.format, {_INFO_COLUMNS} FROM documents d WHERE d.id = %s", (document_id,)
            ).fetchone()
            if row is None:
                return None
            ids = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM paragraphs WHERE document_id = %s ORDER BY idx", (document_id,)
                ).fetchall()
            ]
        paragraphs = self.paragraphs(ids)
        return StoredDocument(
            document_id,
            _info(document_id, row[1:]),
            row[0],
            tuple(paragraphs[i] for i in ids if i in paragraphs),
        )

    def paragraphs(self, paragraph_ids: Sequence[int]) -> dict[int, StoredParagraph]:
        """Paragraphs with their sentences (vectors, terms) and frames, keyed by paragraph id; ids
        no longer stored (deleted by any replica since a search found them) are left out.

        Two statements whatever the number of ids, sent together (pipeline mode: one round trip);
        results in binary, so that vectors arrive as raw bytes."""
        ids = list(dict.fromkeys(int(i) for i in paragraph_ids))
        if not ids:
            return {}
        assembly = ParagraphAssembly()
        with connection(self._pool, self.name) as conn, conn.pipeline():
            sentence_rows = conn.execute(
                'SELECT p.id, p.document_id, p.idx, p.start, p."end", d.context, s.id, s.idx, s.start,'
                ' s."end", s.text, s.vector, s.terms, s.agencies, s.structure'
                " FROM paragraphs p JOIN documents d ON d.id = p.document_id"
                " LEFT JOIN sentences s ON s.paragraph_id = p.id"
                " WHERE p.id = ANY(%s::bigint[]) ORDER BY p.id, s.idx",
                (ids,),
                binary=True,
            )
            frame_rows = conn.execute(
                "SELECT paragraph_id, kind, cue, cue_start, cue_end, speaker, speaker_start, speaker_end,"
                " content_start, content_end FROM frames WHERE paragraph_id = ANY(%s::bigint[]) ORDER BY id",
                (ids,),
                binary=True,
            )
        assembly.add_sentence_rows(sentence_rows.fetchall())
        assembly.add_frame_rows(frame_rows.fetchall())
        return assembly.paragraphs()

    def sentence_vectors(self, paragraph_ids: Sequence[int]) -> tuple[list[int], Vectors]:
        """The vector of every sentence of these paragraphs, one matrix row each, with the id of the
        paragraph each belongs to (any order); see ``Store.sentence_vectors``."""
        ids = list(dict.fromkeys(int(i) for i in paragraph_ids))
        if not ids:
            return owned_vectors([])
        return owned_vectors(
            self._all(
                "SELECT paragraph_id, vector FROM sentences WHERE paragraph_id = ANY(%s::bigint[])",
                (ids,),
                binary=True,
            )
        )

    def paragraph_vectors(self, ids: Sequence[int] | None = None) -> tuple[list[int], list[Vectors]]:
        """Stored vectors of the given paragraphs (all paragraphs when ``ids`` is None), in id order."""
        if ids is None:
            rows = self._all("SELECT id, vector FROM paragraphs ORDER BY id", binary=True)
        else:
            rows = self._all(
                "SELECT id, vector FROM paragraphs WHERE id = ANY(%s::bigint[]) ORDER BY id",
                ([int(i) for i in ids],),
                binary=True,
            )
        return [int(r[0]) for r in rows], [vector(r[1]) for r in rows]

    def paragraph_ids(self) -> list[int]:
        return [int(r[0]) for r in self._all("SELECT id FROM paragraphs ORDER BY id")]

    def dangling_rows(self) -> dict[str, int]:
        """Rows whose parent is gone, by kind, and lexical statistics that disagree with the rows
        (all zero in a sound store)."""
        queries = {
            "paragraphs without document": "SELECT COUNT(*) FROM paragraphs p"
            " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = p.document_id)",
            "sentences without paragraph": "SELECT COUNT(*) FROM sentences s"
            " WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.id = s.paragraph_id)",
            "frames without paragraph": "SELECT COUNT(*) FROM frames f"
            " WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.id = f.paragraph_id)",
            "sentence count off the lexical totals": "SELECT abs((SELECT COUNT(*) FROM sentences)"
            " - (SELECT sentences FROM lexical_totals))",
        }
        with connection(self._pool, self.name) as conn:
            out = {}
            for name, sql in queries.items():
                row = conn.execute(sql).fetchone()
                out[name] = int(row[0]) if row else 0
        return out

    def paragraph_texts(self, document_id: str) -> list[str]:
        rows = self._all("SELECT text FROM paragraphs WHERE document_id = %s ORDER BY idx", (document_id,))
        return [str(r[0]) for r in rows]

    # -- story facts ----------------------------------------------------------------------------

    def story_rows(self) -> list[StoryRow]:
        """Story facts of every document in the order they were stored."""
        rows = self._all("SELECT id, story_id, fingerprint, published, title FROM documents ORDER BY seq")
        return [StoryRow(str(d), str(s) if s else None, f, p, t) for d, s, f, p, t in rows]

    def story_rows_after(self, rowid: int) -> tuple[list[StoryRow], int]:
        """Story facts of documents stored after ``rowid`` (``documents.seq``) by any replica, and
        the new high mark."""
        rows = self._all(
            "SELECT seq, id, story_id, fingerprint, published, title FROM documents WHERE seq > %s"
            " ORDER BY seq",
            (rowid,),
        )
        high = max((int(r[0]) for r in rows), default=rowid)
        return [StoryRow(str(d), str(s) if s else None, f, p, t) for _, d, s, f, p, t in rows], high

    def max_document_rowid(self) -> int:
        row = self._one("SELECT COALESCE(max(seq), 0) FROM documents")
        return int(row[0]) if row else 0


def _record(conn: Conn, op: str, paragraph_ids: Sequence[int]) -> int:
    """Log ``op`` for each paragraph id inside the caller's transaction; the newest generation."""
    if paragraph_ids:
        conn.execute(
            "INSERT INTO index_log (op, paragraph_id)"
            " SELECT %s, p FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(p, o) ORDER BY o",
            (op, list(paragraph_ids)),
        )
    return _generation(conn)


def _generation(conn: Conn) -> int:
    row = conn.execute("SELECT COALESCE(max(generation), 0) FROM index_log").fetchone()
    return int(row[0]) if row else 0


def _delete(conn: Conn, document_id: str) -> tuple[int, ...]:
    rows = conn.execute(
        "SELECT id FROM paragraphs WHERE document_id = %s ORDER BY id", (document_id,)
    ).fetchall()
    removed = tuple(int(r[0]) for r in rows)
    _record(conn, "remove", removed)
    conn.execute("DELETE FROM documents WHERE id = %s", (document_id,))
    return removed


def _insert_paragraph(
    conn: Conn,
    document_id: str,
    idx: int,
    p: ParagraphRecord,
    paragraph_vector: Vectors,
    sentence_vectors: Vectors,
) -> int:
    row = conn.execute(
        'INSERT INTO paragraphs (document_id, idx, start, "end", text, vector)'
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (document_id, idx, p.start, p.end, p.text, blob(paragraph_vector)),
    ).fetchone()
    assert row is not None
    pid = int(row[0])
    with conn.cursor() as cur:
        cur.executemany(
            'INSERT INTO sentences (paragraph_id, idx, start, "end", text, vector, terms, agencies,'
            " structure) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
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
        if p.frames:
            cur.executemany(
                "INSERT INTO frames (paragraph_id, kind, cue, cue_start, cue_end, speaker, speaker_start,"
                " speaker_end, content_start, content_end) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
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


def _default_refusal(name: str) -> StorageError:
    return ReadOnlyStore(
        f"the store {name} was opened read-only (CLAIMCHECK_READ_ONLY); this server answers checks and"
        " reads documents but stores and deletes none"
    )
