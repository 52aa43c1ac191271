"""Other names of an organisation: so that a claim saying "General Motors" finds a sentence saying "GM".

Why: the support decision requires a sentence to name every entity of the claim, and news names an
organisation in several ways within one story and across stories. Three kinds of alias exist, and
each has its own source here:

1. **Introduced by the document** ("the Organization of Petroleum Exporting Countries (OPEC)",
   "General Motors Corp (GM)", and the reverse "GM (General Motors)"): the writer defines the short
   form once and uses it from then on; later sentences carry only "OPEC". Learned per document by
   ``learn_aliases`` and valid for that document: the same letters may name something else elsewhere
   ("ITC" is the U.S. International Trade Commission in one story and the International Tin Council
   in another).
2. **Reuters tickers** in angle brackets after a company's first mention ("British Petroleum Co Plc
   <BP>", "Hughes Tool Co <HT>", "Societe Generale <SGEN.PA>"). A claim may quote the ticker, and
   for many companies the ticker is also the name people use (GM, BP, IBM). Unlisted companies are
   bracketed whole ("<Sharp Corp>"): the bracket is the name, and it is read as one, so that its
   initials (below) can be learned.
3. **Initials used on their own**: "Ranks Hovis McDougall Plc <RHML.L> ... RHM said" — a story that
   spells a name out once and then writes its initials without ever defining them. Learned only
   when the initials occur as a separate upper-case word in the same document.

Plus a small **curated** table (``curated_aliases``) for the names that no story introduces because
every reader is expected to know them: in Reuters-21578, "OPEC" appears in 138 stories and is
spelled out in 8, "USDA" in 183 and 12, "Fed" in 211 and never defined. Countries are not here:
"U.S." / "United States" is ``retrieval.gazetteer``'s business.

Names are compared by ``name_key``: lowercase, periods dropped ("U.S." -> "us"), "&" read as
"and", a leading "the" and trailing company suffixes (Corp, Co, Inc, Plc, Ltd, AG, SA, NV, ...)
and a possessive removed, so "General Motors Corp's" and "General Motors" are one key. Pure
functions over text; nothing is read at import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from retrieval.gazetteer import country_of

__all__ = [
    "AliasTable",
    "curated_aliases",
    "document_aliases",
    "expand_names",
    "initials_of",
    "learn_aliases",
    "name_key",
    "same_name",
]

# Legal-form words after a company name: dropped from keys, and not expected in its initials.
COMPANY_SUFFIXES = frozenset(
    {
        "corp",
        "corporation",
        "co",
        "cos",
        "company",
        "companies",
        "inc",
        "incorporated",
        "plc",
        "ltd",
        "limited",
        "llc",
        "lp",
        "ag",
        "sa",
        "spa",
        "nv",
        "bv",
        "gmbh",
        "kk",
        "ab",
        "as",
        "asa",
        "oy",
        "bhd",
        "berhad",
        "pty",
        "cie",
        "sarl",
    }
)
# Words inside a name that its initials may or may not include ("Bank of England": BE or BOE).
CONNECTORS = frozenset(
    {"of", "and", "for", "the", "on", "de", "du", "des", "la", "le", "del", "di", "in", "&"}
)
# Upper-case words that are never initials of a name in the same story.
_NOT_INITIALS = frozenset({*(s.upper() for s in COMPANY_SUFFIXES), "I", "A", "AM", "PM", "OK", "TV", "CEO"})

_TICKER = re.compile(r"[A-Z][A-Z0-9&]*(?:\.[A-Z]{1,2})?")
_ACRONYM = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Z][A-Za-z0-9&.\-]{1,11}")
_CAPITALISED = re.compile(r"[A-Z][\w'&.\-]*")


def name_key(name: str) -> str:
    """Comparable form of a name: "the General Motors Corp's" -> "general motors"; "U.S." -> "us"."""
    text = name.replace("\u2019", "'").replace("&", " and ")
    words = re.sub(r"[^\w'\- ]+", " ", text.replace(".", "")).lower().split()
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and (words[-1] in COMPANY_SUFFIXES or words[-1] == "and"):
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class AliasTable:
    """Name keys grouped into organisations: every alias points at one canonical key.

    ``canonical_of`` maps each known key (aliases and canonical names alike) to its canonical key;
    ``forms_of`` is the reverse: canonical key -> every key of that organisation. Build one with
    ``AliasTable.build`` or ``learn_aliases``; combine with ``merged``.
    """

    canonical_of: Mapping[str, str] = field(default_factory=dict)
    forms_of: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> AliasTable:
        """Table from (alias, canonical name) pairs in any spelling. The first canonical given for an
        alias wins ("ITC" stays the first body a story spelled out); a pair whose alias is itself a
        canonical name joins the two organisations ("Federal Reserve Board" -> "Federal Reserve")."""
        keyed = ((name_key(alias), name_key(canonical)) for alias, canonical in pairs)
        return cls._from_map(_group((a, c) for a, c in keyed if a and c))

    @classmethod
    def _from_map(cls, canonical_of: dict[str, str]) -> AliasTable:
        forms: dict[str, set[str]] = {}
        for key, canonical in canonical_of.items():
            forms.setdefault(canonical, {canonical}).add(key)
        return cls(canonical_of, {c: frozenset(keys) for c, keys in forms.items()})

    def canonical(self, name: str) -> str:
        """Canonical key of a name ("GM" -> "general motors"), or the name's own key if unknown."""
        key = name_key(name)
        return self.canonical_of.get(key, key)

    def aliases_of(self, name: str) -> frozenset[str]:
        """Every key of the organisation a name belongs to, the name's own key included.

        A name the table does not know is tried again without the country words it opens with:
        the wire writes "the U.S. Federal Reserve" and "West German Bundesbank" for the "Fed"."""
        key = name_key(name)
        words = name.split()
        if words and words[0].lower() == "the":
            words = words[1:]
        while key not in self.canonical_of and len(words) > 1:
            if len(words) > 2 and country_of(" ".join(words[:2])):
                words = words[2:]  # "West German"
            elif country_of(words[0]):
                words = words[1:]
            else:
                break
            if name_key(" ".join(words)) in self.canonical_of:
                key = name_key(" ".join(words))
        canonical = self.canonical_of.get(key, key)
        return self.forms_of.get(canonical, frozenset({key}))

    def merged(self, other: AliasTable) -> AliasTable:
        """This table with ``other``'s aliases added. An alias both define keeps ``other``'s meaning
        (pass a document's table as ``other``: a story that defines "EC" as "Export Credit" means
        that); names both know are joined into one organisation."""
        return AliasTable._from_map(_group([*other, *self]))

    def __len__(self) -> int:
        return sum(1 for alias, canonical in self.canonical_of.items() if alias != canonical)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """(alias key, canonical key) for every alias."""
        return ((a, c) for a, c in self.canonical_of.items() if a != c)


def _group(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Key pairs -> key -> canonical key (union-find). An alias already given a meaning keeps it;
    the canonical of the first pair that names an organisation stays its canonical."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    assigned: set[str] = set()
    for alias, canonical in pairs:
        alias_root, canonical_root = find(alias), find(canonical)
        if alias_root == canonical_root or alias in assigned:
            continue
        assigned.add(alias)
        parent[alias_root] = canonical_root
    return {key: find(key) for key in parent}


# ---------------------------------------------------------------------------------------------
# Curated
# ---------------------------------------------------------------------------------------------

_CURATED: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Companies whose initials are their everyday name.
    ("General Motors", ("GM",)),
    ("British Petroleum", ("BP",)),
    ("International Business Machines", ("IBM",)),
    ("General Electric", ("GE",)),
    ("American Telephone and Telegraph", ("AT&T",)),
    ("International Telephone and Telegraph", ("ITT",)),
    ("Trans World Airlines", ("TWA",)),
    ("Volkswagen", ("VW",)),
    ("British Telecom", ("BT", "British Telecommunications")),
    ("British Airways", ("BA",)),
    # Institutions a wire names by initials without defining them.
    (
        "Organization of Petroleum Exporting Countries",
        ("OPEC", "Organisation of Petroleum Exporting Countries"),
    ),
    ("European Community", ("EC", "EEC", "European Economic Community", "Common Market")),
    ("Federal Reserve", ("Fed", "Federal Reserve Board", "Federal Reserve System")),
    ("International Monetary Fund", ("IMF",)),
    ("General Agreement on Tariffs and Trade", ("GATT",)),
    (
        "Organisation for Economic Cooperation and Development",
        ("OECD", "Organization for Economic Cooperation and Development"),
    ),
    ("United Nations", ("UN", "U.N.")),
    ("North Atlantic Treaty Organization", ("NATO",)),
    ("Securities and Exchange Commission", ("SEC",)),
    ("U.S. Department of Agriculture", ("USDA", "U.S. Agriculture Department", "Agriculture Department")),
    ("Ministry of International Trade and Industry", ("MITI",)),
    ("Commodity Futures Trading Commission", ("CFTC",)),
    ("Federal Deposit Insurance Corporation", ("FDIC",)),
    ("New York Stock Exchange", ("NYSE",)),
    ("World Bank", ("International Bank for Reconstruction and Development", "IBRD")),
)


@lru_cache(maxsize=1)
def curated_aliases() -> AliasTable:
    """Aliases no document introduces because news treats them as common knowledge (see module doc)."""
    return AliasTable.build((alias, canonical) for canonical, aliases in _CURATED for alias in aliases)


# ---------------------------------------------------------------------------------------------
# Learned from a document
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int


def _words_before(text: str, end: int, limit: int = 12) -> list[_Word]:
    """Up to ``limit`` words right before ``end``, nearest last, stopping at a clause boundary: a
    word followed by ",", ";", ":", a quote or a bracket, or ending a sentence, is not included.
    Reuters' angle brackets are see-through: "<San Miguel Corp> (SMC)" reads "San Miguel Corp".
    """
    window_start = max(0, end - 300)
    words: list[_Word] = []
    for match in reversed(list(re.finditer(r"\S+", text[window_start:end]))):
        token = match.group()
        start = window_start + match.start()
        if words and (token[-1] in ",;:\"')>" or _ends_sentence(token)):
            break  # "<BCSL> and Midland Bank": an earlier bracket ends the run too
        opens_name = token.startswith("<")
        token = token.strip("<>").rstrip(",;:")
        if not token or token[0] in "\"'(":
            break
        words.append(_Word(token, start, start + len(match.group())))
        if opens_name or len(words) >= limit:
            break
    return words[::-1]


def _ends_sentence(token: str) -> bool:
    """A word with a sentence-final period ("said."), not an abbreviation ("U.S.", "Corp.")."""
    if not token.endswith(".") or token.count(".") > 1:
        return False
    stem = token[:-1]
    return len(stem) > 4 or (stem.islower() and len(stem) > 2)


def _letters(word: str) -> str:
    """Upper-case letters a word can give to initials: "U.S." -> "US", "Coca-Cola" -> "CC"."""
    if "." in word.strip("."):
        return "".join(ch for ch in word if ch.isalpha()).upper()
    return "".join(part[0] for part in re.split(r"[-/]", word) if part and part[0].isalnum()).upper()


def _initials_match(short: str, words: list[str], loose: bool = False) -> bool:
    """Can ``short`` be spelled from ``words`` in order, every content word giving its initial(s)
    (and, when ``loose``, possibly further letters of itself in order), connectors and suffixes
    optional?

    "OPEC" <- Organization of Petroleum Exporting Countries; "ICCO" <- International Cocoa
    Organization (two letters of "Cocoa"); "USDA" <- U.S. Department of Agriculture; "CCC" <-
    Commodity Credit Corporation; "POB" <- Post Office Bank Ltd.
    """
    letters = re.sub(r"[^A-Za-z0-9]", "", short).upper()
    if not letters or not words:
        return False

    def spell(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(letters)
        word = words[w]
        lowered = word.lower().strip(".")
        optional = lowered in CONNECTORS or lowered in COMPANY_SUFFIXES
        if optional and spell(i, w + 1):
            return True
        head = _letters(word)
        if not head or not letters.startswith(head, i):
            return False
        i += len(head)
        if spell(i, w + 1):
            return True
        if not loose:
            return False
        rest = word.upper()[1:] if "." not in word.strip(".") else ""
        for letter_index in range(i, len(letters)):  # further letters of this word, in order
            found = rest.find(letters[letter_index])
            if found < 0:
                return False
            rest = rest[found + 1 :]
            if spell(letter_index + 1, w + 1):
                return True
        return False

    return spell(0, 0)


def _long_form_before(text: str, position: int, short: str) -> str | None:
    """The shortest run of words ending at ``position`` whose initials spell ``short``; failing
    that, the shortest that spells it with further letters of a word ("ICCO": Cocoa gives "CC").
    Initials first, so that "Export Enhancement Program (EEP)" is not cut to "Enhancement Program".
    """
    words = _words_before(text, position)
    for loose in (False, True):
        for first in range(len(words) - 1, -1, -1):
            window = words[first:]
            head = window[0].text
            if head.lower() in CONNECTORS or head.lower() in COMPANY_SUFFIXES:
                continue
            several = len(window) >= 2 or "." in head or "-" in head
            if several and _initials_match(short, [w.text for w in window], loose):
                return text[window[0].start : window[-1].end]
    return None


def _parenthetical_aliases(text: str) -> Iterator[tuple[str, str]]:
    """ "Full Name (SHORT)" and "SHORT (Full Name)" -> (short, full)."""
    for match in re.finditer(r"\(([^()\n]{2,80})\)", text):
        inner = match.group(1).strip()
        if _ACRONYM.fullmatch(inner):
            long_form = _long_form_before(text, match.start(), inner)
            if long_form:
                yield inner, long_form
            continue
        before = _words_before(text, match.start(), limit=1)
        if before and _ACRONYM.fullmatch(before[-1].text):
            short = before[-1].text
            inner_words = inner.split()
            if len(inner_words) >= 2 and (
                _initials_match(short, inner_words) or _initials_match(short, inner_words, loose=True)
            ):
                yield short, inner


def _bracket_names(text: str) -> Iterator[tuple[str | None, str, int, int]]:
    """Reuters angle brackets: (ticker or None, company name, start, end) for each.

    "Hughes Tool Co <HT>" -> ("HT", "Hughes Tool Co"); "<Sharp Corp>" -> (None, "Sharp Corp");
    "Societe Generale <SGEN.PA>" -> ("SGEN", "Societe Generale"). A ticker with nothing before it
    that reads as a name ("shares of <BPCL.L>") yields nothing.
    """
    for match in re.finditer(r"<([^<>\n]{1,80}(?:\n[^<>\n]{1,80})?)>", text):
        inner = " ".join(match.group(1).replace("^M", " ").split())
        if _TICKER.fullmatch(inner):
            ticker = inner.split(".")[0]
            words = _words_before(text, match.start())
            name_words = _trailing_name(words)
            content = [w for w in name_words if w.text.lower().strip(".,") not in COMPANY_SUFFIXES]
            if content and len(ticker) >= 2:
                name = text[name_words[0].start : name_words[-1].end]
                yield ticker, name, name_words[0].start, match.end()
        elif any(ch.islower() for ch in inner):
            yield None, inner, match.start(), match.end()


def _trailing_name(words: list[_Word]) -> list[_Word]:
    """The capitalised name at the end of a run of words, as Reuters writes one before a ticker.

    "a unit of R.J.R. Nabisco Inc" -> "R.J.R. Nabisco Inc"; lower-case connectors may sit inside
    ("Bank of America", "Procter and Gamble Co"). It ends, going back, at a lower-case word, a
    bare number, a possessive ("West Germany's Veba AG" -> "Veba AG"), an earlier company's
    suffix ("First Boston Corp Marine Midland Banks" -> "Marine Midland Banks"), or an "and"
    that joins two names ("DJ and MCI Communications Corp" -> "MCI Communications Corp"; a name
    keeps its "and" only when one word and a suffix follow it).
    """
    name: list[_Word] = []
    for word in reversed(words):
        token = word.text
        lowered = token.lower().strip(".,")
        if token in CONNECTORS and name:
            if token == "and" and sum(w.text.lower().strip(".") not in COMPANY_SUFFIXES for w in name) > 1:
                break
            name.append(word)
            continue
        if not (token[:1].isupper() or (token[:1].isdigit() and any(ch.isalpha() for ch in token))):
            break
        if name and token.endswith(("'s", "\u2019s")):
            break
        content_after = any(w.text.lower().strip(".") not in COMPANY_SUFFIXES for w in name)
        if name and lowered in COMPANY_SUFFIXES and content_after:
            break
        name.append(word)
    while name and name[-1].text in CONNECTORS:  # lower-case only: "Du Pont", "De Beers" stay
        name.pop()
    return name[::-1]


def _capitalised_names(text: str) -> Iterator[str]:
    """Runs of two or more capitalised words (connectors allowed inside): candidate organisation
    names whose initials a story may use later."""
    pattern = re.compile(
        r"(?<![\w.])[A-Z][\w'&.\-]*(?:\s+(?:(?:of|and|for|the|on|de|&)\s+)*[A-Z][\w'&.\-]*)+"
    )
    for match in pattern.finditer(text):
        yield match.group()


def _initials_variants(name: str) -> set[str]:
    """Initials a story may use for a name: content words only, with connectors, with the suffix."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    variants: set[str] = set()
    for keep_connectors in (False, True):
        for keep_suffix in (False, True):
            letters = ""
            for word in words:
                lowered = word.lower().strip(".,")
                if lowered in CONNECTORS and (not keep_connectors or lowered == "&"):
                    continue
                if lowered in COMPANY_SUFFIXES and not keep_suffix:
                    continue
                letters += _letters(word)
            variants.add(letters)
    return {v for v in variants if len(v) >= 2}


def initials_of(name: str) -> frozenset[str]:
    """Initials a reader would take for a name of two or more words ("Iowa Beef Processors" ->
    IBP, "Bank of Japan" -> BJ, BOJ), without its legal form ("General Motors Corp" is not GMC).

    Why: a story may use a company's initials without ever spelling the name out ("IBP was
    refusing to bargain"), and a claim may spell out what the story abbreviates, or the reverse.
    Only variants of three letters or more are given: two letters name too many things.
    """
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    while words and words[0].lower() == "the":
        words = words[1:]
    content = [w for w in words if w.lower().strip(".,") not in CONNECTORS | COMPANY_SUFFIXES]
    if len(content) < 2 or not all(w[:1].isupper() for w in content):
        return frozenset()
    found: set[str] = set()
    for keep_connectors in (False, True):
        letters = ""
        for word in words:
            lowered = word.lower().strip(".,")
            connector = lowered in CONNECTORS and (not keep_connectors or lowered == "&")
            if connector or lowered in COMPANY_SUFFIXES:
                continue
            letters += _letters(word)
        found.add(letters)
    return frozenset(v for v in found if len(v) >= 3)


def learn_aliases(text: str) -> AliasTable:
    """Aliases a document defines for itself: parenthetical short forms, Reuters tickers, and the
    initials of a multi-word name used later on their own.

    >>> table = learn_aliases("General Motors Corp <GM> said ... GM also said")
    >>> table.canonical("GM")
    'general motors'
    """
    pairs: list[tuple[str, str]] = list(_parenthetical_aliases(text))
    names: list[str] = [long for _, long in pairs]
    for ticker, name, _, _ in _bracket_names(text):
        names.append(name)
        if ticker is not None:
            pairs.append((ticker, name))
    names.extend(_capitalised_names(text))
    if sum(ch.isupper() for ch in text) < 0.5 * sum(ch.isalpha() for ch in text):  # not an all-caps text
        pairs.extend(_initials_used(text, names))
    return AliasTable.build((alias, long) for alias, long in pairs if name_key(alias) != name_key(long))


_STANDALONE_CAPS = re.compile(r"(?<![\w&.<-])[A-Z][A-Z&]+(?![\w&>-])")


def _initials_used(text: str, names: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(initials, name) for each multi-word name whose initials the text uses as a word of their
    own, outside the name itself ("AT and T" does not make "AT" an alias of itself)."""
    positions: dict[str, list[int]] = {}
    for match in _STANDALONE_CAPS.finditer(text):
        if match.group() not in _NOT_INITIALS:
            positions.setdefault(match.group(), []).append(match.start())
    if not positions:
        return
    for name in dict.fromkeys(names):
        if len(name.split()) < 2:
            continue
        for initials in _initials_variants(name) & positions.keys():
            spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            if any(not any(s <= p < e for s, e in spans) for p in positions[initials]):
                yield initials, name


def document_aliases(text: str) -> AliasTable:
    """The curated table with a document's own aliases on top (its definitions win)."""
    return curated_aliases().merged(learn_aliases(text))


def expand_names(names: Iterable[str], table: AliasTable | None = None) -> frozenset[str]:
    """Name keys of ``names`` plus every alias of each, so that "General Motors" and "GM" meet.

    Expand both sides (the claim's names with the curated table, a sentence's names with its
    document's table) and intersect: ``expand_names(["General Motors"]) & expand_names(["GM"])``.
    """
    table = curated_aliases() if table is None else table
    out: set[str] = set()
    for name in names:
        out |= table.aliases_of(name)
    return frozenset(out)


def same_name(a: str, b: str, table: AliasTable | None = None) -> bool:
    """Do two names refer to one organisation under ``table`` (curated by default)?"""
    table = curated_aliases() if table is None else table
    return table.canonical(a) == table.canonical(b)
