"""How far a relevance-only decision gets on Climate-FEVER: the recall/precision frontier.

Why this exists: issue 9 asks the service for recall@5 >= 0.40 of Climate-FEVER's gold evidence at
a precision (SUPPORTS/REFUTES among the claim's own labelled sentences) of at least 0.54. Whether
any decision built on the signals the service has could reach that point is a question about the
ranking, not about the verifier, so it is measured here with no support decision at all: the best
ranking of ``bench/retrieval.py`` is cut

* by a cosine floor (claim vs sentence), swept, and
* by a logistic regression over surface features of each (claim, sentence) pair — cosine, cosine
  with the article title, reciprocal rank, the share of the claim's words in the sentence and in the
  title — fitted on the ``tune`` half of the claims and swept on the ``report`` half.

If neither frontier passes the target point, the target needs a decision that tells
NOT_ENOUGH_INFO sentences from relevant ones by their meaning, which no feature here does.

The module is fed by ``bench.retrieval`` (which owns the data set, the store and the rankings) and
knows nothing of them beyond :class:`LabelledClaim`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

RELEVANT = frozenset({"SUPPORTS", "REFUTES"})
TOP_K = 5
COSINE_FLOORS = (0.0, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
MODEL_FLOORS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


@dataclass(frozen=True, slots=True)
class RankedItem:
    """One ranked sentence of a claim: its gold evidence ids and the features a decision may use."""

    ids: frozenset[str]
    cosine: float  # claim vector . stored sentence vector
    title_cosine: float  # claim vector . "title: sentence" vector
    overlap: float  # share of the claim's words found in the sentence
    title_overlap: float  # share of the claim's words found in the article title

    def features(self, rank: int) -> list[float]:
        return [self.cosine, self.title_cosine, 1.0 / (rank + 1), self.overlap, self.title_overlap]


@dataclass(frozen=True, slots=True)
class LabelledClaim:
    """A claim's ranking with the labels of its own five evidence sentences."""

    labels: dict[str, str]  # evidence id -> SUPPORTS / REFUTES / NOT_ENOUGH_INFO
    split: str  # "tune" or "report"
    items: tuple[RankedItem, ...]

    @property
    def gold(self) -> frozenset[str]:
        return frozenset(i for i, label in self.labels.items() if label in RELEVANT)


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    recall: float  # recall@5 of gold, averaged over the claims that have gold
    precision: float  # relevant / labelled among the kept top 5
    judged: int  # kept items that are one of the claim's own labelled sentences


Keep = Callable[[LabelledClaim, int, RankedItem], bool]


def point(claims: Sequence[LabelledClaim], keep: Keep, split: str) -> FrontierPoint:
    """Recall@5 and precision when each claim's ranking is filtered by ``keep`` and cut to 5."""
    recalls: list[float] = []
    relevant = judged = 0
    for claim in claims:
        if split != "all" and claim.split != split:
            continue
        kept = [item for rank, item in enumerate(claim.items) if keep(claim, rank, item)][:TOP_K]
        for item in kept:
            labels = {claim.labels[i] for i in item.ids if i in claim.labels}
            if labels:
                judged += 1
                relevant += bool(labels & RELEVANT)
        gold = claim.gold
        if gold:
            found = frozenset().union(*(item.ids for item in kept)) & gold
            recalls.append(len(found) / len(gold))
    return FrontierPoint(
        float(np.mean(recalls)) if recalls else float("nan"), relevant / judged if judged else 0.0, judged
    )


def _pairs(claims: Sequence[LabelledClaim], split: str) -> tuple[np.ndarray, np.ndarray]:
    """Features and relevance of every ranked item that is one of its claim's labelled sentences."""
    rows: list[list[float]] = []
    target: list[int] = []
    for claim in claims:
        if claim.split != split:
            continue
        for rank, item in enumerate(claim.items):
            labels = {claim.labels[i] for i in item.ids if i in claim.labels}
            if labels:
                rows.append(item.features(rank))
                target.append(int(bool(labels & RELEVANT)))
    return np.asarray(rows), np.asarray(target)


def print_frontier(claims: Sequence[LabelledClaim], ranking: str) -> None:
    from sklearn.linear_model import LogisticRegression

    print(f"\n1b. Relevance without support: the frontier of ranking {ranking} (top {TOP_K}, no verifier)")
    print("  cosine floor      tune R@5 / precision     report R@5 / precision")
    for floor in COSINE_FLOORS:
        cells = [point(claims, _cosine_at_least(floor), s) for s in ("tune", "report")]
        print(f"  {floor:>12.2f}      " + "      ".join(f"{p.recall:.3f} / {p.precision:.3f}" for p in cells))
    features, target = _pairs(claims, "tune")
    model = LogisticRegression(max_iter=1000).fit(features, target)
    keys = [(id(claim), rank) for claim in claims for rank in range(len(claim.items))]
    every = np.asarray([item.features(rank) for claim in claims for rank, item in enumerate(claim.items)])
    probability = dict(zip(keys, model.predict_proba(every)[:, 1].tolist(), strict=True))
    print(
        "  model floor (logistic regression on cosine, title cosine, 1/rank, claim words in sentence"
        " and title; fitted on tune)"
    )
    for floor in MODEL_FLOORS:
        cells = [point(claims, _probable(probability, floor), s) for s in ("tune", "report")]
        print(f"  {floor:>12.2f}      " + "      ".join(f"{p.recall:.3f} / {p.precision:.3f}" for p in cells))


def _cosine_at_least(floor: float) -> Keep:
    return lambda _claim, _rank, item: item.cosine >= floor


def _probable(probability: dict[tuple[int, int], float], floor: float) -> Keep:
    return lambda claim, rank, _item: probability[(id(claim), rank)] >= floor


_WORD = re.compile(r"[a-z0-9]+")


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words outside scikit-learn's English stop list (the surface overlap feature)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS)


def share(words: frozenset[str], of: frozenset[str]) -> float:
    return len(words & of) / len(words) if words else 0.0
