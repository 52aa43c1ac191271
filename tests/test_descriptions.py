"""A definite description carries the name its story spelled out earlier (``retrieval.descriptions``),
read by the real ingest path on invented stories."""

from __future__ import annotations

from claimcheck.ingest import analyse_paragraphs
from corpus.parse import parse_document


def _last_sentence_terms(nlp, story: str) -> dict[str, list[str]]:
    (paragraphs,) = analyse_paragraphs([parse_document(story, "text")], nlp)
    sentence = paragraphs[-1].sentences[-1]
    by_word: dict[str, list[str]] = {}
    for key, start, end in sentence.terms:
        by_word.setdefault(story[start:end], []).append(key)
    return by_word


def test_the_head_noun_of_a_name_carries_the_name(nlp):
    story = (
        "Tankers were turned back at the Strait of Malacca on Monday.\n\n"
        "Port officials said the strait would reopen on Friday."
    )
    assert "malacca" in _last_sentence_terms(nlp, story)["strait"]


def test_a_capitalised_mention_or_an_indefinite_one_lends_nothing(nlp):
    story = (
        "Tankers were turned back at the Strait of Malacca on Monday.\n\n"
        "Port officials said a strait further north would stay open."
    )
    assert "malacca" not in _last_sentence_terms(nlp, story).get("strait", [])


def test_a_legal_form_is_no_head(nlp):
    story = "Baltic Shipping Co lost money.\n\nAnalysts said the company would recover."
    keys = _last_sentence_terms(nlp, story).get("company", [])
    assert keys and not any(key.startswith("baltic") for key in keys)
