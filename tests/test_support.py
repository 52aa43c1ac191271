"""Key-content matching: entities by any name, numbers exactly, content words by stem."""

from __future__ import annotations

import pytest

from retrieval.gazetteer import country_of
from retrieval.support import SupportPolicy, assess
from retrieval.terms import claim_requirements, span_terms

POLICY = SupportPolicy()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ankara", "Turkey"),
        ("Turkish", "Turkey"),
        ("Moscow", "Russia"),
        ("Armenians", "Armenia"),
        ("Baku", "Azerbaijani"),
        ("U.S.", "United States"),
        ("Paris", "French"),
    ],
)
def test_a_country_answers_to_its_capital_and_demonym(a, b):
    assert country_of(a) is not None and country_of(a) == country_of(b)


def test_different_countries_differ():
    assert country_of("Germany") != country_of("Turkey")
    assert country_of("Karabakh") is None


def _support(nlp, claim, sentence, cosine):
    doc = nlp(sentence)
    return assess(claim_requirements(nlp(claim)[:]), span_terms(doc[:], lambda i: i), cosine)


def test_entities_match_across_names_and_inflections(nlp):
    support = _support(
        nlp,
        "Moscow and Ankara back opposite sides",
        "Russia and Turkey backed different sides in the conflict.",
        0.6,
    )
    assert support.names_all and support.coverage > 0


def test_a_missing_entity_rejects_even_a_close_sentence(nlp):
    support = _support(
        nlp,
        "Germany imposed sanctions on Azerbaijan",
        "Azerbaijan and Armenia have imposed martial law.",
        0.7,
    )
    assert not support.names_all and not support.supports(POLICY)


def test_numbers_must_agree(nlp):
    claim = "The ceasefire was agreed on October 10"
    assert _support(nlp, claim, "A ceasefire was agreed on October 10 in Moscow.", 0.7).supports(POLICY)
    assert not _support(nlp, claim, "A ceasefire was agreed on October 17 in Moscow.", 0.7).supports(POLICY)


def test_number_words_count_as_content(nlp):
    support = _support(nlp, "the three powers supply weapons", "The three world powers supply weapons.", 0.7)
    assert support.names_all


def test_shared_specific_names_carry_a_paraphrase(nlp):
    support = _support(
        nlp,
        "The fighting broke out on September 27",
        "Renewed clashes between Azerbaijan and Armenia erupted on September 27.",
        0.40,
    )
    assert support.coverage == 0 and support.supports(POLICY)


def test_country_names_alone_do_not_carry_a_weak_match(nlp):
    support = _support(
        nlp,
        "Azerbaijan and Armenia imposed martial law",
        "Renewed clashes between Azerbaijan and Armenia erupted.",
        0.55,
    )
    assert support.names_all and not support.supports(POLICY)


def test_off_topic_sentence_is_rejected_whatever_it_names(nlp):
    assert not _support(
        nlp, "Putin spoke with Erdogan", "Putin and Erdogan attended a concert.", 0.2
    ).supports(POLICY)


def test_match_positions_point_at_the_matched_words(nlp):
    sentence = "Ankara has backed Azerbaijan and the ministry said a Turkish F-16 had downed an SU-25."
    support = _support(nlp, "A Turkish F-16 downed an SU-25", sentence, 0.7)
    assert sentence.index("F-16") in support.match_positions
    assert sentence.index("SU-25") in support.match_positions
    assert sentence.index("Ankara") not in support.match_positions


def _named(nlp, claim: str) -> list[str]:
    return [r.text for r in claim_requirements(nlp(claim)[:]) if r.named]


def test_a_legal_form_is_not_a_name_to_repeat(nlp):
    """ "Corporation" against the wire's "Corp" (or nothing): the other words tell the company."""
    assert _named(nlp, "The Baltic Shipping Corporation lent money to Ecuador") == [
        "Baltic",
        "Shipping",
        "Ecuador",
    ]
    support = _support(
        nlp, "The Baltic Shipping Corporation lent money", "Baltic Shipping Corp lent the money.", 0.7
    )
    assert support.names_all


def test_a_claim_of_long_names_with_a_lower_case_verb_is_no_headline(nlp):
    """Six capitalised words of eight, all of them names: the lower-case verb says sentence case."""
    assert _named(nlp, "Harwick Steel Products and Quillon Valve Systems completed their merger") == [
        "Harwick",
        "Steel",
        "Products",
        "Quillon",
        "Valve",
        "Systems",
    ]
    assert _named(nlp, "Climate Models Have Overestimated Global Warming") == []


def test_an_ordinal_used_as_an_adverb_names_nothing(nlp):
    assert "first" not in _named(nlp, "The loan had first been meant to pay for a new terminal")
    assert "first" in _named(nlp, "Profits rose in the first quarter")


def test_a_stop_word_inside_a_name_is_part_of_the_name(nlp):
    """The "Am" of "Pan Am" is a stop word to spaCy, and a word a claim naming Pan Am asks for."""
    support = _support(nlp, "Pan Am needs its unions", "Pan Am said it needs its unions to agree.", 0.7)
    assert support.names_all


def test_a_claims_month_and_year_may_come_from_the_story_date(nlp):
    from claimcheck.ingest import publication_keys

    assert publication_keys("1987-04-08") == {"1987", "april"}
    assert publication_keys(None) == set() and publication_keys("undated") == set()
    requirements = claim_requirements(nlp("Bolivia froze new sales of tin in April 1987")[:])
    terms = span_terms(nlp("Bolivia froze new sales of refined tin on Tuesday.")[:], lambda i: i)
    dated = assess(requirements, terms, 0.7, frozenset(publication_keys("1987-04-08")))
    assert dated.named_matched + dated.named_from_context == dated.named_total
    elsewhen = assess(requirements, terms, 0.7, frozenset(publication_keys("1987-03-02")))
    assert elsewhen.named_matched + elsewhen.named_from_context < elsewhen.named_total


@pytest.mark.parametrize(
    ("sentence", "context", "given"),
    [
        # a story that names no country says "the Senate" of its own country's
        ("President Halvorsen sent the Norvale Timber Accord to the Senate for approval.", frozenset(), True),
        # ... but not once it names another country, in the sentence or around it
        ("President Halvorsen sent the Norvale Timber Accord to the Canadian Senate.", frozenset(), False),
        ("President Halvorsen sent the Norvale Timber Accord to the Senate.", frozenset({"geo:CAN"}), False),
    ],
)
def test_a_country_that_only_qualifies_a_noun_may_be_left_unsaid(nlp, sentence, context, given):
    """ "the U.S. Senate" in the claim; the wire, filed from Washington, writes "the Senate"."""
    claim = "President Halvorsen sent the Norvale Timber Accord to the U.S. Senate for approval"
    requirements = claim_requirements(nlp(claim)[:])
    assert [r.qualifier for r in requirements if r.text == "U.S."] == [True]
    support = assess(requirements, span_terms(nlp(sentence)[:], lambda i: i), 0.9, context)
    assert support.names_all is given


def test_a_country_that_is_a_party_is_never_left_unsaid(nlp):
    """ "Norvale's exports to the U.S.": the U.S. is where the exports go, not whose they are."""
    requirements = claim_requirements(nlp("Norvale's timber exports to the U.S. rose 5 pct")[:])
    assert not any(r.qualifier for r in requirements)
    support = _support(
        nlp, "Norvale's timber exports to the U.S. rose 5 pct", "Norvale's timber exports rose 5 pct.", 0.9
    )
    assert not support.names_all


def test_the_count_of_a_period_is_not_a_figure_to_repeat(nlp):
    """ "the first three months" is the wire's "first quarter"; the quarter's ordinal still counts."""
    claim = "Norvale's cocoa grind rose 2.9 percent in the first three months of 1987"
    assert _support(
        nlp, claim, "Norvale's cocoa grind rose 2.9 pct in the first quarter of 1987.", 0.8
    ).names_all
    assert not _support(
        nlp, claim, "Norvale's cocoa grind rose 2.9 pct in the second quarter of 1987.", 0.8
    ).names_all


def test_a_capital_in_a_name_is_never_left_unsaid(nlp):
    """ "Ankara Bank Ltd" is a bank's name: another bank's sentence does not name it."""
    claim = "Ankara Bank Ltd introduced a zero-point fixed rate mortgage loan"
    assert not any(r.qualifier for r in claim_requirements(nlp(claim)[:]))
    sentence = "Halvorsen Federal Bank said it introduced a zero-point fixed rate mortgage loan."
    assert not _support(nlp, claim, sentence, 0.9).names_all
