"""A story's "last year" is a calendar year: the year before the one it was published in."""

from __future__ import annotations

import pytest

from claimcheck.ingest import analyse_paragraphs
from corpus.parse import parse_document
from retrieval.terms import relative_year_terms


@pytest.mark.parametrize(
    ("sentence", "years"),
    [
        (
            "The economy grew by 5.3 pct last year, up from 4.1 pct in 1985, Ouko said.",
            [("1986", "last year")],
        ),
        ("Last year's collapse in prices halved its revenue.", [("1986", "Last year")]),
        ("Output will rise this year and again next year.", [("1987", "this year"), ("1988", "next year")]),
        # twelve months, not a calendar year
        ("Sales over the last year rose 5 pct.", []),
        ("Sales in the coming year will rise.", []),
    ],
)
def test_relative_years(nlp, sentence, years):
    span = nlp(sentence)[:]
    assert [
        (key, sentence[start:end]) for key, start, end in relative_year_terms(span, lambda i: i, 1987)
    ] == years


def test_ingest_reads_last_year_with_the_publication_year(nlp):
    story = "Kenya's economy grew by 5.3 pct last year, the planning minister said."
    (dated,) = analyse_paragraphs([parse_document(story, "text")], nlp, years=[1987])
    (undated,) = analyse_paragraphs([parse_document(story, "text")], nlp)
    assert "1986" in {key for key, _, _ in dated[0].sentences[0].terms}
    assert "1986" not in {key for key, _, _ in undated[0].sentences[0].terms}
