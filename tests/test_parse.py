"""Parsing posted text into metadata and clean paragraphs whose characters map back to the source.

Covers each seed's quirk, Reuters-21578 wire bodies, a small inline news page in HTML, markdown
escapes and entities, and synthetic edge cases (empty text, CRLF, boilerplate only).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from corpus import boilerplate
from corpus.document import ParsedDocument
from corpus.outlets import outlet_for_url
from corpus.parse import parse_document, sniff_format
from tests.conftest import SHARED_DIR

REUTERS = SHARED_DIR / "datasets" / "reuters-21578" / "reuters21578.jsonl"

SEED_000 = "000_68f08474d3e5119a"
SEED_001 = "001_2ebd0813046cf1ef"
SEED_002 = "002_165968b6b0ecd78d"
SEED_003 = "003_7dea7030d1f64f18"
SEED_004 = "004_954d0c276d10850e"

#: The opening words of every real news paragraph of each seed, in order. Parsing must keep
#: exactly these: one missing is lost reporting, one extra is furniture that leaked through.
NEWS_PARAGRAPHS: dict[str, list[str]] = {
    SEED_000: [
        "Russia said on Thursday its foreign minister",
        "Fighting over the breakaway region",
        "The Russian ministry said both confirmed",
        "However, Turkey did not release an official statement",
        "Russia's diplomatic statement came after",
        "Ankara has backed Azerbaijan in the conflict",
        "Russia, which is in a military alliance",
        "Moscow's UN Ambassador Vasily Nebenzya",
        '"We know that Turkey unambiguously supports',
        "He stressed that Russia's position",
    ],
    SEED_002: [
        "A statement by the Kremlin said",
        "\u201cThe Russian side expressed deep concern",
        "It added that Putin briefed Erdogan",
        "Erdogan called Putin shortly after",
        "\u201cThe ministers emphasized the absence",
        "\u201cThey particularly noted the inadmissibility",
        "Turkey has strongly backed Azerbaijan",
        "Turkish President Recep Tayyip has accused",
        "For their part, the U.S. and especially France",
        "Turkish leaders have also called for",
        "Armenia has always ruled out any Turkish mediation.",
        "Yerevan has also accused Ankara",
    ],
    SEED_003: [
        "Russian President Vladimir Putin on Wednesday called",
        'The two leaders "stressed the urgent need',
        "New clashes between Azerbaijan and Armenian separatists",
        "The ex-Soviet countries have been locked",
        "The new fighting, the worst since a 1994 ceasefire",
        "Turkey has been widely accused of sending",
        "Erdogan told Putin that",
        "Co-chaired by France, Russia and the United States",
        "Ongoing shelling by both sides",
    ],
    SEED_004: [
        "Russian President Vladimir Putin informed",
        "According to the Kremlin press office",
        "\u201c[The two presidents] focused on the situation",
        "On Saturday, the Turkish presidential office said",
        "The Kremlin said earlier that on November 1 and 2",
        "Renewed clashes between Azerbaijan and Armenia erupted",
        "The conflict between Armenia and Azerbaijan over the highland region",
    ],
}
# The markdown seed is the same AFP story as seed 000 (with "Nagorno" for "Nagorny").
NEWS_PARAGRAPHS[SEED_001] = list(NEWS_PARAGRAPHS[SEED_000])

#: Page furniture found in the seeds; no content paragraph may contain any of it.
FURNITURE = [
    "Support The Moscow Times",
    "Kremlin.ru",
    "Related article",
    "small favor to ask",
    "refuse to be silenced",
    "Your support, no matter how small",
    "Once",
    "Monthly",
    "Annual",
    "Continue",
    "paiment methods",
    "Not ready to support today?",
    "Remind me later.",
    "Read more",
    "Original url",
    "themoscowtimes.com",
    "October 01, 2020",
    "By AFP",
]


def assert_offsets_map_back(original: str, document: ParsedDocument) -> None:
    """Every clean character is its source character, a space for whitespace, or a decoded
    entity pointing at its '&'; offsets strictly increase within and across paragraphs."""
    previous = -1
    for paragraph in document.paragraphs:
        assert paragraph.text == paragraph.text.strip() and "  " not in paragraph.text
        for char, offset in zip(paragraph.text, paragraph.offsets, strict=True):
            assert offset > previous, f"offsets not increasing at {offset}"
            previous = offset
            source = original[offset]
            assert source == char or (char == " " and source.isspace()) or source == "&", (
                f"clean {char!r} maps to source {source!r} at {offset}"
            )


def starts(document: ParsedDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


# --- seeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "fmt"),
    [(SEED_000, "text"), (SEED_001, "markdown"), (SEED_002, "text"), (SEED_003, "text"), (SEED_004, "text")],
)
def test_seed_format_is_sniffed(seed_texts, stem, fmt):
    assert sniff_format(seed_texts[stem]) == fmt


@pytest.mark.parametrize("stem", sorted(NEWS_PARAGRAPHS))
def test_every_news_paragraph_survives_and_nothing_else(seed_texts, stem):
    document = parse_document(seed_texts[stem])
    texts = starts(document)
    assert len(texts) == len(NEWS_PARAGRAPHS[stem]), texts
    for text, expected_start in zip(texts, NEWS_PARAGRAPHS[stem], strict=True):
        assert text.startswith(expected_start)


@pytest.mark.parametrize("stem", sorted(NEWS_PARAGRAPHS))
def test_no_furniture_survives_in_any_seed(seed_texts, stem):
    for paragraph in parse_document(seed_texts[stem]).paragraphs:
        for furniture in FURNITURE:
            assert furniture not in paragraph.text, (furniture, paragraph.text)


@pytest.mark.parametrize("stem", sorted(NEWS_PARAGRAPHS))
def test_seed_offsets_map_back_to_the_original(seed_texts, stem):
    text = seed_texts[stem]
    document = parse_document(text)
    assert document.text == text
    assert_offsets_map_back(text, document)


def test_seed_000_hard_wrapped_lines_join_and_indent_starts_a_paragraph(seed_texts):
    text = seed_texts[SEED_000]
    document = parse_document(text)
    assert document.meta.title is None
    first = document.paragraphs[0]
    assert first.text == (
        "Russia said on Thursday its foreign minister Sergei Lavrov and Turkish counterpart Mevlut "
        'Cavusoglu had confirmed in a phone call they were ready for "close coordination" to stabilize '
        "the situation in Nagorny Karabakh."
    )
    assert first.start == 1  # the file starts with a space
    turkish_source = document.paragraphs[3]
    assert turkish_source.text.endswith('"Armenia\'s aggression."')
    indented = document.paragraphs[4]
    assert text[indented.start - 2 : indented.start] == "\n "


def test_seed_000_plain_paragraph_is_the_collapsed_source_slice(seed_texts):
    text = seed_texts[SEED_000]
    for paragraph in parse_document(text).paragraphs:
        assert paragraph.text == " ".join(text[paragraph.start : paragraph.end].split())


def test_seed_001_markdown_metadata(seed_texts):
    meta = parse_document(seed_texts[SEED_001]).meta
    assert meta.title == "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh"
    assert meta.byline == "AFP"
    assert meta.published == "2020-10-01"
    assert meta.url == (
        "https://www.themoscowtimes.com/2020/10/01/russia-says-ready-for-close-coordination-with-turkey"
        "-on-karabakh-a71625"
    )
    assert meta.outlet == "The Moscow Times"


def test_seed_001_and_000_are_the_same_story_paragraph_for_paragraph(seed_texts):
    plain = starts(parse_document(seed_texts[SEED_000]))
    markdown = starts(parse_document(seed_texts[SEED_001]))
    assert [p.replace("Nagorny", "Nagorno") for p in plain] == markdown


def test_seed_001_interfax_quote_offsets(seed_texts):
    text = seed_texts[SEED_001]
    document = parse_document(text)
    quote = document.paragraphs[8]
    start, end = quote.original_span(0, len(quote.text))
    assert text[start:end] == quote.text  # one unwrapped line: clean text is the source slice


def test_seed_002_one_paragraph_per_line(seed_texts):
    text = seed_texts[SEED_002]
    lines = [line for line in text.splitlines() if line.strip()]
    assert starts(parse_document(text)) == lines


def test_seed_003_scraped_page_title_and_furniture(seed_texts):
    document = parse_document(seed_texts[SEED_003])
    assert document.meta.title == "Putin, Erdogan Urge 'Joint Efforts' to End Karabakh Conflict"
    assert all("Putin, Erdogan Urge" not in p.text for p in document.paragraphs)
    assert document.paragraphs[-1].text.endswith("the Kremlin said.")


def test_seed_004_title_line_is_metadata(seed_texts):
    document = parse_document(seed_texts[SEED_004])
    assert document.meta.title == "Putin, Erdogan Ready to Join Efforts to Solve Karabakh Conflict"
    assert document.paragraphs[0].start == len(document.meta.title) + 2


# --- Reuters-21578 wire bodies -------------------------------------------------------------------


def _reuters_bodies(limit: int) -> Iterator[tuple[int, str]]:
    if not REUTERS.exists():
        pytest.skip("Reuters-21578 is not available")
    with REUTERS.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["body"]:
                yield row["newid"], row["body"]
                limit -= 1
                if limit == 0:
                    return


@pytest.fixture(scope="module")
def reuters() -> dict[int, str]:
    return dict(_reuters_bodies(400))


def test_reuters_indented_lines_start_paragraphs_and_signoff_is_dropped(reuters):
    body = reuters[2]  # Standard Oil / BP venture: three indented paragraphs, then "Reuter"
    document = parse_document(body)
    assert document.meta.title is None  # a short first line is the lead's first wrapped line
    assert [p.text[:40] for p in document.paragraphs] == [
        "Standard Oil Co and BP North America Inc",
        "BP North America is a subsidiary of Brit",
        "The venture will be called BP/Standard F",
    ]
    assert document.paragraphs[-1].text.endswith("joint management committee.")


def test_reuters_one_line_paragraph_is_not_glued_to_the_next(reuters):
    document = parse_document(reuters[1])  # Bahia cocoa review
    assert "The dry period means the temporao will be late this year." in starts(document)


def test_reuters_signoff_on_the_last_text_line_is_trimmed(reuters):
    body = reuters[6]  # "... total 55.8 (33.7).        REUTER"
    assert body.rstrip().endswith("REUTER")
    last = parse_document(body).paragraphs[-1]
    assert last.text.endswith("(33.7).")


def test_reuters_bodies_keep_offsets_and_drop_signoffs(reuters):
    for newid, body in reuters.items():
        document = parse_document(body)
        assert sniff_format(body) == "text", newid  # tickers like "<BP>" are not HTML
        assert_offsets_map_back(body, document)
        for paragraph in document.paragraphs:
            assert paragraph.text == " ".join(body[paragraph.start : paragraph.end].split())
            assert not boilerplate.SIGNOFF_RE.match(paragraph.text), newid
            assert not paragraph.text.lower().endswith((". reuter", ". reuters")), newid


# --- HTML --------------------------------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Turkey denies sending fighters | Example News</title>
<meta property="og:title" content="Turkey denies sending fighters to Karabakh">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2020-10-02T09:15:00+00:00">
<link rel="canonical" href="https://www.example-news.com/world/turkey-denies">
<style>p { color: red; }</style>
<script>var teaser = "<p>Not article text</p>";</script>
</head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article>
<h1>Turkey denies sending fighters to Karabakh</h1>
<p class="byline">By <a href="/authors/jd">Jane Doe</a></p>
<time datetime="2020-10-02">October 2, 2020</time>
<figure><img src="x.jpg" alt="A soldier"><figcaption>Soldiers near the front. Reuters</figcaption></figure>
<p>Turkey on Friday denied sending Syrian fighters to
   Azerbaijan, calling the reports &quot;baseless&quot; &amp; false.</p>
<p>The ministry said the claims were part of a &#8220;smear campaign&#8221;.<br>
It gave no further details.</p>
<div class="ad">Advertisement</div>
<ul><li>Armenia says it shot down a Turkish drone.</li><li><a href="/more">Read more</a></li></ul>
<aside><p>Sign up for our newsletter</p></aside>
<iframe src="https://video.example.com/embed"></iframe>
</article>
<footer><p>&copy; 2020 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_html_news_page_metadata():
    assert sniff_format(NEWS_PAGE) == "html"
    meta = parse_document(NEWS_PAGE).meta
    assert meta.title == "Turkey denies sending fighters to Karabakh"
    assert meta.outlet == "Example News"
    assert meta.byline == "Jane Doe"
    assert meta.published == "2020-10-02"
    assert meta.url == "https://www.example-news.com/world/turkey-denies"


def test_html_news_page_paragraphs_and_entities():
    document = parse_document(NEWS_PAGE)
    assert starts(document) == [
        "Turkey on Friday denied sending Syrian fighters to Azerbaijan, calling the reports "
        '"baseless" & false.',
        "The ministry said the claims were part of a \u201csmear campaign\u201d.",
        "It gave no further details.",
        "Armenia says it shot down a Turkish drone.",
    ]
    assert_offsets_map_back(NEWS_PAGE, document)
    first = document.paragraphs[0]
    ampersand = first.text.index("&")
    assert NEWS_PAGE.startswith("&amp;", first.offsets[ampersand])
    quote = first.text.index('"')
    assert NEWS_PAGE.startswith("&quot;", first.offsets[quote])


def test_html_title_falls_back_to_title_element_without_site_suffix():
    page = (
        "<html><head><title>Ceasefire holds in Karabakh | Example News</title></head><body>"
        "<p>The ceasefire held overnight, officials said.</p><p>Both sides reported calm.</p></body></html>"
    )
    document = parse_document(page, "html")
    assert document.meta.title == "Ceasefire holds in Karabakh"
    assert starts(document) == ["The ceasefire held overnight, officials said.", "Both sides reported calm."]


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_escapes_entities_and_links_map_back():
    text = (
        "# Title here\n\n"
        "Prices rose 5\\% at [the exchange](https://example.com/exchange) &amp; the\n"
        "ministry said `code` was *fine*.\n\n"
        "- A list item that is a full sentence.\n"
    )
    document = parse_document(text)
    assert document.meta.title == "Title here"
    assert starts(document) == [
        "Prices rose 5% at the exchange & the ministry said code was fine.",
        "A list item that is a full sentence.",
    ]
    assert_offsets_map_back(text, document)
    first = document.paragraphs[0]
    assert text[first.offsets[first.text.index("%")]] == "%"  # an escape maps to the escaped char
    assert "example.com" not in first.text


def test_markdown_photo_credit_and_related_link_are_not_content():
    text = "[Kremlin.ru](#)\n\nThe talks ended.\n\n**Related article:** [Other story](#)\n"
    assert starts(parse_document(text)) == ["The talks ended."]


# --- plain text edge cases ---------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n  \t\n"])
def test_empty_text_gives_no_paragraphs(text):
    document = parse_document(text)
    assert document.paragraphs == ()
    assert document.meta.title is None and document.meta.url is None


FURNITURE_ONLY = [
    "Support The Moscow Times!",
    "Subscribe to our newsletter",
    "Read more",
    "Remind me later.",
    "All rights reserved.",
    "[Kremlin.ru](#)",
]


@pytest.mark.parametrize("fmt", ["text", "markdown", None])
def test_boilerplate_only_gives_no_paragraphs(fmt):
    assert parse_document("\n\n".join(FURNITURE_ONLY), fmt).paragraphs == ()


def test_boilerplate_only_html_gives_no_paragraphs():
    page = "<html><body>" + "".join(f"<p>{line}</p>" for line in FURNITURE_ONLY[:-1]) + "</body></html>"
    assert parse_document(page).paragraphs == ()


def test_crlf_line_endings_give_the_same_paragraphs(seed_texts):
    for stem in (SEED_000, SEED_001, SEED_003):
        text = seed_texts[stem]
        crlf = text.replace("\n", "\r\n")
        document = parse_document(crlf)
        assert starts(document) == starts(parse_document(text)), stem
        assert_offsets_map_back(crlf, document)


def test_wrapped_text_short_sentence_line_ends_a_paragraph():
    text = (
        "The ministry said on Monday that the talks would resume next week in\n"
        "Geneva after a pause of several days.\n"
        "Officials from both sides confirmed the date but gave no further details\n"
        "about the agenda of the meeting.\n"
    )
    assert starts(parse_document(text)) == [
        "The ministry said on Monday that the talks would resume next week in Geneva after a pause of "
        "several days.",
        "Officials from both sides confirmed the date but gave no further details about the agenda of the "
        "meeting.",
    ]


def test_uniformly_indented_text_is_not_one_paragraph_per_line():
    text = (
        "  The ministry said on Monday that the talks would resume next week in\n"
        "  Geneva, after a pause of several days, with both delegations present\n"
        "  and the mediators in attendance.\n"
    )
    assert len(parse_document(text).paragraphs) == 1


def test_plain_text_byline_and_date_lines_are_metadata():
    text = (
        "Karabakh Truce Holds for a Second Day\n\nBy Jane Doe\n\nOctober 12, 2020\n\n"
        "The truce held for a second day, officials said.\n"
    )
    document = parse_document(text)
    assert document.meta.title == "Karabakh Truce Holds for a Second Day"
    assert document.meta.byline == "Jane Doe"
    assert document.meta.published == "2020-10-12"
    assert starts(document) == ["The truce held for a second day, officials said."]


def test_outlet_table_and_registered_domain_fallback():
    assert outlet_for_url("https://www.reuters.com/world/x") == "Reuters"
    assert outlet_for_url("https://news.bbc.co.uk/2/hi/x.stm") == "BBC"
    assert outlet_for_url("https://www.example.com/a") == "example.com"
    assert outlet_for_url("https://edition.local-paper.co.uk/a") == "local-paper.co.uk"
    assert outlet_for_url(None) is None


# --- boilerplate rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Support The Moscow Times!",
        "The pair had their first official communication since the outbreak of the conflict Wednesday. "
        "Kremlin.ru",
        "Related article: Putin, Macron Call for 'Complete' Halt to Karabakh Fighting",
        "Remind me later.",
        "Not ready to support today?",
        "Your support, no matter how small, makes a world of difference. If you can, please support us.",
        "Reuter",
        "REUTER...",
        "https://www.example.com/story",
        "We use cookies to improve your experience.",
    ],
)
def test_paragraph_furniture_catches_furniture(text):
    assert boilerplate.paragraph_furniture(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        '"The European Union must support us," the Armenian prime minister said on Monday.',
        "Shareholders may subscribe to one new share for every four held, the company said.",
        "Copyright disputes between the two publishers have dragged on for years, the court heard.",
        "Turkey has strongly backed Azerbaijan's military operations since the outbreak of the war.",
        "The statement was published on kremlin.ru and tass.com later on Wednesday.",
    ],
)
def test_paragraph_furniture_spares_news(text):
    assert boilerplate.find_furniture([text]) == [None]


def test_outlet_voice_is_furniture_only_next_to_an_appeal():
    appeal = "We have a small favor to ask. If you can, please support us."
    outlet_voice = "We, the journalists of the paper, refuse to be silenced. But we need our readers."
    quote = '"We know that we are right," he said, quoted by the Interfax news agency.'
    news = "The talks ended without agreement, officials said."
    reasons = boilerplate.find_furniture([news, quote, appeal, outlet_voice, news])
    assert reasons[0] is None and reasons[1] is None and reasons[4] is None
    assert reasons[2] == "appeal" and reasons[3] == "appeal block"
    assert boilerplate.find_furniture([outlet_voice]) == [None]


def test_short_lines_without_terminal_punctuation_are_furniture():
    reasons = boilerplate.find_furniture(["Once", "Monthly", "Ceasefire violations", "Talks ended."])
    assert reasons[:3] == ["short line without terminal punctuation"] * 3
    assert reasons[3] is None
