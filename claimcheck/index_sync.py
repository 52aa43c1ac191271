"""Keep the FAISS paragraph index in step with the SQLite store across restarts and crashes.

The store logs every paragraph id it adds or removes with a generation number; the index file
records the generation it reflects. Opening replays the newer log entries (using stored vectors,
so nothing is re-embedded) or, when the index file is missing or unreadable, rebuilds it whole.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corpus.store import Store
from corpus.stories import StoryIndex, fingerprint, from_bytes, to_bytes
from embeddings.index import ParagraphIndex

INDEX_DIRNAME = "index"


def open_index(store: Store, data_dir: Path, dimension: int) -> ParagraphIndex:
    """The index for ``store``, caught up with every committed change."""
    directory = data_dir / INDEX_DIRNAME
    index = ParagraphIndex.load(directory, dimension)
    if index is None or index.generation > store.generation():
        index = rebuild(store, dimension)
    else:
        replay(store, index)
    index.save(directory)
    return index


def rebuild(store: Store, dimension: int) -> ParagraphIndex:
    index = ParagraphIndex(dimension, generation=store.generation())
    ids, vectors = store.paragraph_vectors()
    if ids:
        index.upsert(np.asarray(ids, dtype=np.int64), np.vstack(vectors))
    return index


def replay(store: Store, index: ParagraphIndex) -> None:
    """Apply logged changes newer than the index, in order. Safe to repeat (upsert/remove idempotent)."""
    changes = store.changes_since(index.generation)
    if not changes:
        return
    added = [c.paragraph_id for c in changes if c.op == "add"]
    removed = [c.paragraph_id for c in changes if c.op == "remove"]
    # Paragraph ids are never reused, so removals and additions commute.
    index.remove(np.asarray(removed, dtype=np.int64))
    ids, vectors = store.paragraph_vectors(added)
    if ids:
        index.upsert(np.asarray(ids, dtype=np.int64), np.vstack(vectors))
    index.generation = changes[-1].generation


def save(index: ParagraphIndex, data_dir: Path) -> None:
    """Persist the index. The store's change log is kept whole: other worker processes sharing
    the data directory replay it to pick up documents this one ingested (a few bytes a paragraph)."""
    index.save(data_dir / INDEX_DIRNAME)


def catch_up_stories(store: Store, stories: StoryIndex, after_rowid: int) -> int:
    """Add documents stored by other processes since ``after_rowid``; returns the new high mark.

    Removed documents stay in this process's story index until restart: a new copy may then join
    a deleted document's story, whose id stays a valid label.
    """
    rows, high = store.story_rows_after(after_rowid)
    for row in rows:
        if row.fingerprint is not None and row.story_id is not None:
            stories.add(row.document_id, from_bytes(row.fingerprint), row.story_id, row.published)
    return high


def open_story_index(store: Store) -> StoryIndex:
    """The LSH index of story fingerprints, rebuilt from the store (fast: no parsing, no encoding).

    Documents stored before stories existed have no fingerprint; theirs is computed from their
    stored title and paragraph texts and they join the story of an earlier copy, as at ingest.
    """
    stories = StoryIndex()
    for row in store.fingerprints():
        if row.fingerprint is not None and row.story_id is not None:
            stories.add(row.document_id, from_bytes(row.fingerprint), row.story_id, row.published)
            continue
        minhash = fingerprint([row.title or "", *store.paragraph_texts(row.document_id)])
        text = store.document_text(row.document_id) or ""
        story_id = stories.story_for(row.document_id, minhash, text, row.published)
        store.set_fingerprint(row.document_id, story_id, to_bytes(minhash))
        stories.add(row.document_id, minhash, story_id, row.published)
    return stories
