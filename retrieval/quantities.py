"""Figures in news text, normalised so that a claim's figure can be compared with a sentence's.

Why: the support decision needs a claim's figures to appear in the evidence, and wire copy writes
them differently from the people who quote it. Reuters (1987) writes "18 mln bpd" where a claim says
"18 million barrels a day", "1.3 mln dlrs" for "1.3 million dollars" or "$1.3 million", "5.5 pct"
for "5.5%" and "2,000 mln" for "two billion". Comparing words or digit strings misses all of these;
comparing ``(value, unit)`` pairs does not.

``parse_quantities`` finds every figure in a text (or a spaCy ``Span``) and returns ``Quantity``
records: ``value`` with the scale word applied ("1.3 mln" -> 1_300_000.0), ``unit`` a canonical
name (ISO 4217 code for a currency, a singular lowercase name for a measure, ``"X/Y"`` for a rate:
``"USD/share"``, ``"barrel/day"``) or ``None`` when the text gives none, and character offsets.

What is not a quantity, because it never carries a claim's figure and would match by accident:
years ("1987", "1986/87"), dates ("March 26", "26 March"), clock times ("1530 GMT"), ordinals
("4th qtr"), quarter codes ("Q1"), identifiers ("F-16", "Boeing 747", "Chapter 11", "Section 301",
"3M", an aircraft's series "747-400"), a year's quarter, half or nine months counted from its start
("the first three months": the wire as often says "the first quarter"), stock-split ratios ("3-for-2"),
fraction words ("two-thirds"), and the word "one" on its own
(mostly a pronoun: "one of the largest").

Choices worth knowing:
- **Ranges** ("five to six pct", "1,750 to 1,780 dlrs per tonne", "5-6 mln") keep *both ends* as
  separate quantities, each with its own offsets; a bare low end takes the high end's unit and,
  when it is not much larger than the high end's digits ("5 to 6 mln", not "500 to 1.5 mln"), its
  scale. A claim quoting either end then finds the sentence; nothing is averaged away. The same
  applies to lists ("1,850 and 1,880 dlrs", "1,870, 1,875 and 1,880 dlrs").
- **Cents** keep their own unit (``cent``; ``cent/share`` in earnings) and are converted to
  dollars only when compared (``same_quantity``), as are pence, and basis points to percentage
  points.
- **Ambiguous currencies** get a generic unit ("crowns" -> ``crown``, "pesos" -> ``peso``) unless
  qualified ("Danish crowns" -> ``DKK``); an unknown qualifier ("Zimbabwe dlrs") leaves the unit
  out rather than guess ``USD``. "pounds" is sterling unless followed by "of" ("5 mln pounds of
  copper" -> ``lb``).
- **Earnings tables**: Reuters prints "Shr 52 cts vs 37 cts", "Qtly div 15 cts" and "Avg shrs
  12.3 mln"; figures on a line that starts with such a label get ``cent/share`` / ``share``.
  Figures on "Net"/"Revs" lines stay unitless (the currency is the company's, not always USD).
- Signs ("minus", "-2.5") are not recorded: direction is the verifier's business. An
  approximation ("about 213,500", "some 75,000") is recorded only as the figure's resolution: the
  place of its last non-zero digit, so that it matches the wire's exact 213,506.

Everything is regular expressions over the text (no parse, no I/O): it runs at ingest and per claim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = [
    "Quantity",
    "conflicting",
    "explain_numbers",
    "parse_quantities",
    "same_quantity",
    "word_number",
]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure: value with its scale applied, canonical unit (or None), and where it is.

    ``start``/``end`` are character offsets into the text given to ``parse_quantities`` (for a
    ``Span``, into its ``Doc``'s text, like spaCy's own offsets); ``text`` is that slice.
    ``resolution`` is the step of the last written digit in ``unit`` ("1.5 billion" -> 1e8,
    "5.5 pct" -> 0.1, "two billion" -> 1e9): a figure is not called conflicting with another that it
    could be a rounding of. ``counts`` is the word a figure without a unit is followed by, when it
    reads as what is counted ("5,000 workers" -> "workers", "18 million people" -> "people"); None
    for a bare figure ("18 million", "Net 1,234,000 vs ..."). It tells a figure that has no unit
    from one whose unit is not in the lexicon: only a bare figure matches any unit.
    """

    value: float
    unit: str | None
    start: int
    end: int
    text: str
    resolution: float = 0.0
    counts: str | None = None


# ---------------------------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------------------------

_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "mln": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "bln": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "trn": 1e12,
}

_SMALL_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}


def word_number(word: str) -> int | None:
    """The value of a number written as one word ("nine" -> 9, "twenty" -> 20); None for any other
    word and for "zero" and "one", which are mostly not numbers ("one of the largest")."""
    value = _SMALL_WORDS.get(word.lower()) or _TENS_WORDS.get(word.lower())
    return value if value is not None and value > 1 else None


# Base units written after a number. Currency bases resolve through a qualifier ("Canadian dlrs")
# in _QUALIFIED; everything else maps straight to its canonical unit. Longer spellings first.
_CURRENCY_BASES: dict[str, tuple[str, ...]] = {
    "dollar": ("dollars", "dollar", "dlrs", "dlr"),
    "franc": ("francs", "franc", "frs"),
    "crown": ("crowns", "crown", "kronor", "kroner", "krona", "krone"),
    "mark": ("deutsche marks", "deutschemarks", "d-marks", "marks", "mark"),
    "pound": ("pounds sterling", "pounds", "pound", "punts"),
    "cent": ("cents", "cent", "cts", "ct"),
    "peso": ("pesos", "peso"),
    "riyal": ("riyals", "riyal", "rials", "rial"),
    "rupee": ("rupees", "rupee"),
    "shilling": ("shillings", "shilling"),
    "dinar": ("dinars", "dinar"),
    "lira": ("lire", "lira"),
}
_CURRENCY_DEFAULT: dict[str, str] = {
    "dollar": "USD",
    "franc": "franc",  # French, Swiss, Belgian: a bare "francs" is whichever the story is about
    "crown": "crown",
    "mark": "DEM",
    "pound": "GBP",
    "cent": "cent",
    "peso": "peso",
    "riyal": "riyal",
    "rupee": "rupee",
    "shilling": "shilling",
    "dinar": "dinar",
    "lira": "ITL",
}
# (normalised qualifier, currency base) -> unit. A qualifier not listed here for its base makes
# the unit unknown (None) rather than a wrong default.
_QUALIFIED: dict[tuple[str, str], str] = {
    **{(q, "dollar"): "USD" for q in ("u.s.", "u.s", "us", "american")},
    **{(q, "cent"): "cent" for q in ("u.s.", "u.s", "us", "american")},
    **{(q, "dollar"): "CAD" for q in ("canadian", "can", "canada")},
    **{(q, "cent"): "CAD cent" for q in ("canadian", "can", "canada")},
    **{(q, "dollar"): "AUD" for q in ("australian", "aust", "aus", "australia")},
    **{(q, "dollar"): "NZD" for q in ("n.z.", "nz", "new zealand")},
    **{(q, "dollar"): "HKD" for q in ("h.k.", "hk", "hong kong")},
    ("singapore", "dollar"): "SGD",
    ("taiwan", "dollar"): "TWD",
    ("new taiwan", "dollar"): "TWD",
    ("malaysian", "dollar"): "MYR",
    ("brunei", "dollar"): "BND",
    ("zimbabwe", "dollar"): "ZWD",
    ("zimbabwean", "dollar"): "ZWD",
    ("swiss", "franc"): "CHF",
    ("french", "franc"): "FRF",
    ("belgian", "franc"): "BEF",
    ("luxembourg", "franc"): "LUF",
    ("cfa", "franc"): "XAF",
    ("danish", "crown"): "DKK",
    ("swedish", "crown"): "SEK",
    ("norwegian", "crown"): "NOK",
    ("west german", "mark"): "DEM",
    ("german", "mark"): "DEM",
    ("finnish", "mark"): "FIM",
    ("british", "pound"): "GBP",
    ("irish", "pound"): "IEP",
    ("egyptian", "pound"): "EGP",
    ("syrian", "pound"): "SYP",
    ("cyprus", "pound"): "CYP",
    ("mexican", "peso"): "MXN",
    ("philippine", "peso"): "PHP",
    ("saudi", "riyal"): "SAR",
    ("qatari", "riyal"): "QAR",
    ("indian", "rupee"): "INR",
    ("pakistani", "rupee"): "PKR",
    ("kenyan", "shilling"): "KES",
    ("kenya", "shilling"): "KES",
    ("italian", "lira"): "ITL",
}
_QUALIFIERS = sorted({q for q, _ in _QUALIFIED}, key=len, reverse=True)
# A qualified currency -> the bare name a story uses for it once the country is clear ("1986 net
# profit of 190.9 mln Swiss francs ... raised its dividend to 160 francs"). Only bases whose bare
# name commits to no country (francs, crowns): a bare "dollars" is U.S. dollars.
_BARE_FORM: dict[str, str] = {
    unit: _CURRENCY_DEFAULT[base] for (_, base), unit in _QUALIFIED.items() if _CURRENCY_DEFAULT[base] == base
}

_PLAIN_UNITS: dict[str, tuple[str, ...]] = {
    "GBP": ("stg", "sterling"),
    "JPY": ("yen",),
    "NLG": ("guilders", "guilder", "florins"),
    "XEU": ("european currency units", "ecus", "ecu"),
    "ZAR": ("rand",),
    "MYR": ("ringgit",),
    "CNY": ("yuan", "renminbi"),
    "THB": ("baht",),
    "BRC": ("cruzados", "cruzado"),
    "ARA": ("australs", "austral"),
    "ESP": ("pesetas", "peseta"),
    "PTE": ("escudos", "escudo"),
    "GRD": ("drachmas", "drachma"),
    "ATS": ("schillings", "schilling"),
    "IDR": ("rupiah",),
    "NGN": ("naira",),
    "PLN": ("zlotys", "zloty"),
    "HUF": ("forints", "forint"),
    "ILS": ("shekels", "shekel"),
    "pence": ("pence",),
    "percentage point": (
        "percentage points",
        "percentage point",
        "percent points",
        "percent point",
        "pct points",
        "pct point",
        "pct pts",
    ),
    "basis point": ("basis points", "basis point", "bps", "bp"),
    "percent": ("percent", "per cent", "pct", "p.c."),
    "point": ("points", "point", "pts"),
    "barrel/day": ("bpd", "b/d", "bbl/d", "bopd"),
    "barrel": ("barrels", "barrel", "bbls", "bbl"),
    "short ton": ("short tons", "short ton"),
    "long ton": ("long tons", "long ton"),
    "tonne": ("metric tonnes", "metric tons", "tonnes", "tonne", "tons", "ton", "mt"),
    "ounce": ("troy ounces", "troy ounce", "ounces", "ounce", "ozs", "oz"),
    "bushel": ("bushels", "bushel", "bu"),
    "lb": ("lbs", "lb"),
    "kg": ("kilograms", "kilogram", "kilos", "kilo", "kgs", "kg"),
    "bag": ("bags", "bag"),
    "bale": ("bales", "bale"),
    "cubic foot": ("cubic feet", "cubic foot", "cu ft"),
    "cubic metre": ("cubic metres", "cubic meters", "cubic metre", "cubic meter"),
    "gallon": ("gallons", "gallon"),
    "litre": ("litres", "liters", "litre", "liter"),
    "hectare": ("hectares", "hectare"),
    "acre": ("acres", "acre"),
    "mile": ("miles", "mile"),
    "km": ("kilometres", "kilometers", "kilometre", "kilometer", "kms", "km"),
    "foot": ("feet", "foot", "ft"),
    "metre": ("metres", "meters", "metre", "meter"),
    "megawatt": ("megawatts", "megawatt", "mw"),
    "share": (
        "common shares",
        "ordinary shares",
        "preferred shares",
        "preference shares",
        "shares",
        "share",
        "shrs",
    ),
    "year": ("years", "year", "yrs", "yr"),
    "month": ("months", "month", "mths", "mth"),
    "week": ("weeks", "week", "wks"),
    "day": ("days", "day"),
    "hour": ("hours", "hour", "hrs"),
}
# Units that only make sense after a scale word: "won" is a verb, "m" could be metres.
_AFTER_SCALE_ONLY: dict[str, str] = {"won": "KRW"}

_DENOMINATORS: dict[str, str] = {
    "share": "share",
    "shr": "share",
    "barrel": "barrel",
    "bbl": "barrel",
    "tonne": "tonne",
    "ton": "tonne",
    "metric ton": "tonne",
    "ounce": "ounce",
    "troy ounce": "ounce",
    "oz": "ounce",
    "bushel": "bushel",
    "bu": "bushel",
    "lb": "lb",
    "pound": "lb",
    "kilo": "kg",
    "kg": "kg",
    "gallon": "gallon",
    "litre": "litre",
    "liter": "litre",
    "head": "head",
    "bag": "bag",
    "bale": "bale",
    "acre": "acre",
    "hectare": "hectare",
    "day": "day",
    "year": "year",
    "yr": "year",
    "annum": "year",
    "month": "month",
    "week": "week",
    "hour": "hour",
}
_ADVERB_RATES: dict[str, str] = {
    "daily": "day",
    "a day": "day",
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
}

_CURRENCY_PREFIXES: dict[str, str] = {
    "us$": "USD",
    "u.s.$": "USD",
    "u.s. $": "USD",
    "c$": "CAD",
    "can$": "CAD",
    "a$": "AUD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "$": "USD",
    "£": "GBP",
    "¥": "JPY",
    "€": "EUR",
}

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sept",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
# Capitalised words directly before a number that make it a name, not a figure.
_LABEL_WORDS = (
    "Chapter",
    "Section",
    "Sections",
    "Article",
    "Articles",
    "Rule",
    "Resolution",
    "Regulation",
    "Form",
    "Flight",
    "Room",
    "Route",
    "Highway",
    "Interstate",
    "Boeing",
    "Airbus",
    "Tristar",
    "Number",
    "No.",
    "Nos.",
    "No",
    "Item",
    "Title",
    "Amendment",
    "Proposition",
    "Phase",
    "Class",
    "Series",
    "Tier",
    "Paragraph",
    "Page",
    "Group of",
    "Super",
    "Lotus",
    "Apollo",
    "Pershing",
    "Reg",
)

# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------


def _alternation(phrases: list[str] | tuple[str, ...]) -> str:
    """Regex alternation of literal phrases, longest first, inner spaces matching any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


_ONE_TO_NINE = list(_SMALL_WORDS)[1:10]
_WORD_UNIT = (
    rf"(?:{_alternation(list(_TENS_WORDS))})(?:[- ](?:{_alternation(_ONE_TO_NINE)}))?"
    rf"|(?:{_alternation(list(_SMALL_WORDS))})"
)
_WORD_NUMBER = rf"\b(?:{_WORD_UNIT})(?:\s+hundred(?:\s+(?:and\s+)?(?:{_WORD_UNIT}))?)?\b"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|\d+(?:\.\d+)?|\.\d+"
# A whole number and a fraction in words, as a price change is spoken ("eight and five-eighths",
# "two and a half"): the wire writes it "8-5/8", "2-1/2". A fraction word alone ("two-thirds of
# the members") is a proportion, not a figure, and stays a "fraction word".
_WORD_DENOMINATORS: dict[str, int] = {
    "half": 2,
    "halves": 2,
    "quarter": 4,
    "quarters": 4,
    "eighth": 8,
    "eighths": 8,
    "sixteenth": 16,
    "sixteenths": 16,
}
_WORD_NUMERATORS: dict[str, int] = {"a": 1, **{w: n for w, n in _SMALL_WORDS.items() if 0 < n < 16}}
_MIXED_WORDS = (
    rf"(?P<mwhole>{_WORD_NUMBER})\s+and\s+(?P<mnum>{_alternation(list(_WORD_NUMERATORS))})"
    rf"[- ](?P<mden>{_alternation(list(_WORD_DENOMINATORS))})\b"
)
_FRACTION = (
    r"(?P<whole>\d+)[- ](?P<fnum>\d{1,2})/(?P<fden>\d{1,2})(?![\d/])"
    r"|(?P<fnum2>\d{1,2})/(?P<fden2>\d{1,2})(?![\d/])"
)

_SCALE_WORDS = _alternation([s for s in _SCALES if s != "m" and s != "mn"])
_ATTACHED_SCALE = r"mln|bln|mn|bn|m"
# Denominators of the fractions wire copy writes in prices and rates ("8-1/4 pct", "2-1/5 cts").
_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 8, 10, 16, 32, 64})

_currency_phrases = [p for spellings in _CURRENCY_BASES.values() for p in spellings]
_plain_phrases = [p for spellings in _PLAIN_UNITS.values() for p in spellings]
_UNIT = (
    rf"(?:(?P<qual>{_alternation(_QUALIFIERS)})\s+)?(?P<cur>{_alternation(_currency_phrases)})(?![\w$])"
    rf"|(?P<plain>{_alternation(_plain_phrases)})(?![\w$])|(?P<pct>%)|(?-i:(?P<tonne_t>T))\b"
)
_DENOM = (
    rf"(?:\s+of\s+(?:crude\s+)?oil)?"
    rf"(?:(?:\s+(?:a|an|per|each)\s+|\s*/\s*)(?P<denom>{_alternation(list(_DENOMINATORS))})s?\b"
    rf"(?!\s+(?:ago|earlier|before|previously|later))"
    rf"|\s+(?P<adverb>{_alternation(list(_ADVERB_RATES))})\b(?!\s+(?:ago|earlier|before))"
    rf"|\s+(?P<perannum>per\s+annum|p\.a\.))"
)

# Characters a figure can start with: a digit, a decimal point, a currency sign or prefix, a number
# word. Checked first so that the long pattern below is tried only where a figure can begin.
_FIRST_CHARS = re.escape(
    "".join(
        sorted(
            {
                ch
                for word in (*_SMALL_WORDS, *_TENS_WORDS, "a", *_CURRENCY_PREFIXES)
                for ch in (word[0], word[0].upper())
            }
            | set("0123456789.")
        )
    )
)
_CANDIDATE = re.compile(
    rf"(?=[{_FIRST_CHARS}])(?P<prefix>{_alternation(list(_CURRENCY_PREFIXES))})?\s?"
    rf"(?P<core>{_FRACTION}|{_DIGITS}|{_MIXED_WORDS}|(?P<words>{_WORD_NUMBER})|(?P<a>\ba)(?=\s+(?:million|billion|thousand|trillion)\b))"
    rf"(?:(?P<attscale>{_ATTACHED_SCALE})(?![A-Za-z])|\s+(?P<scale>{_SCALE_WORDS})\b|(?-i:(?P<pence>p))(?![A-Za-z]))?"
    rf"(?:(?:\s+|-|(?=%))(?:{_UNIT}|(?P<afterscale>{_alternation(list(_AFTER_SCALE_ONLY))})\b))?"
    rf"(?:{_DENOM})?",
    re.IGNORECASE,
)

_MONTH_RE = "|".join(
    alt for m in sorted(_MONTHS, key=len, reverse=True) for alt in (re.escape(m), re.escape(m.upper()))
)
_WORD_DAY = _alternation(
    [
        *_SMALL_WORDS,
        *(f"twenty{sep}{unit}" for sep in ("-", " ") for unit in _ONE_TO_NINE),
        "twenty",
        "thirty",
        "thirty-one",
    ]
)
_MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "time",
        re.compile(
            r"\b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|gmt|est|edt|cst|cdt|pst|pdt|bst|cet)(?![A-Za-z])",
            re.I,
        ),
    ),
    ("time", re.compile(r"\b\d{1,2}:\d{2}\b")),
    (
        "time",
        re.compile(r"(?<![\d.,])\b\d{4}\s*(?:gmt|est|edt|cst|cdt|pst|pdt|bst|cet|hrs|hours\s+local)\b", re.I),
    ),
    ("time", re.compile(r"(?<![\d.,])\b\d{1,2}\s*(?:a\.m\.|p\.m\.)", re.I)),
    ("date", re.compile(rf"(?-i:\b(?:{_MONTH_RE}))\.?\s+(?:{_WORD_DAY})\b", re.I)),
    (
        "date",
        re.compile(rf"(?-i:\b(?:{_MONTH_RE}))\.?\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d.,]?\d)"),
    ),
    ("date", re.compile(rf"(?<![\d.,])\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?-i:(?:{_MONTH_RE}))\b")),
    ("ordinal", re.compile(r"(?<![\d.,])\b\d+(?:st|nd|rd|th)\b", re.I)),
    ("quarter", re.compile(r"\b(?:Q[1-4]|[1-4]Q)\b")),
    ("ratio", re.compile(r"\b[\w.]+-for-[\w.]+\b", re.I)),
    ("identifier", re.compile(r"\b\d{1,2}-[A-Z]\b")),  # SEC filings: 10-K, 13-D
    # An aircraft's series after its model: "747-400", "767-300ER", "A340-300" (a Boeing 7x7 and a
    # round hundred, or a letter-and-digit name), not two figures; a vote ("304-100") stays two.
    ("identifier", re.compile(r"(?<![\d.,])\b7\d7-\d00(?:[A-Z]{1,3})?\b")),
    ("identifier", re.compile(r"\b[A-Z]+\d+-\d+[A-Z]{0,3}\b")),
    # The quarter, half or nine months of a year counted from its start ("the first three months of
    # 1987"), which the wire as often names by its word ("the first quarter", "the first half"):
    # a period, not an amount of something. Other counted stretches ("the past two weeks") stay
    # figures: a claim may state them ("the strike lasted two weeks").
    (
        "period",
        re.compile(r"\b(?:first|second|third|last|final)\s+(?:three|six|nine|[369])\s+months\b", re.I),
    ),
    ("year", re.compile(r"(?<![\d.,])\b(?:19|20)\d{2}[-/](?:(?:19|20)?\d{2})\b")),  # 1986/87
    ("year", re.compile(r"(?<![\d.,])(?:\b(?:19|20)\d0|'\d0)'?s\b")),  # the 1980s, the '70s
    ("fraction word", re.compile(r"\b\w+-(?:thirds?|quarters?|halves|half|fifths?|tenths?)\b", re.I)),
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_YEAR_SUFFIX = re.compile(r"[-/](?:(?:19|20)\d{2}|\d{2})(?!\d)")
_LABEL_BEFORE = re.compile(rf"(?:{_alternation(list(_LABEL_WORDS))})\s*$")
# Between the ends of a range or the items of a list: the unit is written once, after the last.
_RANGE_GAP = re.compile(r"\s*(?:-|\u2013|to|and|or|,|,\s*and|,\s*or)\s*", re.I)
# Between a figure and the one it is compared with: the unit is written once, on either side
# ("rose to 381 mln dlrs from 160", "rose to 760,000 from 709,200 tonnes").
_COMPARISON_GAP = re.compile(
    r",?\s*(?:(?:up|down)\s+)?(?:from|against|compared\s+with|compared\s+to|versus|vs\.?)"
    r"(?:\s+(?:a\s+revised|a|an|the|around|about|some|nearly|almost))?\s*",
    re.I,
)
# Earnings-table line labels: "Shr", "Oper shr", "Qtly div", "Final div" (per share), "Avg shrs".
_SHARE_LINE = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,2}(?:shr|div)\b", re.I)
_MONEY_UNITS = frozenset(
    {
        *_CURRENCY_DEFAULT.values(),
        *_QUALIFIED.values(),
        *_CURRENCY_PREFIXES.values(),
        *_AFTER_SCALE_ONLY.values(),
    }
    | {unit for unit in _PLAIN_UNITS if unit.isupper() or unit == "pence"}
)
_SHARES_LINE = re.compile(r"\s*(?:[A-Za-z-]+\s+){0,2}shrs\b", re.I)


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    """A number as found, before ranges and table labels have been resolved."""

    start: int
    end: int
    raw: float  # the written number, before the scale word
    resolution: float  # step of the last written digit, before the scale word
    scale: float
    unit: str | None
    explicit_scale: bool
    counts: str | None = None


def _words_value(words: str) -> tuple[float, float]:
    """("three hundred" -> 300, step 100), ("twenty-five" -> 25, step 1)."""
    total = 0
    current = 0
    step = 1.0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and" or not word:
            continue
        if word == "hundred":
            current = max(current, 1) * 100
            step = 100.0
        else:
            current += _TENS_WORDS.get(word) or _SMALL_WORDS[word]
            step = 1.0
    total += current
    return float(total), step


def _core_value(match: re.Match[str]) -> tuple[float, float] | None:
    """Written value and resolution of the number itself; None for something that is not one."""
    if match.group("a"):
        return 1.0, 1.0
    if match.group("mwhole"):
        whole, _ = _words_value(match.group("mwhole"))
        num = _WORD_NUMERATORS[match.group("mnum").lower()]
        den = _WORD_DENOMINATORS[match.group("mden").lower()]
        if not 0 < num < den:
            return None
        return whole + num / den, 1.0 / den
    if match.group("words"):
        return _words_value(match.group("words"))
    if match.group("fden") or match.group("fden2"):
        num = int(match.group("fnum") or match.group("fnum2"))
        den = int(match.group("fden") or match.group("fden2"))
        if den not in _FRACTION_DENOMINATORS or not 0 < num < den:
            return None
        whole = int(match.group("whole") or 0)
        return whole + num / den, 1.0 / den
    digits = match.group("core").replace(",", "")
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return float(digits), 10.0**-decimals


# Words that make the figure after them a rounding ("about 213,500 tonnes" for the wire's
# 213,506). Bounds ("nearly", "more than") are another matter: ``bound_before``.
_APPROXIMATE_BEFORE = re.compile(
    r"\b(?:about|around|some|roughly|approximately|approx\.?|an\s+estimated|estimated)\s+\S?$", re.I
)


def _rounding_step(raw: float, resolution: float) -> float:
    """The step a round figure is written to, when its words say it is rounded: the place of its
    last non-zero digit ("about 213,500" -> 100, "some 75,000" -> 1,000); a figure with decimals
    is already as fine as it is written ("about 8.5" -> 0.1)."""
    if resolution < 1 or raw < 10 or raw != int(raw):
        return resolution
    step = max(resolution, 1.0)
    while raw % (step * 10) == 0 and step * 10 < raw:
        step *= 10
    return step


def _unit_of(match: re.Match[str], text: str) -> str | None:
    """Canonical unit named after a number (currency resolved through its qualifier), or None."""
    if match.group("pct"):
        return "percent"
    if match.group("pence"):
        return "pence"
    if match.group("tonne_t"):
        return "tonne"
    if match.group("afterscale"):
        if not (match.group("scale") or match.group("attscale")):
            return None
        return _AFTER_SCALE_ONLY[match.group("afterscale").lower()]
    if plain := match.group("plain"):
        phrase = _squash(plain)
        return next(unit for unit, spellings in _PLAIN_UNITS.items() if phrase in spellings)
    if cur := match.group("cur"):
        phrase = _squash(cur)
        base = next(base for base, spellings in _CURRENCY_BASES.items() if phrase in spellings)
        if base == "pound" and phrase != "pounds sterling" and re.match(r"\s+of\b", text[match.end("cur") :]):
            return "lb"
        qualifier = match.group("qual")
        if qualifier:
            return _QUALIFIED.get((_squash(qualifier), base))
        return _CURRENCY_DEFAULT[base]
    return None


_UNIT_GROUPS = ("qual", "cur", "plain", "pct", "tonne_t", "afterscale")


def _unit_belongs(match: re.Match[str], text: str) -> bool:
    """False for a capitalised word on the next line: in earnings tables "Revs 251.3 mln vs 107.1
    mln" is followed by a line "Year Shr ...", whose "Year" is a label, not the figure's unit."""
    starts = [match.start(group) for group in _UNIT_GROUPS if match.start(group) >= 0]
    if not starts:
        return True
    unit_start = min(starts)
    number_end = max(match.end("core"), match.end("scale"), match.end("attscale"), match.end("pence"))
    word = text[unit_start : unit_start + 2]
    return "\n" not in text[number_end:unit_start] or not (word[:1].isupper() and word[1:].islower())


def _squash(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _rate_of(match: re.Match[str]) -> str | None:
    if denom := match.group("denom"):
        return _DENOMINATORS[_squash(denom)]
    if adverb := match.group("adverb"):
        return _ADVERB_RATES[_squash(adverb)]
    if match.group("perannum"):
        return "year"
    return None


def _mask_reason(text: str, position: int) -> str | None:
    """Why the number at ``position`` is part of something that is not a quantity (a date, a
    year, a time, ...), or None. Only the text around the number is searched: every mask is short,
    and scanning whole stories with each of them doubled the parse time."""
    low, high = max(0, position - _MASK_REACH), min(len(text), position + _MASK_REACH)
    for reason, pattern in _MASKS:
        for match in pattern.finditer(text, low, high):
            if match.start() <= position < match.end():
                return reason
    return None


_MASK_REACH = 32


def _skip_reason(match: re.Match[str], text: str) -> str | None:
    """Why a candidate number is not a quantity, or None when it is one."""
    start, end = match.start("core"), match.end("core")
    if masked := _mask_reason(text, start):
        return masked
    before = text[max(0, start - 2) : start].rjust(2)
    if before[1].isalpha() or (before[1] == "-" and before[0].isalpha()):
        return "identifier"  # F-16, SU-25, A320
    if before[1] == "/" and before[0].isdigit():
        return "identifier"  # 3/26
    after_index = max(end, match.end("attscale"), match.end("pence"))
    after = text[after_index : after_index + 2].ljust(2)
    if after[0].isalpha() or after[0] in ("_", "@") or (after[0] == "/" and after[1].isdigit()):
        return "identifier"  # 747s, 3M, 3/26
    if match.group("attscale") and match.group("attscale").isupper() and not match.group("prefix"):
        return "identifier"  # 3M, 10M: a name unless a currency sign says it is money
    if _LABEL_BEFORE.search(text[max(0, start - 20) : start]):
        return "identifier"  # Chapter 11, Boeing 747, No. 2
    has_unit = bool(match.group("prefix") or match.group("scale") or match.group("attscale"))
    has_unit = has_unit or bool(
        match.group("cur") or match.group("plain") or match.group("pct") or match.group("pence")
    )
    if not has_unit and not match.group("words") and _YEAR.fullmatch(match.group("core")):
        return "year"  # 1987, and 1986/87 below
    if (
        not has_unit
        and re.fullmatch(r"\d{2}", match.group("core"))
        and text[max(0, start - 1) : start] == "'"
    ):
        return "year"  # '87
    if match.group("words") and match.group("words").lower() == "one" and not has_unit:
        return "pronoun"  # "one of the largest"
    if match.group("a") and not match.group("scale"):
        return "pronoun"
    return None


def _candidates(text: str) -> tuple[list[_Candidate], list[tuple[int, int, str]]]:
    """Numbers of the text as candidates, plus every skipped number with its reason."""
    found: list[_Candidate] = []
    skipped: list[tuple[int, int, str]] = []
    for match in _CANDIDATE.finditer(text):
        reason = _skip_reason(match, text)
        if reason is None:
            core = _core_value(match)
            if core is None:
                reason = "identifier"
        if reason is not None:
            end = match.end("core")
            if reason == "year" and (suffix := _YEAR_SUFFIX.match(text, end)):
                end = suffix.end()
            skipped.append((match.start("core"), end, reason))
            continue
        assert core is not None
        raw, resolution = core
        if _APPROXIMATE_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            resolution = _rounding_step(raw, resolution)
        scale_word = match.group("scale") or match.group("attscale")
        scale = _SCALES[scale_word.lower()] if scale_word else 1.0
        prefix = match.group("prefix")
        unit = _unit_of(match, text) if _unit_belongs(match, text) else None
        if unit is None and prefix:
            unit = _CURRENCY_PREFIXES[_squash(prefix).replace(" $", "$")]
        end = match.end()
        if unit is None:  # the unit or rate groups may have matched text that was then refused
            end = max(match.end("core"), match.end("scale"), match.end("attscale"), match.end("pence"))
        elif rate := _rate_of(match):
            unit = f"{unit}/{rate}"
        start = match.start("prefix") if prefix else match.start("core")
        counts = _counted_word(text, end) if unit is None else None
        found.append(_Candidate(start, end, raw, resolution, scale, unit, scale_word is not None, counts))
    return found, skipped


_NEXT_WORD = re.compile(r"[ \t\n]+([a-z][a-z-]{2,})\b")
# Words after a number that are not what it counts (function words, common adjectives).
_NOT_COUNTED = frozenset(
    " ".join(
        (
            "to from in on at by for of and or vs versus against compared than with was were is are",
            "be been being will would could should may might can said says say last this that these",
            "those which who whom per each up down over under into onto after before since until while",
            "when as but if its their his her it they he she we you net plus minus more less about",
            "around only also earlier ago later previously times the has had have not nor year-earlier",
            "year-ago respectively including excluding through between among within without below above",
            # adjectives before the counted noun, and "unch" (unchanged) in price tables
            "new major other additional further big large small leading top largest biggest former",
            "existing outstanding separate different consecutive straight full remaining previous",
            "current total average such unch",
        )
    ).split()
)


def _counted_word(text: str, end: int) -> str | None:
    """The lower-case word right after a figure without a unit, when it reads as what is counted."""
    match = _NEXT_WORD.match(text, end)
    if match is None or match.group(1) in _NOT_COUNTED:
        return None
    return match.group(1)


def _lend(bare: _Candidate, written: _Candidate) -> None:
    """Give ``bare`` the unit (and scale) written only on ``written``, when the result is plausible.

    Plausible: the two figures end up within a factor of ten of each other. The scale is lent only
    to a small bare number ("5 to 6 mln", "381 mln dlrs from 160"), never to "500,000" in "500,000
    to 1.2 mln"; nothing is lent across a jump ("up 92.4 pct from 122,616" stays unitless).
    """
    if bare.unit is not None and bare.unit != written.unit:
        return
    if written.unit is None and written.scale == 1:
        return
    scaled = bare.raw * written.scale
    if not bare.explicit_scale and written.scale > 1 and bare.raw < 1000 and _near(scaled, written):
        bare.scale = written.scale
    elif not _near(bare.raw * bare.scale, written):
        return
    bare.unit = written.unit
    bare.counts = None if bare.unit is not None else bare.counts or written.counts


def _near(value: float, other: _Candidate) -> bool:
    target = other.raw * other.scale
    return value > 0 and target > 0 and max(value, target) <= 10 * min(value, target)


def _propagate(found: list[_Candidate], text: str) -> None:
    """Units and scales written once for several figures: ranges, lists and comparisons.

    Ranges and lists lend backwards only ("five to six pct"); a comparison lends both ways. "to"
    never lends forwards: "fell 3.2 pct to 7.33 billion" is not 7.33 billion percent.
    """
    for index in range(len(found) - 2, -1, -1):
        current, following = found[index], found[index + 1]
        gap = text[current.end : following.start]
        if _RANGE_GAP.fullmatch(gap) or _COMPARISON_GAP.fullmatch(gap):
            _lend(current, following)
    for index in range(1, len(found)):
        previous, current = found[index - 1], found[index]
        if _COMPARISON_GAP.fullmatch(text[previous.end : current.start]):
            _lend(current, previous)


def _apply_table_labels(found: list[_Candidate], text: str) -> None:
    """Earnings-table lines: "Shr 52 cts vs 37 cts" are per share; "Avg shrs 12.3 mln" are shares."""
    for candidate in found:
        line_start = text.rfind("\n", 0, candidate.start) + 1
        line = text[line_start : candidate.start]
        if candidate.unit is not None and "/" not in candidate.unit and _SHARE_LINE.match(line):
            if candidate.unit in _MONEY_UNITS:
                candidate.unit = f"{candidate.unit}/share"
        elif candidate.unit is None and _SHARES_LINE.match(line):
            candidate.unit = "share"


def _text_and_offset(source: str | Span) -> tuple[str, int]:
    if isinstance(source, str):
        return source, 0
    return source.text, source.start_char


def parse_quantities(source: str | Span) -> list[Quantity]:
    """Every figure in a text or spaCy ``Span``, in order, with its scale applied and unit named.

    >>> [(q.value, q.unit) for q in parse_quantities("output of 18 mln bpd and 5.5 pct")]
    [(18000000.0, 'barrel/day'), (5.5, 'percent')]
    """
    text, offset = _text_and_offset(source)
    found, _ = _candidates(text)
    _propagate(found, text)
    _apply_table_labels(found, text)
    return [
        Quantity(
            value=c.raw * c.scale,
            unit=c.unit,
            start=c.start + offset,
            end=c.end + offset,
            text=text[c.start : c.end],
            resolution=c.resolution * c.scale,
            counts=c.counts if c.unit is None else None,
        )
        for c in found
    ]


def explain_numbers(source: str | Span) -> list[tuple[int, int, str]]:
    """Every number-like span with what became of it: ``"quantity"`` or why it was skipped
    (``"year"``, ``"date"``, ``"time"``, ``"ordinal"``, ``"quarter"``, ``"identifier"``, ``"period"``,
    ``"ratio"``, ``"fraction word"``, ``"pronoun"``). For measuring coverage and for debugging a
    missed figure."""
    text, offset = _text_and_offset(source)
    found, skipped = _candidates(text)
    spans = sorted([(c.start, c.end, "quantity") for c in found] + skipped, key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int, str]] = []
    for start, end, why in spans:
        if out and start < out[-1][1] - offset:  # inside the span before ("87" of "1986/87")
            continue
        out.append((start + offset, end + offset, why))
    return out


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------

# Minor units converted to their major unit for comparison only.
_MINOR: dict[str, tuple[str, float]] = {
    "cent": ("USD", 0.01),
    "CAD cent": ("CAD", 0.01),
    "pence": ("GBP", 0.01),
    "basis point": ("percentage point", 0.01),
}


def _normalised(quantity: Quantity) -> tuple[float, float, str]:
    """(value, resolution, unit) with minor units in their major unit: 52 cts -> 0.52 USD."""
    assert quantity.unit is not None
    numerator, _, denominator = quantity.unit.partition("/")
    factor = 1.0
    if numerator in _MINOR:
        numerator, factor = _MINOR[numerator]
    unit = f"{numerator}/{denominator}" if denominator else numerator
    return quantity.value * factor, quantity.resolution * factor, unit


def _compatible(unit_a: str, unit_b: str) -> bool:
    """Same unit (a bare "francs" is any country's francs); an amount and a rate of it ("18 mln
    barrels" / "18 mln bpd": writers drop the "a day", and "52 cts" / "52 cts a share" the "a
    share"); or percent and percentage points, which news uses interchangeably."""
    if unit_a == unit_b:
        return True
    num_a, _, den_a = unit_a.partition("/")
    num_b, _, den_b = unit_b.partition("/")
    if _BARE_FORM.get(num_a) == num_b:  # "Swiss francs" / "francs"
        num_a = num_b
    elif _BARE_FORM.get(num_b) == num_a:
        num_b = num_a
    if num_a == num_b and not (den_a and den_b):
        return True
    return {num_a, num_b} == {"percent", "percentage point"} and den_a == den_b


def same_quantity(a: Quantity, b: Quantity, rel_tol: float = 0.005) -> bool:
    """Do two figures state the same amount? Equal value within ``rel_tol`` and compatible units.

    A bare figure (no unit, nothing counted) matches one with a unit on value alone: a claim's "18
    million" is carried by "18 mln bpd" (the claim did not commit to a unit, so there is no unit to
    conflict with). A figure that counts something the lexicon has no unit for ("18 million
    people") does not match one with a unit ("18 mln dlrs"), but does match another figure
    without a unit on value ("5,000 workers" / "5,000 employees": synonyms are not judged here).
    Two figures with units must have compatible ones (see ``_compatible``); cents, pence and basis
    points are compared in dollars, pounds and percentage points. ``rel_tol`` absorbs float
    products (1.3 * 1e6) and a wire's extra digit ("18.1 million" vs "18.12 mln"), not rounding
    ("1.5 billion" vs "1.48 bln" is not the same figure).
    """
    if a.unit is None or b.unit is None:
        unitless, other = (a, b) if a.unit is None else (b, a)
        if other.unit is not None and unitless.counts is not None:
            return False
        return math.isclose(a.value, b.value, rel_tol=rel_tol) and _within_steps(
            a.value, a.resolution, b.value, b.resolution
        )
    value_a, step_a, unit_a = _normalised(a)
    value_b, step_b, unit_b = _normalised(b)
    return (
        _compatible(unit_a, unit_b)
        and math.isclose(value_a, value_b, rel_tol=rel_tol)
        and _within_steps(value_a, step_a, value_b, step_b)
    )


def _within_steps(value_a: float, step_a: float, value_b: float, step_b: float) -> bool:
    """Within half the coarser figure's last written digit, when both say what that digit is.

    The relative tolerance alone would call "48.50 dollars" and "48-5/8" (48.625) the same price:
    0.26% apart, but both are written to the cent or the eighth, and they differ by a whole eighth.
    """
    if step_a <= 0 or step_b <= 0:
        return True
    return abs(value_a - value_b) <= max(step_a, step_b) / 2 * (1 + 1e-9)


_ABOVE = re.compile(
    r"(?:more|greater|higher|larger|bigger)\s+than|over|above|exceed(?:s|ed|ing)?|top(?:s|ped|ping)?|"
    r"surpass(?:es|ed|ing)?|in\s+excess\s+of|at\s+least|upwards\s+of|no\s+less\s+than"
)
_BELOW = re.compile(
    r"(?:less|fewer|lower|smaller)\s+than|under|below|at\s+most|no\s+more\s+than|up\s+to|"
    r"just\s+under|short\s+of"
)
_BOUND_BEFORE = re.compile(
    rf"\b(?:(?P<above>{_ABOVE.pattern})|(?P<below>{_BELOW.pattern}))\s+(?:(?:a|an|the|some|about)\s+)?$",
    re.IGNORECASE,
)


def bound_before(text: str, start: int) -> str | None:
    """ "above" or "below" when the words just before ``text[start:]`` make the figure a bound
    ("more than 1.6 billion", "exceeded seven billion", "just under five pct"), else None."""
    match = _BOUND_BEFORE.search(text[max(0, start - 40) : start])
    if match is None:
        return None
    return "above" if match.group("above") else "below"


def within_bound(bound: str, limit: Quantity, figure: Quantity) -> bool:
    """Is ``figure`` on the ``bound`` side of ``limit`` ("above": more than it), in the same unit
    (or either without one, as ``same_quantity`` allows)? 7.4 billion dlrs is "more than seven
    billion dollars"; 1.6 billion is not (it is the limit itself, unless stated as a bound too)."""
    if limit.unit is not None and figure.unit is not None:
        limit_value, _, limit_unit = _normalised(limit)
        value, _, unit = _normalised(figure)
        if not _compatible(limit_unit, unit):
            return False
    else:
        unitless, other = (limit, figure) if limit.unit is None else (figure, limit)
        if other.unit is not None and unitless.counts is not None:
            return False
        limit_value, value = limit.value, figure.value
    margin = 1e-9 * max(abs(limit_value), abs(value), 1.0)
    return value > limit_value + margin if bound == "above" else value < limit_value - margin


def conflicting(a: Quantity, b: Quantity, rel_tol: float = 0.005) -> bool:
    """Do two figures in the same unit clearly state different amounts?

    "Clearly": the values differ by more than half the coarser figure's last written digit, so a
    figure is never in conflict with a rounding of itself ("2 billion" vs "1.98 bln", "18 mln bpd"
    vs "18.4 mln bpd" are not; "5.5 pct" vs "5.6 pct" and "2 billion" vs "3 bln" are). Units must
    be the same after minor-unit conversion: "18 mln barrels" and "2 mln bpd" measure different
    things, and a figure without a unit conflicts with nothing.
    """
    if a.unit is None or b.unit is None:
        return False
    value_a, step_a, unit_a = _normalised(a)
    value_b, step_b, unit_b = _normalised(b)
    if unit_a != unit_b:
        return False
    tolerance = max(step_a / 2, step_b / 2, rel_tol * max(abs(value_a), abs(value_b)))
    return abs(value_a - value_b) > tolerance * (1 + 1e-9)
