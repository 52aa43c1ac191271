"""Where a document comes from: the outlet that published it and the agency that wrote it.

A fact-checker needs both: "The Moscow Times" published it, "AFP" wrote it (so the AFP copy in
another outlet is not independent confirmation). The outlet comes from metadata or the URL
(:mod:`corpus.outlets`) or, failing those, from the page's masthead furniture ("Support The Moscow
Times!"); the agency from the byline ("By AFP"), a credit in the lead ("(Reuters)", "TASS
reported"), or a wire sign-off ("Reuter").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from corpus.document import DocumentMeta, Paragraph
from corpus.outlets import OUTLETS

# Agency name -> the ways news text writes it. Acronyms match case-sensitively as whole words.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "Reuter"),
    "Associated Press": ("Associated Press", "AP"),
    "TASS": ("TASS", "ITAR-TASS"),
    "Interfax": ("Interfax",),
    "RIA Novosti": ("RIA Novosti",),
    "Sputnik": ("Sputnik",),
    "Xinhua": ("Xinhua",),
    "dpa": ("dpa", "Deutsche Presse-Agentur"),
    "Anadolu Agency": ("Anadolu Agency", "Anadolu"),
    "Bloomberg": ("Bloomberg",),
    "UPI": ("UPI", "United Press International"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "Kyodo": ("Kyodo",),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI", "Press Trust of India"),
    "IRNA": ("IRNA",),
    "Armenpress": ("Armenpress",),
    "APA": ("APA",),
    "Trend": ("Trend news agency",),
    "Ukrinform": ("Ukrinform",),
    "AAP": ("AAP", "Australian Associated Press"),
}

_CREDIT_VERBS = r"(?:reported|reports|said|says|quoted|cited|told)"
_SIGNOFF = re.compile(r"\b(?:Reuter|REUTER)\s*$")


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern[str]:
    names = sorted({alias for aliases in AGENCIES.values() for alias in aliases}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def _canonical(alias: str) -> str:
    return next(name for name, aliases in AGENCIES.items() if alias in aliases)


def agencies_in(text: str) -> list[str]:
    """Agencies a sentence names, in order, without repeats ("told AFP", "quoted by Interfax")."""
    found = [_canonical(m.group(1)) for m in _agency_pattern().finditer(text)]
    return list(dict.fromkeys(found))


def originating_agency(meta: DocumentMeta, paragraphs: Sequence[Paragraph], text: str) -> str | None:
    """The agency that wrote the story, or None when nothing credits one.

    Looked for, most explicit first: the byline; a parenthesised credit or "X reported" in the lead
    paragraph; a wire sign-off at the end of the text. An agency merely quoted further down
    ("told AFP") is a source of a sentence, not the author of the story.
    """
    if meta.byline:
        named = agencies_in(meta.byline)
        if named:
            return named[0]
    if paragraphs:
        lead = paragraphs[0].text
        credit = re.search(r"\((" + _agency_pattern().pattern + r")\)", lead)
        if credit:
            return _canonical(credit.group(2))
        reported = re.search(_agency_pattern().pattern + r"\s+" + _CREDIT_VERBS + r"\b", lead)
        if reported and re.search(r"\b(?:reported|reports)\b", reported.group(0)):
            return _canonical(reported.group(1))
    if _SIGNOFF.search(text.rstrip()):
        return "Reuters"
    return None


@lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    names = sorted(set(OUTLETS.values()), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def masthead_outlet(paragraphs: Sequence[Paragraph], text: str) -> str | None:
    """A known outlet named in the page furniture (text outside every content paragraph).

    Only furniture counts: an outlet named inside the story ("told Reuters") is a source, not the
    publisher, while a donation appeal or masthead ("Support The Moscow Times!") names the site.
    """
    cursor = 0
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces.append(text[cursor : paragraph.start])
        cursor = paragraph.end
    pieces.append(text[cursor:])
    match = _outlet_pattern().search("\n".join(pieces))
    return match.group(1) if match else None
