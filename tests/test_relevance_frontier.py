"""bench.relevance_frontier: recall@5 and precision of a filtered ranking, counted by hand."""

from __future__ import annotations

from bench.relevance_frontier import LabelledClaim, RankedItem, content_words, point, share


def _item(ids: str, cosine: float) -> RankedItem:
    return RankedItem(frozenset(ids.split()), cosine, cosine, 0.0, 0.0)


CLAIMS = [
    LabelledClaim(
        {"a": "SUPPORTS", "b": "NOT_ENOUGH_INFO", "c": "REFUTES"},
        "tune",
        (_item("b", 0.9), _item("a", 0.8), _item("x", 0.7), _item("c", 0.4)),
    ),
    LabelledClaim({"d": "NOT_ENOUGH_INFO"}, "tune", (_item("d", 0.9),)),  # no gold: precision only
]


def test_unfiltered_ranking():
    p = point(CLAIMS, lambda _c, _r, _i: True, "tune")
    # recall: claim 1 finds a and c of {a, c}; precision: a, c relevant of b, a, c, d judged ("x" unlabelled)
    assert (p.recall, p.precision, p.judged) == (1.0, 0.5, 4)


def test_a_floor_drops_items_before_the_cut():
    p = point(CLAIMS, lambda _c, _r, item: item.cosine >= 0.5, "tune")
    assert (p.recall, p.precision, p.judged) == (0.5, 1 / 3, 3)
    assert point(CLAIMS, lambda _c, _r, _i: True, "report").judged == 0


def test_word_overlap_ignores_stop_words():
    claim = content_words("The Arctic is warming faster than the rest of the planet")
    assert share(claim, content_words("Arctic sea ice is warming")) == 2 / len(claim)
