"""Stories, origin, stance and the summary: syndicated copies count once, speakers are named."""

from __future__ import annotations

import pytest

from claimcheck.requests import CheckFilters, Submission
from corpus.document import DocumentMeta, Paragraph
from corpus.origin import agencies_in, masthead_outlet, originating_agency
from corpus.stories import StoryIndex, fingerprint
from tests.conftest import SEEDS_DIR

F16 = "A Turkish F-16 downed an SU-25"
STORY = (
    "The port authority of Velmora signed a forty-year lease with Nordic Freight on Tuesday. "
    "The deal covers three container berths and a rail spur, and takes effect in January. "
    "Unions in the city welcomed the agreement but asked for guarantees on local jobs."
)


def _paragraph(text: str, start: int = 0) -> Paragraph:
    return Paragraph(text, tuple(range(start, start + len(text))))


def test_copies_share_a_story_and_other_reports_do_not(seeded_checker):
    info = seeded_checker.indexes.store.info([p.stem for p in SEEDS_DIR.glob("*.txt")])
    story = {doc_id[:3]: i.story_id for doc_id, i in info.items()}
    assert story["000"] == story["001"]
    assert len({story["000"], story["002"], story["003"], story["004"]}) == 4


def test_rewrapped_copy_with_a_footer_joins_the_story():
    stories = StoryIndex()
    original = fingerprint([STORY])
    stories.add("a", original, stories.story_for("a", original, STORY))
    rewrapped = (
        STORY.replace(". ", ".\n").replace("forty-year", "40-year") + "\n\nOriginal url: https://x.example/a"
    )
    assert stories.story_for("b", fingerprint([rewrapped]), rewrapped) == stories.story_for(
        "a", original, STORY
    )
    other = (
        "The port authority of Velmora raised its fees for container berths on Tuesday, citing energy costs."
    )
    other_story = stories.story_for("c", fingerprint([other]), other)
    assert other_story != stories.story_for("a", original, STORY)
    stories.remove("a")
    assert stories.best_copy(fingerprint([rewrapped])) is None


def test_originating_agency_from_byline_credit_report_and_signoff():
    lead = [_paragraph("Russia and Turkey agreed on Tuesday to talk again, officials said.")]
    assert originating_agency(DocumentMeta(byline="By AFP"), lead, "") == "AFP"
    assert originating_agency(
        DocumentMeta(), [_paragraph("MOSCOW (Reuters) - Russia said on Tuesday ...")], ""
    ) == ("Reuters")
    assert (
        originating_agency(DocumentMeta(), [_paragraph("The Kremlin said on Saturday, TASS reported.")], "")
        == "TASS"
    )
    assert (
        originating_agency(DocumentMeta(), lead, "CLEVELAND, Feb 26 - Shares rose.\n Reuter\n") == "Reuters"
    )
    # an agency merely quoted inside the story is not its author
    assert (
        originating_agency(DocumentMeta(), [_paragraph("A source told AFP that talks failed.")], "") is None
    )


def test_agencies_quoted_inside_a_sentence():
    assert agencies_in('"It\'s not like that," he said, quoted by the Interfax news agency.') == ["Interfax"]
    assert agencies_in("A Turkish diplomatic source told AFP that the topic was aggression.") == ["AFP"]
    assert agencies_in("The APAC region grew.") == []


def test_masthead_outlet_comes_from_furniture_only():
    text = "Support The Moscow Times!\n\nRussia said talks failed, Reuters reported."
    body = _paragraph("Russia said talks failed, Reuters reported.", text.index("Russia"))
    assert masthead_outlet([body], text) == "The Moscow Times"
    assert masthead_outlet([body], text[text.index("Russia") :]) is None


def test_f16_claim_is_one_afp_story_alleged_by_the_ministry(seeded_checker):
    result = seeded_checker.check(F16)
    top = result.evidence[0]
    assert top.stance == "reports" and top.allegation
    assert len(top.stories) == 1 and top.stories[0].agency == "AFP"
    assert sorted(d[:3] for d in top.stories[0].documents) == ["000", "001"]
    assert top.stories[0].first_appearance.document_id.startswith("001")  # the dated copy
    summary = result.summary
    assert summary.independent_stories == 1
    assert summary.asserted_by == ()
    assert any("defense ministry" in s for s in summary.alleged_by)


def test_syrian_fighters_claims_show_accusers_and_deniers(seeded_checker):
    result = seeded_checker.check("Turkey sent fighters from Syria to fight in Karabakh")
    assert {"Yerevan", "unnamed source"} <= set(result.summary.alleged_by)
    assert any("Turkish and Azerbaijani governments" in d for d in result.summary.denied_by)
    assert result.summary.asserted_by == ()
    assert result.summary.independent_stories == 2


def test_asserted_claim_names_the_outlet_and_supports(seeded_checker):
    result = seeded_checker.check("Turkey has been backing Azerbaijan's military operations")
    top = result.evidence[0]
    assert (top.allegation, top.stance) == (False, "supports")
    assert top.sources[0].document_id in result.summary.asserted_by


def test_negated_statement_contradicts_the_positive_claim(make_checker):
    """The outlet's own negation is the claim's contradiction: listed apart, never as support."""
    checker = make_checker()
    checker.ingest(
        Submission(text="The Velmora port authority did not sign a lease with Nordic Freight.", id="v")
    )
    positive = checker.check("The Velmora port authority signed a lease with Nordic Freight")
    negative = checker.check("The Velmora port authority did not sign a lease with Nordic Freight")
    assert positive.evidence == ()
    (contradiction,) = positive.contradicting
    assert contradiction.stance == "refutes"
    assert [(c.kind, c.evidence) for c in contradiction.match.conflicts] == [("negation", "sign")]
    assert positive.summary.contradicted_by == ("v",)
    assert negative.evidence[0].stance == "supports" and negative.contradicting == ()


def test_filters_keep_only_matching_sources(seeded_checker):
    claim = "Russia and Turkey are ready for close coordination on Karabakh"
    everything = seeded_checker.check(claim)
    assert any(s.document_id.startswith("000") for e in everything.evidence for s in e.sources)
    moscow = seeded_checker.check(claim, filters=CheckFilters(outlets=("the moscow times",)))
    assert moscow.evidence
    assert all(s.outlet == "The Moscow Times" for e in moscow.evidence for s in e.sources)
    excluded = seeded_checker.check(claim, filters=CheckFilters(exclude_outlets=("The Moscow Times",)))
    assert all(s.outlet != "The Moscow Times" for e in excluded.evidence for s in e.sources)
    later = seeded_checker.check(claim, filters=CheckFilters(published_after="2020-10-02"))
    assert later.evidence == () and later.summary.independent_stories == 0
    dated = seeded_checker.check(claim, filters=CheckFilters(published_before="2020-10-01"))
    assert {s.document_id[:3] for e in dated.evidence for s in e.sources} == {"001"}


def test_http_answer_carries_stories_stance_and_summary(seeded_client):
    body = seeded_client.post("/v1/claims/check", json={"claim": F16}).json()
    top = body["evidence"][0]
    assert top["stance"] == "reports"
    assert top["stories"][0]["agency"] == "AFP" and len(top["stories"][0]["documents"]) == 2
    assert {s["story_id"] for s in top["sources"]} == {top["stories"][0]["story_id"]}
    assert body["summary"]["independent_stories"] == 1 and body["summary"]["asserted_by"] == []
    doc = seeded_client.get("/v1/documents/000_68f08474d3e5119a").json()
    assert doc["agency"] == "AFP" and doc["story_id"] == top["stories"][0]["story_id"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"published_after": "1 Oct 2020"}, "published_after"),
        ({"outlets": "Reuters"}, "Expected `array"),
        ({"published_after": "2020-10-05", "published_before": "2020-10-01"}, "later than"),
        ({"published_before": "2020-02-30"}, "not a calendar date"),
    ],
)
def test_bad_filters_are_400(seeded_client, extra, fragment):
    response = seeded_client.post("/v1/claims/check", json={"claim": F16, **extra})
    assert response.status_code == 400
    assert fragment.lower() in response.json()["detail"].lower()
