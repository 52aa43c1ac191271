"""Sentence spans from the real spaCy pipeline, plus the repairs for its known failure modes.

The repair tests force spaCy's known mistakes (a split before '," he said', after "Gen.", before
"she asked") onto a parsed Doc, so they check the repair layer itself whatever the model does.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from corpus.parse import parse_document
from corpus.segment import split_sentences

INTERFAX_QUOTE = [
    '"We know that Turkey unambiguously supports Azerbaijan.',
    "But that doesn't mean that we are on the other side and support Armenia against Azerbaijan.",
    "It's not like that,\" he said, quoted by the Interfax news agency.",
]


@pytest.fixture(scope="module")
def seed_sentences(nlp: Language, seed_texts: dict[str, str]) -> dict[str, list[list[str]]]:
    """Seed stem -> per content paragraph, its sentences (texts), via nlp.pipe as callers do."""
    result: dict[str, list[list[str]]] = {}
    for stem, text in seed_texts.items():
        paragraphs = parse_document(text).paragraphs
        docs = nlp.pipe(p.text for p in paragraphs)
        result[stem] = [[doc.text[s:e] for s, e in split_sentences(doc)] for doc in docs]
    return result


def _sentences(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    return [text[s:e] for s, e in split_sentences(doc)]


def _forced(nlp: Language, text: str, starts: list[str]) -> Doc:
    """``nlp(text)`` re-segmented so that sentences start exactly at each string in ``starts``.

    Keeps words, spaces and tags (the repairs read tags), replaces spaCy's own boundaries.
    """
    parsed = nlp(text)
    positions = {text.index(s) for s in starts}
    assert positions <= {t.idx for t in parsed}, "forced starts must fall on token boundaries"
    return Doc(
        nlp.vocab,
        words=[t.text for t in parsed],
        spaces=[bool(t.whitespace_) for t in parsed],
        tags=[t.tag_ for t in parsed],
        sent_starts=[t.i == 0 or t.idx in positions for t in parsed],
    )


def _spans_text(doc: Doc) -> list[str]:
    return [doc.text[s:e] for s, e in split_sentences(doc)]


# --- all seeds, real pipeline --------------------------------------------------------------------


def test_seed_spans_are_stripped_increasing_and_cover_the_words(nlp, seed_texts):
    for text in seed_texts.values():
        paragraphs = parse_document(text).paragraphs
        for doc in nlp.pipe(p.text for p in paragraphs):
            spans = split_sentences(doc)
            assert spans, doc.text
            previous_end = 0
            for start, end in spans:
                sentence = doc.text[start:end]
                assert sentence.strip() and sentence == sentence.strip()
                assert previous_end <= start < end <= len(doc.text)
                previous_end = end
            outside = "".join(doc.text[e:s] for (_, e), (s, _) in pairwise(spans))
            assert not outside.strip(), "text between sentences must be whitespace only"
            assert doc.text[: spans[0][0]].strip() == "" and doc.text[spans[-1][1] :].strip() == ""


def test_interfax_quote_is_exactly_three_sentences(seed_sentences):
    for stem in ("000_68f08474d3e5119a", "001_2ebd0813046cf1ef"):
        assert seed_sentences[stem][8] == INTERFAX_QUOTE


def test_specific_seed_sentences(seed_sentences):
    s002 = seed_sentences["002_165968b6b0ecd78d"]
    assert s002[8] == [
        "For their part, the U.S. and especially France have criticized Turkey\u2019s role in the ongoing "
        "military conflict.",
        "The French government said last week that Ankara\u2019s \u201cdangerous provocations\u201d are "
        "hampering the mediators\u2019 efforts to stop the fighting and restart Armenian-Azerbaijani "
        "peace talks.",
    ]
    assert s002[10][0] == "Armenia has always ruled out any Turkish mediation."
    assert s002[11][-1] == "The Turkish and Azerbaijani governments deny them."
    assert [len(p) for p in s002] == [1, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 3]

    s004 = seed_sentences["004_954d0c276d10850e"]
    assert len(s004[2]) == 4
    assert s004[2][-1] == (
        "Mutual readiness to cooperate so as to achieve a peaceful solution to the conflict was confirmed,"
        "\u201d the statement said."
    )
    s003 = seed_sentences["003_7dea7030d1f64f18"]
    assert s003[-1] == [
        "Ongoing shelling by both sides has left a ceasefire agreed last week in Moscow hanging in the "
        'balance, but "both sides confirmed the importance of observing the humanitarian truce," the '
        "Kremlin said."
    ]
    s000 = seed_sentences["000_68f08474d3e5119a"]
    assert s000[3] == [
        "However, Turkey did not release an official statement on the phone call's contents.",
        'A Turkish diplomatic source told AFP that the topic of the discussion was "Armenia\'s aggression."',
    ]


def test_sentence_spans_map_back_to_the_document(nlp, seed_texts):
    text = seed_texts["001_2ebd0813046cf1ef"]
    paragraph = parse_document(text).paragraphs[8]
    start, end = split_sentences(nlp(paragraph.text))[2]
    orig_start, orig_end = paragraph.original_span(start, end)
    assert text[orig_start:orig_end] == INTERFAX_QUOTE[2]


# --- real pipeline on tricky sentences -----------------------------------------------------------


def test_abbreviations_do_not_split(nlp):
    text = "Gen. Smith arrived on Jan. 5 at the U.S. Army base with Dr. Jones and Mr. Lavrov."
    assert _sentences(nlp, text) == [text]


def test_initialism_can_still_end_a_sentence(nlp):
    text = "The talks were held in the U.S. The next round is in Geneva."
    assert _sentences(nlp, text) == ["The talks were held in the U.S.", "The next round is in Geneva."]


def test_quoted_question_stays_with_its_speaker(nlp):
    text = '"Are you sure?" she asked. "Yes," he replied.'
    assert _sentences(nlp, text) == ['"Are you sure?" she asked.', '"Yes," he replied.']


def test_leading_and_trailing_whitespace_is_stripped(nlp):
    text = "  The ministry said the talks ended.   Both sides left Geneva.  "
    assert _sentences(nlp, text) == ["The ministry said the talks ended.", "Both sides left Geneva."]


# --- the repair layer on forced spaCy mistakes -------------------------------------------------


def test_repair_merges_a_sentence_starting_with_closing_punctuation(nlp):
    doc = _forced(nlp, '"It is over," he said.', [',"'])
    assert _spans_text(doc) == ['"It is over," he said.']


def test_repair_merges_a_closing_straight_quote_but_not_an_opening_one(nlp):
    doc = _forced(nlp, '"It is over." "We won," he said.', ['"We'])
    assert _spans_text(doc) == ['"It is over."', '"We won," he said.']
    doc = _forced(nlp, '"It is over ." " he said.', ['" he'])
    assert len(_spans_text(doc)) == 1


def test_repair_merges_lowercase_continuation_after_quote(nlp):
    doc = _forced(nlp, '"Are you sure?" she asked.', ["she"])
    assert _spans_text(doc) == ['"Are you sure?" she asked.']


def test_repair_keeps_lowercase_start_after_a_real_full_stop(nlp):
    doc = _forced(nlp, "No tender was set this week. dealers said liquidity was adequate.", ["dealers"])
    assert _spans_text(doc) == ["No tender was set this week.", "dealers said liquidity was adequate."]


def test_repair_keeps_sentences_starting_with_camel_case_names(nlp):
    doc = _forced(nlp, "Sales fell. eBay said demand was weak.", ["eBay"])
    assert _spans_text(doc) == ["Sales fell.", "eBay said demand was weak."]


@pytest.mark.parametrize(
    ("text", "wrong_start"),
    [
        ("Gen. Smith arrived in Baku.", "Smith"),
        ("They met on Jan. 5 in Baku.", "5 in"),
        ("He addressed the U.S. Senate on Tuesday.", "Senate"),
        ("Shares of Apple Inc. rose sharply.", "rose"),
    ],
)
def test_repair_undoes_splits_after_abbreviations(nlp, text, wrong_start):
    assert _spans_text(_forced(nlp, text, [wrong_start])) == [text]


def test_repair_merges_punctuation_only_fragments(nlp):
    doc = _forced(nlp, "The talks ended. -- The delegates left.", ["--", "The delegates"])
    assert _spans_text(doc) == ["The talks ended. --", "The delegates left."]
