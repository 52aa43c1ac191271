"""Figures normalised on real Reuters-21578 phrasing (the newid of each source story is given).

The sentences are quoted from /work/shared/datasets/reuters-21578/reuters21578.jsonl (whitespace
collapsed); the expected values are written by hand.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from retrieval.quantities import Quantity, conflicting, explain_numbers, parse_quantities, same_quantity


def figures(text: str) -> list[tuple[float, str | None]]:
    return [(round(q.value, 6), q.unit) for q in parse_quantities(text)]


def one(text: str | Span) -> Quantity:
    found = parse_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 144: OPEC quota
        (
            "OPEC production above the 15.8 mln bpd quota set last December.",
            [(15_800_000, "barrel/day")],
        ),
        # 597: the same quota, spelled out
        (
            "OPEC was breaking its 15.8 mln barrels per day output ceiling, set last December.",
            [(15_800_000, "barrel/day")],
        ),
        # 273: "(bpd)" between two figures
        (
            "Saudi crude oil output last month fell to an average of 3.5 mln barrels per day (bpd) "
            "from 3.8 mln bpd in January, Gulf oil sources said.",
            [(3_500_000, "barrel/day"), (3_800_000, "barrel/day")],
        ),
        # 4: a hyphenated range lends its scale and unit to the low end
        (
            "BankAmerica, which holds about 2.70 billion dlrs in Brazilian loans, stands to lose "
            "15-20 mln dlrs if the interest rate is reduced",
            [(2_700_000_000, "USD"), (15_000_000, "USD"), (20_000_000, "USD")],
        ),
        # 12: dollars and cents a share; "February 28" and "fiscal 1986" are not figures
        (
            "Ohio Mattress Co said its first quarter, ending February 28, profits may be below the "
            "2.4 mln dlrs, or 15 cts a share, earned in the first quarter of fiscal 1986.",
            [(2_400_000, "USD"), (15, "cent/share")],
        ),
        # 23
        (
            "nine month profits declined a bit to 66.0 mln dlrs, or 3.07 dlrs a share, from 66.2 mln "
            "dlrs, or 3.08 dlrs a share, a year earlier",
            [
                (9, "month"),
                (66_000_000, "USD"),
                (3.07, "USD/share"),
                (66_200_000, "USD"),
                (3.08, "USD/share"),
            ],
        ),
        # 26: fractions
        (
            "The interest rate on the rescheduling was originally set at 1-1/8 pct over Eurodollar "
            "rates, but Venezuela requested easier terms because of a 40 pct drop in oil income",
            [(1.125, "percent"), (40, "percent")],
        ),
        # 32: a range of percentages
        (
            '"Our reforms should reduce licensing requirements by 65 to 70 pct," he told reporters.',
            [(65, "percent"), (70, "percent")],
        ),
        # 325: a spelled-out low end; "February 20, 2002" is a date
        (
            "Tesco Plc <TSCO.L> is issuing a 100 mln stg convertible eurobond due February 20, 2002 "
            "paying an indicated coupon of four to 4-1/4 pct",
            [(100_000_000, "GBP"), (4, "percent"), (4.25, "percent")],
        ),
        # 217: a comparison lends the unit forwards
        (
            "The proposed issue volume is 475 billion yen against the 600 billion in February.",
            [(475e9, "JPY"), (600e9, "JPY")],
        ),
        # 378
        (
            "Parent Company net profit 12.8 mln Swiss francs vs 7.5 mln.",
            [(12_800_000, "CHF"), (7_500_000, "CHF")],
        ),
        # 79: a qualified currency; "dlrs" alone is USD
        (
            "Quebecor, which had revenues of 446 mln Canadian dlrs last year and profit of 16.2 mln dlrs",
            [(446_000_000, "CAD"), (16_200_000, "USD")],
        ),
        # 191: a rate with "bbl"
        ("to 22.26 Canadian dlrs a bbl.", [(22.26, "CAD/barrel")]),
        # 209, 292, 335: spelled-out scales and currencies
        ("the government would spend two billion francs on a series of measures", [(2e9, "franc")]),
        ("The bank financed the loans by issuing two billion yuan of bonds", [(2e9, "CNY")]),
        (
            "reserve provisions of two billion forints for central expenditure and 800 mln forints",
            [(2e9, "HUF"), (800e6, "HUF")],
        ),
        # 7566: "2,000 mln" is two billion
        (
            "Of 2,000 mln hectares remaining, up to 16 mln are destroyed each year",
            [(2e9, "hectare"), (16e6, None)],
        ),
        # 3928: tonnes
        (
            "French traders planned to sell 775,000 tonnes into intervention stocks, West German "
            "traders 7,500 tonnes and Dutch traders 2,500.",
            [(775_000, "tonne"), (7_500, "tonne"), (2_500, None)],
        ),
        # 9866: ounces; "October 20, 1986" is a date
        (
            "World sales, which began on October 20, 1986, reached 2.193 mln ounces in less than six months",
            [(2_193_000, "ounce"), (6, "month")],
        ),
        # 1369: cents and dollars per bushel
        (
            "Eligible corn producers will be paid 63 cts per bushel, based on the difference between "
            "the 3.03 target price and the 2.40 dlr per bushel basic loan rate.",
            [(63, "cent/bushel"), (3.03, None), (2.4, "USD/bushel")],
        ),
        # 1711: a currency sign with a rate; "three barrels a day for three years"
        (
            "wells that produce at a rate of less than three barrels a day for three years, or until "
            "the price of oil reaches $25 a barrel.",
            [(3, "barrel/day"), (3, "year"), (25, "USD/barrel")],
        ),
        # 11260, 16794: "$" with a scale word (and a redundant "dlrs")
        ("to the tune of about $10 billion dlrs a year.", [(10e9, "USD/year")]),
        ("last year's hitting a record $169.8 billion.", [(169.8e9, "USD")]),
        # 307
        ("the Bank of England said it forecast a shortage of around 800 mln stg", [(800e6, "GBP")]),
        # 225, 59: percentage points, points
        ("minus 0.1 percentage points", [(0.1, "percentage point")]),
        ("132-1/2 pct bid/140 offered - up 2-1/2 points.", [(132.5, "percent"), (140, None), (2.5, "point")]),
        # 51: "between ... and ... mln"
        ("between 40 and 45 mln acres of erodible land", [(40e6, "acre"), (45e6, "acre")]),
        # 629: no scale lent to "500,000"
        ("to sell annually between 500,000 and one mln cars", [(500_000, None), (1e6, None)]),
        # 1: a range and a list of prices
        (
            "only limited sales were booked for March shipment at 1,750 to 1,780 dlrs per tonne",
            [(1750, "USD/tonne"), (1780, "USD/tonne")],
        ),
        (
            "Aug/Sept at 1,870, 1,875 and 1,880 dlrs per tonne FOB.",
            [(1870, "USD/tonne"), (1875, "USD/tonne"), (1880, "USD/tonne")],
        ),
        # pounds of a commodity are a weight, pounds alone sterling
        ("sales of 5.3 mln pounds of copper.", [(5.3e6, "lb")]),
        ("a 12 mln pounds sterling issue", [(12e6, "GBP")]),
        # "%", "percent"
        ("inflation of 5.5% and growth of 5.5 percent", [(5.5, "percent"), (5.5, "percent")]),
    ],
)
def test_reuters_figures(text: str, expected: list[tuple[float, str | None]]) -> None:
    assert figures(text) == [(round(v, 6), u) for v, u in expected]


def test_earnings_table_lines() -> None:
    """Reuters earnings tables: per-share lines and average shares get their unit from the label."""
    table = (
        "Shr 52 cts vs 37 cts\n"
        "    Net 1,234,000 vs 987,000\n"
        "    Revs 12.3 mln vs 11.1 mln\n"
        "    Avg shrs 4,567,000 vs 4,321,000\n"
        "    Year\n"
        "    Oper shr 1.10 dlrs vs 90 cts\n"
        "    Qtly div 15 cts vs 15 cts prior\n"
    )
    assert figures(table) == [
        (52, "cent/share"),
        (37, "cent/share"),
        (1_234_000, None),
        (987_000, None),
        (12_300_000, None),
        (11_100_000, None),
        (4_567_000, "share"),
        (4_321_000, "share"),
        (1.1, "USD/share"),
        (90, "cent/share"),
        (15, "cent/share"),
        (15, "cent/share"),
    ]


def test_table_label_on_next_line_is_not_a_unit() -> None:
    # 6,000-odd earnings stories: "Revs 251.3 mln vs 107.1 mln" then a line "Year ..."
    assert figures("Revs 251.3 mln vs 107.1 mln\n    Year Oper shr 1.10 dlrs") == [
        (251_300_000, None),
        (107_100_000, None),
        (1.1, "USD/share"),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("earned in the first quarter of fiscal 1986.", "year"),
        ("against the 1986/87 crop", "year"),
        ("since the early 1980s", "year"),
        ("effective Feb 26.", "date"),
        ("For the year ended December 31, Paradyne reported", "date"),
        ("payable April one to holders of record", "date"),
        ("the accident occurred at 1850 GMT.", "time"),
        ("1985 4th qtr net included writedowns", "ordinal"),
        ("an order for 10 Boeing 747 jets", "identifier"),
        ("a Jan. 14 A-6E crash during a training flight", "identifier"),
        ("filed for protection under Chapter 11 of the bankruptcy code", "identifier"),
        ("a two-for-one stock split", "ratio"),
        ('"and that announcement never happened," one trader said.', "pronoun"),
        ("cut Brazil's crop by nearly two-thirds.", "fraction word"),
        ("the 3M Co unit", "identifier"),
        ("results in Q1 were", "quarter"),
    ],
)
def test_not_quantities(text: str, reason: str) -> None:
    reasons = [why for _, _, why in explain_numbers(text)]
    assert reason in reasons, reasons


def test_names_with_numbers() -> None:
    assert figures("a Jan. 14 A-6E crash during a training flight") == []
    assert figures("an order for 10 Boeing 747 jets") == [(10, None)]
    # A model number after a name the label list does not know stays a unitless figure (39).
    assert figures("Du Pont said the new product, Kevlar 149, is up to 40 pct stiffer") == [
        (149, None),
        (40, "percent"),
    ]


def test_offsets_and_text() -> None:
    text = "OPEC production above the 15.8 mln bpd quota"
    quantity = one(text)
    assert text[quantity.start : quantity.end] == quantity.text == "15.8 mln bpd"
    low, high = parse_quantities("lose 15-20 mln dlrs")
    assert (low.text, high.text) == ("15", "20 mln dlrs")


def test_span_offsets_are_doc_offsets() -> None:
    doc = spacy.blank("en")("Output fell. OPEC produced 15.8 mln bpd in March.")
    span = doc[3:]
    quantity = one(span)
    assert doc.text[quantity.start : quantity.end] == "15.8 mln bpd"
    assert quantity.value == pytest.approx(15.8e6)


@pytest.mark.parametrize(
    ("claim", "wire"),
    [
        ("18 million barrels a day", "18 mln bpd"),
        ("1.3 million dollars", "1.3 mln dlrs"),
        ("$1.3 million", "1.3 mln dlrs"),
        ("5.5 percent", "5.5 pct"),
        ("5.5%", "5.5 pct"),
        ("10 million pounds", "10 mln stg"),
        ("10 million sterling", "10 mln stg"),
        ("two billion dollars", "2,000 mln dlrs"),
        ("2 bln dlrs", "two billion dlrs"),
        ("$1.5 billion", "1.5 billion dlrs"),
        ("52 cents a share", "52 cts a share"),
        ("0.52 dollars a share", "52 cts a share"),
        ("775,000 tons", "775,000 tonnes"),
        ("3 billion yen", "3,000 mln yen"),
        # an amount and a rate of it: writers drop "a day" and "a share"
        ("18 million barrels", "18 mln bpd"),
        ("a dividend of 15 cents", "Qtly div 15 cts"),
        # a figure without a unit is carried by the same figure with one
        ("18 million", "18 mln bpd"),
        # basis points are hundredths of a percentage point
        ("a quarter percentage point", "25 basis points"),
        # prices in eighths: the same price written two ways, and a wire's extra digit
        ("48.50 dollars a share", "48-1/2 dlrs a share"),
        ("18.1 million", "18.12 mln bpd"),
    ],
)
def test_same_quantity(claim: str, wire: str) -> None:
    if claim == "a quarter percentage point":
        a = Quantity(0.25, "percentage point", 0, 0, claim, 0.01)
    else:
        a = one(claim)
    b = one(wire)
    assert same_quantity(a, b) and same_quantity(b, a)
    assert not conflicting(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("18 mln bpd", "16 mln bpd"),
        ("5.5 pct", "5.6 pct"),
        ("2 billion dlrs", "3 billion dlrs"),
        ("1.5 billion dlrs", "1.4 billion dlrs"),
        ("52 cts a share", "0.62 dlrs a share"),
    ],
)
def test_conflicting(a: str, b: str) -> None:
    qa, qb = one(a), one(b)
    assert conflicting(qa, qb) and conflicting(qb, qa)
    assert not same_quantity(qa, qb)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2 billion dlrs", "1.98 billion dlrs"),  # a rounding of the other
        ("1.5 billion dlrs", "1.48 billion dlrs"),
        ("18 mln bpd", "18.4 mln bpd"),
        ("18 mln barrels", "2 mln bpd"),  # an amount and a rate: different measures
        ("5 mln dlrs", "5 mln stg"),  # different currencies are not comparable
        ("18 million", "16 mln bpd"),  # no unit on one side: nothing to conflict with
    ],
)
def test_not_conflicting(a: str, b: str) -> None:
    assert not conflicting(one(a), one(b))
    if a != "18 million":
        assert not same_quantity(one(a), one(b))  # neither the same nor in conflict: a rounding


def test_what_a_unitless_figure_counts() -> None:
    """A bare figure matches any unit; one that counts something outside the lexicon does not."""
    # 629: "between 500,000 and one mln cars"; earnings tables: "Net 1,234,000 vs 987,000"
    assert [q.counts for q in parse_quantities("between 500,000 and one mln cars")] == ["cars", "cars"]
    assert [q.counts for q in parse_quantities("Net 1,234,000 vs 987,000")] == [None, None]
    assert [q.counts for q in parse_quantities("5 to 6 mln people")] == ["people", "people"]
    people, dollars, bare = one("18 million people"), one("18 mln dlrs"), one("18 million")
    assert not same_quantity(people, dollars) and not same_quantity(dollars, people)
    assert same_quantity(bare, dollars) and same_quantity(bare, people)
    assert same_quantity(one("5,000 workers"), one("5,000 employees"))


def test_different_units_are_not_the_same_quantity() -> None:
    assert not same_quantity(one("5 mln dlrs"), one("5 mln stg"))
    assert not same_quantity(one("5 pct"), one("5 mln dlrs"))
    assert not same_quantity(one("18 mln barrels a day"), one("18 mln tonnes"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("48.50 dollars a share", "48-5/8"),  # 0.26% apart, but a whole eighth where both are exact
        ("24-1/4", "24-3/8"),
        ("1.5 billion dlrs", "1.48 billion dlrs"),
    ],
)
def test_figures_exact_to_their_last_digit_differ_by_more_than_it(a: str, b: str) -> None:
    assert not same_quantity(one(a), one(b)) and not same_quantity(one(b), one(a))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("the shares jumped eight and five-eighths", 8.625),
        ("it rose two and a half pct", 2.5),
        ("up one and three quarters", 1.75),
    ],
)
def test_a_mixed_number_in_words_is_the_wire_fraction(text: str, value: float) -> None:
    """ "eight and five-eighths" is the "8-5/8" of a price table, to the eighth."""
    (quantity,) = parse_quantities(text)
    assert quantity.value == value and same_quantity(quantity, parse_quantities(f"up {value}")[0])


def test_a_fraction_word_alone_is_no_figure() -> None:
    assert parse_quantities("two-thirds of the members voted") == []


def test_bare_francs_are_whichever_francs_the_story_means() -> None:
    """ "net profit of 190.9 mln Swiss francs ... raised its dividend to 160 francs": a bare franc
    (or crown) commits to no country; a bare dollar is the U.S. dollar."""
    assert same_quantity(one("160 Swiss francs"), one("160 francs"))
    assert same_quantity(one("25 billion francs"), one("25 billion French francs"))
    assert same_quantity(one("5 mln Danish crowns"), one("5 mln crowns"))
    assert not same_quantity(one("160 Swiss francs"), one("160 French francs"))
    assert not same_quantity(one("5 mln dlrs"), one("5 mln Canadian dlrs"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("has placed a firm order for four 747-400 aircraft", [(4.0, None)]),
        ("the A340-300 and the 767-300ER", []),
        ("prices of 235-300 dlrs a tonne", [(235.0, "USD/tonne"), (300.0, "USD/tonne")]),
        ("sales rose in the first three months of 1987 and the first nine months", []),
        ("the strike in the past two weeks", [(2.0, "week")]),
        ("voted 3-2 in favor", [(3.0, None), (2.0, None)]),
        ("was passed by a 304-100 vote", [(304.0, None), (100.0, None)]),
    ],
)
def test_an_aircraft_series_and_a_period_are_no_figures(
    text: str, found: list[tuple[float, str | None]]
) -> None:
    assert figures(text) == found


@pytest.mark.parametrize(
    ("claimed", "stated", "same"),
    [
        ("a record of about 213,500 tonnes", "a record 213,506 tonnes", True),
        ("some 75,000 tonnes", "74,800 tonnes", True),
        ("a record of 213,500 tonnes", "a record 213,506 tonnes", False),  # exact to the unit
        ("about 8.5 pct", "8.54 pct", True),
        ("about 8.5 pct", "8.64 pct", False),
    ],
)
def test_an_approximate_figure_is_a_rounding(claimed: str, stated: str, same: bool) -> None:
    assert same_quantity(one(claimed), one(stated)) is same
