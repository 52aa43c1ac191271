"""Keep the store, the FAISS paragraph index and the story index in step, across restarts, crashes
and other worker processes sharing the data directory.

The store is the source of truth and logs every paragraph id it adds or removes with a generation
number (``store.changelog``); the index file records the generation it reflects. Opening replays
the newer log entries (using stored vectors, so nothing is re-embedded) or, when the index file is
missing or unreadable, rebuilds it whole. Each ``--workers`` process holds its own index and story
index and catches up with what the others committed before it reads or writes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from datasketch import MinHash

from corpus.stories import StoryIndex, fingerprint, from_bytes, to_bytes
from embeddings.encoder import Vectors
from embeddings.index import ParagraphIndex
from store import Store
from store.records import DocumentRecord, WriteResult

INDEX_DIRNAME = "index"
# Save the index after this many unsaved changes or seconds; the log covers anything in between.
SAVE_EVERY_CHANGES = 2000
SAVE_EVERY_SECONDS = 60.0


class Indexes:
    """The store with the two indexes derived from it. Writes go through here, one at a time."""

    def __init__(self, store: Store, index: ParagraphIndex, stories: StoryIndex, data_dir: Path) -> None:
        self.store = store
        self.index = index
        self.stories = stories
        self.data_dir = data_dir
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._stories_seen = store.max_document_rowid()
        self._saved_generation = index.generation
        self._saved_at = time.monotonic()

    @classmethod
    def open(cls, store: Store, data_dir: Path, dimension: int) -> Indexes:
        """The indexes for ``store``, caught up with every committed change."""
        return cls(store, open_index(store, data_dir, dimension), open_story_index(store), data_dir)

    # -- writes ---------------------------------------------------------------------------------

    def write(self, record: DocumentRecord, minhash: MinHash) -> None:
        """Commit a document (replacing one with its id) and bring both indexes up to it.

        ``record.story_id`` is decided here, under the write lock, from the story index as it
        stands after every earlier write: the caller leaves it empty.
        """
        with self._write_lock:
            self._stories_seen = catch_up_stories(self.store, self.stories, self._stories_seen)
            story_id = self.stories.story_for(record.id, minhash, record.text, record.meta.published)
            self.catch_up()
            result = self.store.replace_document(_with_story(record, story_id, minhash))
            self.stories.add(record.id, minhash, story_id, record.meta.published)
            self._apply(result, record.paragraph_vectors)

    def delete(self, document_id: str) -> bool:
        with self._write_lock:
            result = self.store.delete_document(document_id)
            if result is None:
                return False
            self.stories.remove(document_id)
            self._apply(result, np.zeros((0, self.index.dimension), dtype=np.float32))
        return True

    def _apply(self, result: WriteResult, vectors: Vectors) -> None:
        """Bring the index up to a write this process just committed.

        When no other process committed in between (the generations are contiguous), apply the
        write directly from the vectors in hand; otherwise replay the log, which covers both.
        """
        contiguous = result.generation == self.index.generation + len(result.removed) + len(result.added)
        if contiguous:
            self.index.remove(np.asarray(result.removed, dtype=np.int64))
            if result.added:
                self.index.upsert(np.asarray(result.added, dtype=np.int64), vectors)
            self.index.generation = result.generation
        else:
            with self._sync_lock:
                replay(self.store, self.index)
        self._maybe_save()

    # -- catching up and saving -----------------------------------------------------------------

    def catch_up(self) -> None:
        """Replay what other worker processes sharing the data directory committed since this
        process's index last changed (one SQLite lookup when nothing changed)."""
        if self.store.log.generation() <= self.index.generation:
            return
        with self._sync_lock:
            replay(self.store, self.index)

    def save(self) -> None:
        """Persist the index now (at shutdown, after bulk ingest)."""
        with self._write_lock:
            self._save()

    def _maybe_save(self) -> None:
        unsaved = self.index.generation - self._saved_generation
        if unsaved >= SAVE_EVERY_CHANGES or (
            unsaved and time.monotonic() - self._saved_at >= SAVE_EVERY_SECONDS
        ):
            self._save()

    def _save(self) -> None:
        # The store's change log is kept whole: other worker processes sharing the data directory
        # replay it to pick up documents this one ingested.
        self.index.save(self.data_dir / INDEX_DIRNAME)
        self._saved_generation = self.index.generation
        self._saved_at = time.monotonic()


def _with_story(record: DocumentRecord, story_id: str, minhash: MinHash) -> DocumentRecord:
    return replace(record, story_id=story_id, fingerprint=to_bytes(minhash))


def open_index(store: Store, data_dir: Path, dimension: int) -> ParagraphIndex:
    """The paragraph index for ``store``, caught up with every committed change, and saved."""
    directory = data_dir / INDEX_DIRNAME
    index = ParagraphIndex.load(directory, dimension)
    if index is None or index.generation > store.log.generation():
        index = rebuild(store, dimension)
    else:
        replay(store, index)
    index.save(directory)
    return index


def rebuild(store: Store, dimension: int) -> ParagraphIndex:
    index = ParagraphIndex(dimension, generation=store.log.generation())
    ids, vectors = store.paragraph_vectors()
    if ids:
        index.upsert(np.asarray(ids, dtype=np.int64), np.vstack(vectors))
    return index


def replay(store: Store, index: ParagraphIndex) -> None:
    """Apply logged changes newer than the index, in order. Safe to repeat (upsert/remove idempotent)."""
    changes = store.log.since(index.generation)
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
    for row in store.story_rows():
        if row.fingerprint is not None and row.story_id is not None:
            stories.add(row.document_id, from_bytes(row.fingerprint), row.story_id, row.published)
            continue
        minhash = fingerprint([row.title or "", *store.paragraph_texts(row.document_id)])
        text = store.document_text(row.document_id) or ""
        story_id = stories.story_for(row.document_id, minhash, text, row.published)
        store.set_fingerprint(row.document_id, story_id, to_bytes(minhash))
        stories.add(row.document_id, minhash, story_id, row.published)
    return stories
