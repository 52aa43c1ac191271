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

from collections.abc import Sequence, Set
from dataclasses import dataclass

from retrieval.terms import GEO_PREFIX, Requirement, Term


@dataclass(frozen=True, slots=True)
class SupportPolicy:
    """Thresholds of candidate admission and ranking (see bench/retrieval.py).

    These only decide which sentences reach the verifier (``verification``), which decides whether
    each supports the claim, contradicts it, or neither; they are loose on purpose.
    """

    min_cosine: float = 0.45
    min_cosine_named: float = 0.35
    min_coverage: float = 0.25
    paraphrase_cosine: float = 0.62
    coverage_weight: float = 0.25
    # A sentence whose claim names are found only with the help of its context (title, lead,
    # previous sentences) must be at least this close: its own words carry less of the claim.
    min_cosine_context: float = 0.40
    # Hybrid retrieval: sentences found by BM25 (SQLite FTS5) join the dense candidates, and their
    # BM25 score, scaled to this query's best, adds ``lexical_weight`` at most to the score.
    lexical_candidates: int = 50
    lexical_weight: float = 0.0

    @property
    def cosine_floor(self) -> float:
        """No sentence below this cosine is admitted, whatever its terms: both ways into
        ``Support.supports`` need ``min_cosine_named`` or ``min_cosine``. Candidates skip matching
        the terms of sentences below it (most of those read), which changes nothing admitted."""
        return min(self.min_cosine_named, self.min_cosine)


@dataclass(frozen=True, slots=True)
class Support:
    """How well one sentence carries one claim's requirements, on its own and with its context."""

    cosine: float
    named_matched: int  # named requirements found in the sentence itself
    named_total: int
    specific_total: int
    coverage: float  # share of the claim's non-entity content words found in the sentence
    match_positions: tuple[int, ...]  # start offsets of the sentence terms that matched
    named_from_context: int = 0  # named requirements found only in the sentence's context
    figures_missing: int = 0  # figure requirements found nowhere (the verifier checks for a conflict)
    hits: tuple[tuple[int, ...], ...] = ()  # per requirement: where it matched in the sentence
    from_context: tuple[bool, ...] = ()  # per requirement: satisfied by the context only

    @property
    def names_all(self) -> bool:
        """Every named requirement is found, in the sentence or its context."""
        return self.named_matched + self.named_from_context == self.named_total

    def score(self, policy: SupportPolicy, lexical: float = 0.0) -> float:
        """Ranking score; ``lexical`` is the sentence's BM25 relative to the query's best (0..1)."""
        base = (1 - policy.coverage_weight) * self.cosine + policy.coverage_weight * self.coverage
        return base + policy.lexical_weight * lexical

    def supports(self, policy: SupportPolicy) -> bool:
        """Admission: worth verifying. The names must all be there (some from context when the
        sentence is close enough); then the shared names or the closeness must say it is on the
        claim's topic."""
        if self.named_matched + self.named_from_context + self.figures_missing < self.named_total:
            return False  # a name is missing; a missing figure may still be a conflicting one
        if self.named_from_context and self.cosine < policy.min_cosine_context:
            return False
        if self.named_total >= 2 and self.specific_total and self.cosine >= policy.min_cosine_named:
            return True
        if self.cosine < policy.min_cosine:
            return False
        return self.coverage >= policy.min_coverage or self.cosine >= policy.paraphrase_cosine


def _presume_qualifiers(
    requirements: Sequence[Requirement],
    terms: Sequence[Term],
    context: Set[str],
    hits_each: Sequence[tuple[int, ...]],
    context_each: list[bool],
) -> int:
    """Count as given by the story the claim's country qualifiers ("the U.S. Senate") that neither
    the sentence nor its context names, when neither names any country at all: a story filed from
    Washington says "the Senate" and "the nation's airports" (the wire's dateline is not part of
    the text). Asked only of a sentence that states another of the claim's names or figures itself.
    Marks them in ``context_each``; returns how many."""
    if any(key.startswith(GEO_PREFIX) for key, _, _ in terms) or any(
        k.startswith(GEO_PREFIX) for k in context
    ):
        return 0
    presumed = 0
    for i, requirement in enumerate(requirements):
        if requirement.qualifier and not hits_each[i] and not context_each[i]:
            context_each[i] = True
            presumed += 1
    return presumed


def assess(
    requirements: Sequence[Requirement],
    terms: Sequence[Term],
    cosine: float,
    context: Set[str] = frozenset(),
) -> Support:
    """Match the claim's requirements against a sentence's stored terms, and its context's keys
    for named requirements the sentence itself lacks ("the strike" in a story about GM)."""
    wanted = {key for requirement in requirements for key in requirement.keys}
    positions_by_key: dict[str, list[int]] = {}
    for key, start, _ in terms:
        if key in wanted:
            positions_by_key.setdefault(key, []).append(start)
    named_total = named_matched = named_context = content_total = content_matched = figures_missing = 0
    specific_total = sum(r.specific for r in requirements)
    positions: set[int] = set()
    hits_each: list[tuple[int, ...]] = []
    context_each: list[bool] = []
    for requirement in requirements:
        hits = tuple(p for key in requirement.keys for p in positions_by_key.get(key, ()))
        in_context = not hits and requirement.named and not requirement.keys.isdisjoint(context)
        if requirement.named:
            named_total += 1
            named_matched += bool(hits)
            named_context += in_context
            figures_missing += not hits and not in_context and requirement.is_figure
        else:
            content_total += 1
            content_matched += bool(hits)
        positions.update(hits)
        hits_each.append(hits)
        context_each.append(in_context)
    if named_matched and named_matched + named_context < named_total:
        named_context += _presume_qualifiers(requirements, terms, context, hits_each, context_each)
    coverage = content_matched / content_total if content_total else 1.0
    return Support(
        cosine=cosine,
        named_matched=named_matched,
        named_total=named_total,
        specific_total=specific_total,
        coverage=coverage,
        match_positions=tuple(sorted(positions)),
        named_from_context=named_context,
        figures_missing=figures_missing,
        hits=tuple(hits_each),
        from_context=tuple(context_each),
    )
