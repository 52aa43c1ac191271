"""Copies of one story: MinHash fingerprints over word shingles, grouped with LSH (datasketch).

A claim carried by ten outlets that all reprint one AFP dispatch is one source, not ten. Wire
copies differ in wrapping, markup, spelling ("Nagorny"/"Nagorno") and footers, so documents are
compared on the word 3-shingles of their content paragraphs (boilerplate already removed), and a
new document joins the story of its most similar earlier copy when their estimated Jaccard
similarity reaches ``STORY_THRESHOLD``. Different reports on the same topic share words but few
three-word sequences, so they stay apart (seeds 003 and 004).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
# datasketch's permutation scheme, named so stored fingerprints stay comparable across upgrades.
SCHEME = "affine32"
SHINGLE_WORDS = 3
# Jaccard of word 3-shingles at or above which two documents are copies of one story. Measured on
# Reuters-21578 re-sends (bench/provenance.py): exact and corrected re-sends score far above it,
# distinct stories on one topic far below.
STORY_THRESHOLD = 0.5

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def fingerprint(paragraph_texts: Iterable[str]) -> MinHash:
    """MinHash of a document's content; paragraphs are joined so wrapping does not matter."""
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch(list(shingles(" ".join(paragraph_texts))))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(blob: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(blob, dtype=np.uint32))


@dataclass(frozen=True, slots=True)
class StoryMatch:
    story_id: str
    document_id: str
    similarity: float


class StoryIndex:
    """Which story each document belongs to, with an LSH index to find copies in sub-linear time.

    Not thread-safe: the checker calls it under its write lock (reads happen at ingest only).
    """

    def __init__(self, threshold: float = STORY_THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._minhashes: dict[str, MinHash] = {}
        self._stories: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._minhashes)

    def add(self, document_id: str, minhash: MinHash, story_id: str) -> None:
        self.remove(document_id)
        self._lsh.insert(document_id, minhash)
        self._minhashes[document_id] = minhash
        self._stories[document_id] = story_id

    def remove(self, document_id: str) -> None:
        if document_id in self._minhashes:
            self._lsh.remove(document_id)
            del self._minhashes[document_id]
            del self._stories[document_id]

    def best_copy(self, minhash: MinHash, exclude: str | None = None) -> StoryMatch | None:
        """The most similar indexed document at or above the threshold, if any."""
        best: StoryMatch | None = None
        for candidate in self._lsh.query(minhash):
            if candidate == exclude:
                continue
            similarity = float(minhash.jaccard(self._minhashes[candidate]))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = StoryMatch(self._stories[candidate], candidate, similarity)
        return best

    def story_for(self, document_id: str, minhash: MinHash) -> str:
        """Story id for a new or replaced document: its best copy's story, else a story of its own."""
        match = self.best_copy(minhash, exclude=document_id)
        if match:
            return match.story_id
        # Named after the content, not the document id: a new text posted under a deleted
        # document's id must not inherit the old story and the copies still attached to it.
        return "story_" + hashlib.sha1(to_bytes(minhash)).hexdigest()[:16]
