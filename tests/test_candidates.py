"""Candidate fusion on its own: which paragraphs are read, how sentences are scored and ordered.

The searches are stand-ins here (plain lists), so these tests check the plumbing of
``retrieval.candidates`` exactly; the quality of the real searches is measured by bench/retrieval.py
and the dev claims.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from retrieval.candidates import MIN_PARAGRAPH_CANDIDATES, Searches, candidates, paragraph_depth
from retrieval.claim import Claim
from retrieval.support import SupportPolicy
from retrieval.terms import Requirement


@dataclass(frozen=True)
class Sentence:
    id: int
    vector: np.ndarray
    terms: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Paragraph:
    id: int
    sentences: tuple[Sentence, ...]
    context: frozenset[str] = frozenset()


def _vector(cosine: float) -> np.ndarray:
    """A unit vector at ``cosine`` from the claim vector (1, 0)."""
    return np.array([cosine, (1 - cosine**2) ** 0.5], dtype=np.float32)


CLAIM = Claim(
    text="Velmora signed the lease",
    vector=np.array([1.0, 0.0], dtype=np.float32),
    requirements=(Requirement("Velmora", frozenset({"velmora"}), named=True, specific=True),),
    keys=frozenset({"velmora"}),
    negated_keys=frozenset(),
    words=("Velmora", "signed", "lease"),
)


@dataclass(frozen=True)
class Hit:
    sentence_id: int
    paragraph_id: int
    score: float


def _searches(paragraphs, dense, lexical, asked):
    def dense_search(vector, k):
        asked.append(k)
        return dense[:k]

    return Searches(
        dense=dense_search,
        lexical=lambda words, k: lexical[:k],
        paragraphs=lambda ids: {i: paragraphs[i] for i in ids if i in paragraphs},
        sentence_vectors=lambda ids: _sentence_vectors(paragraphs, ids),
    )


def _sentence_vectors(paragraphs, ids):
    rows = [(i, s.vector) for i in ids if i in paragraphs for s in paragraphs[i].sentences]
    if not rows:
        return [], np.empty((0, 2), dtype=np.float32)
    return [i for i, _ in rows], np.vstack([v for _, v in rows])


def test_dense_and_lexical_paragraphs_are_both_read_and_ranked_by_score():
    named = (("velmora", 0, 7),)
    paragraphs = {
        1: Paragraph(1, (Sentence(11, _vector(0.95), ()), Sentence(10, _vector(0.9), named))),
        2: Paragraph(2, (Sentence(20, _vector(0.7), named),)),
        3: Paragraph(3, (Sentence(30, _vector(0.5), named),)),
    }
    asked: list[int] = []
    searches = _searches(paragraphs, dense=[1, 2, 99], lexical=[Hit(30, 3, 4.0)], asked=asked)
    found = candidates(CLAIM, searches, limit=5, policy=SupportPolicy())
    # 11 lacks the claim's name; 99 was deleted since the search; 3 comes from BM25 alone.
    assert [(c.paragraph.id, c.position) for c in found] == [(1, 1), (2, 0), (3, 0)]
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert asked == [MIN_PARAGRAPH_CANDIDATES]


def test_only_paragraphs_with_a_sentence_at_the_cosine_floor_are_read_whole():
    """Vectors first: a paragraph whose every sentence is below ``cosine_floor`` cannot yield a
    candidate, so it is never read whole; the answer is the one a full read gives."""
    named = (("velmora", 0, 7),)
    floor = SupportPolicy().cosine_floor
    paragraphs = {
        1: Paragraph(1, (Sentence(10, _vector(floor - 0.05), named), Sentence(11, _vector(0.9), named))),
        2: Paragraph(2, (Sentence(20, _vector(floor - 0.05), named),)),
        3: Paragraph(3, (Sentence(30, _vector(floor), named),)),
    }
    read: list[list[int]] = []
    searches = _searches(paragraphs, dense=[2, 1, 3], lexical=[], asked=[])
    reader = searches.paragraphs

    def paragraphs_read(ids):
        read.append(list(ids))
        return reader(ids)

    found = candidates(CLAIM, replace(searches, paragraphs=paragraphs_read), limit=5, policy=SupportPolicy())
    assert read == [[1, 3]]  # 3 sits on the floor: read, then left out by the support rules
    assert [(c.paragraph.id, c.position) for c in found] == [(1, 1)]
    # Reading every paragraph whole (vectors that all sit on the claim) gives the same answer.
    read_all = replace(
        searches, sentence_vectors=lambda ids: (list(ids), np.tile(CLAIM.vector, (len(ids), 1)))
    )
    assert found == candidates(CLAIM, read_all, limit=5, policy=SupportPolicy())


def test_depth_grows_with_the_limit():
    assert paragraph_depth(1) == MIN_PARAGRAPH_CANDIDATES
    assert paragraph_depth(50) == 100


def test_nothing_found_is_an_empty_list():
    searches = _searches({}, dense=[], lexical=[], asked=[])
    assert candidates(CLAIM, searches, limit=10, policy=SupportPolicy()) == []


def test_a_name_missing_from_the_sentence_may_come_from_its_context():
    """The document's title or an earlier sentence supplies a claim name the sentence leaves out,
    provided the sentence is close enough (``SupportPolicy.min_cosine_context``)."""
    close = Sentence(40, _vector(0.8), ())
    paragraphs = {4: Paragraph(4, (close,), context=frozenset({"velmora"}))}
    searches = _searches(paragraphs, dense=[4], lexical=[], asked=[])
    (found,) = candidates(CLAIM, searches, limit=5, policy=SupportPolicy())
    assert found.support.named_from_context == 1 and found.support.from_context == (True,)
    far = {4: Paragraph(4, (Sentence(41, _vector(0.3), ()),), context=frozenset({"velmora"}))}
    assert candidates(CLAIM, _searches(far, dense=[4], lexical=[], asked=[]), 5, SupportPolicy()) == []
