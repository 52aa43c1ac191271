"""POST /v1/claims/claimreview: real checks over the seeds, validated as JSON-LD and with SHACL.

Every answer is expanded by a JSON-LD processor (pyld) with schema.org's vendored context (nothing
is fetched), turned into RDF and validated against ``tests/shapes/claimreview.ttl``; what it says
is compared with the check answer for the same claim, for every dev claim of the seeds, so the
rules (appearances from supporting evidence, one per document; the speaker as author only when
every item is that party's allegation) are tested on answers, not on one sentence.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from pyld import jsonld
from pyshacl import validate
from rdflib import Graph

from claimcheck.jsonld import RemoteDocumentRefusedError, offline_loader
from retrieval.aliases import name_key
from tests.conftest import PROJECT_ROOT, SHARED_DIR

ROUTE = "/v1/claims/claimreview"
SHAPES = Graph().parse(Path(__file__).with_name("shapes") / "claimreview.ttl", format="turtle")
EXAMPLE_REQUEST = PROJECT_ROOT / "docs" / "claimreview-request.json"
EXAMPLE_RESPONSE = PROJECT_ROOT / "docs" / "claimreview-example.jsonld"
DEV_CLAIMS = [
    c["claim"] for c in json.loads((SHARED_DIR / "eval" / "seed_claims_dev.json").read_text())["claims"]
]
REVIEWER = {
    "author": "Example Fact Desk",
    "url": "https://factdesk.example.org/checks/1",
    "rating": "Unproven",
}
F16_CLAIM = "A Turkish F-16 downed an SU-25"


def rdf_graph(document: dict) -> Graph:
    """The document as RDF, through a real JSON-LD processor that resolves schema.org offline."""
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": offline_loader})
    return Graph().parse(data=nquads, format="nt")


def shacl(document: dict) -> tuple[bool, str]:
    conforms, _, report = validate(rdf_graph(document), shacl_graph=SHAPES, inference="none")
    return bool(conforms), str(report)


def review(client, claim: str, **fields) -> dict:
    response = client.post(ROUTE, json={"claim": claim, **fields})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    return response.json()


def check(client, claim: str) -> dict:
    response = client.post("/v1/claims/check", json={"claim": claim})
    assert response.status_code == 200, response.text
    return response.json()


def expected_author(answer: dict) -> str | None:
    """The rule, restated from the check answer: one speaker's statements or accusations, or no one."""
    speakers = set()
    for item in answer["evidence"]:
        attribution = item["attribution"]
        if attribution is None or attribution["speaker"] is None:
            return None
        if attribution["kind"] not in ("statement", "accusation"):
            return None
        speakers.add(name_key(attribution["speaker"]))
    return speakers.pop() if len(speakers) == 1 else None


@pytest.mark.parametrize("claim", DEV_CLAIMS)
@pytest.mark.parametrize("rated", [True, False], ids=["review", "draft"])
def test_every_dev_claim_gives_valid_jsonld_that_matches_its_check(seeded_client, claim, rated):
    answer = check(seeded_client, claim)
    document = review(seeded_client, claim, **(REVIEWER if rated else {}))
    conforms, report = shacl(document)
    assert conforms, report
    assert document["@context"] == "https://schema.org"

    if rated:
        assert document["@type"] == "ClaimReview"
        assert document["claimReviewed"] == answer["claim"]
        assert document["reviewRating"] == {"@type": "Rating", "alternateName": REVIEWER["rating"]}
        assert document["author"] == {"@type": "Organization", "name": REVIEWER["author"]}
        assert document["url"] == REVIEWER["url"]
        item = document["itemReviewed"]
        assert "@context" not in item
    else:
        assert document["@type"] == "Claim"
        assert not {"reviewRating", "claimReviewed", "itemReviewed"} & document.keys()
        item = document
    assert item["@type"] == "Claim"
    assert item["text"] == answer["claim"]

    # Appearances: each document of the supporting evidence once; contradicting sources never.
    supporting = {s["document_id"]: s for e in answer["evidence"] for s in e["sources"]}
    works = item.get("appearance", [])
    assert [w["identifier"] for w in works] == sorted(
        supporting, key=lambda d: (supporting[d]["published"] is None, supporting[d]["published"] or "", d)
    )
    for work in works:
        source = supporting[work["identifier"]]
        assert work["@type"] == "CreativeWork"
        assert work.get("url") == source["url"]
        assert work.get("headline") == source["title"]
        assert work.get("datePublished") == source["published"]
        assert work.get("publisher") == (
            {"@type": "Organization", "name": source["outlet"]} if source["outlet"] else None
        )

    # firstAppearance: the earliest dated source, whose date the Claim carries.
    dated = sorted((s["published"], d) for d, s in supporting.items() if s["published"])
    if dated:
        assert item["firstAppearance"]["identifier"] == dated[0][1]
        assert item["datePublished"] == dated[0][0]
    else:
        assert "firstAppearance" not in item and "datePublished" not in item

    author = expected_author(answer)
    if author is None:
        assert "author" not in item
    else:
        assert name_key(item["author"]["name"]) == author


def test_an_allegation_names_its_speaker_and_the_earliest_source(seeded_client):
    """The F-16 claim is only the Armenian defense ministry's word, carried by two AFP copies."""
    document = review(seeded_client, F16_CLAIM, **REVIEWER)
    claim = document["itemReviewed"]
    assert name_key(claim["author"]["name"]) == "armenian defense ministry"
    assert "@type" not in claim["author"]  # person or organisation: not known, not guessed
    first = claim["firstAppearance"]
    assert first["url"].startswith("https://www.themoscowtimes.com/2020/10/01/")
    assert first["publisher"] == {"@type": "Organization", "name": "The Moscow Times"}
    assert first["datePublished"] == claim["datePublished"] == "2020-10-01"
    assert len(claim["appearance"]) == 2  # an undated copy is described inline, not dropped
    assert any("url" not in w for w in claim["appearance"])


def test_a_claim_the_outlets_assert_has_no_author(seeded_client):
    claim = "Azerbaijan and Armenia imposed martial law"
    answer = check(seeded_client, claim)
    assert answer["evidence"] and all(e["attribution"] is None for e in answer["evidence"])
    document = review(seeded_client, claim)
    assert document["@type"] == "Claim" and "author" not in document
    assert document["appearance"]


def test_an_unsupported_claim_is_a_bare_claim(seeded_client):
    document = review(seeded_client, "Germany imposed sanctions on Azerbaijan", **REVIEWER)
    claim = document["itemReviewed"]
    assert claim == {"@type": "Claim", "text": "Germany imposed sanctions on Azerbaijan"}
    assert shacl(document)[0]


def test_filters_apply_as_in_a_check(seeded_client):
    """Same filters as /v1/claims/check: an outlet filter leaves only that outlet's appearances."""
    document = review(seeded_client, F16_CLAIM, outlets=["The Moscow Times"])
    assert [w["publisher"]["name"] for w in document["appearance"]] == ["The Moscow Times"]
    response = seeded_client.post(
        ROUTE, json={"claim": F16_CLAIM, "published_after": "2021-01-01", "published_before": "2020-01-01"}
    )
    assert response.status_code == 400 and "published_after" in response.json()["detail"]


# The shapes must be able to fail: broken documents are refused, each for its own reason.
@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda d: d.pop("claimReviewed"), "claimReviewed"),
        (lambda d: d["reviewRating"].pop("alternateName"), "alternateName"),
        (lambda d: d.pop("url"), "fact-check's page"),
        (lambda d: d["author"].pop("name"), "name"),
        (lambda d: d["itemReviewed"].update(datePublished="1 October 2020"), "datePublished"),
        (lambda d: d["itemReviewed"]["appearance"][0].update(url="ftp://example.org/x"), "url"),
        (lambda d: d["itemReviewed"]["appearance"][0].update({"@type": "Person"}), "appearance"),
        (lambda d: d["itemReviewed"].update(author=[{"name": "A"}, {"name": "B"}]), "author"),
    ],
    ids=[
        "no-claimReviewed",
        "no-alternateName",
        "no-url",
        "nameless-author",
        "bad-date",
        "ftp-url",
        "appearance-not-creativework",
        "two-authors",
    ],
)
def test_shapes_reject_broken_documents(seeded_client, breakage, expected):
    document = review(seeded_client, F16_CLAIM, **REVIEWER)
    assert shacl(document)[0]
    broken = copy.deepcopy(document)
    breakage(broken)
    conforms, report = shacl(broken)
    assert not conforms
    assert expected in report


def test_loader_serves_only_schema_org():
    for url in ("https://schema.org", "http://schema.org/", "https://schema.org/"):
        assert offline_loader(url)["document"]["@context"]["ClaimReview"] == {"@id": "schema:ClaimReview"}
    with pytest.raises(RemoteDocumentRefusedError):
        offline_loader("https://example.org/context.jsonld")
    with pytest.raises(jsonld.JsonLdError):  # pyld reports the refusal; nothing is fetched
        jsonld.expand(
            {"@context": "https://example.org/context.jsonld", "name": "x"},
            {"documentLoader": offline_loader},
        )


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"rating": "False", "url": "https://f.example/1", "author": "Desk", "ratng": "x"}, "ratng"),
        ({"rating": "False", "url": "javascript:alert(1)", "author": "Desk"}, "url"),
        ({"rating": "False", "url": "ftp://f.example/1", "author": "Desk"}, "url"),
        ({"rating": "False", "url": "/checks/1", "author": "Desk"}, "url"),
        ({"rating": "", "url": "https://f.example/1", "author": "Desk"}, "rating is empty"),
        ({"rating": "   ", "url": "https://f.example/1", "author": "Desk"}, "rating is empty"),
        ({"rating": "False"}, "needs url and author"),
        ({"rating": "False", "url": "https://f.example/1"}, "needs author"),
        ({"url": "https://f.example/1", "author": "Desk"}, "send rating"),
        ({"author": "Desk"}, "send rating"),
        (
            {"rating": "False", "url": "https://f.example/1", "author": "Desk", "author_url": "nope"},
            "author_url",
        ),
        ({"rating": "False", "url": "https://f.example/1", "author_url": "https://f.example"}, "author_url"),
        ({"rating": 3, "url": "https://f.example/1", "author": "Desk"}, "rating"),
    ],
)
def test_bad_reviewer_fields_are_clear_400s(seeded_client, fields, fragment):
    response = seeded_client.post(ROUTE, json={"claim": F16_CLAIM, **fields})
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]


def test_author_url_goes_with_the_reviewing_organisation(seeded_client):
    document = review(seeded_client, F16_CLAIM, **REVIEWER, author_url="https://factdesk.example.org")
    assert document["author"]["url"] == "https://factdesk.example.org"
    assert shacl(document)[0]


def test_options_lists_post(seeded_client):
    response = seeded_client.options(ROUTE)
    assert response.status_code == 204
    assert response.headers["allow"] == "OPTIONS, POST"


def test_documented_example_is_what_the_service_answers_and_validates(seeded_client):
    """The README's example (docs/claimreview-example.jsonld) is real output, and valid."""
    request = json.loads(EXAMPLE_REQUEST.read_text(encoding="utf-8"))
    example = json.loads(EXAMPLE_RESPONSE.read_text(encoding="utf-8"))
    conforms, report = shacl(example)
    assert conforms, report
    assert example["@type"] == "ClaimReview"
    response = seeded_client.post(ROUTE, json=request)
    assert response.status_code == 200, response.text
    assert response.json() == example


def test_readme_shows_the_documented_example_verbatim():
    """README's request and answer blocks are the two files the test above checks, so the example
    a reader copies from README is the one validated by the shapes."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for path in (EXAMPLE_REQUEST, EXAMPLE_RESPONSE):
        block = "```json\n" + path.read_text(encoding="utf-8").strip() + "\n```"
        assert block in readme, f"README's example differs from {path.name}"
