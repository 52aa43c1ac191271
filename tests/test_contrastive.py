"""The contrastive benchmark's generator (bench/contrastive.py) builds the claims it says it builds.

A perturbation that is accidentally still true, or a "faithful" claim its sentence does not
support, would make the benchmark measure nothing, so each rewrite is checked on real Reuters
sentences: a direction flip changes the predicate to its antonym and nothing else, a figure change
changes exactly one number, faithful claims keep the figures and names of the reported content.
The generator must be deterministic and never use a development-subset story. No server is used.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from bench.contrastive import (
    DEFAULT_DATASET,
    Generator,
    Story,
    load_dev_ids,
    load_stories,
    records_of,
    split_of,
    verify_spans,
)
from bench.contrastive_claims import (
    Faithful,
    Perturbation,
    PoolName,
    faithful_claim,
    figures,
    normalise_sentence,
    perturb_actor,
    perturb_direction,
    perturb_figure,
    perturb_modal,
    perturb_negation,
    perturb_roles,
    sentence_problem,
)
from bench.contrastive_lexicon import COUNTRIES, VERB_ANTONYMS, past_tense, verb_form

# Real Reuters-21578 sentences (none from the development subset).
M1 = (
    "U.S. M-1 money supply rose 1.9 billion dlrs to a seasonally adjusted 738.5 billion dlrs "
    "in the February 23 week, the Federal Reserve said."
)
KRAFT = (
    "Kraft Inc said it has completed the previously announced acquisition of the Anderson Clayton "
    "Foods Division from Quaker Oats Co for 235 mln dlrs in cash."
)
LOUART = (
    "Louart Corp, a Los Angeles investment firm, said it raised its stake in Certron Corp to 237,000 "
    "shares, or 7.8 pct of the total outstanding common stock, from 164,000 shares, or 5.4 pct."
)
MALAYSIA = (
    "Malaysia's debt serving ratio of 17.6 pct of its exports in 1986 is within the prudency limit "
    "of 20 pct, Bank Negara Governor Jaafar Hussein told reporters."
)
GHANA = (
    "Ghana will import 15,000 tonnes of crude oil annually from Iran under an agreement reached in "
    "Tehran today, the Iranian news agency IRNA reported."
)
BLOCKBUSTER = (
    "Blockbuster Entertainment Corp said it will sell its investment in Amtech Corp to the company "
    "chairman, David Cook, and president, Kenneth Anderson."
)
INDUSTRIAL_EQUITY = (
    "Industrial Equity (Pacific) Ltd, a Hong Kong investment firm, said it raised its stake in "
    "Wrather Corp to 816,000 shares, or 11.3 pct of the total outstanding common stock."
)


def _faithful(nlp, sentence: str) -> tuple[Faithful, object]:
    faithful = faithful_claim(nlp(normalise_sentence(sentence)))
    return faithful, nlp(faithful.claim)


def _words(text: str) -> list[str]:
    return text.rstrip(".").split()


def test_faithful_claims_strip_attribution_and_keep_figures_and_names(nlp):
    expected = {
        M1: "U.S. M-1 money supply rose 1.9 billion dollars to a seasonally adjusted 738.5 billion "
        "dollars in the February 23 week.",
        KRAFT: "Kraft Inc completed the previously announced acquisition of the Anderson Clayton Foods "
        "Division from Quaker Oats Co for 235 million dollars in cash.",
        LOUART: "Louart Corp raised its stake in Certron Corp to 237,000 shares, or 7.8 percent of the "
        "total outstanding common stock, from 164,000 shares, or 5.4 percent.",
        MALAYSIA: "Malaysia's debt serving ratio of 17.6 percent of its exports in 1986 is within the "
        "prudency limit of 20 percent.",
        # The name keeps its parentheses; the apposition that describes it goes.
        INDUSTRIAL_EQUITY: "Industrial Equity (Pacific) Ltd raised its stake in Wrather Corp to 816,000 "
        "shares, or 11.3 percent of the total outstanding common stock.",
        # An apposition that *is* a name stays: dropping "David Cook" would change who buys.
        BLOCKBUSTER: "Blockbuster Entertainment Corp will sell its investment in Amtech Corp to the "
        "company chairman, David Cook, and president, Kenneth Anderson.",
    }
    for sentence, claim in expected.items():
        faithful, claim_doc = _faithful(nlp, sentence)
        assert faithful.claim == claim
        # Every figure of the content is kept, and none is invented.
        assert sorted(figures(claim)) == sorted(figures(normalise_sentence(sentence)))
        for ent in claim_doc.ents:
            if ent.label_ in ("ORG", "GPE", "PERSON"):
                assert ent.text in normalise_sentence(sentence)


def test_wire_abbreviations_and_tickers_are_normalised():
    text = "<Fleet Aerospace Corp> said Gulton Industries Inc <GLT.N> sold 80,000 bpd for 10 mln stg (5 pct)."
    assert normalise_sentence(text) == (
        "Fleet Aerospace Corp said Gulton Industries Inc sold 80,000 barrels per day for 10 million sterling."
    )
    assert sentence_problem("Shr 17 cts vs 13 cts net 2.1 mln vs 1.03 mln revenue rose sharply.") is not None
    assert sentence_problem("He asked whether the company would sell the unit to Japan.") is not None


def test_direction_flip_changes_the_verb_to_its_antonym_and_nothing_else(nlp):
    for sentence, old, new in ((M1, "rose", "fell"), (KRAFT, None, None)):
        faithful, doc = _faithful(nlp, sentence)
        flipped = perturb_direction(doc)
        if old is None:
            # "completed the acquisition" has no opposite: no direction claim rather than a wrong one.
            assert flipped is None
            continue
        assert flipped is not None and flipped.change == {"from": old, "to": new}
        before, after = _words(faithful.claim), _words(flipped.claim)
        assert len(before) == len(after)
        changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
        assert changed == [(old, new)]
        lemma = nlp(old)[0].lemma_
        assert any(verb_form(a.opposite, "VBD") == new for a in VERB_ANTONYMS[lemma])


def test_direction_flip_refuses_voice_without_an_agent(nlp):
    # "output will be sold in South Korea" is also "bought in South Korea": not a contradiction.
    doc = nlp("Most of Goldstar's output will be sold in South Korea.")
    assert perturb_direction(doc) is None


def test_figure_change_changes_exactly_one_number_by_a_clear_factor(nlp):
    for sentence in (M1, KRAFT, LOUART, GHANA):
        faithful, doc = _faithful(nlp, sentence)
        for seed in range(5):
            changed = perturb_figure(doc, random.Random(seed), figures(normalise_sentence(sentence)))
            assert changed is not None
            before, after = _words(faithful.claim), _words(changed.claim)
            assert len(before) == len(after)
            diff = [
                (a, b) for a, b in zip(before, after, strict=True) if a != b and a.lower() not in ("a", "an")
            ]
            assert len(diff) == 1
            old, new = (float(x.strip(",").replace(",", "")) for x in diff[0])
            assert new >= 1.8 * old or new <= old / 1.8
            assert diff[0][1].strip(",") not in figures(normalise_sentence(sentence))


def test_figure_change_leaves_bounds_and_years_alone(nlp):
    doc = nlp("Texaco bought more than 500 million dollars of bonds in 1986.")
    assert perturb_figure(doc, random.Random(0)) is None


def test_roles_swap_the_two_actors_and_keep_every_word(nlp):
    for sentence, first, second in ((LOUART, "Louart Corp", "Certron Corp"), (GHANA, "Ghana", "Iran")):
        faithful, doc = _faithful(nlp, sentence)
        swapped = perturb_roles(doc)
        assert swapped is not None
        assert swapped.claim.startswith(second)
        assert swapped.claim.index(first) > swapped.claim.index(second)
        assert sorted(w.lower() for w in _words(swapped.claim)) == sorted(
            w.lower() for w in _words(faithful.claim)
        )


def test_negation_negates_the_main_verb_only(nlp):
    cases = (
        (M1, "U.S. M-1 money supply did not rise 1.9 billion dollars"),
        (GHANA, "Ghana will not import 15,000 tonnes"),
        (MALAYSIA, "Malaysia's debt serving ratio of 17.6 percent of its exports in 1986 is not within"),
    )
    for sentence, start in cases:
        faithful, doc = _faithful(nlp, sentence)
        negated = perturb_negation(doc)
        assert negated is not None and negated.claim.startswith(start)
        assert len(_words(negated.claim)) - len(_words(faithful.claim)) in (1, 2)
    # A claim that is already negated or only possible is not negated again.
    assert perturb_negation(nlp("Texaco did not sell its stake in Chevron Corp.")) is None
    assert perturb_negation(nlp("Texaco may sell its stake in Chevron Corp.")) is None


def test_actor_replacement_uses_a_name_of_the_same_kind_the_story_never_mentions(nlp):
    faithful, doc = _faithful(nlp, LOUART)
    pool = [
        PoolName("Certron Corp", "ORG", "company", False, "other-story"),  # in the story: never used
        PoolName("Hanson Trust Plc", "ORG", "company", False, "other-story"),
        PoolName("Bank of Tokyo", "ORG", "bank", False, "other-story"),  # another kind of organisation
    ]
    replaced = perturb_actor(doc, random.Random(0), pool, LOUART, "reuters-3422")
    assert replaced == Perturbation(
        "actor",
        faithful.claim.replace("Louart Corp", "Hanson Trust Plc"),
        {"from": "Louart Corp", "to": "Hanson Trust Plc"},
    )
    faithful, doc = _faithful(nlp, MALAYSIA)
    country = perturb_actor(doc, random.Random(0), [], MALAYSIA, "reuters-9792")
    assert country is not None and country.change["from"] == "Malaysia"
    assert country.change["to"] in COUNTRIES and country.change["to"].lower() not in MALAYSIA.lower()


def test_modal_turns_a_plan_into_an_act_and_an_act_into_a_possibility(nlp):
    _, doc = _faithful(nlp, GHANA)
    act = perturb_modal(doc, random.Random(0))
    assert act is not None and act.claim.startswith("Ghana imported 15,000 tonnes")
    _, doc = _faithful(nlp, "Allied-Signal Inc said it agreed to acquire Bendix Corp for 1.5 billion dlrs.")
    act = perturb_modal(doc, random.Random(0))
    assert act is not None and act.claim == "Allied-Signal Inc acquired Bendix Corp for 1.5 billion dollars."
    faithful, doc = _faithful(nlp, KRAFT)
    for seed in range(4):
        possible = perturb_modal(doc, random.Random(seed))
        assert possible is not None and possible.change["direction"] == "act->possibility"
        hedged = re.sub(
            r"\b(may have completed|could have completed|plans to complete)\b", "completed", possible.claim
        )
        assert hedged == faithful.claim != possible.claim


def test_verb_forms():
    assert [verb_form("rise", t) for t in ("VBD", "VBN", "VBZ", "VBG")] == [
        "rose",
        "risen",
        "rises",
        "rising",
    ]
    assert verb_form("plan", "VBD") == "planned" and verb_form("buy", "VBN") == "bought"
    assert past_tense("be", plural=True) == "were" and past_tense("acquire") == "acquired"


@pytest.fixture(scope="module")
def reuters() -> tuple[list[Story], set[int]]:
    return load_stories(DEFAULT_DATASET), load_dev_ids()


def test_generator_is_deterministic_and_never_uses_development_stories(nlp, reuters):
    stories, dev = reuters
    dev_stories = [s for s in stories if s.newid in dev]
    others = [s for s in stories if s.newid not in dev][:120]
    # A copy of a development story under another id is excluded too.
    copy = replace(dev_stories[0], newid=999_999)
    subset = [*dev_stories, *others, copy]

    def run() -> list[dict]:
        generator = Generator(nlp, subset, dev, seed=7, sentences=6, min_per_kind=0)
        assert all(s.newid not in dev and s.newid != copy.newid for s in generator.deals + generator.others)
        return records_of(generator.run(progress=False), seed=7)

    first, second = run(), run()
    assert first == second
    assert len({r["doc_id"] for r in first}) == 6
    assert not {r["newid"] for r in first} & (dev | {copy.newid})
    verify_spans(first, {s.newid: s for s in subset})
    for record in first:
        assert record["split"] == split_of(record["doc_id"]) and record["split"] in ("tune", "report")
        assert record["contradiction"] == (record["kind"] in ("figure", "direction", "roles", "negation"))
        if record["kind"] != "faithful":
            assert record["claim"] != record["faithful"]
