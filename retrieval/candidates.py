"""Candidate sentences for a claim: dense paragraphs from FAISS joined with BM25 sentences, each
sentence scored and kept only if it supports the claim.

Hybrid retrieval, measured on Climate-FEVER (bench/retrieval.py): dense alone and BM25 alone reach
recall@5 ~0.32 each, their union ~0.37; the dense side finds paraphrases, the lexical side rare
names and figures that the paragraph vector dilutes. The searches themselves live with what they
search (the FAISS index in ``embeddings``, FTS5 in the store); this module takes them as callables
so that the service and the benchmarks rank candidates the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from retrieval.claim import Claim
from retrieval.support import Support, SupportPolicy, assess
from retrieval.terms import Term

# Paragraphs fetched from FAISS per check: max(MIN_PARAGRAPH_CANDIDATES, 2 x limit) -- enough that
# the supporting sentences of a limit are among them (BM25 adds rare-word hits), few enough that
# reading and scoring their sentences stays a couple of milliseconds.
MIN_PARAGRAPH_CANDIDATES = 16


class CandidateSentence(Protocol):
    """What ranking reads of a stored sentence."""

    @property
    def id(self) -> int: ...
    @property
    def vector(self) -> npt.NDArray[np.float32]: ...
    @property
    def terms(self) -> tuple[Term, ...]: ...


class CandidateParagraph(Protocol):
    @property
    def sentences(self) -> Sequence[CandidateSentence]: ...
    @property
    def context(self) -> frozenset[str]: ...  # keys its document's title, lead and date lend it


class LexicalMatch(Protocol):
    @property
    def sentence_id(self) -> int: ...
    @property
    def paragraph_id(self) -> int: ...
    @property
    def score(self) -> float: ...


P = TypeVar("P", bound=CandidateParagraph)


@dataclass(frozen=True, slots=True)
class Searches(Generic[P]):
    """Where candidates come from: paragraph ids by vector, sentences by words, the vectors of the
    sentences of given paragraphs (each with its paragraph's id), and the reader that loads whole
    paragraphs (a paragraph deleted since the search is simply missing)."""

    dense: Callable[[npt.NDArray[np.float32], int], Sequence[int]]
    lexical: Callable[[Sequence[str], int], Sequence[LexicalMatch]]
    paragraphs: Callable[[Sequence[int]], Mapping[int, P]]
    sentence_vectors: Callable[[Sequence[int]], tuple[Sequence[int], npt.NDArray[np.float32]]]


@dataclass(frozen=True, slots=True)
class Candidate(Generic[P]):
    """A sentence that supports the claim: its paragraph, its position there, how well it matched."""

    paragraph: P
    position: int
    support: Support
    score: float
    lexical: float = 0.0  # its BM25 relative to the check's best lexical hit (0 if not a hit)


def _contexts(paragraph: CandidateParagraph) -> list[frozenset[str]]:
    """What each sentence of a paragraph may lean on for names it does not repeat: its document's
    title, lead and date, and the sentences before it ("this loan", "the strike", "it"). Built once
    per paragraph, the earlier sentences' keys accumulating."""
    keys = set(paragraph.context)
    out = []
    for sentence in paragraph.sentences:
        out.append(frozenset(keys))
        keys.update(key for key, _, _ in sentence.terms)
    return out


def paragraph_depth(limit: int) -> int:
    """How many FAISS paragraphs a check of ``limit`` items reads."""
    return max(MIN_PARAGRAPH_CANDIDATES, 2 * limit)


def close_paragraphs(
    claim: Claim, searches: Searches[P], paragraph_ids: Sequence[int], floor: float
) -> list[int]:
    """The paragraphs, in the order given, with a sentence at ``floor`` cosine or above.

    Only these can yield a candidate, and reading a whole paragraph (text, terms, structure,
    frames) costs several times reading its sentence vectors: about a third of the paragraphs a
    check finds pass, so the check reads vectors first and whole paragraphs only for these. The
    cosines are computed again from the paragraphs read, so a paragraph rewritten in between is
    scored on what was read (a hair's margin keeps a sentence at the floor on either side)."""
    owners, vectors = searches.sentence_vectors(paragraph_ids)
    if not len(owners):
        return []
    close = {int(p) for p in np.asarray(owners)[vectors @ claim.vector >= floor - 1e-6]}
    return [pid for pid in paragraph_ids if pid in close]


def candidates(claim: Claim, searches: Searches[P], limit: int, policy: SupportPolicy) -> list[Candidate[P]]:
    """Sentences of the nearest paragraphs (dense) and best BM25 sentences (lexical) that support
    the claim, best first."""
    dense_ids = searches.dense(claim.vector, paragraph_depth(limit))
    lexical = searches.lexical(claim.words, policy.lexical_candidates)
    best_bm25 = max((h.score for h in lexical), default=0.0)
    lexical_score = {h.sentence_id: h.score / best_bm25 for h in lexical if best_bm25 > 0}
    found_ids = list(dict.fromkeys([int(i) for i in dense_ids] + [h.paragraph_id for h in lexical]))
    floor = policy.cosine_floor
    paragraph_ids = close_paragraphs(claim, searches, found_ids, floor)
    paragraphs = searches.paragraphs(paragraph_ids)
    placed = [
        (paragraph, position)
        for pid in paragraph_ids
        if (paragraph := paragraphs.get(pid)) is not None
        for position in range(len(paragraph.sentences))
    ]
    if not placed:
        return []
    cosines = np.vstack([p.sentences[i].vector for p, i in placed]) @ claim.vector
    contexts: dict[int, list[frozenset[str]]] = {}
    found = []
    for (paragraph, position), cosine in zip(placed, cosines.tolist(), strict=True):
        if cosine < floor:
            continue  # not admitted whatever its terms (``SupportPolicy.cosine_floor``)
        sentence = paragraph.sentences[position]
        if (context := contexts.get(id(paragraph))) is None:
            context = contexts[id(paragraph)] = _contexts(paragraph)
        support = assess(claim.requirements, sentence.terms, cosine, context[position])
        if support.supports(policy):
            relative = lexical_score.get(sentence.id, 0.0)
            found.append(Candidate(paragraph, position, support, support.score(policy, relative), relative))
    found.sort(key=lambda c: c.score, reverse=True)
    return found
