"""verification.edits: contraries read from a word-level diff, and the negation and hedge words."""

from __future__ import annotations

from verification.edits import contrary_kind, has_hedge, has_negation, substituted_contraries


def test_a_substituted_contrary_is_found_whatever_its_part_of_speech():
    assert substituted_contraries(
        "Exports were up 12 percent from a year earlier.", "Exports were down 12 percent from a year earlier."
    ) == [("up", "down")]
    assert substituted_contraries(
        "The trade surplus reached 3 billion.", "The trade deficit reached 3 billion."
    ) == [("surplus", "deficit")]
    assert substituted_contraries("The board accepted the offer.", "The board rejected the offer.") == [
        ("accepted", "rejected")
    ]
    assert substituted_contraries("Prices rose in March.", "Prices fell in March.") == [("rose", "fell")]


def test_a_contrary_mentioned_elsewhere_is_not_a_substitution():
    assert (
        substituted_contraries(
            "Profits were up 10 percent.", "Profits were up 10 percent while sales were down."
        )
        == []
    )


def test_mostly_different_wording_is_not_read():
    assert (
        substituted_contraries("Output rose.", "Analysts expect that output in the region fell sharply.")
        == []
    )


def test_negation_and_hedge_words():
    assert has_negation("The company did not comment.") and has_negation("It refused to sign.")
    assert not has_negation("The company commented.")
    assert has_hedge("Output could reach 5 mln tonnes.") and not has_hedge("Output reached 5 mln tonnes.")


def test_all_of_a_thing_is_not_part_of_it():
    assert substituted_contraries(
        "Harbin sold all of its stake in Kestrel.", "Harbin sold part of its stake in Kestrel."
    ) == [("all", "part")]
    assert contrary_kind("all", "part") == "extent" and contrary_kind("rose", "fell") == "direction"
    assert substituted_contraries("Harbin made a full payment.", "Harbin made a partial payment.") == [
        ("full", "partial")
    ]


def test_no_movement_against_a_movement():
    assert substituted_contraries("Exports rose in March.", "Exports were unchanged in March.") == [
        ("rose", "unchanged")
    ]
