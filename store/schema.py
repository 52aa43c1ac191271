"""The SQLite schema, and the migrations that bring a store written by an older release up to it.

One file holds documents, their paragraphs, sentences (each with its vector and content terms),
attribution frames, full-text search over sentences, and the change log the FAISS cache replays.
Tables and columns are only ever added, so every older store opens: ``migrate`` adds what it lacks
and fills it from what it has.
"""

from __future__ import annotations

import sqlite3

import msgspec

from corpus.origin import agencies_in

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT, outlet TEXT, byline TEXT, published TEXT, url TEXT,
    format TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    story_id TEXT, agency TEXT, fingerprint BLOB,
    context TEXT NOT NULL DEFAULT '[]'
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
    terms TEXT NOT NULL,
    agencies TEXT NOT NULL DEFAULT '[]',
    structure TEXT
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
CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS index_log (
    generation INTEGER PRIMARY KEY AUTOINCREMENT,
    op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
    paragraph_id INTEGER NOT NULL
);
"""

# ``store_meta`` is left out on purpose: a read-only store written before it is served as it is
# (``Store.meta`` reads None there) rather than refused for lack of it.
_TABLES = ("documents", "paragraphs", "sentences", "sentence_fts", "frames", "index_log")

# Columns added after the first release, by table; a store written before gains them on open.
_LATER_COLUMNS = {
    "documents": {"story_id": "TEXT", "agency": "TEXT", "fingerprint": "BLOB", "context": "TEXT"},
    "sentences": {"agencies": "TEXT", "structure": "TEXT"},
}


def migrate(conn: sqlite3.Connection) -> None:
    """Create what is missing and back-fill columns that older stores lack (idempotent)."""
    added = _add_missing_columns(conn)
    conn.executescript(SCHEMA)
    _fill_fts(conn)
    if ("sentences", "agencies") in added:
        _fill_agencies(conn)


def missing(conn: sqlite3.Connection) -> list[str]:
    """What ``migrate`` would have to add ("table", "table.column"): empty for a current store.

    A read-only store is served only when this is empty, since migrating would mean writing.
    """
    tables = {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    absent = [t for t in _TABLES if t not in tables]
    for table, columns in _LATER_COLUMNS.items():
        if table in tables:
            existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            absent += [f"{table}.{name}" for name in columns if name not in existing]
    return absent


def _add_missing_columns(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    added: set[tuple[str, str]] = set()
    for table, columns in _LATER_COLUMNS.items():
        existing = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not existing:
            continue  # a new store: SCHEMA creates the table whole
        for name, kind in columns.items():
            if name not in existing:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                added.add((table, name))
    return added


def _fill_fts(conn: sqlite3.Connection) -> None:
    """Index the sentences of a store created before full-text search existed (once)."""
    if conn.execute("SELECT 1 FROM sentence_fts LIMIT 1").fetchone() is None:
        conn.execute("INSERT INTO sentence_fts (rowid, text) SELECT id, text FROM sentences")


def _fill_agencies(conn: sqlite3.Connection) -> None:
    """News agencies named in each sentence of a store written before they were stored."""
    encode = msgspec.json.Encoder()
    rows = conn.execute("SELECT id, text FROM sentences").fetchall()
    conn.executemany(
        "UPDATE sentences SET agencies = ? WHERE id = ?",
        [(encode.encode(agencies_in(text)).decode(), sid) for sid, text in rows],
    )
