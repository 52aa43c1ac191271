"""Bad input at ingest and check time (issue 10): refused in words, or normalised, never a wrong answer.

Dates (read strictly, stored ISO, compared as dates), document ids (text and source metadata),
documents with nothing to index (422, nothing written), headline-like lines (indexed), URLs
(http(s) only), very long paragraphs (cut before spaCy, offsets exact) and strict request bodies.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from litestar.testing import TestClient

from api.app import create_app
from claimcheck.ingest import analyse, content_id, embed
from claimcheck.requests import CheckFilters, InvalidSubmissionError, NothingToIndexError, Submission
from corpus import boilerplate
from corpus.chunk import MAX_PARAGRAPH_CHARS, split_long_paragraph
from corpus.dates import DateError, parse_date, stored_day
from corpus.document import DocumentMeta, Paragraph
from corpus.metadata import http_url
from corpus.parse import parse_document
from corpus.segment import is_sentence
from store.records import DocumentInfo
from tests.conftest import AUTH, api_settings

TODAY = date(2024, 6, 1)
NEWS = "The port authority of Velmora signed a 40-year lease with Nordic Freight on Tuesday, officials said."
HEADLINE = "Turkey shot down an Armenian jet"
HEADLINE_POST = f"{HEADLINE}\n\nThe defence ministry said the jet was shot down over Armenian airspace"


@pytest.fixture
def client(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    settings = api_settings(tmp_path, max_document_chars=100_000)
    with TestClient(app=create_app(settings=settings, checker=checker)) as test_client:
        test_client.headers.update(AUTH)
        yield test_client


def _total(client: TestClient) -> int:
    return int(client.get("/v1/documents").json()["total"])


# -- 1. dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "iso"),
    [
        ("2020-10-01", "2020-10-01"),
        ("2020-10-01T10:32:00+03:00", "2020-10-01"),
        ("2020-10-01T23:30:00-05:00", "2020-10-01"),  # the outlet's own date, not the UTC one
        ("2020-10-01T10:32:00.000Z", "2020-10-01"),
        ("Oct 1, 2020", "2020-10-01"),
        ("1 October 2020", "2020-10-01"),
        ("October 1, 2020 10:32 AM", "2020-10-01"),
        ("October 1st, 2020 10:32 AM EDT", "2020-10-01"),
        ("Thu, 01 Oct 2020 10:32:00 GMT", "2020-10-01"),
        ("Thu, 01 Oct 2020 10:32:00 +0000", "2020-10-01"),
        ("Thursday 1 October 2020 10.32 BST", "2020-10-01"),
        ("2020/10/01", "2020-10-01"),
        ("13/02/2020", "2020-02-13"),
        ("02/13/2020", "2020-02-13"),
        ("05/05/2020", "2020-05-05"),
        ("01.10.2020", "2020-10-01"),
    ],
)
def test_newsroom_dates_are_read_as_iso(spelling, iso):
    assert parse_date(spelling, today=TODAY).isoformat() == iso


@pytest.mark.parametrize(
    ("spelling", "words"),
    [
        ("yesterday", "four-digit year"),
        ("2020-02-30", "day is out of range"),
        ("01/02/2020", "ambiguous"),
        ("9999", "a day, a month and a year"),
        ("March 2020", "a day, a month and a year"),
        ("Oct 1", "four-digit year"),
        ("01/10/20", "four-digit year"),
        ("1799-12-31", "outside 1800..2025"),
        ("2026-01-01", "outside 1800..2025"),
        ("Fri, 01 Oct 2020", "was a Thursday"),
        ("today 2020", "not a date"),
    ],
)
def test_unreadable_or_ambiguous_dates_are_refused(spelling, words):
    with pytest.raises(DateError, match=words):
        parse_date(spelling, today=TODAY)


def test_a_date_line_the_parser_cannot_read_is_dropped_not_guessed():
    readable = parse_document(f"Harbour deal signed\n\nOct 1, 2020\n\n{NEWS}", "text")
    assert readable.meta.published == "2020-10-01"
    for line in ("01/02/2020", "2020-02-30"):
        parsed = parse_document(f"Harbour deal signed\n\n{line}\n\n{NEWS}", "text")
        assert parsed.meta.published is None
        assert [p.text for p in parsed.paragraphs] == [NEWS]
    html = (
        '<html><head><meta property="article:published_time" content="yesterday"></head>'
        f"<body><p>{NEWS}</p></body></html>"
    )
    assert parse_document(html, "html").meta.published is None


def test_stored_dates_compare_as_dates_and_unreadable_ones_are_no_date():
    def info(published: str | None) -> DocumentInfo:
        return DocumentInfo(DocumentMeta(published=published), "story", None, "2024-01-01")

    after_2030 = CheckFilters(published_after="2030-01-01")
    # Written before ingest checked dates: "9999" and "Oct 1, 2020" sort after "2030-01-01" as strings.
    for legacy in ("9999", "Oct 1, 2020", "yesterday", "", None):
        assert not after_2030.admits(info(legacy))
    assert stored_day("Oct 1, 2020") == date(2020, 10, 1)
    october = CheckFilters(published_after="2020-10-01", published_before="2020-10-01")
    assert october.admits(info("Oct 1, 2020")) and october.admits(info("2020-10-01T10:32:00+03:00"))
    assert not october.admits(info("2020-10-02"))
    with pytest.raises(ValueError, match="calendar date"):
        CheckFilters(published_before="2020-02-30")


def test_bad_published_is_400_with_the_field_and_formats_and_writes_nothing(client):
    for value in ("yesterday", "2020-02-30", "01/02/2020", "9999", "  "):
        response = client.post("/v1/documents", json={"text": NEWS, "published": value})
        assert response.status_code == 400, value
        detail = response.json()["detail"]
        assert "published" in detail
        if value.strip():
            assert "Accepted: YYYY-MM-DD" in detail and "Oct 1, 2020" in detail
    assert _total(client) == 0


def test_published_is_stored_iso_and_filters_compare_dates(client):
    spellings = {"oct": "Oct 1, 2020", "rfc": "Thu, 01 Oct 2020 10:32:00 GMT", "may": "1 May 2021"}
    for key, spelling in spellings.items():
        body = {"id": key, "text": NEWS, "published": spelling}
        assert client.post("/v1/documents", json=body).status_code == 201
    assert client.get("/v1/documents/oct").json()["published"] == "2020-10-01"
    assert client.get("/v1/documents/rfc").json()["published"] == "2020-10-01"
    claim = "Velmora signed a 40-year lease with Nordic Freight"

    def cited(**filters: str) -> set[str]:
        body = client.post("/v1/claims/check", json={"claim": claim, **filters}).json()
        return {s["document_id"] for item in body["evidence"] for s in item["sources"]}

    assert cited() == {"oct", "rfc", "may"}
    assert cited(published_after="2030-01-01") == set()
    assert cited(published_before="2020-12-31") == {"oct", "rfc"}
    assert cited(published_after="2021-01-01") == {"may"}


def test_a_legacy_non_iso_date_in_the_store_does_not_break_filters(make_checker, nlp, encoder):
    checker = make_checker()
    (document,) = analyse([Submission(text=NEWS, id="legacy")], nlp)
    legacy = replace(document, meta=replace(document.meta, published="9999"))  # stored before the checks
    checker.commit(legacy, embed([legacy], encoder)[0])
    claim = "Velmora signed a 40-year lease with Nordic Freight"
    assert checker.check(claim).evidence
    assert checker.check(claim, filters=CheckFilters(published_after="2030-01-01")).evidence == ()


# -- 2. document ids -----------------------------------------------------------------------------


def test_the_same_wire_text_from_two_outlets_is_two_documents(client):
    first = client.post("/v1/documents", json={"text": NEWS, "outlet": "The Moscow Times"}).json()
    second = client.post("/v1/documents", json={"text": NEWS, "outlet": "Daily Sabah"}).json()
    assert first["id"] != second["id"]
    assert _total(client) == 2
    again = client.post("/v1/documents", json={"text": NEWS, "outlet": "The Moscow Times"}).json()
    assert again["id"] == first["id"] and _total(client) == 2  # the same post repeated replaces itself
    by_url = client.post("/v1/documents", json={"text": NEWS, "url": "https://example.com/a"}).json()
    assert by_url["id"] not in (first["id"], second["id"]) and _total(client) == 3


def test_content_id_uses_source_metadata_and_keeps_the_text_only_id_without_it():
    plain = content_id(NEWS)
    assert content_id(NEWS, DocumentMeta()) == plain
    assert content_id(NEWS, DocumentMeta(title="A headline")) == plain  # titles do not tell sources apart
    afp = content_id(NEWS, DocumentMeta(byline="AFP", published="2020-10-01"))
    assert afp != plain and afp == content_id(NEWS, DocumentMeta(byline="afp", published="2020-10-01"))
    assert content_id(NEWS, DocumentMeta(outlet="The  Moscow Times")) == content_id(
        NEWS, DocumentMeta(outlet="the moscow times")
    )
    assert afp != content_id(NEWS, DocumentMeta(byline="AFP", published="2020-10-02"))


def test_seed_ids_are_still_the_file_stems(seeded_checker, seed_texts):
    listed, _ = seeded_checker.documents(0, 50)
    assert {d.id for d in listed} == set(seed_texts)


# -- 3. nothing to index, headline-like lines ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("...!!! ??? --- ***", "the text has no words"),
        ("\x00\x00\x00\x00", "the text has no words"),
        ("Once\n\nMonthly\n\nContinue", "no line of it is a sentence"),
        ("Share this\n\nRead more\n\nhttps://example.com/story", "metadata"),
    ],
)
def test_a_document_with_nothing_to_index_is_422_and_writes_nothing(client, text, words):
    response = client.post("/v1/documents", json={"id": "empty", "text": text})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("no searchable sentence: ") and words in detail
    assert _total(client) == 0
    assert client.get("/v1/documents/empty").status_code == 404


def test_a_refused_document_does_not_replace_the_one_it_would_have(client):
    assert client.post("/v1/documents", json={"id": "kept", "text": NEWS}).status_code == 201
    assert client.post("/v1/documents", json={"id": "kept", "text": "!!!"}).status_code == 422
    assert client.get("/v1/documents/kept").json()["paragraphs"]


def test_headline_like_lines_are_indexed(client):
    created = client.post("/v1/documents", json={"id": "jet", "text": HEADLINE_POST})
    assert created.status_code == 201 and created.json()["sentences"] == 1  # the first line is the title
    doc = client.get("/v1/documents/jet").json()
    assert doc["title"] == HEADLINE
    sentence = doc["paragraphs"][0]["sentences"][0]
    assert HEADLINE_POST[sentence["start"] : sentence["end"]] == sentence["text"]
    assert sentence["text"].startswith("The defence ministry said")

    alone = client.post("/v1/documents", json={"id": "alone", "text": HEADLINE})
    assert alone.status_code == 201 and alone.json()["sentences"] == 1
    body = client.post("/v1/claims/check", json={"claim": "Turkey shot down an Armenian jet"}).json()
    assert {s["document_id"] for item in body["evidence"] for s in item["sources"]} >= {"alone"}


def test_short_unpunctuated_lines_need_a_subject_and_verb(nlp):
    for line in (HEADLINE, "Armenia says jet downed", "Ankara denies involvement"):
        assert is_sentence(nlp(line)), line
    for line in (
        "Monthly",
        "Continue",
        "Pay June 30",
        "Ceasefire violations",
        "Most read",
        "Skip to main content",
    ):
        assert not is_sentence(nlp(line)), line


def test_boilerplate_does_not_come_back_as_headlines():
    texts = [
        HEADLINE,
        NEWS,
        "We have a small favor to ask. If you can, please support us.",
        "Once",
        "Monthly",
        "Continue",
        "You may also like",
        "Reporting by Tom Balmforth; Editing by Mark Heinrich",
    ]
    reasons = boilerplate.find_furniture(texts)
    assert reasons[0] == boilerplate.SHORT_LINE  # a candidate: kept if it parses as a sentence
    assert reasons[1] is None
    assert reasons[3:6] == ["appeal block"] * 3  # a donation box's buttons, never headlines
    assert reasons[6] == "short line addressing the reader"
    assert reasons[7] == "navigation label"
    parsed = parse_document("\n\n".join(["Velmora news", *texts]), "text")
    assert [p.text for p in parsed.short_lines] == [HEADLINE]


# -- 4. URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "file:///etc/passwd", "/2020/10/01/story", "https://", "http://a b"]
)
def test_a_url_that_is_not_http_is_400_and_writes_nothing(client, url):
    response = client.post("/v1/documents", json={"text": NEWS, "url": url})
    assert response.status_code == 400
    assert "url" in response.json()["detail"] and "http(s)" in response.json()["detail"]
    assert _total(client) == 0


def test_a_url_found_in_the_text_that_is_not_http_is_dropped():
    assert http_url(" https://www.reuters.com/world/a ") == "https://www.reuters.com/world/a"
    assert http_url("HTTP://example.com") == "HTTP://example.com"
    html = (
        '<html><head><link rel="canonical" href="javascript:alert(1)">'
        f'<meta property="og:url" content="javascript:alert(2)"></head><body><p>{NEWS}</p></body></html>'
    )
    assert parse_document(html, "html").meta.url is None
    assert parse_document(f"{NEWS}\n\nOriginal url: javascript:alert(1)", "text").meta.url is None


# -- 5. very long paragraphs ---------------------------------------------------------------------


def _long_paragraph(chars: int) -> str:
    """One markdown paragraph (soft line breaks, no blank line) of real-looking news sentences."""
    sentences = [
        "Armenia said on Tuesday that a Turkish F-16 had shot down one of its SU-25 warplanes.",
        "Ankara denied the report and called it a cheap propaganda trick.",
        'The ministry said its forces "remain ready" to respond to any attack on the border',
        "Officials in Baku did not comment on the claims; diplomats urged restraint, however.",
    ]
    text, i = "", 0
    while len(text) < chars:
        text += sentences[i % len(sentences)] + (" " if i % 7 else "\n")
        i += 1
    return text


def test_a_paragraph_over_a_million_characters_is_cut_with_exact_offsets():
    text = _long_paragraph(1_100_000)
    parsed = parse_document(text, "markdown")
    pieces = parsed.paragraphs
    assert len(pieces) > 1_100_000 // MAX_PARAGRAPH_CHARS
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in pieces)
    assert all(text[o] == c for p in pieces for c, o in zip(p.text, p.offsets, strict=True) if c != " ")
    assert [p.start for p in pieces] == sorted(p.start for p in pieces)
    assert sum(1 for p in pieces for c in p.text if c != " ") == sum(1 for c in text if not c.isspace())
    ends = [p.text[-1] for p in pieces[:-1]]
    assert sum(end in ".;" for end in ends) >= 0.9 * len(ends)  # cut after sentences, not inside words


def test_the_chunker_falls_back_to_spaces_and_then_to_hard_cuts():
    words = "word " * 50
    pieces = split_long_paragraph(Paragraph(words.strip(), tuple(range(len(words.strip())))), words, 40)
    assert all(len(p.text) <= 40 and not p.text.startswith(" ") and p.text.endswith("word") for p in pieces)
    blob = "x" * 95
    cut = split_long_paragraph(Paragraph(blob, tuple(range(95))), blob, 40)
    assert [len(p.text) for p in cut] == [40, 40, 15] and [p.start for p in cut] == [0, 40, 80]


def test_a_long_single_paragraph_is_ingested_with_offsets_into_the_posted_text(client):
    text = _long_paragraph(25_000)
    created = client.post("/v1/documents", json={"id": "long", "text": text, "format": "markdown"})
    assert created.status_code == 201
    assert created.json()["paragraphs"] >= 3
    doc = client.get("/v1/documents/long").json()
    sentences = [s for p in doc["paragraphs"] for s in p["sentences"]]
    assert len(sentences) == created.json()["sentences"] > 200
    for sentence in sentences:
        assert " ".join(text[sentence["start"] : sentence["end"]].split()) == sentence["text"]


# -- 6. request bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/v1/documents", b"", 'request body is empty: send a JSON object with "text"'),
        ("/v1/documents", b"  \n", "request body is empty"),
        ("/v1/claims/check", b"", 'request body is empty: send a JSON object with "claim"'),
        ("/v1/claims/check-batch", b"", 'send a JSON object with "claims"'),
        (
            "/v1/claims/check",
            b'{"claim": "Turkey backs Azerbaijan", "limit": "5"}',
            "Expected `int`, got `str`",
        ),
        (
            "/v1/claims/check",
            b'{"claim": "Turkey backs Azerbaijan", "limit": 5.0}',
            "Expected `int`, got `float`",
        ),
        ("/v1/claims/check", b'{"claim": ""}', "claim is empty"),
        ("/v1/claims/check-batch", b'{"claims": []}', "claims is empty"),
        ("/v1/claims/check-batch", b'{"claims": ["ok", ""]}', "claims[1] is empty"),
        ("/v1/documents", b'{"text": ""}', "text is empty"),
        ("/v1/documents", b'{"text": "ok", "outlet": ""}', "outlet is empty"),
        ("/v1/documents", b'{"text": "ok", "id": ""}', "id is empty"),
        ("/v1/documents", b'{"text": "ok", "published": 20201001}', "Expected `str | null`, got `int`"),
        ("/v1/documents", b'{"text": ', "not valid JSON"),
        (
            "/v1/claims/check",
            b'{"claim": "Turkey backs Baku", "published_after": "Oct 1, 2020"}',
            "published_after must be a date written YYYY-MM-DD",
        ),
        (
            "/v1/claims/check",
            b'{"claim": "Turkey backs Baku", "published_before": "2020-02-30"}',
            "published_before '2020-02-30' is not a calendar date (YYYY-MM-DD)",
        ),
    ],
)
def test_request_bodies_are_decoded_strictly_with_words(client, path, body, words):
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert _total(client) == 0


def test_openapi_states_the_minimum_lengths(client):
    schemas = client.get("/schema/openapi.json").json()["components"]["schemas"]
    check = next(v for k, v in schemas.items() if k.endswith("CheckRequest"))
    document = next(v for k, v in schemas.items() if k.endswith("DocumentRequest"))
    assert check["properties"]["claim"]["minLength"] == 1
    assert document["properties"]["text"]["minLength"] == 1
    assert document["properties"]["outlet"]["minLength"] == 1
    assert "1 October 2020" in document["properties"]["published"]["description"]


def test_submission_validation_names_the_field():
    with pytest.raises(InvalidSubmissionError) as refused:
        Submission(text=NEWS, published="yesterday").validated()
    assert refused.value.field == "published"
    with pytest.raises(InvalidSubmissionError) as refused:
        Submission(text=NEWS, url="javascript:alert(1)").validated()
    assert refused.value.field == "url"
    assert (
        Submission(text=NEWS, published="Oct 1, 2020", outlet=" TASS ").validated().published == "2020-10-01"
    )
    assert Submission(text=NEWS, published="yesterday", url="ftp://x").meta == DocumentMeta()


def test_a_stream_goes_on_past_a_refused_document(make_checker):
    checker = make_checker()
    refused: list[tuple[str | None, str]] = []
    stream = [Submission(text=NEWS, id="a"), Submission(text="???", id="b"), Submission(text=NEWS, id="c")]
    results = list(checker.ingest_many(stream, refused=lambda s, e: refused.append((s.id, e.reason))))
    assert [r.id for r in results] == ["a", "c"]
    assert refused == [
        ("b", "the text has no words (only punctuation, symbols, control characters or spaces)")
    ]
    with pytest.raises(NothingToIndexError):
        checker.ingest(Submission(text="???", id="b"))
    assert checker.stats().documents == 2
