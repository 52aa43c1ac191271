"""Country names, capitals and demonyms as Reuters wrote them in 1987 (newid of the source story)."""

from __future__ import annotations

import pytest

from retrieval.gazetteer import city_country, country_keys, country_of, place_country
from retrieval.terms import GEO_PREFIX, claim_requirements, span_terms


@pytest.mark.parametrize(
    ("phrases", "code"),
    [
        # 4939: "The Soviet Union has been a heavy buyer of Yugoslav corn ... the U.S. agriculture
        # counselor in Belgrade"; 1094: "Yugoslavian winter wheat"
        (("Yugoslavia", "Yugoslav", "Yugoslavian", "Yugoslavs", "Belgrade"), "SRB"),
        # 1069: "the western Soviet Union ... Western USSR winter wheat areas"; 1299: "the Soviets"
        (
            (
                "Soviet Union",
                "the Soviet Union",
                "USSR",
                "U.S.S.R.",
                "Soviet",
                "Soviets",
                "Moscow",
                "Kremlin",
            ),
            "RUS",
        ),
        # 950: "Diplomatic sources in Bonn ... the West German banking sources"
        (("West Germany", "West German", "West Germans", "Bonn", "Germany", "German", "Berlin"), "DEU"),
        # 5943: "East Germany plans to devolve more responsibility to factories"
        (("East Germany", "East German", "East Germans", "East Berlin", "GDR"), "DDR"),
        # 925: "Poland, Czechoslovakia, Hungary and Romania are members of GATT"
        (("Czechoslovakia", "Czechoslovak", "Czechoslovakian", "Prague"), "CZE"),
        # 697: "the US economy"; everywhere: "U.S."
        (
            (
                "the United States",
                "United States",
                "U.S.",
                "US",
                "U.S.A.",
                "America",
                "American",
                "Americans",
                "Washington",
            ),
            "USA",
        ),
        (("Britain", "British", "Briton", "UK", "U.K.", "London", "United Kingdom"), "GBR"),
        # 925: "Peking's application to GATT"
        (("Peking", "Beijing", "Chinese", "China"), "CHN"),
        (("Saudi", "Saudis", "Saudi Arabia", "Riyadh"), "SAU"),
        (("Zaire", "Kinshasa"), "COD"),
        (("The Hague", "Holland", "Dutch", "Amsterdam"), "NLD"),
        (("Indian", "India", "New Delhi"), "IND"),
    ],
)
def test_every_name_of_a_country(phrases: tuple[str, ...], code: str) -> None:
    assert {phrase: country_of(phrase) for phrase in phrases} == dict.fromkeys(phrases, code)


@pytest.mark.parametrize(
    "phrase",
    [
        "us",  # "Where the crop is really made or broken is still ahead of us" (1299)
        "Us",
        "Latin America",  # "both Latin American debt and the Iranian arms affair" (697)
        "Latin American",
        "South America",
        "Scotland",  # countryinfo lists it with an empty code: better none than ""
        "Karabakh",
        # alternative spellings and capitals that are English words or common names
        "island",  # "the island's reserves" is not Iceland ("Island")
        "Stanley",  # "Morgan Stanley" is not the Falklands
        "Douglas",
        "Hamilton",
        "valley",
    ],
)
def test_not_a_country(phrase: str) -> None:
    assert country_of(phrase) is None


def test_no_empty_codes() -> None:
    assert all(country_keys().values())


def test_present_day_names_keep_their_keys() -> None:
    """The historical entries are additions: present-day Serbia, Russia, Czech Republic unchanged."""
    assert country_of("Serbia") == country_of("Belgrade") == "SRB"
    assert country_of("Russia") == country_of("Russian") == "RUS"
    assert country_of("Czech Republic") == country_of("Czech") == "CZE"
    assert country_of("Slovakia") == "SVK"
    assert country_of("Turkey") == country_of("Ankara") == "TUR"


@pytest.mark.parametrize(
    ("city", "code"),
    [
        ("Detroit", "USA"),
        ("Osaka", "JPN"),
        ("Frankfurt", "DEU"),  # "Frankfurt am Main" in GeoNames
        ("Zurich", "CHE"),  # "Zürich"
        ("New York", "USA"),  # "New York City"
        ("Sao Paulo", "BRA"),
        ("Rotterdam", "NLD"),
    ],
)
def test_a_city_names_its_country(city: str, code: str) -> None:
    assert city_country(city) == code


@pytest.mark.parametrize(
    "name",
    [
        "Valencia",  # Spain's and Venezuela's, both large
        "Man",  # a word first ("the Isle of Man" is no city of Ivory Coast)
        "Gold",  # not "Gold Coast"
        "San",  # not "San Antonio"
        "Goldendale",  # too small to say anything to a reader
        "Paris",  # a capital: the country's own name (``country_of``), not a city's
    ],
)
def test_no_city_of_a_country(name: str) -> None:
    assert city_country(name) is None


def test_a_state_written_out_is_american_and_a_country_is_no_place() -> None:
    assert place_country("Texas") == "USA" and place_country("New Jersey") == "USA"
    assert place_country("Japan") is None


def _geo_keys(nlp, text: str) -> set[str]:
    doc = nlp(text)
    return {key for key, _, _ in span_terms(doc[:], lambda i: i) if key.startswith(GEO_PREFIX)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Manufacturers National Bank of Detroit said it raised its prime rate.", "USA"),
        ("The Bank of New York said it raised its prime rate.", "USA"),
        ("Shell closed its refinery in Rotterdam, the company said.", "NLD"),
        ("Commonwealth said it put its Goldendale, Wash., smelter back on the market.", "USA"),
        # a company named after its city or state
        ("North Carolina Federal Savings and Loan Association raised its prime rate.", "USA"),
        ("Detroit Edison Co said it would cut its rates.", "USA"),
    ],
)
def test_a_sentence_naming_a_place_names_its_country(nlp, text: str, code: str) -> None:
    assert f"{GEO_PREFIX}{code}" in _geo_keys(nlp, text)


def test_a_company_named_like_a_city_names_no_country(nlp) -> None:
    assert _geo_keys(nlp, "Commonwealth Aluminum said it put its smelter back on the market.") == set()


def test_a_claims_city_still_asks_for_the_city(nlp) -> None:
    """Only a sentence's city lends its country: "the U.S." does not meet a claim about Detroit."""
    requirements = claim_requirements(nlp("A bank in Detroit raised its prime rate")[:])
    (detroit,) = [r for r in requirements if r.text == "Detroit"]
    assert f"{GEO_PREFIX}USA" not in detroit.keys
