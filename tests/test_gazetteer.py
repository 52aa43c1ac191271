"""Country names, capitals and demonyms as Reuters wrote them in 1987 (newid of the source story)."""

from __future__ import annotations

import pytest

from retrieval.gazetteer import country_keys, country_of


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
