"""Keep the store, the FAISS paragraph index and the story index in step, across restarts, crashes
and other worker processes sharing the data directory.

The store is the source of truth and logs every paragraph id it adds or removes with a generation
number (``store.changelog``); the index file records the generation it reflects. Opening replays
the newer log entries (using stored vectors, so nothing is re-embedded) or, when the index file is
missing or unreadable, rebuilds it whole. Each ``--workers`` process holds its own index and story
index and catches up with what the others committed before it reads or writes.

Because the index file is only a cache, a failed save loses nothing and fails nothing: the write
that triggered it is already committed, the in-memory index is already up to date, and the next
save (or the next start-up, by replaying the log) makes up for it. So a save that meets a full or
read-only disk is logged and retried later, never raised. A write the *store* cannot take is
rolled back and raised (``StorageFull``, ``ReadOnlyStore``) before either index is touched, so the
in-memory indexes never hold what the store does not. A read-only store never saves the index:
it is loaded (or rebuilt, or caught up) in memory only.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from datasketch import MinHash

from corpus.stories import StoryIndex, fingerprint, from_bytes, to_bytes
from embeddings.encoder import Vectors
from embeddings.index import ParagraphIndex
from store import DocumentStore, StorageError, StorageFull
from store.faults import describe, full_message
from store.records import DocumentRecord, WriteResult

log = logging.getLogger("claimcheck")

INDEX_DIRNAME = "index"
# Save the index after this many unsaved changes or seconds; the log covers anything in between.
SAVE_EVERY_CHANGES = 2000
SAVE_EVERY_SECONDS = 60.0


class Indexes:
    """The store with the two indexes derived from it. Writes go through here, one at a time."""

    def __init__(
        self, store: DocumentStore, index: ParagraphIndex, stories: StoryIndex, data_dir: Path
    ) -> None:
        self.store = store
        self.index = index
        self.stories = stories
        self.data_dir = data_dir
        self._write_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._stories_seen = store.max_document_rowid()
        self._saved_generation = index.generation
        self._saved_at = time.monotonic()
        self._save_failed_at: float | None = None
        # The last write (or index save) failed for lack of space, and none has succeeded since.
        self.disk_full = False

    @classmethod
    def open(cls, store: DocumentStore, data_dir: Path, dimension: int) -> Indexes:
        """The indexes for ``store``, caught up with every committed change, and the index saved
        (when the store is writable: a save that fails is logged, see ``save``)."""
        indexes = cls(store, open_index(store, data_dir, dimension), open_story_index(store), data_dir)
        indexes._saved_generation = -1  # whatever is on disk, it is not known to match
        indexes._save()
        return indexes

    @property
    def writable(self) -> bool:
        return self.store.writable

    def storage_status(self) -> tuple[bool, bool, str | None]:
        """Whether writes are possible, whether the disk is (last seen) full, and either in words."""
        refusal = self.store.refusal
        if refusal is not None:
            return False, isinstance(refusal, StorageFull), str(refusal)
        if self.disk_full:
            return True, True, "the last write failed: " + full_message(self.data_dir)
        return True, False, None

    def ensure_writable(self, what: str) -> None:
        """Raise the store's refusal (``ReadOnlyStore``, or ``StorageFull`` when it was opened
        read-only for lack of space) before any work is spent on a write it would refuse."""
        refusal = self.store.refusal
        if refusal is not None:
            raise type(refusal)(f"{what}: {refusal}")

    # -- writes ---------------------------------------------------------------------------------

    def write(self, record: DocumentRecord, minhash: MinHash) -> None:
        """Commit a document (replacing one with its id) and bring both indexes up to it.

        ``record.story_id`` is decided here, under the write lock, from the story index as it
        stands after every earlier write: the caller leaves it empty. A store write that fails
        raises (``StorageFull``, ``ReadOnlyStore`` …) with neither index changed.
        """
        with self._write_lock:
            self._stories_seen = catch_up_stories(self.store, self.stories, self._stories_seen)
            story_id = self.stories.story_for(record.id, minhash, record.text, record.meta.published)
            self.catch_up()
            with self._noting_space():
                result = self.store.replace_document(_with_story(record, story_id, minhash))
            self.stories.add(record.id, minhash, story_id, record.meta.published)
            self._apply(result, record.paragraph_vectors)

    def delete(self, document_id: str) -> bool:
        with self._write_lock:
            with self._noting_space():
                result = self.store.delete_document(document_id)
            if result is None:
                return False
            self.stories.remove(document_id)
            self._apply(result, np.zeros((0, self.index.dimension), dtype=np.float32))
        return True

    @contextmanager
    def _noting_space(self) -> Iterator[None]:
        """Keep ``disk_full`` up to date with how the last store write went."""
        try:
            yield
        except StorageFull:
            self.disk_full = True
            raise
        self.disk_full = False

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

    def catch_up(self) -> int:
        """Replay what other worker processes sharing the data directory committed since this
        process's index last changed (one SQLite lookup when nothing changed).

        Returns the store's generation as read: every write and delete committed by any process
        moves it on, so reads that follow reflect at least that generation (the claim cache keys
        answers by it)."""
        generation = self.store.log.generation()
        if generation <= self.index.generation:
            return generation
        with self._sync_lock:
            replay(self.store, self.index)
        return generation

    def save(self) -> None:
        """Persist the index now (at shutdown, after bulk ingest); a failure is logged, not raised."""
        with self._write_lock:
            self._save()

    def _maybe_save(self) -> None:
        unsaved = self.index.generation - self._saved_generation
        now = time.monotonic()
        if self._save_failed_at is not None and now - self._save_failed_at < SAVE_EVERY_SECONDS:
            return  # do not rewrite a large index after every write while the disk stays full
        if unsaved >= SAVE_EVERY_CHANGES or (unsaved and now - self._saved_at >= SAVE_EVERY_SECONDS):
            self._save()

    def _save(self) -> bool:
        """Save the index file; False, logged, when the disk refuses it (the log covers the gap).

        The store's change log is kept whole: other worker processes sharing the data directory
        replay it to pick up documents this one ingested.
        """
        if not self.store.writable or self._saved_generation == self.index.generation:
            return False
        try:
            self.index.save(self.data_dir / INDEX_DIRNAME)
        except OSError as exc:
            self._save_failed_at = time.monotonic()
            self.disk_full = self.disk_full or exc.errno in (errno.ENOSPC, errno.EDQUOT)
            log.warning(
                "the paragraph index was not saved to %s (%s); nothing is lost: the store's change log"
                " holds every change since generation %d, and the next save or start-up replays it",
                self.data_dir / INDEX_DIRNAME,
                describe(exc),
                max(self._saved_generation, 0),
            )
            return False
        self._saved_generation = self.index.generation
        self._saved_at = time.monotonic()
        self._save_failed_at = None
        return True


@dataclass(frozen=True, slots=True)
class Consistency:
    """How far the paragraph index and the store agree: what a crash must never leave behind.

    ``missing`` paragraphs have a row but no vector (dense search cannot find them); ``orphans``
    are vectors whose paragraph row is gone (search would return ids that no longer exist);
    ``duplicates`` are extra vectors under an id already present; ``dangling`` counts store rows
    whose parent row is gone, by kind.
    """

    paragraphs: int
    vectors: int
    index_generation: int
    store_generation: int
    missing: tuple[int, ...]
    orphans: tuple[int, ...]
    duplicates: int
    dangling: dict[str, int]

    @property
    def consistent(self) -> bool:
        return not (self.missing or self.orphans or self.duplicates or any(self.dangling.values()))


def consistency(store: DocumentStore, index: ParagraphIndex) -> Consistency:
    """Compare ``index`` with ``store`` id by id; reads both, changes neither."""
    rows = set(store.paragraph_ids())
    ids = index.ids().tolist()
    vectors = set(ids)
    return Consistency(
        paragraphs=len(rows),
        vectors=len(ids),
        index_generation=index.generation,
        store_generation=store.log.generation(),
        missing=tuple(sorted(rows - vectors)),
        orphans=tuple(sorted(vectors - rows)),
        duplicates=len(ids) - len(vectors),
        dangling=store.dangling_rows(),
    )


def _with_story(record: DocumentRecord, story_id: str, minhash: MinHash) -> DocumentRecord:
    return replace(record, story_id=story_id, fingerprint=to_bytes(minhash))


def open_index(store: DocumentStore, data_dir: Path, dimension: int) -> ParagraphIndex:
    """The paragraph index for ``store``, caught up with every committed change (in memory: loading
    reads the saved file and writes nothing, so this works on a read-only data directory too)."""
    directory = data_dir / INDEX_DIRNAME
    index = ParagraphIndex.load(directory, dimension)
    if index is None or index.generation > store.log.generation():
        index = rebuild(store, dimension, directory)
    else:
        replay(store, index)
    return index


def rebuild(store: DocumentStore, dimension: int, directory: Path | None = None) -> ParagraphIndex:
    """A fresh index of every stored vector (``directory``: where a compressed layout's files go)."""
    index = ParagraphIndex(dimension, generation=store.log.generation(), directory=directory)
    ids, vectors = store.paragraph_vectors()
    if ids:
        index.upsert(np.asarray(ids, dtype=np.int64), np.vstack(vectors))
    return index


def replay(store: DocumentStore, index: ParagraphIndex) -> None:
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


def catch_up_stories(store: DocumentStore, stories: StoryIndex, after_rowid: int) -> int:
    """Add documents stored by other processes since ``after_rowid``; returns the new high mark.

    Removed documents stay in this process's story index until restart: a new copy may then join
    a deleted document's story, whose id stays a valid label.
    """
    rows, high = store.story_rows_after(after_rowid)
    for row in rows:
        if row.fingerprint is not None and row.story_id is not None:
            stories.add(row.document_id, from_bytes(row.fingerprint), row.story_id, row.published)
    return high


def open_story_index(store: DocumentStore) -> StoryIndex:
    """The LSH index of story fingerprints, rebuilt from the store (fast: no parsing, no encoding).

    Documents stored before stories existed have no fingerprint; theirs is computed from their
    stored title and paragraph texts and they join the story of an earlier copy, as at ingest.
    It is stored back when the store can take it, and computed again at the next start when not.
    """
    stories = StoryIndex()
    backfill = store.writable
    for row in store.story_rows():
        if row.fingerprint is not None and row.story_id is not None:
            stories.add(row.document_id, from_bytes(row.fingerprint), row.story_id, row.published)
            continue
        minhash = fingerprint([row.title or "", *store.paragraph_texts(row.document_id)])
        text = store.document_text(row.document_id) or ""
        story_id = stories.story_for(row.document_id, minhash, text, row.published)
        if backfill:
            try:
                store.set_fingerprint(row.document_id, story_id, to_bytes(minhash))
            except StorageError as exc:
                backfill = False
                log.warning("story fingerprints kept in memory only: %s", exc)
        stories.add(row.document_id, minhash, story_id, row.published)
    return stories
