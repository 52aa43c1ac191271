"""The PostgreSQL schema: the SQLite store's tables, with full-text search in place of FTS5.

Same rows and ids as ``store.schema``: documents, paragraphs, sentences (vectors as ``bytea``,
float32 little-endian as in SQLite), frames, ``store_meta`` and the change log ``index_log``. What
differs, and why:

- ``documents.seq`` stands for SQLite's implicit ``rowid``: the order documents were stored in,
  which the story index of each replica follows (``Store.story_rows_after``).
- Sentences carry a generated ``tsv`` column (``to_tsvector('english', text)``) with a GIN index:
  PostgreSQL's full-text search replaces the FTS5 table, and follows rows by itself (no trigger).
- ``lexical_terms`` (term -> sentences holding it) and ``lexical_totals`` (sentences, tokens) are
  kept by statement triggers on ``sentences``: what FTS5's ``fts5vocab`` table and its BM25
  statistics give SQLite, so that choosing a claim's rare words is one index lookup per word and
  BM25 can be computed exactly as FTS5 does (``store.pg_lexical``).

Writers take one advisory lock for the whole transaction (``WRITE_LOCK``): generations from the
``index_log`` identity then commit in the order they are numbered, so a replica that has read up to
generation g never misses an entry numbered below g that commits later. A sequence is not rolled
back, so a failed write leaves a gap; readers take the newest generation as ``max(generation)``.

``store_meta`` holds a ``store_id`` made at creation: a replica's FAISS cache records which store
it was built from (``claimcheck.storage``), so that a data directory pointed at another database is
rebuilt rather than replayed onto ids that mean other paragraphs there.

The schema is created when missing (``CREATE ... IF NOT EXISTS``, under the same lock, so replicas
starting together do not race); tables and columns are only ever added, as in SQLite.
"""

from __future__ import annotations

import psycopg

# pg_advisory_xact_lock key of the store's one writer at a time ("claimchk" as 8 bytes).
WRITE_LOCK = 0x636C61696D63686B

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    title TEXT, outlet TEXT, byline TEXT, published TEXT, url TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    story_id TEXT, agency TEXT, fingerprint BYTEA,
    context TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS documents_by_story ON documents(story_id);
CREATE TABLE IF NOT EXISTS paragraphs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_by_document ON paragraphs(document_id, idx);
CREATE TABLE IF NOT EXISTS sentences (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BYTEA NOT NULL,
    terms TEXT NOT NULL,
    agencies TEXT NOT NULL DEFAULT '[]',
    structure TEXT,
    tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX IF NOT EXISTS sentences_by_paragraph ON sentences(paragraph_id, idx);
CREATE INDEX IF NOT EXISTS sentences_tsv ON sentences USING GIN (tsv);
CREATE TABLE IF NOT EXISTS frames (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paragraph_id BIGINT NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    cue TEXT NOT NULL, cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL,
    speaker TEXT, speaker_start INTEGER, speaker_end INTEGER,
    content_start INTEGER NOT NULL, content_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS frames_by_paragraph ON frames(paragraph_id);
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS index_log (
    generation BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
    paragraph_id BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS lexical_terms (
    term TEXT PRIMARY KEY,
    df BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS lexical_totals (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    sentences BIGINT NOT NULL,
    tokens BIGINT NOT NULL
);
INSERT INTO lexical_totals (one, sentences, tokens) VALUES (TRUE, 0, 0) ON CONFLICT DO NOTHING;
INSERT INTO store_meta (key, value) VALUES ('store_id', gen_random_uuid()::text) ON CONFLICT DO NOTHING;

-- A sentence's length in tokens, stop words included (as FTS5 counts it): the last word's position.
CREATE OR REPLACE FUNCTION claimcheck_tokens(v TSVECTOR) RETURNS BIGINT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT COALESCE(max(p), 0) FROM unnest(v) u, unnest(u.positions) p);

CREATE OR REPLACE FUNCTION claimcheck_sentences_added() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lexical_terms (term, df)
        SELECT t, count(*) FROM added, unnest(tsvector_to_array(added.tsv)) AS t GROUP BY t
        ON CONFLICT (term) DO UPDATE SET df = lexical_terms.df + excluded.df;
    UPDATE lexical_totals SET sentences = sentences + s.n, tokens = tokens + s.k
        FROM (SELECT count(*) AS n, COALESCE(sum(claimcheck_tokens(tsv)), 0) AS k FROM added) s;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION claimcheck_sentences_removed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lexical_terms l SET df = l.df - r.n
        FROM (SELECT t, count(*) AS n FROM removed, unnest(tsvector_to_array(removed.tsv)) AS t
              GROUP BY t) r
        WHERE l.term = r.t;
    DELETE FROM lexical_terms WHERE df <= 0;
    UPDATE lexical_totals SET sentences = sentences - s.n, tokens = tokens - s.k
        FROM (SELECT count(*) AS n, COALESCE(sum(claimcheck_tokens(tsv)), 0) AS k FROM removed) s;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER sentences_added AFTER INSERT ON sentences
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION claimcheck_sentences_added();
CREATE OR REPLACE TRIGGER sentences_removed AFTER DELETE ON sentences
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION claimcheck_sentences_removed();
"""

# Tables a current store has; a store lacking any is created (or refused when opened read-only).
TABLES = (
    "documents",
    "paragraphs",
    "sentences",
    "frames",
    "store_meta",
    "index_log",
    "lexical_terms",
    "lexical_totals",
)


def missing(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """The tables ``migrate`` would have to create: empty for a current store."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    present = {str(r[0]) for r in rows}
    return [t for t in TABLES if t not in present]


def migrate(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Create whatever is missing, in one transaction under the write lock (idempotent)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        if missing(conn):
            conn.execute(SCHEMA)
