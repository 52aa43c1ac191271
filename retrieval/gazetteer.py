"""Country names, capitals and demonyms as one key per country.

News names a state by its capital or demonym as often as by its name ("Ankara", "Turkish",
"Turkey"); a claim about Turkey is carried by a sentence about Ankara. The table comes from the
``countryinfo`` package (ISO 3166 names, capitals, demonyms, alternative spellings), not from a
hand-written list.
"""

from __future__ import annotations

from functools import lru_cache

# Phrases too ambiguous to stand for a country on their own in English news text.
_AMBIGUOUS = frozenset(
    {
        "georgia",
        "jersey",
        "chad",
        "guinea",
        "niger",
        "victoria",
        "kingston",
        "the valley",
        "american samoan",
        "washington d.c.",
        "st. george's",
        "nicosia",
        "and",
        "us",
    }
)


def _variants(name: str) -> set[str]:
    """Lowercase phrase plus its form without a leading article or trailing period."""
    lowered = name.strip().lower()
    out = {lowered}
    if lowered.startswith("the "):
        out.add(lowered[4:])
    return {v for v in out if v and v not in _AMBIGUOUS}


@lru_cache(maxsize=1)
def country_keys() -> dict[str, str]:
    """Lowercase phrase -> ISO alpha-3 code, for names, capitals, demonyms and long alt spellings.

    Two- and three-letter codes are left out ("IN", "AND", "US" collide with words) except the
    handful that English news writes as names.
    """
    from countryinfo import all_countries

    table: dict[str, str] = {}
    for country in all_countries():
        code = country.iso(3)
        if not isinstance(code, str):
            continue
        names = [country.name(), country.capital(), country.demonym()]
        names += [s for s in country.alt_spellings() if len(s) > 3 and s.isascii()]
        for name in names:
            if isinstance(name, str):
                for variant in _variants(name):
                    table.setdefault(variant, code)
    table.update(
        {
            "u.s.": "USA",
            "usa": "USA",
            "washington": "USA",
            "u.k.": "GBR",
            "uk": "GBR",
            "britain": "GBR",
            "kremlin": "RUS",
            "yerevan": "ARM",
            "baku": "AZE",
            "turks": "TUR",
        }
    )
    return table


def country_of(phrase: str) -> str | None:
    """ISO code of the country a phrase names ("Ankara" -> "TUR"), if any."""
    lowered = phrase.strip().lower()
    if lowered.endswith("'s") or lowered.endswith("\u2019s"):
        lowered = lowered[:-2]
    table = country_keys()
    if lowered in table:
        return table[lowered]
    if lowered.endswith("s") and lowered[:-1] in table:  # plural demonyms: "Armenians"
        return table[lowered[:-1]]
    return None
