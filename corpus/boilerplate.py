"""Tell page furniture from article content, whatever format the article came in.

Scraped articles carry text that is not reporting: donation appeals, menu buttons, photo credits,
"Related article" links, "Read more", wire sign-offs. Indexed as content, these turn into evidence
("we have a small favor to ask" supports nothing, yet it embeds close to claims about the outlet)
and they put the outlet's voice where the article has none. The rules below are deliberately
conservative: each one targets a kind of furniture seen in real scrapes and is gated (by length,
by addressing the reader, by position) so that ordinary news sentences are never caught.

Public entry points:

- :func:`paragraph_furniture` judges one paragraph on its own (used by the parser to skip
  furniture when looking for a title);
- :func:`find_furniture` judges a whole article, adding the rules that need neighbours;
- :func:`signoff_length` finds a wire sign-off glued to the end of the last paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# --- lexicon -------------------------------------------------------------------------------

#: Phrases of reader appeals (donations, subscriptions). They are written *to* the reader, so a
#: match only counts when the paragraph addresses the reader or is short: "the EU must support
#: us," a minister said' is news, "please support us monthly" is not.
APPEAL_PHRASES: tuple[str, ...] = (
    "small favor to ask",
    "small favour to ask",
    "support us",
    "please support",
    "your support",
    "support our journalism",
    "support independent journalism",
    "make a donation",
    "donate now",
    "donate today",
    "become a member",
    "become a subscriber",
    "subscribe now",
    "subscribe today",
    "subscribe to our",
    "sign up for our",
    "sign up to our",
    "our newsletter",
    "remind me later",
    "not ready to support",
    "ready to support today",
    "payment methods",
    "paiment methods",  # sic: the misspelling is in The Moscow Times' donation widget
    "contribute today",
)

#: Labels that start navigation and credit paragraphs ("Related article: <headline>", "Read more",
#: "Photo: AFP"). They are followed by a headline or a name, never by a reported sentence.
FURNITURE_PREFIXES: tuple[str, ...] = (
    "related article",
    "related stories",
    "related:",
    "read more",
    "read also",
    "also read",
    "see also",
    "share this",
    "share on",
    "follow us on",
    "click here",
    "photo:",
    "photo by",
    "photos:",
    "image:",
    "video:",
    "watch:",
    "listen:",
    "copyright ©",
    "copyright (c)",
    "©",
    "reporting by",
    "additional reporting",
    "writing by",
    "editing by",
    "compiled by",
)

#: Site-chrome phrases (cookie banners, legal footers, newsletter boxes). Bare words such as
#: "subscribe" or "sign up" occur in news ("shareholders may subscribe to one new share"), so the
#: phrases are the chrome's own wording, and they only mark paragraphs the size of a banner.
FURNITURE_PHRASES: tuple[str, ...] = (
    "all rights reserved",
    "we use cookies",
    "accept cookies",
    "cookie policy",
    "cookie settings",
    "sign up for",
    "log in to",
    "subscribe to our",
    "terms of use",
    "privacy policy",
    "skip to content",
    "share this article",
    "this article is more than",
    "this article was",
    "this story has been",
    "story continues",
    "continue reading",
    "comments are closed",
)

#: Verbs that open a call-to-action headline like "Support The Moscow Times!".
APPEAL_VERBS: tuple[str, ...] = ("support", "donate", "subscribe", "contribute", "join us", "sign up")

#: Wire-service sign-offs that end a story ("Reuter", "REUTER", "MORE", "(END)").
SIGNOFF_RE = re.compile(r"^\(?(?:reuters?|afp|ap|tass|more|end)\)?[\s.…]*$", re.IGNORECASE)
_GLUED_SIGNOFF_RE = re.compile(r"(?<=[.!?\"\u201d\u2019'])\s+(?:reuters?|more)[\s.…]*$", re.IGNORECASE)

_TERMINAL_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*$")
_DOMAIN_TAIL_RE = re.compile(r"(?:^|\s)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,6}$")
_SLASH_CREDIT_RE = re.compile(r"\s[/|]\s*[A-Z][\w.&' -]{1,40}$")
_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_QUOTED_RE = re.compile(r"\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)|«[^»]*(?:»|$)")
_WE_RE = re.compile(r"\b(?:we|our|ours|us)\b", re.IGNORECASE)
_YOU_RE = re.compile(r"\byou(?:r|rs)?\b", re.IGNORECASE)

SHORT_LINE_WORDS = 12  # a menu item, button or subheading; real paragraphs without a full stop are longer
SHORT_PARAGRAPH_WORDS = 15  # the size of a banner: where a bare "subscribe" means site chrome
PREFIX_PARAGRAPH_WORDS = 30  # "Related article: <headline>" can carry a long headline
CALL_TO_ACTION_WORDS = 8
APPEAL_NEIGHBOUR_WORDS = 6  # "Thank you!" or a button next to an appeal belongs to it


def has_terminal_punctuation(text: str) -> bool:
    """True when ``text`` ends like a sentence (". ! ? …", possibly followed by a closing quote)."""
    return bool(_TERMINAL_RE.search(text.rstrip()))


def _words(text: str) -> int:
    return len(text.split())


def _unquoted(text: str) -> str:
    """``text`` without its quotations: who speaks inside quotes is the source, not the outlet."""
    return _QUOTED_RE.sub(" ", text)


def is_appeal(text: str) -> bool:
    """A reader appeal: an appeal phrase outside quotes, in a paragraph that talks to the reader
    or is short.

    Why the gate: appeal phrases ("support us", "your support") also occur in quoted speech,
    but an appeal is the outlet's own voice addressing *you*, or a short widget label.
    """
    unquoted = _unquoted(text)
    lowered = unquoted.lower()
    if not any(phrase in lowered for phrase in APPEAL_PHRASES):
        return False
    return _words(text) <= SHORT_PARAGRAPH_WORDS or bool(_YOU_RE.search(unquoted))


def is_call_to_action(text: str) -> bool:
    """A short imperative headline such as "Support The Moscow Times!" or "Subscribe".

    Why: donation boxes open with one, and it looks like a title (short, capitalised).
    """
    lowered = text.lower()
    return _words(text) <= CALL_TO_ACTION_WORDS and lowered.startswith(APPEAL_VERBS)


def is_caption_with_credit(text: str) -> bool:
    """A photo caption ending in a credit: "… since the outbreak of the conflict Wednesday. Kremlin.ru".

    Why: scrapers flatten a figure into one paragraph of caption plus photographer/agency
    credit. A sentence never ends in a bare domain or a "/ Agency" credit, so the tail betrays it.
    """
    stripped = text.rstrip()
    match = _DOMAIN_TAIL_RE.search(stripped)
    if match:
        before = stripped[: match.start()].rstrip()
        return not before or has_terminal_punctuation(before)
    return not has_terminal_punctuation(stripped) and bool(_SLASH_CREDIT_RE.search(stripped))


def is_outlet_voice(text: str) -> bool:
    """The outlet speaking about itself: two or more we/our/us outside quotations.

    Why: the middle of a donation block ("We, the journalists of The Moscow Times, refuse to be
    silenced …") has no appeal phrase; what gives it away is first-person plural outside quotes,
    which news writing avoids. Used only next to an appeal, so quoted speech is never at risk.
    """
    return len(_WE_RE.findall(_unquoted(text))) >= 2


def paragraph_furniture(text: str, *, link_only: bool = False) -> str | None:
    """Why this paragraph, judged on its own, is furniture; None when it may be content.

    The short-line rule is not applied here (see :func:`find_furniture`) because titles are
    short lines too, and the parser asks this question while still looking for the title.
    """
    stripped = text.strip()
    lowered = stripped.lower()
    if not stripped:
        return "empty"
    if link_only:
        return "link only"  # a bare link: photo credit, navigation, "read the original"
    if _URL_RE.match(stripped):
        return "bare url"
    if SIGNOFF_RE.match(stripped):
        return "sign-off"
    if lowered.startswith(FURNITURE_PREFIXES) and _words(stripped) <= PREFIX_PARAGRAPH_WORDS:
        return "navigation label"
    if is_appeal(stripped):
        return "appeal"
    if is_call_to_action(stripped):
        return "call to action"
    if _words(stripped) <= SHORT_PARAGRAPH_WORDS and any(p in lowered for p in FURNITURE_PHRASES):
        return "site chrome"
    if is_caption_with_credit(stripped):
        return "caption with credit"
    return None


#: The reason given to a short line without sentence punctuation. Unlike the other reasons it is
#: not final: such a line is kept when it is a sentence ("Turkey shot down an Armenian jet"),
#: which only the parse can tell (``corpus.segment.is_sentence``), so the parser hands these on
#: as ``ParsedDocument.short_lines``.
SHORT_LINE = "short line without terminal punctuation"


def _short_without_terminal(text: str) -> bool:
    """A menu item, button or subheading, or a headline-like sentence: few words and no
    sentence-final punctuation.

    Why: navigation ("Once", "Monthly", "Continue") and subheadings carry no claim, but a
    headline-like line of a short post ("Turkey shot down an Armenian jet") does; the parse tells
    them apart later. The title is taken out before this rule runs, which is why it lives here
    and not in :func:`paragraph_furniture`.
    """
    return _words(text) <= SHORT_LINE_WORDS and not has_terminal_punctuation(text)


def _addresses_reader(text: str) -> bool:
    """A short line that talks to the reader or speaks as the outlet ("You may also like", "We
    recommend"): site furniture even when it parses as a sentence; headlines say neither."""
    unquoted = _unquoted(text)
    return bool(_YOU_RE.search(unquoted) or _WE_RE.search(unquoted))


def _extend_appeal_blocks(texts: Sequence[str], reasons: list[str | None]) -> None:
    """Mark outlet-voice and tiny paragraphs around an appeal as part of the appeal block.

    Why: a donation box is several paragraphs, only some of which contain appeal phrases. We
    walk outwards from each appeal, across furniture already found, and absorb neighbours that
    speak in the outlet's first-person plural or are button-sized; the walk stops at the first
    paragraph that is neither, so reporting next to the box is untouched. Short unpunctuated
    lines the walk crosses ("Once", "Monthly", "Continue") are the box's buttons: they are marked
    as the box, so they are never read as headline-like sentences.
    """
    seeds = [i for i, reason in enumerate(reasons) if reason == "appeal"]
    for seed in seeds:
        for step in (-1, 1):
            i = seed + step
            while 0 <= i < len(texts):
                if reasons[i] is None:
                    if is_outlet_voice(texts[i]) or _words(texts[i]) <= APPEAL_NEIGHBOUR_WORDS:
                        reasons[i] = "appeal block"
                    else:
                        break
                elif reasons[i] == SHORT_LINE:
                    reasons[i] = "appeal block"
                i += step


def find_furniture(texts: Sequence[str], link_only: Sequence[bool] | None = None) -> list[str | None]:
    """For each candidate paragraph, the reason it is furniture, or None if it is content.

    ``texts`` are clean paragraph texts in document order with metadata lines (title, byline,
    date, URL) already removed; ``link_only[i]`` says the paragraph's visible text is entirely
    link text (markdown/HTML), which marks photo credits and navigation.
    """
    flags = list(link_only) if link_only is not None else [False] * len(texts)
    reasons = [paragraph_furniture(text, link_only=flag) for text, flag in zip(texts, flags, strict=True)]
    for i, text in enumerate(texts):
        if reasons[i] is None and _short_without_terminal(text):
            reasons[i] = "short line addressing the reader" if _addresses_reader(text) else SHORT_LINE
    _extend_appeal_blocks(texts, reasons)
    return reasons


def signoff_length(text: str) -> int:
    """Length of a wire sign-off glued to the end of a paragraph (" Reuter"), else 0.

    Why: Reuters stories end with "Reuter"/"REUTER"; when it sits on the last line of the last
    paragraph it would end up in that paragraph's final sentence.
    """
    match = _GLUED_SIGNOFF_RE.search(text)
    return len(text) - match.start() if match else 0
