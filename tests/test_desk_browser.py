"""Issue 11, the desk page in a real browser: Debian's chromium driven by Playwright against the real
app served by uvicorn on loopback.

Without a browser the module skips and says how to install one; under ``CI=true`` a missing
browser fails instead, so CI cannot pass by skipping. Screenshots at a laptop and a phone width
go to ``build/screenshots/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from claimcheck.requests import Submission
from tests.conftest import PROJECT_ROOT, SEEDS_DIR, serving

SCREENSHOTS = PROJECT_ROOT / "build" / "screenshots"
INSTALL_HINT = (
    "the desk browser test needs Chromium: `apt-get install -y chromium` (Debian/Ubuntu; the test "
    "uses /usr/bin/chromium through the Playwright Python package, `pip install playwright`)"
)

F16 = "A Turkish F-16 downed an SU-25"
UNSUPPORTED = "Germany imposed sanctions on Azerbaijan"
SCRIPT_CLAIM = "<script>window.pwned=1</script>"
EVIL_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
EVIL_CLAIM = "The Ruritanian navy sank a Freedonian frigate"
EVIL_DOC = Submission(
    text=(
        "The Ruritanian navy sank a Freedonian frigate near the port of Zenda on Monday.\n\n"
        "Officials in Zenda said the crew had been rescued."
    ),
    id="ruritania",
    title=EVIL_TITLE,
    outlet="Zenda Courier",
    published="2020-10-02",
)


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no browser under CI=true: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    return found


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, encoder, nlp) -> Iterator[str]:
    """The seeds plus a document whose title is markup, served by uvicorn on loopback."""
    from claimcheck.checker import Checker

    checker = Checker.open(tmp_path_factory.mktemp("desk"), encoder, nlp)
    checker.ingest_files(sorted(SEEDS_DIR.glob("*.txt")))
    checker.ingest(EVIL_DOC)
    try:
        with serving(checker) as url:
            yield url
    finally:
        checker.indexes.store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    context.close()


def api_check(base_url: str, claim: str) -> dict:
    response = httpx.post(f"{base_url}/v1/claims/check", json={"claim": claim}, timeout=60)
    assert response.status_code == 200
    return response.json()


def submit(page, claim: str) -> None:
    """Type the claim into the focused field and press Enter, as a person at the desk would."""
    field = page.get_by_label("Claim", exact=True)
    field.fill("")
    field.focus()
    page.keyboard.type(claim)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_supported_claim_typed_and_submitted_with_the_keyboard(page, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    response = page.goto(base_url + "/")
    assert response.status == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    # the claim field has the focus on arrival: typing goes straight in
    assert page.evaluate("document.activeElement.id") == "claim"
    page.keyboard.type(F16)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "claim=A+Turkish+F-16" in page.url

    (item,) = api_check(base_url, F16)["evidence"]
    marks = page.locator("#results mark")
    assert marks.count() == 1
    assert marks.first.text_content() == item["sentence"]
    badge = page.locator(".item-supporting .badge").first
    badge_text = badge.inner_text()
    assert "ALLEGATION" in badge_text.upper()
    assert item["attribution"]["speaker"] in badge_text and item["attribution"]["cue"] in badge_text
    summary = page.locator(".summary").inner_text()
    assert "1 independent story · alleged by the Armenian defense ministry · asserted by no one" in summary

    stories = page.locator(".item-supporting .story")
    assert stories.count() == 1
    assert "AFP" in stories.first.locator(".story-heading").inner_text()
    ids = stories.first.locator(".docid").all_text_contents()
    assert sorted(ids) == sorted(s["document_id"] for s in item["sources"])
    link = stories.first.get_by_role(
        "link", name="Russia Says Ready for 'Close Coordination' With Turkey on Karabakh"
    )
    assert link.get_attribute("href").startswith("https://www.themoscowtimes.com/")

    # the marked sentence is visible and styled, not merely present
    assert marks.first.is_visible()
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.console_errors == []  # no CSP violation, no missing asset
    page.screenshot(path=str(SCREENSHOTS / "desk-1280.png"), full_page=True)


def test_keyboard_reaches_the_form_and_sees_where_it_is(page, base_url):
    page.goto(base_url + "/?" + urlencode({"claim": F16}))
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert "Skip to results" in skip
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown on focus
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert order.index("claim") < order.index("BUTTON")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_shareable_link_opens_the_result(page, base_url):
    page.goto(base_url + "/?" + urlencode({"claim": F16}))
    assert page.locator("#results mark").count() == 1
    permalink = page.locator("a.permalink").get_attribute("href")
    page.goto(base_url + "/")
    page.goto(base_url + permalink)
    assert page.get_by_label("Claim", exact=True).input_value() == F16
    assert page.locator("#results mark").count() == 1


def test_an_unsupported_claim_shows_the_empty_state(page, base_url):
    page.goto(base_url + "/")
    submit(page, UNSUPPORTED)
    empty = page.locator(".empty")
    assert empty.is_visible()
    assert "No evidence in the indexed articles" in empty.inner_text()
    assert page.locator("mark").count() == 0


def test_markup_in_a_claim_and_in_a_title_stays_text(page, base_url):
    page.goto(base_url + "/")
    submit(page, SCRIPT_CLAIM)
    assert page.locator(".claim-echo").inner_text() == SCRIPT_CLAIM
    assert page.get_by_label("Claim", exact=True).input_value() == SCRIPT_CLAIM
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("script").count() == 0

    assert api_check(base_url, EVIL_CLAIM)["evidence"], "the document with a markup title must be found"
    submit(page, EVIL_CLAIM)
    titles = page.locator(".source-title").all_inner_texts()
    assert titles == [EVIL_TITLE]
    assert EVIL_TITLE in page.locator(".where").inner_text()
    assert page.locator("#results img").count() == 0 and page.locator("script").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_filters_and_phone_width(browser, base_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.get_by_label("Claim", exact=True).fill(F16)
        page.locator("details.filters > summary").click()
        page.get_by_label("Only these outlets").fill("The Moscow Times")
        with page.expect_navigation():
            page.get_by_role("button", name="Check").click()
        assert "outlets=The+Moscow+Times" in page.url
        assert page.locator(".docid").all_text_contents() == ["001_2ebd0813046cf1ef"]
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOTS / "desk-390.png"), full_page=True)

        page.goto(base_url + "/?" + urlencode({"claim": F16, "published_after": "2020-13-01"}))
        assert "not a calendar date" in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Published on or after").is_visible()  # filters open to fix it
    finally:
        context.close()


def test_contradicting_sentences_are_shown_apart(page, base_url):
    page.goto(base_url + "/")
    submit(page, "An Armenian SU-25 downed a Turkish F-16")
    assert page.locator(".supporting mark").count() == 0
    assert "supports the claim" in page.locator(".supporting").inner_text()
    contradicting = page.locator("section.contradicting")
    assert contradicting.get_by_role("heading").first.inner_text().startswith("Contradicting sentences")
    assert contradicting.locator("mark").count() >= 1
    assert "Roles reversed" in contradicting.inner_text()
