"""Aliases learned from Reuters-21578 stories (newid given) and the curated table.

Texts are quoted from /work/shared/datasets/reuters-21578/reuters21578.jsonl with their line breaks
(Reuters wraps lines inside names: "British Petroleum Co\\nPlc <BP>").
"""

from __future__ import annotations

import pytest

from retrieval.aliases import (
    AliasTable,
    curated_aliases,
    document_aliases,
    expand_names,
    initials_of,
    learn_aliases,
    name_key,
    same_name,
)

# newid 2
BP_STORY = (
    "Standard Oil Co and BP North America\nInc said they plan to form a venture to manage the money market\n"
    "borrowing and investment activities of both companies.\n"
    "    BP North America is a subsidiary of British Petroleum Co\nPlc <BP>, which also owns a 55 pct "
    "interest in Standard Oil.\n"
)
# newid 1920
HUGHES_STORY = (
    "The directors of Hughes Tool Co <HT> said they would recommend\nto shareholders that they reject a "
    "merger with Baker International\nCorp <BKO> today.\n    Hughes vice-president Ike Kerridge said "
    "the recommendation would\nbe put to shareholders"
)
# newid 17359
OPEC_STORY = (
    "    The current benchmark price of 18 dlrs a barrel was\nestablished by the Organization of Petroleum "
    "Exporting\nCountries (OPEC) at its December meeting when the cartel set a\n15.8 mln barrel per day "
    "production ceiling.\n    But the continuing weakness of the U.S. dollar, the\ncurrency used by OPEC "
    "for its oil sales, is making the 18 dlr\nprice difficult to sustain, said Fred Hartley, chairman of\n"
    "Unocal Corp <UCL>.\n    E.H. Clark, chairman of <Baker Hughes Inc>, said the Saudi\nkingdom's need"
)
# newid 5226
SAN_MIGUEL_STORY = (
    "A government commission that controls 51\npct of <San Miguel Corp> (SMC) stock will increase its "
    "nominees\non the firm's 15-member board to nine from six.\n"
    '    "We want to correct business practices," Ramon Diaz, chairman\nof the Presidential Commission on '
    "Good Government (PCGG), told\nReuters.\n    He said Australian businessman and brewer Alan Bond and "
    "the\nbrewing company Elders IXL Ltd <ELXA.S> were interested in\nbuying 40 pct each of SMC stock."
)
# newid 10318
RHM_STORY = (
    "<Avana Group Plc>, defending itself\nagainst a bid from Ranks Hovis McDougall Plc <RHML.L>, RHM,\n"
    "forecast a 3.4 mln stg rise in profits in the 1986/87 year.\n"
    "    The bid from RHM, rejected by the food and bakery group, is\nworth about 270 mln stg."
)
# newid 12129
SOCGEN_STORY = (
    "Frances  Finance Ministry said it named\nCredit Commercial de France, CCF, and Goldman Sachs as its\n"
    "advisers in the privatisation of Societe Generale <SGEN.PA>.\n"
    "    CCF, one of the top\nseven banks, is also being sold by the government this year."
)
# newid 1214
GM_STORY = (
    "the stocks of the Detroit Big Three - General Motors\nCorp <GM>, Ford Motor Co <F> and Chrysler Corp "
    "<C>.\n    And analysts remain largely neutral to bearish on GM, the industry giant whose earnings "
    "have been dropping"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BP_STORY, {"bp": "british petroleum"}),
        (HUGHES_STORY, {"ht": "hughes tool", "bko": "baker international"}),
        (OPEC_STORY, {"opec": "organization of petroleum exporting countries", "ucl": "unocal"}),
        (
            SAN_MIGUEL_STORY,
            {"smc": "san miguel", "pcgg": "presidential commission on good government", "elxa": "elders ixl"},
        ),
        (RHM_STORY, {"rhml": "ranks hovis mcdougall", "rhm": "ranks hovis mcdougall"}),
        (SOCGEN_STORY, {"sgen": "societe generale", "ccf": "credit commercial de france"}),
        # single-letter tickers (Ford <F>, Chrysler <C>) are not aliases: "F" and "C" are everywhere
        (GM_STORY, {"gm": "general motors"}),
        # newid 11706: the shortest run of words that spells the initials
        (
            "They said they will tell the U.S. International Trade\nCommission (ITC) Thursday that",
            {"itc": "international trade commission"},
        ),
        # newid 13179: "U.S." gives two letters; two definitions in one story
        (
            "The U.S. Department of\nAgriculture (USDA) said it has accepted a bid ... under the Export "
            "Enhancement Program (EEP)...",
            {"usda": "us department of agriculture", "eep": "export enhancement program"},
        ),
        # newid 18413, "Corporation" spelled into the initials; newid 9752, a lower-case long form
        ("from the inventory of the Commodity Credit Corporation (CCC)", {"ccc": "commodity credit"}),
        ("at about 37 pct of gross national product (GNP)", {"gnp": "gross national product"}),
        # "Cocoa" gives two letters
        (
            "the International Cocoa Organization (ICCO) buffer stock",
            {"icco": "international cocoa organization"},
        ),
        # newids 1594, 1746: the short form first, the long form in brackets
        (
            "Canada and the EC told a GATT (General Agreement on Tariffs\nand Trade) council meeting",
            {"gatt": "general agreement on tariffs and trade"},
        ),
        (
            "changes he's making in the\nstructure of the NSC (National Security Council) and his goals",
            {"nsc": "national security council"},
        ),
        # names before tickers: where they start
        (
            "R.J. Reynolds Tobacco Co, a\nunit of R.J.R. Nabisco Inc <RJR>, said it has formed",  # 510
            {"rjr": "rjr nabisco"},
        ),
        (  # 669
            "jointly with Dow Jones and Co\n<DJ> and MCI Communications Corp <MCIC> new electronic mail",
            {"dj": "dow jones", "mcic": "mci communications"},
        ),
        (
            "the Gevaert group of Belgium and West\nGermany's VEBA AG <VEBG.F> said",  # 3459
            {"vebg": "veba"},
        ),
        ("retired as chairman of Du Pont Co's <DD> Conoco Inc", {"dd": "du pont"}),  # 18801
        (
            "PaineWebber Inc, The First Boston Corp\n<FBC> and Salomon Inc <SB> said",
            {"fbc": "first boston", "sb": "salomon"},
        ),
    ],
)
def test_learned_from_reuters(text: str, expected: dict[str, str]) -> None:
    assert dict(learn_aliases(text)) == expected


def test_not_aliases() -> None:
    # newid 16214: a party and state, not initials of the name before it
    assert len(learn_aliases("Senate Finance Committee Chairman Lloyd Bentsen (D-Tex.) said")) == 0
    # newid 390: a word in brackets
    assert len(learn_aliases("Hutchison Whampoa and Cheung Kong (Holdings) said")) == 0
    # a story that writes "AT and T" does not make "AT" an alias of it
    assert (
        len(learn_aliases("because AT and T did not adequately\nrepresent its subsidiaries. AT and T said"))
        == 0
    )
    # initials that occur nowhere else are not learned
    assert len(learn_aliases("General Motors Corp said it would cut output")) == 0
    # an all-capitals text (a headline) says nothing about initials
    assert len(learn_aliases("GENERAL MOTORS CORP SAYS GM OUTPUT TO FALL")) == 0


def test_reverse_lookup_and_canonical() -> None:
    table = learn_aliases(RHM_STORY)
    assert table.canonical("RHM") == table.canonical("Ranks Hovis McDougall Plc") == "ranks hovis mcdougall"
    assert table.aliases_of("Ranks Hovis McDougall") == {"ranks hovis mcdougall", "rhm", "rhml"}
    assert table.aliases_of("Avana") == {"avana"}  # unknown names answer with their own key


def test_claim_name_meets_sentence_name() -> None:
    """A claim saying "Hughes Tool" and a sentence of the story saying "HT" (and vice versa)."""
    story = document_aliases(HUGHES_STORY)
    assert expand_names(["Hughes Tool"], story) & expand_names(["HT"], story)
    assert expand_names(["HT"], story) & expand_names(["Hughes Tool Co"], story)
    assert same_name("Hughes Tool Co", "HT", story)
    assert not same_name("Hughes Tool", "Baker International", story)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("General Motors", "GM"),
        ("General Motors Corp", "GM"),
        ("British Petroleum Co Plc", "BP"),
        ("International Business Machines Corp", "IBM"),
        ("Organization of Petroleum Exporting Countries", "OPEC"),
        ("Organisation of Petroleum Exporting Countries", "OPEC"),
        ("the European Community", "EC"),
        ("European Economic Community", "EC"),
        ("Federal Reserve Board", "Fed"),
        ("the Federal Reserve", "Fed"),
        ("International Monetary Fund", "IMF"),
        ("General Agreement on Tariffs and Trade", "GATT"),
        ("U.S. Agriculture Department", "USDA"),
        ("American Telephone and Telegraph Co", "AT&T"),
        ("AT&T", "AT and T"),
        ("Volkswagen AG", "VW"),
        ("British Telecommunications Plc", "BT"),
    ],
)
def test_curated(a: str, b: str) -> None:
    assert same_name(a, b)
    assert expand_names([a]) & expand_names([b])


def test_curated_does_not_join_different_bodies() -> None:
    assert not same_name("GM", "GE")
    assert not same_name("European Community", "Federal Reserve")
    assert not expand_names(["OPEC"]) & expand_names(["IMF"])


def test_a_story_definition_wins_over_the_curated_table() -> None:
    story = document_aliases("rules on Export Credit (EC) guarantees. The EC rules")
    assert story.canonical("EC") == "export credit"
    assert story.canonical("EEC") == "european community"  # the rest of the curated entry stays
    assert curated_aliases().canonical("EC") == "european community"  # the curated table is untouched


def test_tables_join_organisations_through_shared_names() -> None:
    story = learn_aliases("The Federal Reserve Board (FRB) said")
    merged = curated_aliases().merged(story)
    assert {"frb", "fed", "federal reserve"} <= merged.aliases_of("Federal Reserve Board")


def test_build_first_definition_wins() -> None:
    table = AliasTable.build(
        [("ITC", "International Tin Council"), ("ITC", "International Trade Commission")]
    )
    assert table.canonical("ITC") == "international tin council"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("the General Motors Corp's", "general motors"),
        ("British Petroleum Co\nPlc", "british petroleum"),
        ("U.S.", "us"),
        ("AT&T", "at and t"),
        ("Procter and Gamble Co", "procter and gamble"),
        ("Smith and Co", "smith"),
        ("Siemens A.G.", "siemens"),
        ("Sedio N.V.", "sedio"),
        ("Inc", "inc"),  # a suffix alone is left as it is
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


def test_a_known_name_after_a_country_is_still_known() -> None:
    from retrieval.aliases import curated_aliases

    table = curated_aliases()
    assert "fed" in table.aliases_of("the U.S. Federal Reserve")
    assert "fed" in table.aliases_of("U.S. Federal Reserve Board")
    assert table.aliases_of("U.S. Steel") == frozenset({"us steel"})  # unknown either way


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Iowa Beef Processors", {"IBP"}),
        ("the Bank of Japan", {"BOJ"}),  # two letters ("BJ") name too many things
        ("General Motors Corp", set()),  # not "GMC": the legal form is no part of the initials
        ("Trans World Airlines Inc's", {"TWA"}),
        ("U.S. Department of Agriculture", {"USDA", "USDOA"}),
        ("Eastern president Philip Bakes", set()),  # a title inside: not one name
    ],
)
def test_initials_of_a_name(name: str, initials: set[str]) -> None:
    assert initials_of(name) == initials
