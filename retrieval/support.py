"""Does a sentence support a claim? Semantic closeness plus the claim's key content.

Measured (DESIGN.md): a top-1 cosine of 0.5 separates off-topic queries from real claims, but
cosine barely separates supported from unsupported on-topic claims. So a sentence supports a claim
only when it names every entity and number of the claim (a country by any of its names) and either
- the claim names two or more things, at least one of them specific (a person, organisation,
  product, number or date: country names are too common in news to count), and the sentence is on
  its topic (``min_cosine_named``): the shared names are the precision, the cosine only rules out
  a different story with the same names ("The fighting broke out on September 27" / "clashes ...
  erupted on September 27"); or
- it is semantically close (``min_cosine``) and repeats enough of the claim's other content words
  (``min_coverage``), unless it is a close paraphrase anyway (``paraphrase_cosine``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.terms import Requirement, Term


@dataclass(frozen=True, slots=True)
class SupportPolicy:
    """Thresholds of the support decision (calibrated on the seed dev claims; see bench/retrieval.py)."""

    min_cosine: float = 0.45
    min_cosine_named: float = 0.35
    min_coverage: float = 0.25
    paraphrase_cosine: float = 0.62
    coverage_weight: float = 0.25
    # Hybrid retrieval: sentences found by BM25 (SQLite FTS5) join the dense candidates, and their
    # BM25 score, scaled to this query's best, adds ``lexical_weight`` at most to the score.
    lexical_candidates: int = 50
    lexical_weight: float = 0.0


@dataclass(frozen=True, slots=True)
class Support:
    """How well one sentence carries one claim."""

    cosine: float
    named_matched: int
    named_total: int
    specific_total: int
    coverage: float  # share of the claim's non-entity content words found in the sentence
    match_positions: tuple[int, ...]  # start offsets of the sentence terms that matched

    @property
    def names_all(self) -> bool:
        return self.named_matched == self.named_total

    def score(self, policy: SupportPolicy, lexical: float = 0.0) -> float:
        """Ranking score; ``lexical`` is the sentence's BM25 relative to the query's best (0..1)."""
        base = (1 - policy.coverage_weight) * self.cosine + policy.coverage_weight * self.coverage
        return base + policy.lexical_weight * lexical

    def supports(self, policy: SupportPolicy) -> bool:
        if not self.names_all:
            return False
        if self.named_total >= 2 and self.specific_total and self.cosine >= policy.min_cosine_named:
            return True
        if self.cosine < policy.min_cosine:
            return False
        return self.coverage >= policy.min_coverage or self.cosine >= policy.paraphrase_cosine


def assess(requirements: Sequence[Requirement], terms: Sequence[Term], cosine: float) -> Support:
    """Match the claim's requirements against a sentence's stored terms."""
    positions_by_key: dict[str, list[int]] = {}
    for key, start, _ in terms:
        positions_by_key.setdefault(key, []).append(start)
    named_total = named_matched = content_total = content_matched = 0
    specific_total = sum(r.specific for r in requirements)
    positions: set[int] = set()
    for requirement in requirements:
        hits = [p for key in requirement.keys for p in positions_by_key.get(key, ())]
        if requirement.named:
            named_total += 1
            named_matched += bool(hits)
        else:
            content_total += 1
            content_matched += bool(hits)
        positions.update(hits)
    coverage = content_matched / content_total if content_total else 1.0
    return Support(cosine, named_matched, named_total, specific_total, coverage, tuple(sorted(positions)))
