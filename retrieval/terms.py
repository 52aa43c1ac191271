"""Content terms of a sentence or claim: the words that must agree for a sentence to support a claim.

Cosine similarity finds sentences on the claim's topic; it does not tell whether they carry the
claim's entities, numbers and predicate ("Germany imposed sanctions on Azerbaijan" is close to
many sentences about Azerbaijan and supported by none). Terms make that comparison cheap at query
time: they are computed once per sentence at ingest and stored with it.

A term key is a Snowball stem of the lemma ("backed"/"backing" -> "back"), the lowercase token for
anything with digits ("F-16", "27"), or ``geo:XXX`` for a country however it is named.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import snowballstemmer
from spacy.tokens import Span, Token

from retrieval.aliases import COMPANY_SUFFIXES, CONNECTORS, AliasTable, curated_aliases, initials_of
from retrieval.gazetteer import CITY_MIN_POPULATION, country_of, names_a_city, place_country, state_named_by
from retrieval.names import untagged_name
from retrieval.quantities import Quantity, explain_numbers, parse_quantities, word_number

Term = tuple[str, int, int]
"""One content token of a stored sentence: (normalised key, start, end), offsets into the posted text."""

# Entity labels whose words a supporting sentence must repeat (or name equivalently).
NAMED_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
)
GEO_PREFIX = "geo:"  # the key of a country however it is named: "geo:USA" for "U.S.", "American"
NUMERIC_LABELS = frozenset({"DATE", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "TIME"})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
# Words that carry no claim content even though tagged as content (reporting verbs, fillers).
LIGHT_WORDS = frozenset(
    {
        "say",
        "tell",
        "also",
        "then",
        "now",
        "still",
        "even",
        "just",
        "very",
        "early",
        "late",
        "last",
        "next",
        "recent",
        "recently",
        "repeatedly",
        "strongly",
        "have",
        "be",
        "do",
        "get",
        "make",
        "take",
        "go",
    }
)
MONTHS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    }
)


# Abbreviations the wire writes for words a claim spells out ("closed it Feb 15", "Mt Lyell"),
# read as the full word. Only unambiguous ones: "Mar" and "St" (Saint or Street) are left alone.
ABBREVIATIONS = {
    "jan": "january",
    "feb": "february",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "mt": "mount",
    "ft": "fort",
}


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Normalised key of one word: lowercase; digits kept verbatim, letters stemmed."""
    lowered = word.lower().replace("\u2019", "'")
    if any(ch.isdigit() for ch in lowered):
        return lowered
    lowered = ABBREVIATIONS.get(lowered.rstrip("."), lowered)
    return str(_stemmer().stemWord(lowered))


def token_keys(token: Token) -> set[str]:
    """All keys a token answers to: stem of its lemma and of its surface form, plus its country,
    and a number written as a word answers to its digits ("the strike began May nine" carries a
    claim's "May 9", which no figure key does: a date is not a quantity)."""
    keys = {word_key(token.lemma_), word_key(token.text)}
    if (value := word_number(token.text)) is not None:
        keys.add(str(value))
    if len(token.text) > 2 and token.text.endswith(".") and token.text[-2].isalpha():
        # A sentence's last word can swallow its full stop ("... of Cynergy Corp."): "Corp." must
        # still meet the "Corp" of a sentence that goes on.
        keys.add(word_key(token.text[:-1]))
    country = country_of(token.text)
    if country:
        keys.add(f"{GEO_PREFIX}{country}")
    for part, code in country_parts(token.text):
        keys |= {word_key(part), f"{GEO_PREFIX}{code}"}
    if (state := state_of(token)) is not None:
        keys |= {word_key(word) for word in state.split()}
    return keys


def state_of(token: Token) -> str | None:
    """The U.S. state a token abbreviates where the wire writes one: after "Place," ("Maricopa,
    Ariz", "Santa Clara, Calif.-based") or, for the dotted forms no word shares, anywhere
    ("N.J."). "Ore", "Wash" or "Miss" elsewhere are words, not states."""
    word = token.text.split("-", 1)[0] if ".-" in token.text else token.text
    state = state_named_by(word)
    if state is None:
        return None
    if word.count(".") >= 2:
        return state
    i = token.i
    after_place = i >= 2 and token.doc[i - 1].text == "," and token.doc[i - 2].text[:1].isupper()
    return state if after_place else None


def country_parts(text: str) -> tuple[tuple[str, str], ...]:
    """The countries a hyphenated compound joins, each with its code ("U.S.-Soviet", "U.S.-Japan";
    the tokenizer keeps them one word): each is named as much as the word itself; () for any
    other word."""
    pairs: list[tuple[str, str]] = []
    for part in filter(None, text.split("-")):
        code = country_of(part)
        if code is None:
            return ()
        pairs.append((part, code))
    return tuple(pairs) if len(pairs) > 1 else ()


def is_content(token: Token) -> bool:
    if token.like_num:  # "three" is a spaCy stop word, but numbers are claim content
        return True
    if token.lower_ in MONTHS and token.ent_type_ == "DATE":  # "May" is a stop word, "May 1985" is not
        return True
    if token.pos_ == "PROPN" and token.ent_type_ in NAMED_LABELS and token.text[:1].isupper():
        return True  # "Am" is a stop word, the "Am" of "Pan Am" a name a claim asks for
    return (
        token.pos_ in CONTENT_POS
        and not token.is_stop
        and not token.is_punct
        and any(ch.isalnum() for ch in token.text)
        and token.lemma_.lower() not in LIGHT_WORDS
    )


NEGATED = "~neg"
"""Key of a term marking a negated word (the head of a "not"/"never"/"no" in the parse)."""


def figure_key(value: float) -> str:
    """Key of a figure's value, scale applied: "18 mln", "18 million" and "18,000,000" -> ``num:1.8e+07``.

    Four significant digits: a wire's "1.3 mln" and a claim's "1.3 million" meet, "5.5" and "5.6" do
    not. Units are compared by the verifier (``retrieval.quantities``), not here.
    """
    return f"num:{value:.4g}"


# Entity labels whose names are looked up in the alias table ("GM" <-> "General Motors").
_ALIAS_LABELS = frozenset({"ORG", "PERSON", "GPE", "NORP", "FAC", "PRODUCT", "LAW", "EVENT"})
# Names a wire abbreviates to their initials: organisations, buildings, laws and events.
_INITIALS_LABELS = frozenset({"ORG", "FAC", "LAW", "EVENT"})


def _name_word_pairs(span: Span) -> list[tuple[Token, Token]]:
    """Adjacent capitalised words of a name ("United Air Lines"): a name is written now in two
    words, now in one ("United Airlines"), and the two must meet."""
    return [
        (first, second)
        for first, second in itertools.pairwise(span)
        if _name_word(first)
        and _name_word(second)
        and first.idx + len(first.text) < second.idx  # two words, not one token split in two
    ]


def _name_word(token: Token) -> bool:
    """A capitalised word of a name: a proper noun or a word of an entity."""
    return token.is_alpha and token.text[:1].isupper() and (token.pos_ == "PROPN" or bool(token.ent_type_))


def _joined_keys(span: Span) -> dict[int, set[str]]:
    """Token index -> the keys of the shorter forms its name is written in: in "United Air
    Lines", "Air" and "Lines" also answer to "Airlines"; every word of "Iowa Beef Processors"
    answers to "IBP"; "Royce" in "Rolls-Royce" answers to "Rolls"."""
    joined: dict[int, set[str]] = {}
    for first, second in _name_word_pairs(span):
        key = _joined_key(first, second)
        joined.setdefault(first.i, set()).add(key)
        joined.setdefault(second.i, set()).add(key)
    for dash in span:
        # "Rolls-Royce" is "Rolls" for short, "Daimler-Benz" "Daimler": the second half of a
        # hyphenated name answers to the first
        if dash.text == "-" and 0 < dash.i < len(dash.doc) - 1 and not dash.whitespace_:
            first, second = dash.doc[dash.i - 1], dash.doc[dash.i + 1]
            if not first.whitespace_ and _name_word(first) and _name_word(second) and second.i < span.end:
                joined.setdefault(second.i, set()).add(word_key(first.text))
    for run in _name_runs(span):
        keys = initials_keys(" ".join(t.text for t in run))
        for token in run:
            joined.setdefault(token.i, set()).update(keys)
    return joined


def _name_runs(span: Span) -> Iterator[list[Token]]:
    """Runs of capitalised name words, connectors inside them ("Bank of Japan")."""
    run: list[Token] = []
    for token in span:
        if _name_word(token) and not (token.i == span.start and token.lower_ == "the"):
            run.append(token)
            continue
        if run and token.lower_ in CONNECTORS and token.lower_ != "the":
            run.append(token)
            continue
        yield from _trimmed(run)
        run = []
    yield from _trimmed(run)


def _trimmed(run: list[Token]) -> Iterator[list[Token]]:
    while run and run[-1].lower_ in CONNECTORS:
        run = run[:-1]
    if len(run) > 1:
        yield run


def _joined_key(first: Token, second: Token) -> str:
    """Key of two adjacent words written as one ("Air Lines" -> the key of "Airlines")."""
    return word_key(first.text + second.text)


def _name_keys(name: str) -> set[str]:
    """Keys of every word of a name, with its country where a word names one ("British")."""
    keys: set[str] = set()
    for word in name.split():
        keys.add(word_key(word))
        country = country_of(word)
        if country:
            keys.add(f"{GEO_PREFIX}{country}")
    return keys


def span_terms(
    span: Span, to_original: Callable[[int], int], aliases: AliasTable | None = None
) -> tuple[Term, ...]:
    """(key, start, end) for every content token of a sentence, offsets mapped to the original text.

    Multi-word country names ("United States") add one ``geo:`` term over the whole entity; each
    negated head adds a ``NEGATED`` term at the head's position, so a query can tell whether the
    words that matched a claim are negated without parsing the sentence again. Each figure adds a
    ``num:`` key of its value (``figure_key``), so "18 mln bpd" carries a claim's "18 million
    barrels a day"; each name adds the keys of its aliases in ``aliases`` (the document's own
    table; the curated one when None), so "GM" carries "General Motors" and the reverse; two
    adjacent name words add the key of their joined form ("Air Lines" carries "Airlines"). A city
    or a U.S. state adds its country's ``geo:`` term ("Bank of Detroit", "a Texas refinery"); a
    claim's city does not (``claim_requirements``): a claim that names Detroit still asks for it.
    """
    table = aliases if aliases is not None else curated_aliases()
    out: list[Term] = []
    for token in span:
        if _negates(token):
            head = token.head
            start = to_original(head.idx)
            out.append((NEGATED, start, to_original(head.idx + len(head.text) - 1) + 1))
    for token in span:
        if is_content(token) or country_of(token.text):
            start = to_original(token.idx)
            end = to_original(token.idx + len(token.text) - 1) + 1
            out.extend((key, start, end) for key in sorted(token_keys(token)))
            if state_of(token) is not None:  # "its Goldendale, Wash., smelter" is in the U.S.
                out.append((f"{GEO_PREFIX}USA", start, end))
    for ent in span.ents:
        start, end = to_original(ent.start_char), to_original(ent.end_char - 1) + 1
        if len(ent) > 1 and (country := country_of(ent.text)):
            out.append((f"{GEO_PREFIX}{country}", start, end))
        elif ent.label_ == "GPE" and (place := place_country(ent.text)):
            out.append((f"{GEO_PREFIX}{place}", start, end))  # "a Texas refinery", "Los Angeles"
    for place_name in _place_names_inside(span):  # "Manufacturers National Bank of Detroit"
        place = place_country(place_name.text)
        assert place is not None
        start, end = to_original(place_name.start_char), to_original(place_name.end_char - 1) + 1
        out.append((f"{GEO_PREFIX}{place}", start, end))
    for ent in span.ents:
        start, end = to_original(ent.start_char), to_original(ent.end_char - 1) + 1
        if ent.label_ in _ALIAS_LABELS:
            name, end = _known_name(ent, table, to_original, end)
            own = _name_keys(name)
            for form in table.aliases_of(name):
                out.extend((key, start, end) for key in sorted(_name_keys(form) - own))
            if ent.label_ in _INITIALS_LABELS:
                out.extend((key, start, end) for key in sorted(initials_keys(ent.text) - own))
    for first, second in _name_word_pairs(span):
        end = to_original(second.idx + len(second.text) - 1) + 1
        out.append((_joined_key(first, second), to_original(first.idx), end))
    for token in span:  # a bare ticker or initials outside any entity ("<BP>", "GM said")
        if not token.ent_type_ and token.is_upper and len(token.text) > 1 and token.is_alpha:
            start, end = to_original(token.idx), to_original(token.idx + len(token.text) - 1) + 1
            for form in table.aliases_of(token.text):
                out.extend((key, start, end) for key in sorted(_name_keys(form) - {word_key(token.text)}))
    for quantity in parse_quantities(span):
        out.append(
            (figure_key(quantity.value), to_original(quantity.start), to_original(quantity.end - 1) + 1)
        )
    return tuple(out)


NAME_START_CITY_POPULATION = 500_000


def _place_names_inside(span: Span) -> Iterator[Span]:
    """The cities and states an organisation's name says it is of: the place its name starts with
    ("North Carolina Federal Savings", "Detroit Edison") or follows "of" with ("Manufacturers
    National Bank of Detroit", "Bank of New York"), one or two capitalised words. A place entity
    of its own is read whole by ``span_terms``; a bare capitalised word elsewhere may be a
    company's or a person's ("Commonwealth Aluminum")."""
    doc = span.doc
    for ent in span.ents:
        if ent.label_ != "ORG" or len(ent) < 2:
            continue
        # a name that starts with a word of a city may be a company's own word ("Commonwealth
        # Aluminum"): there only large cities count; after "of" the name says it is a place
        starts = [(ent.start, NAME_START_CITY_POPULATION)]
        starts += [(t.i + 1, CITY_MIN_POPULATION) for t in ent[:-1] if t.lower_ == "of"]
        for start, population in starts:
            if not doc[start].text[:1].isupper():
                continue
            if start + 1 < ent.end and place_country(doc[start : start + 2].text, population):
                yield doc[start : start + 2]
            elif place_country(doc[start].text, population):
                yield doc[start : start + 1]


def _known_name(ent: Span, table: AliasTable, to_original: Callable[[int], int], end: int) -> tuple[str, int]:
    """The entity's name, or the name with the lower-case word after it when only that is a name
    the alias table knows: the wire's "Securities and Exchange commission", whose last word the
    tagger leaves out of the entity. With the end offset of what was taken."""
    following = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if following is None or not (following.is_alpha and following.is_lower):
        return ent.text, end
    longer = f"{ent.text} {following.text}"
    if len(table.aliases_of(longer)) > 1 and len(table.aliases_of(ent.text)) == 1:
        return longer, to_original(following.idx + len(following.text) - 1) + 1
    return ent.text, end


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing a supporting sentence must contain: any of ``keys`` satisfies it."""

    text: str
    keys: frozenset[str]
    named: bool  # an entity or number: mandatory. Otherwise a content word: counted towards coverage.
    specific: bool = False  # a person, organisation, product, number or date: rarer than a country name
    # a country that only qualifies a noun ("the U.S. Senate", "U.S. airports"): a story that names
    # no country at all leaves it unsaid ("the Senate", "the nation's airports")
    qualifier: bool = False

    @property
    def is_figure(self) -> bool:
        """A quantity: satisfied by its value however written (``figure_key``)."""
        return any(key.startswith("num:") for key in self.keys)


def negated_keys(span: Span) -> frozenset[str]:
    """Keys of the words a claim negates ("Turkey did not send fighters" -> the keys of "send")."""
    return frozenset(key for token in span if _negates(token) for key in token_keys(token.head))


def _negates(token: Token) -> bool:
    """ "not"/"never"/"n't" (dependency ``neg``) or a determiner "no" ("no ceasefire")."""
    if token.head.i == token.i:
        return False
    return token.dep_ == "neg" or (token.dep_ == "det" and token.lower_ == "no")


def claim_requirements(claim: Span) -> tuple[Requirement, ...]:
    """Split a parsed claim into mandatory named items (entities, numbers) and content words.

    A country is satisfied by any of its names; a person by the surname; a multi-word name by its
    proper nouns and numbers; a date or quantity by its figures and month names ("early November"
    -> November; "in recent decades" names nothing). In a headline-cased claim ("Climate Models
    Have Overestimated Global Warming") capitals say nothing, so only people, places and figures
    are mandatory there.
    """
    headline = is_headline_case(claim)
    joined = _joined_keys(claim)
    requirements: list[Requirement] = []
    covered: set[int] = set()
    for quantity in parse_quantities(claim):
        tokens = [t.i for t in claim if quantity.start <= t.idx < quantity.end]
        if tokens:
            covered.update(tokens)
            requirements.append(_figure_requirement(quantity))
    covered.update(_period_counts(claim))
    for ent in claim.ents:
        if ent.label_ not in NAMED_LABELS | NUMERIC_LABELS:
            continue
        if headline and ent.label_ in HEADLINE_UNRELIABLE_LABELS:
            continue
        own = [t for t in ent if t.i not in covered]
        covered.update(range(ent.start, ent.end))
        if own:
            requirements.extend(_entity_requirements(ent, own, joined))
    for token in claim:
        if token.i in covered or not is_content(token):
            continue
        countries = _country_requirements(token.text, _qualifies(token))
        if countries:
            requirements.extend(countries)
        elif _is_figure(token) or (
            (token.pos_ == "PROPN" or untagged_name(token)) and not headline and not _legal_form(token)
        ):
            keys = token_keys(token) | joined.get(token.i, set())
            requirements.append(Requirement(token.text, frozenset(keys), named=True, specific=True))
        else:
            requirements.append(Requirement(token.text, frozenset(token_keys(token)), named=False))
    return tuple(requirements)


def _period_counts(claim: Span) -> list[int]:
    """The count of a year's part told from its start ("the first three months of 1987"): not a
    figure the sentence must repeat, since the wire as often names the part by its word ("the first
    quarter"); its other words still count."""
    periods = [(start, end) for start, end, why in explain_numbers(claim) if why == "period"]
    return [t.i for t in claim if any(start <= t.idx < end for start, end in periods)]


# Entity types spaCy assigns to capitalised common words when a whole claim is title-cased.
HEADLINE_UNRELIABLE_LABELS = frozenset({"ORG", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})


def is_headline_case(claim: Span) -> bool:
    """Most content words capitalised, as in a headline: then capitals do not mark names. A verb
    written in lower case says the claim is in sentence case however many names it spells out
    ("United Artists Communications and United Cable Television completed their merger")."""
    words = [t for t in claim if t.is_alpha and len(t) > 3 and not t.is_stop]
    if len(words) < 3 or any(t.pos_ == "VERB" and t.text[0].islower() for t in words):
        return False
    return sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def _legal_form(token: Token) -> bool:
    """ "Corp", "Corporation", "Inc.": a company's legal form, not which company it is."""
    return token.lower_.rstrip(".") in COMPANY_SUFFIXES


def _adverbial_ordinal(token: Token, ent: Span) -> bool:
    return ent.label_ == "ORDINAL" and token.pos_ == "ADV"


def _is_figure(token: Token) -> bool:
    """A number that pins a claim down: digits, or a spelled-out number other than "one" (which is
    mostly a pronoun: "one of the factors")."""
    if any(ch.isdigit() for ch in token.text):
        return True
    return bool(token.like_num) and token.lower_ != "one"


def _country_requirements(text: str, qualifier: bool = False) -> list[Requirement]:
    """The countries a word names, each satisfied however a sentence writes it: one for a country
    ("Turkish"), one per part for a compound ("the U.S.-Soviet grain agreement": "U.S.-USSR", "the
    Soviet Union"); [] for any other word. ``qualifier``: the word only qualifies a noun."""
    country = country_of(text)
    if country:
        return [Requirement(text, frozenset({f"{GEO_PREFIX}{country}"}), named=True, qualifier=qualifier)]
    return [
        Requirement(part, frozenset({f"{GEO_PREFIX}{code}"}), named=True)
        for part, code in country_parts(text)
    ]


def _qualifies(token: Token) -> bool:
    """A country word that only says whose a noun is ("the U.S. Senate", "22 busiest U.S.
    airports", "the U.S. International Trade Commission"), not a party of its own: not a subject,
    object or possessor ("Japan's exports"), nor one of a pair of countries."""
    head = token.head
    return (
        not names_a_city(token.text)  # "Bangkok Bank", "Moscow traders": a city, which a story names
        and token.dep_ in ("compound", "amod", "nmod")
        and head.i != token.i
        and head.pos_ in ("NOUN", "PROPN")
        and not country_of(head.text)
    )


def _figure_requirement(quantity: Quantity) -> Requirement:
    """A figure is satisfied by the same value however it is written ("1.3 million dollars" /
    "1.3 mln dlrs"); whether the units agree is the verifier's business."""
    return Requirement(quantity.text, frozenset({figure_key(quantity.value)}), named=True, specific=True)


def _entity_requirements(
    ent: Span, own: Sequence[Token], joined: dict[int, set[str]]
) -> Iterable[Requirement]:
    """Requirements of an entity's tokens ``own`` (those no figure requirement took); ``joined``
    holds the keys of name words written as one (``_joined_keys``)."""
    country = country_of(ent.text)
    if country:
        yield Requirement(
            ent.text, frozenset({f"{GEO_PREFIX}{country}"}), named=True, qualifier=_qualifies(ent.root)
        )
        return
    if ent.label_ in NUMERIC_LABELS:
        # "had first been meant to": an ordinal used as an adverb says when, not which; it names
        # nothing a sentence must repeat ("originally intended")
        words = [t for t in own if (_is_figure(t) or t.lower_ in MONTHS) and not _adverbial_ordinal(t, ent)]
    else:
        words = [
            t
            for t in own
            if (t.pos_ == "PROPN" and any(ch.isalnum() for ch in t.text))
            or _is_figure(t)
            or country_parts(t.text)  # "U.S.-Japan" is tagged anything, even an interjection
        ]
        # "Andean Development Corporation" is carried by "Andean Development Corp": the legal form
        # tells no company from another, and the wire abbreviates it or leaves it out
        words = [t for t in words if not _legal_form(t)] or words
        if ent.label_ == "PERSON" and words:
            words = words[-1:]
        if not words:
            words = [t for t in own if is_content(t)]
    for token in words:
        countries = _country_requirements(token.text, _qualifies(token))
        if countries:
            yield from countries
        else:
            keys = token_keys(token) | joined.get(token.i, set())
            yield Requirement(token.text, frozenset(keys), named=True, specific=True)


def initials_keys(name: str) -> set[str]:
    """Keys of the initials of a name written out (``aliases.initials_of``): a sentence saying
    "IBP" names the claim's "Iowa Beef Processors" even where its story never spells it out."""
    return {word_key(initials) for initials in initials_of(name)}


_RELATIVE_YEARS: Final[dict[str, int]] = {
    "last": -1,
    "past": -1,
    "this": 0,
    "current": 0,
    "next": 1,
    "coming": 1,
}


def relative_year_terms(span: Span, to_original: Callable[[int], int], year: int) -> tuple[Term, ...]:
    """The calendar year of each "last year", "this year" or "next year" in a sentence published in
    ``year``, as the year's key at the phrase: wire copy dates by the story's own year ("halving its
    revenue to 6.5 billion dlrs last year", filed in 1987, is 1986's revenue), and a claim names the
    year. "the last year" or "the past year" is a span of twelve months, not a calendar year."""
    out: list[Term] = []
    for token in span:
        if token.lower_ != "year" or any(c.lower_ == "the" for c in token.children):
            continue
        shift = next(
            (
                _RELATIVE_YEARS[c.lower_]
                for c in token.children
                if c.dep_ in ("amod", "det") and c.lower_ in _RELATIVE_YEARS
            ),
            None,
        )
        if shift is None:
            continue
        first = min([token, *(c for c in token.children if c.dep_ in ("amod", "det"))], key=lambda t: t.i)
        out.append(
            (str(year + shift), to_original(first.idx), to_original(token.idx + len(token.text) - 1) + 1)
        )
    return tuple(out)
