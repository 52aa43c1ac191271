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
from datetime import date

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
_NUMBER = re.compile(r"\d+(?:[.,/-]\d+)*")
NUMBER_WEIGHT = 8
_NUMBER_WORDS = frozenset(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
)
# Below this many word 3-grams (about 20 words of prose) similarity says little: an earnings
# table whose rows the parser keeps out of the prose leaves only a templated headline ("X 1ST
# QTR JAN 31 NET"). Such documents group only with exact copies of their text.
MIN_SHINGLES = 20
# Copies of one dispatch run within days of it; the same templated text weeks apart ("Fed adds
# reserves via customer repurchases") is a new story. Applies only when both dates are known.
MAX_STORY_DAYS = 2


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word ``size``-grams, plus ``NUMBER_WEIGHT`` features per distinct number.

    Wire services send templated items ("Fed adds reserves via customer repurchases", "Qtly div
    10 cts vs 10 cts") whose words barely change from one day or company to the next; what changes
    is the numbers. Weighting numbers keeps such items apart while copies of one story, which
    share their numbers, still match.
    """
    words = _words(text)
    grams = {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}
    numbers = set(_NUMBER.findall(text)) | {w for w in words if w in _NUMBER_WORDS}
    grams.update(f"#{n}#{k}".encode() for n in numbers for k in range(NUMBER_WEIGHT))
    return grams


def fingerprint(paragraph_texts: Iterable[str]) -> MinHash:
    """MinHash of a document's title and content, joined so wrapping and paragraphing do not matter.

    Empty (``is_empty()``) when the content is too short to compare (``MIN_SHINGLES``).
    """
    text = " ".join(paragraph_texts)
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    if len(_words(text)) - SHINGLE_WORDS + 1 >= MIN_SHINGLES:
        minhash.update_batch(list(shingles(text)))
    return minhash


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def exact_story_id(text: str) -> str:
    """Story of a document too short to compare: shared only with exact (whitespace/case) copies."""
    return "story_" + hashlib.sha1(" ".join(_words(text)).encode()).hexdigest()[:16]


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
        self._founders: dict[str, str] = {}  # story id -> its first document still indexed
        self._published: dict[str, date] = {}

    def __len__(self) -> int:
        return len(self._minhashes)

    def add(self, document_id: str, minhash: MinHash, story_id: str, published: str | None = None) -> None:
        self.remove(document_id)
        if minhash.is_empty():
            return  # no content words (a table, a bare headline): nothing to compare it on
        day = _day(published)
        if day is not None:
            self._published[document_id] = day
        self._lsh.insert(document_id, minhash)
        self._minhashes[document_id] = minhash
        self._stories[document_id] = story_id
        self._founders.setdefault(story_id, document_id)

    def remove(self, document_id: str) -> None:
        if document_id in self._minhashes:
            self._lsh.remove(document_id)
            del self._minhashes[document_id]
            self._published.pop(document_id, None)
            story_id = self._stories.pop(document_id)
            if self._founders.get(story_id) == document_id:
                del self._founders[story_id]
                heir = next((d for d, s in self._stories.items() if s == story_id), None)
                if heir is not None:
                    self._founders[story_id] = heir

    def _apart(self, document_id: str, day: date | None) -> bool:
        other = self._published.get(document_id)
        return day is not None and other is not None and abs((day - other).days) > MAX_STORY_DAYS

    def best_copy(
        self, minhash: MinHash, exclude: str | None = None, published: str | None = None
    ) -> StoryMatch | None:
        """The most similar indexed document at or above the threshold whose story's founder is too.

        Checking the founder stops chaining: daily templated items each close to the previous
        day's would otherwise drift into one story that no two distant members justify.
        """
        best: StoryMatch | None = None
        day = _day(published)
        for candidate in self._lsh.query(minhash):
            if candidate == exclude or self._apart(candidate, day):
                continue
            similarity = float(minhash.jaccard(self._minhashes[candidate]))
            if similarity < self.threshold or (best is not None and similarity <= best.similarity):
                continue
            story_id = self._stories[candidate]
            founder = self._founders.get(story_id, candidate)
            if founder not in (candidate, exclude) and self._unlike(minhash, founder):
                continue
            best = StoryMatch(story_id, candidate, similarity)
        return best

    def _unlike(self, minhash: MinHash, document_id: str) -> bool:
        return float(minhash.jaccard(self._minhashes[document_id])) < self.threshold

    def story_for(self, document_id: str, minhash: MinHash, text: str, published: str | None = None) -> str:
        """Story id for a new or replaced document: its best copy's story, else a story of its own.

        ``text`` is the document's text; it names the story of a document too short to fingerprint.
        """
        if minhash.is_empty():
            return exact_story_id(text)
        match = self.best_copy(minhash, exclude=document_id, published=published)
        if match:
            return match.story_id
        # Named after the content, not the document id: a new text posted under a deleted
        # document's id must not inherit the old story and the copies still attached to it.
        return "story_" + hashlib.sha1(to_bytes(minhash)).hexdigest()[:16]
