"""Issue 11, the desk page at ``/``, over HTTP without a browser (tests/test_desk_browser.py drives a
real one): the same answer as the JSON API, escaping, filters, errors as pages, the CSP header."""

from __future__ import annotations

import re
from html import unescape

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.routes.desk import CONTENT_SECURITY_POLICY
from claimcheck.requests import Submission
from tests.conftest import AUTH, SEEDS_DIR, api_settings

F16 = "A Turkish F-16 downed an SU-25"
UNSUPPORTED = "Germany imposed sanctions on Azerbaijan"
EVIL_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
EVIL_DOC = Submission(
    text=(
        "The Ruritanian navy sank a Freedonian frigate near the port of Zenda on Monday.\n\n"
        "Officials in Zenda said the crew had been rescued."
    ),
    id="ruritania",
    title=EVIL_TITLE,
    outlet="<b>Zenda</b> Courier",
    published="2020-10-02",
)
EVIL_CLAIM = "The Ruritanian navy sank a Freedonian frigate"


def marks(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html, re.S)]


def check(client: TestClient, claim: str, **filters) -> dict:
    response = client.post("/v1/claims/check", json={"claim": claim, **filters})
    assert response.status_code == 200
    return response.json()


def test_the_bare_page_is_a_form_with_labels_and_the_headers(seeded_client):
    response = seeded_client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["referrer-policy"] == "no-referrer"
    html = response.text
    for field in ("claim", "published_after", "published_before", "outlets", "exclude_outlets"):
        assert f'<label for="{field}">' in html and f'id="{field}" name="{field}"' in html
    assert 'method="get"' in html and 'role="search"' in html and "<main>" in html
    assert 'id="results"' not in html  # nothing checked yet
    # nothing the CSP would refuse: no script at all, no inline style, nothing from elsewhere
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert seeded_client.get("/?claim=%20%20").text.count('id="results"') == 0  # blank: the form again


def test_the_page_shows_what_the_api_answers(seeded_client):
    answer = check(seeded_client, F16)
    (item,) = answer["evidence"]
    response = seeded_client.get("/", params={"claim": F16})
    assert response.status_code == 200
    html = response.text
    assert marks(html) == [item["sentence"]]
    badge = unescape(re.search(r'<span class="badge badge-allegation">(.*?)</span>\s*</div>', html, re.S)[1])
    assert item["attribution"]["speaker"] in badge and f"“{item['attribution']['cue']}”" in badge
    summary = unescape(re.search(r'<p class="summary"[^>]*>(.*?)</p>', html, re.S)[1])
    assert "1 independent story · alleged by the Armenian defense ministry · asserted by no one" in summary
    # the two AFP copies are one story group listing both documents
    stories = re.findall(r'<section class="story".*?</section>', html, re.S)
    assert len(stories) == 1
    assert sorted(re.findall(r'<code class="docid">(.*?)</code>', stories[0])) == sorted(
        s["document_id"] for s in item["sources"]
    )
    assert "The Moscow Times" in stories[0] and "2020-10-01" in stories[0] and "AFP" in stories[0]
    assert 'href="https://www.themoscowtimes.com/' in stories[0]


def test_the_marked_sentence_sits_inside_its_paragraph(seeded_client, seed_texts):
    """A multi-sentence paragraph: the mark is the cited span of the document's text, with the
    paragraph's other sentences around it."""
    claim = "Turkey has been backing Azerbaijan's military operations"
    answer = check(seeded_client, claim)
    html = seeded_client.get("/", params={"claim": claim}).text
    quotes = re.findall(r'<blockquote class="paragraph">\s*<p>(.*?)</p>', html, re.S)
    assert len(quotes) == len(answer["evidence"]) >= 1
    longer = 0
    for item, quote in zip(answer["evidence"], quotes, strict=True):
        first = next(
            (s["first_appearance"] for s in item["stories"]),
            item["sources"][0],
        )
        text = seed_texts[first["document_id"]]
        marked = marks(quote)
        assert marked == [text[first["start"] : first["end"]]] == [item["sentence"]]
        whole = unescape(re.sub(r"<.*?>", "", quote))
        assert item["sentence"] in whole
        longer += len(whole) > len(item["sentence"])
    assert longer, "no cited paragraph had sentences around the mark"


def test_contradicting_sentences_stand_apart(seeded_client):
    claim = "An Armenian SU-25 downed a Turkish F-16"
    answer = check(seeded_client, claim)
    assert answer["contradicting"] and not answer["evidence"]
    html = seeded_client.get("/", params={"claim": claim}).text
    supporting, _, contradicting = html.partition('<section class="contradicting"')
    assert contradicting, "no contradicting section"
    assert "No sentence in the indexed articles supports the claim." in supporting
    assert "<mark>" not in supporting
    assert marks(contradicting) == [item["sentence"] for item in answer["contradicting"]]
    assert "Roles reversed" in contradicting
    summary = unescape(re.search(r'<p class="summary"[^>]*>(.*?)</p>', html, re.S)[1])
    assert "contradicted by" in summary and "No evidence in the indexed articles" not in html


def test_no_evidence_is_said_plainly(seeded_client):
    assert check(seeded_client, UNSUPPORTED)["evidence"] == []
    html = seeded_client.get("/", params={"claim": UNSUPPORTED}).text
    assert "No evidence in the indexed articles" in html
    assert "<mark>" not in html


def test_a_claim_with_markup_is_text(seeded_client):
    claim = "<script>window.pwned=1</script> downed an <img src=x onerror=alert(1)>"
    html = seeded_client.get("/", params={"claim": claim}).text
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in html
    # echoed in the input's value and the heading, both escaped
    assert 'value="&lt;script&gt;' in html


def test_filters_narrow_the_sources(seeded_client):
    only_moscow = seeded_client.get("/", params={"claim": F16, "outlets": "the moscow times"}).text
    ids = re.findall(r'<code class="docid">(.*?)</code>', only_moscow)
    assert ids == ["001_2ebd0813046cf1ef"]
    assert 'value="the moscow times"' in only_moscow  # the form keeps what was typed
    later = seeded_client.get("/", params={"claim": F16, "published_after": "2021-01-01"}).text
    assert "No evidence in the indexed articles" in later
    assert check(seeded_client, F16, published_after="2021-01-01")["evidence"] == []


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"published_after": "2020-13-01"}, "published_after"),
        ({"published_before": "yesterday"}, "published_before must be a date written YYYY-MM-DD"),
        ({"published_after": "2021-01-01", "published_before": "2020-01-01"}, "later than"),
        ({"outlets": ",".join(["x" * 201])}, "outlets"),
        ({"claim": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_input_is_a_400_page_that_says_why(seeded_client, params, fragment):
    response = seeded_client.get("/", params={"claim": F16, **params})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    detail = unescape(re.search(r'<p class="error-detail">(.*?)</p>', response.text, re.S)[1])
    assert fragment in detail
    assert 'role="alert"' in response.text and "<form" in response.text


def test_a_rate_limited_page_is_a_429_page(seeded_checker):
    settings = api_settings(seeded_checker.indexes.data_dir, check_rate="2/minute")
    with TestClient(app=create_app(settings=settings, checker=seeded_checker)) as client:
        statuses = [client.get("/", params={"claim": UNSUPPORTED}).status_code for _ in range(3)]
        refused = client.get("/", params={"claim": UNSUPPORTED})
    assert statuses == [200, 200, 429]
    assert refused.headers["content-type"].startswith("text/html")
    assert int(refused.headers["retry-after"]) >= 1
    assert "rate limit" in refused.text and refused.headers["content-security-policy"]


def test_a_wrong_key_is_a_401_page(seeded_client):
    response = seeded_client.get("/", params={"claim": F16}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert "the API key is not valid" in response.text


def test_static_assets_are_served(seeded_client):
    css = seeded_client.get("/static/desk.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "mark" in css.text
    assert seeded_client.get("/static/favicon.svg").status_code == 200
    assert seeded_client.get("/static/../app.py").status_code == 404
    # the page is not part of the documented API
    paths = seeded_client.get("/schema/openapi.json").json()["paths"]
    assert "/" not in paths and not any(p.startswith("/static") for p in paths)


def test_a_documents_title_with_markup_is_text(make_checker):
    checker = make_checker()
    checker.ingest_files(sorted(SEEDS_DIR.glob("*.txt"))[:1])
    checker.ingest(EVIL_DOC)
    settings = api_settings(checker.indexes.data_dir)
    with TestClient(app=create_app(settings=settings, checker=checker)) as client:
        client.headers.update(AUTH)
        assert client.post("/v1/claims/check", json={"claim": EVIL_CLAIM}).json()["evidence"]
        html = client.get("/", params={"claim": EVIL_CLAIM}).text
    assert "<script>window.pwned" not in html and "<img src=x" not in html and "<b>Zenda" not in html
    titles = [unescape(t) for t in re.findall(r'<span class="source-title">(.*?)</span>', html, re.S)]
    assert titles == [EVIL_TITLE]
    assert "&lt;b&gt;Zenda&lt;/b&gt; Courier" in html


def test_odd_query_strings_are_never_a_500(seeded_client):
    for query in ("claim=a&claim=b", "claim=%FF%FE", "outlets=,,,&claim=F-16", "claim=%00", "unknown=1"):
        response = seeded_client.get(f"/?{query}")
        assert response.status_code in (200, 400), (query, response.status_code)
        assert response.headers["content-type"].startswith("text/html")
