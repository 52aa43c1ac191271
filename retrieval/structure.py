"""What a sentence asserts, as facts a verifier can compare: predicates with their roles, polarity,
mode and sense, and figures with their units and owners.

Why: cosine similarity and shared names cannot tell "TWA offered to buy USAir" from "USAir offered
to buy TWA", "the union voted to accept" from "voted to reject", "could activate" from
"activated", or whose 775,000 tonnes a list gives. A dependency parse can, and it exists only at
ingest: each stored sentence keeps its :class:`Structure` (compact JSON), and a claim is analysed
by the same code when it is checked, so a query never parses a stored sentence again.

Every key is a term key (``retrieval.terms.token_keys``: stems, ``geo:`` country codes) so that
roles compare with the same normalisation as the support requirements. Offsets are into the
posted text, through the ``to_original`` map the caller passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final

import msgspec
from spacy.tokens import Span, Token

from retrieval import predicates as lex
from retrieval.aliases import CONNECTORS
from retrieval.names import untagged_name
from retrieval.quantities import parse_quantities
from retrieval.terms import initials_keys, token_keys, word_key

OffsetMap = Callable[[int], int]

_ARGUMENT_ENTS: Final = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT"})
_PATIENT_PREPS: Final = frozenset({"for", "to", "with", "of", "against", "on", "into", "over", "in"})
_NOUN_AGENT_PREPS: Final = frozenset({"by", "from"})
# Event nouns whose "of" names what is acted on ("the sale of the unit", "the closure of the plant");
# for the others it names who acts ("the involvement of terrorists", "the rise of prices").
_TRANSITIVE_GROUPS: Final = frozenset(
    {"buy", "sell", "close", "open", "hire", "fire", "freeze", "activate", "set"}
)
_SUBJECT_DEPS: Final = frozenset({"nsubj", "csubj", "expl"})
_OBJECT_DEPS: Final = frozenset({"dobj", "dative", "attr", "oprd", "acomp"})
# Verbs whose object does what their infinitive says ("compel Hughes to complete").
_OBJECT_CONTROL: Final = frozenset(
    [
        "compel",
        "force",
        "urge",
        "ask",
        "persuade",
        "order",
        "allow",
        "require",
        "invite",
        "encourage",
        "permit",
        "enable",
        "cause",
    ]
)
# Verbs that only enter or state the state their prepositional noun names, with the prepositions
# that do it: "went on strike", "came under attack", "is in breach of", "was in deficit".
_STATE_VERBS: Final[dict[str, frozenset[str]]] = {
    "go": frozenset(["on", "into", "under"]),
    "come": frozenset(["on", "into", "under"]),
    "be": frozenset(["in", "on"]),
}
# Verbs whose object noun names an act of the verb's subject ("made an offer", "filed suit").
_SUPPORT_VERBS: Final = frozenset(
    [
        "make",
        "launch",
        "submit",
        "announce",
        "file",
        "mount",
        "table",
        "extend",
        "present",
        "put",
        "lodge",
        "bring",
        "unveil",
        "have",
    ]
)
# Verbs that put a figure on their subject ("purchases reached 75,000 tonnes"): an event noun
# that is their subject happened only as surely as the verb says ("could reach", "are expected to
# total").
_AMOUNTING_VERBS: Final = frozenset("reach total amount exceed top hit surpass approach".split())  # noqa: SIM905
# Verbs whose object noun names an act done to their subject ("rejected the offer", "received a bid").
_RECIPIENT_VERBS: Final = frozenset(
    "receive reject accept consider welcome study review get rebuff spurn face oppose".split()  # noqa: SIM905
)
# Verbs whose "of"/"for" gerund is done by their object: "accused Ankara of sending fighters".
_CHARGE_VERBS: Final = frozenset(
    "accuse charge suspect blame convict praise thank criticize criticise fault credit".split()  # noqa: SIM905
)
# Keys that name no one: company suffixes ("Ltd" in "Carling O'Keefe Ltd" and "United Coal Ltd"),
# determiners and prepositions a parse may hang inside a name.
_NOT_NAMES: Final = frozenset(
    word_key(word)
    for word in ("ltd", "corp", "co", "inc", "plc", "sa", "ag", "nv", "bv", "spa", "cos", "company", "group")
) | frozenset({"the", "a", "an", "of", "to", "for", "and"})
_PRONOUNS: Final = frozenset(
    ["it", "its", "he", "his", "she", "her", "they", "their", "them", "we", "our", "us", "i", "me", "my"]
)
LIGHT_PREDICATES: Final = frozenset(
    ["be", "have", "do", "get", "become", "seem", "remain", "stand", "total", "amount", "carry"]
)
"""Predicates that name no act of their own: a claim built on one is carried by its arguments
("the rate stood at 3 pct", "the loan carries a margin of 7/8 point", "sales totalled 5 mln")."""


class Predicate(msgspec.Struct, array_like=True, frozen=True):
    """One act or state a sentence reports, by its head word."""

    lemma: str  # lower-case lemma; phrasal verbs joined ("take_over")
    group: str | None  # sense group (``retrieval.predicates``), None outside the lexicon
    start: int
    end: int
    negated: bool
    mode: str  # "fact", "future", "aim", "possible", "condition" or "question"
    agents: tuple[str, ...]  # term keys of who does it
    patients: tuple[str, ...]  # term keys of what it is done to or about
    text: str  # the head word as written ("fell"), for the answer's reasons
    main: bool = False  # on the main clause's chain (root, its xcomp/ccomp/conj): what is asserted
    noun: bool = False  # an event noun ("a lawsuit", "the offer"), not a verb
    refused: bool = False  # negated by a refusal ("refused to sign", "is not prepared to sign")
    # in the present progressive ("is setting aside", "are pressing"): under way or arranged, so
    # not yet done either; stored rows written before it read False
    progressive: bool = False
    # keys of the party an act comes from ("bought the smelter from Harbin"): the other side of a
    # converse act, the seller of a purchase; stored rows written before it read ()
    source: tuple[str, ...] = ()
    # a verb in the passive ("was passed by a 304-100 vote"): its doer, if named, follows "by";
    # stored rows written before it read False
    passive: bool = False


class Figure(msgspec.Struct, array_like=True, frozen=True):
    """A quantity with its unit and the entity it belongs to ("French traders ... 775,000 tonnes")."""

    value: float
    unit: str | None
    start: int
    end: int
    text: str
    owner: tuple[str, ...]
    resolution: float = 0.0
    counts: str | None = None
    # what a figure is to a movement it measures: the level reached ("rose to 5 pct"), the change
    # ("rose 5 pct", "by 5 pct") or the start ("from 4 pct"); None when it measures none
    role: str | None = None
    # the direction ("up" or "down") of the movement the figure measures, by verb or noun: "a raise
    # of 60 cents" is up, "wage cuts of 60 cents" down; None when it measures none
    movement: str | None = None


class Structure(msgspec.Struct, array_like=True, frozen=True):
    predicates: tuple[Predicate, ...] = ()
    figures: tuple[Figure, ...] = ()
    subject: tuple[str, ...] = ()  # keys of the main clause's subject: what "it" next refers to
    names: tuple[str, ...] = ()  # keys of the proper names in it: an actor named, not described


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Structure)
EMPTY = Structure()


def encode(structure: Structure) -> str:
    return _ENCODER.encode(structure).decode()


def decode(raw: str | bytes | None) -> Structure:
    return _DECODER.decode(raw) if raw else EMPTY


_ANTECEDENT = "claimcheck.antecedent"
_EVENTS = "claimcheck.events"

Roles = tuple[tuple[str, ...], tuple[str, ...]]
"""(agents, patients) of a predicate."""

EventMemory = dict[str, Roles]
"""Sense group -> roles of the latest act of that sense the document has named with its doer."""


def remember_events(memory: EventMemory, structure: Structure) -> None:
    """Record the acts of a sentence that name their doer, for the definite descriptions of later
    sentences of the same document ("TWA offered 52 dlrs a share for USAir. ... the offer")."""
    for predicate in structure.predicates:
        if predicate.group is not None and predicate.agents:
            memory[predicate.group] = (predicate.agents, predicate.patients)


def analyse(
    span: Span,
    to_original: OffsetMap = lambda i: i,
    antecedent: Iterable[str] = (),
    events: EventMemory | None = None,
) -> Structure:
    """The structure of one sentence (or claim) ``span``.

    ``antecedent`` is the previous sentence's subject (``Structure.subject``): a pronoun subject
    outside any report ("It also offered to buy the company") stands for it. ``events`` are the
    acts earlier sentences of the document named with their doer (``remember_events``): an event
    noun that names none but is definite ("the offer was a positive sign") is that act.
    """
    span.doc.user_data[_ANTECEDENT] = set(antecedent)
    span.doc.user_data[_EVENTS] = events or {}
    try:
        predicates = tuple(_predicate(t, span, to_original) for t in span if _is_predicate(t, span))
        figures = tuple(_figures(span, to_original))
        names = {
            k
            for t in span
            if t.pos_ == "PROPN" or t.ent_type_ in _ARGUMENT_ENTS or untagged_name(t)
            for k in token_keys(t)
        }
        names |= set(antecedent)  # "It also offered ...": the name the pronoun stands for
        return Structure(predicates, figures, tuple(sorted(_main_subject(span))), tuple(sorted(names)))
    finally:
        span.doc.user_data.pop(_ANTECEDENT, None)
        span.doc.user_data.pop(_EVENTS, None)


def _main_subject(span: Span) -> set[str]:
    root = span.root
    return {k for c in root.children if c.dep_ in _SUBJECT_DEPS for k in _argument_keys(c)}


# -- predicates -----------------------------------------------------------------------------------


def _is_predicate(token: Token, span: Span) -> bool:
    if _future_marker(token):
        return False  # "are going to write off": the writing off is the act, in the future
    if token.pos_ == "VERB":
        return True
    if token.pos_ == "AUX" and token.dep_ == "ROOT":
        return True  # a copular main clause ("output will be close to 18 mln bpd")
    if token.pos_ == "AUX" and _movement_word(token) is not None:
        return True  # "expected to be down 65 pct": the copula under another verb
    return token.pos_ in ("NOUN", "PROPN") and _lemma(token) in lex.LEMMA_GROUP


def _future_marker(token: Token) -> bool:
    """The "going" of "be going to VERB": a future tense, not an act of going."""
    return (
        token.lemma_.lower() == "go"
        and token.tag_ == "VBG"
        and any(c.dep_ == "aux" and c.lemma_ == "be" for c in token.children)
        and any(c.dep_ == "xcomp" and _has_to(c) for c in token.children)
    )


def _lemma(token: Token) -> str:
    """The lemma, joined with a particle ("break out") or an idiomatic object ("take part") when
    the lexicon knows the pair: the pair, not the verb alone, names the act ("end up owning" is
    the owning: a transparent pair)."""
    lemma = token.lemma_.lower()
    movement = _movement_word(token)
    if movement is not None:
        return lex.COPULAR_MOVEMENTS[movement.lower_]
    if lemma in lex.LEVEL_VERBS and _holds_a_level(token):
        return "hold_level"
    if f"{lemma}_at" in lex.LEMMA_GROUP and _at_a_figure(token):
        return f"{lemma}_at"  # "put the cost at 8.87 billion dlrs": an estimate, not a placing
    if lemma in lex.GIVING_UP_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in lex.UNDERTAKINGS for c in token.children
    ):
        return "withdraw"
    for child in token.children:
        if child.dep_ in ("prt", "dobj"):
            joined = f"{lemma}_{child.lemma_.lower()}"
            if joined in lex.LEMMA_GROUP or joined in lex.TRANSPARENT_GOVERNORS:
                return joined
        if child.dep_ == "prep" and f"{lemma}_{child.lower_}" in lex.PREPOSITIONAL_SENSES:
            return f"{lemma}_{child.lower_}"
        if child.dep_ == "prep" and child.lower_ in _STATE_VERBS.get(lemma, ()):
            # "went on strike", "would be in breach of": the verb only enters or states the state
            # its noun names
            event = next((g.lemma_.lower() for g in child.children if g.dep_ == "pobj"), "")
            if event in lex.LEMMA_GROUP:
                return event
    return lemma


def _movement_word(token: Token) -> Token | None:
    """The "up", "down", "higher" or "lower" by which a copula states a movement (None if none)."""
    if token.lemma_.lower() != "be":
        return None
    return next(
        (
            c
            for c in token.children
            if c.dep_ in ("advmod", "acomp", "prt") and c.lower_ in lex.COPULAR_MOVEMENTS
        ),
        None,
    )


def _holds_a_level(verb: Token) -> bool:
    """ "held ... unchanged", "kept ... steady", "stayed at 6.7 pct": a level is said, with a word of
    steadiness or "at" a figure."""
    return any(child.lower_ in lex.LEVEL_WORDS for child in verb.children) or _at_a_figure(verb)


def _at_a_figure(verb: Token) -> bool:
    """ "stayed at 6.7 pct", "put the cost at 8.87 billion dlrs": the verb says "at" a figure."""
    return any(
        child.dep_ == "prep"
        and child.lower_ == "at"
        and any(g.like_num or any(n.like_num for n in g.children) for g in child.children)
        for child in verb.children
    )


def _predicate_text(token: Token) -> str:
    """The words a reader sees as the act: the verb, or a copula with its word of movement ("be down")."""
    word = _movement_word(token)
    return token.text if word is None else f"{token.text} {word.text}"


def _predicate(token: Token, span: Span, to_original: OffsetMap) -> Predicate:
    lemma = _lemma(token)
    agents, patients = _roles(token)
    return Predicate(
        lemma=lemma,
        group=lex.group_of(lemma),
        start=to_original(token.idx),
        end=to_original(token.idx + len(token.text) - 1) + 1,
        negated=_negated(token),
        mode=_mode(token, span),
        agents=tuple(sorted(agents)),
        patients=tuple(sorted(patients)),
        text=_predicate_text(token),
        main=_on_main_chain(token, span),
        noun=token.pos_ in ("NOUN", "PROPN"),
        refused=_refused(token),
        progressive=_present_progressive(token),
        source=tuple(sorted(_source(token))),
        passive=token.pos_ == "VERB" and any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children),
    )


def _source(token: Token) -> set[str]:
    """Who a verb's act comes from: the object of its "from", which the parse may hang on the
    verb's object ("bought the stations from Taft")."""
    if token.pos_ in ("NOUN", "PROPN"):
        return set()
    holders = [token, *(c for c in token.children if c.dep_ in _OBJECT_DEPS)]
    return {
        key
        for holder in holders
        for child in holder.children
        if child.dep_ == "prep" and child.lower_ == "from"
        for pobj in child.children
        if pobj.dep_ == "pobj"
        for key in _argument_keys(pobj)
    }


def _present_progressive(token: Token) -> bool:
    """ "Security Pacific is setting aside ...", "Washington is pressing Japan ...": a present
    "be" and the -ing form."""
    if token.tag_ != "VBG":
        return False
    return any(
        c.dep_ in ("aux", "auxpass") and c.lemma_ == "be" and c.tag_ in ("VBZ", "VBP") for c in token.children
    )


def _on_main_chain(token: Token, span: Span) -> bool:
    """The root of the sentence, or reached from it through complements and conjuncts only
    ("Union members voted to reject the settlement of the strike": "voted", "reject"; not the
    strike, which only names what was settled). A copular root's predicate noun counts too."""
    current = token
    for _ in range(8):
        if current.i == span.root.i:
            return True
        if (
            current.dep_ not in ("xcomp", "ccomp", "conj", "attr", "acomp", "dobj")
            or current.head.i == current.i
        ):
            return False
        if current.dep_ == "dobj" and current.head.lemma_.lower() not in _SUPPORT_VERBS:
            return False
        current = current.head
    return False


def _roles(token: Token) -> tuple[set[str], set[str]]:
    if token.pos_ in ("NOUN", "PROPN"):
        return _definite_event_roles(token, *_noun_roles(token))
    if (
        token.dep_ == "amod"
        and token.head.pos_ in ("NOUN", "PROPN")
        and _is_predicate(token.head, token.doc[:])
    ):
        # "CSR's proposed bid": the participle is the event its noun names, made by the noun's doer
        return _definite_event_roles(token.head, *_noun_roles(token.head))
    agents: set[str] = set()
    patients: set[str] = set()
    for child in token.children:
        if child.dep_ in _SUBJECT_DEPS:
            agents |= _argument_keys(child)
        elif child.dep_ in ("nsubjpass", "csubjpass"):
            patients |= _argument_keys(child)
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    agents |= _argument_keys(pobj)
        elif child.dep_ in _OBJECT_DEPS:
            patients |= _argument_keys(child)
        elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPS:
            patients |= {k for pobj in child.children if pobj.dep_ == "pobj" for k in _argument_keys(pobj)}
        elif child.dep_ == "xcomp":
            # "offered to buy TWA": what the infinitive acts on is what the offer is about.
            patients |= {k for c in child.children if c.dep_ in _OBJECT_DEPS for k in _argument_keys(c)}
    if not agents:
        agents = _inherited_agents(token)
    return agents, patients


def _definite_event_roles(noun: Token, agents: set[str], patients: set[str]) -> tuple[set[str], set[str]]:
    """An event noun without its doer but definite ("the offer") is the act of its sense the
    story named last with a doer; an indefinite one ("a lawsuit") is not."""
    if agents or not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in noun.children):
        return agents, patients
    earlier = noun.doc.user_data.get(_EVENTS, {}).get(lex.group_of(_lemma(noun)))
    if earlier is None:
        return agents, patients
    return set(earlier[0]), patients or set(earlier[1])


def _inherited_agents(token: Token, depth: int = 0) -> set[str]:
    """The subject a verb without its own takes from the clause it depends on."""
    if depth > 4 or token.head.i == token.i:
        return set()
    head = token.head
    if token.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):
        if head.lemma_.lower() in _OBJECT_CONTROL:
            objects = [c for c in head.children if c.dep_ == "dobj"]
            if objects:
                return _argument_keys(objects[0])
        # "Libya is reported to have bought", "TWA was forced to sell": a passive governor's
        # subject is the one who does what its infinitive says.
        own = {k for c in head.children if c.dep_ in (*_SUBJECT_DEPS, "nsubjpass") for k in _argument_keys(c)}
        return own or _inherited_agents(head, depth + 1)
    if token.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        own = {k for c in head.children if c.dep_ in _SUBJECT_DEPS for k in _argument_keys(c)}
        return own or _inherited_agents(head, depth + 1)
    if token.dep_ == "relcl":
        return _argument_keys(head)
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        # "insisted on selling": the gerund's doer is the clause's subject; "accused Ankara of
        # sending", "Ankara was accused of sending": the one accused.
        verb = head.head
        if verb.lemma_.lower() in _CHARGE_VERBS:
            accused = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
            if accused:
                return _argument_keys(accused[0])
        return {
            k for c in verb.children if c.dep_ in (*_SUBJECT_DEPS, "nsubjpass") for k in _argument_keys(c)
        }
    if token.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return _noun_roles(head)[0]  # "an offer to acquire USAir": the offer's maker acquires
    return set()


def _noun_roles(noun: Token) -> tuple[set[str], set[str]]:
    """Who does what an event noun names ("TWA's offer for USAir", "an offer from TWA")."""
    agents: set[str] = set()
    patients: set[str] = set()
    movement = lex.group_of(_lemma(noun)) in lex.MOVEMENT_GROUPS
    for child in noun.children:
        if child.dep_ == "poss":
            agents |= _argument_keys(child)
        elif movement and child.dep_ == "prep" and child.lower_ in ("in", "from", "to", "by"):
            # "a fall in output from 373,000 bpd to 340,000": what moves is "in" it, the rest are
            # levels, and a level is nobody's role
            if child.lower_ == "in":
                agents |= {k for p in child.children if p.dep_ == "pobj" for k in _argument_keys(p)}
        elif child.dep_ == "prep" and child.lower_ in _NOUN_AGENT_PREPS:
            agents |= {k for p in child.children if p.dep_ == "pobj" for k in _argument_keys(p)}
        elif (
            child.dep_ == "prep"
            and child.lower_ == "of"
            and lex.group_of(_lemma(noun)) not in _TRANSITIVE_GROUPS
        ):
            # "the involvement of terrorists", "the rise of prices": the one who does it; not "the
            # offer of 52 dlrs a share", which says how much
            agents |= {
                k for p in child.children if p.dep_ == "pobj" and not _is_amount(p) for k in _argument_keys(p)
            }
        elif child.dep_ == "prep" and child.lower_ in _PATIENT_PREPS:
            patients |= {k for p in child.children if p.dep_ == "pobj" for k in _argument_keys(p)}
        elif child.dep_ == "compound" and child.ent_type_ in _ARGUMENT_ENTS:
            agents |= _argument_keys(child)
        elif child.dep_ == "acl":
            patients |= {k for c in child.children if c.dep_ in _OBJECT_DEPS for k in _argument_keys(c)}
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_.lower() in _SUPPORT_VERBS | _RECIPIENT_VERBS:
        subject = {k for c in head.children if c.dep_ in _SUBJECT_DEPS for k in _argument_keys(c)}
        subject = subject or _inherited_agents(head)
        if head.lemma_.lower() in _RECIPIENT_VERBS:
            patients |= subject - agents  # "USAir rejected the offer": the offer was made to USAir
        elif not agents:
            agents = subject
    return agents, patients


def _is_amount(token: Token) -> bool:
    """A quantity, not a party: "52 dlrs", "five pct", "1,000 tonnes"."""
    return (
        token.like_num or token.ent_type_ in _AMOUNT_ENTS or any(c.dep_ == "nummod" for c in token.children)
    )


def _argument_keys(token: Token) -> set[str]:
    """Term keys naming an argument: its entity, or its head with its name-like modifiers, and
    its conjuncts ("Hughes Tool and Baker sued"). A pronoun stands for the subject of the report
    it sits in ("Baker said it filed suit" -> Baker)."""
    if token.lower_ in _PRONOUNS and token.pos_ == "PRON":
        return _pronoun_keys(token)
    keys: set[str] = set()
    parts = [part for part in _name_tokens(token) if part.is_alpha or any(ch.isdigit() for ch in part.text)]
    for part in parts:
        keys |= token_keys(part)
    keys |= _initials_keys(parts)
    for conj in token.conjuncts:
        if conj.i > token.i:
            for part in _name_tokens(conj):
                keys |= token_keys(part)
            keys |= _appositive_keys(conj)
    keys |= _appositive_keys(token)
    return {k for k in keys if k and k not in _NOT_NAMES}


def _initials_keys(parts: Sequence[Token]) -> set[str]:
    """Keys of the initials of a name written out in ``parts`` ("Iowa Beef Processors" -> "ibp"):
    a story may call a party by initials it never defines, and a claim may spell out the name."""
    positions = {part.i for part in parts}
    if len(positions) < 2:
        return set()
    name = parts[0].doc[min(positions) : max(positions) + 1]
    if any(t.i not in positions and t.lower_ not in CONNECTORS for t in name):
        return set()  # not one name: "Eastern president Philip Bakes"
    return initials_keys(name.text)


def _appositive_keys(token: Token) -> set[str]:
    """The names an appositive gives the same party: "Jacobs' investment vehicle, Minstar Inc,
    sold" is Minstar selling; "Cyacq Corp, the Audio/Video investor group" is that group."""
    keys: set[str] = set()
    for child in token.children:
        if child.dep_ == "appos" and not _is_amount(child):
            for part in _name_tokens(child):
                if part.is_alpha or any(ch.isdigit() for ch in part.text):
                    keys |= token_keys(part)
    return keys


def _name_tokens(token: Token) -> Iterable[Token]:
    if token.ent_type_ in _ARGUMENT_ENTS:
        doc = token.doc
        start = token.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = token.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        yield from (t for t in doc[start:end] if not t.is_stop and not t.is_punct)
        # ... and the title and organisation written before the name: "Eastern president Philip
        # Bakes" is Eastern's president as well as Bakes.
        for part in doc[start:end]:
            for child in part.children:
                if (child.i < start or child.i >= end) and _is_name_modifier(child):
                    yield from _name_tokens(child)
        return
    yield token
    for child in token.children:
        if _is_name_modifier(child):
            yield from _name_tokens(child)
        elif child.dep_ == "prep" and child.lower_ == "of":
            yield from (p for p in child.children if p.dep_ == "pobj" and p.ent_type_ in _ARGUMENT_ENTS)


def _is_name_modifier(child: Token) -> bool:
    """A word that says which one the head is: "Eastern" and "president" in "Eastern president"."""
    return child.dep_ in ("compound", "amod", "nmod", "poss") and (
        child.pos_ in ("PROPN", "NOUN", "ADJ")
        and child.is_alpha
        and not child.is_stop
        and child.lower_ not in _STANCE_PREFIXES
        and not _stance_prefixed(child)
    )


_AMOUNT_ENTS = frozenset({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "such"})
_STANCE_PREFIXES = frozenset({"pro", "anti", "non", "ex", "post", "pre"})


def _stance_prefixed(token: Token) -> bool:
    """ "pro-Ankara fighters", "anti-Moscow rebels": the modifier names a side taken towards a
    name, not the name itself, so the name is not an argument."""
    return any(c.lower_ in _STANCE_PREFIXES for c in token.children) or (
        token.i > 1
        and token.doc[token.i - 1].text == "-"
        and token.doc[token.i - 2].lower_ in _STANCE_PREFIXES
    )


def _pronoun_keys(pronoun: Token) -> set[str]:
    """The subject of the nearest reporting verb whose complement holds the pronoun; else, for a
    subject pronoun in a clause that hangs off another, that clause's named subject ("Coastal has
    been trying to enter the market since 1979, when *it* was forced to sell Lo-Vaca"); else the
    previous sentence's subject (``analyse``'s ``antecedent``)."""
    token = pronoun
    superordinate: Token | None = None  # the first named subject of a clause above the pronoun's
    for _ in range(8):
        head = token.head
        if head.i == token.i:
            break  # no report holds it: a subject pronoun stands for the previous subject
        if head.lemma_.lower() in lex.REPORTING and token.dep_ in ("ccomp", "xcomp", "advcl", "conj"):
            for child in head.children:
                if child.dep_ in _SUBJECT_DEPS and child.lower_ not in _PRONOUNS:
                    return _argument_keys(child)
            break
        if superordinate is None and head.pos_ in ("VERB", "AUX") and token.dep_ not in _SUBJECT_DEPS:
            superordinate = next(
                (
                    c
                    for c in head.children
                    if c.dep_ in _SUBJECT_DEPS
                    and c.i < pronoun.i
                    and c.pos_ == "PROPN"
                    and c.lower_ not in _PRONOUNS
                ),
                None,
            )
        token = head
    if pronoun.dep_ in ("nsubj", "nsubjpass", "poss"):
        if superordinate is not None and pronoun.lower_ in ("it", "its"):
            return _argument_keys(superordinate)
        return set(pronoun.doc.user_data.get(_ANTECEDENT, ()))
    return set()


# -- polarity and mode ----------------------------------------------------------------------------


def _negated(token: Token) -> bool:
    """Negated itself, or the complement of a negated or negating governor ("does not intend to
    raise", "has no plans to close", "refused to sign", "did not make an offer")."""
    current = token
    for _ in range(6):
        if _has_negation(current):
            return True
        head = current.head
        if head.i == current.i:
            return False
        if current.dep_ == "xcomp":
            if _refused(current):
                return True
            if head.pos_ == "ADJ" and head.lemma_.lower() in lex.UNLIKELY_ADJECTIVES:
                return True  # "prices are unlikely to rise": expected not to
        elif current.dep_ == "ccomp" and _unlikely(head):
            return True  # "it is unlikely that prices will rise"
        elif current.dep_ == "acomp" and current.lemma_.lower() in lex.AIM_ADJECTIVES:
            pass  # "prices are not likely to rise": the copula's negation reaches the infinitive
        elif current.dep_ == "acl":
            pass  # "no plans to close": the noun's negation reaches its infinitive
        elif current.dep_ == "dobj" and _carries_its_object(head):
            pass  # "did not make an offer", "has no plans", "did not report a profit"
        else:
            return False
        current = head
    return False


def _unlikely(governor: Token) -> bool:
    """ "unlikely", or a copula it complements ("it was unlikely that ..." hangs the clause on
    "was")."""
    if governor.pos_ == "ADJ":
        return governor.lemma_.lower() in lex.UNLIKELY_ADJECTIVES
    return any(c.dep_ == "acomp" and c.lemma_.lower() in lex.UNLIKELY_ADJECTIVES for c in governor.children)


def _verb_forms(verb: Token, particle_deps: tuple[str, ...] = ("prt",)) -> tuple[str, ...]:
    """The verb's lemma and its lemma joined with each particle ("call_off", "fall_through"), for
    the lexicon's lists of phrasal verbs whatever sense group they belong to (``_lemma`` joins only
    the pairs of a sense group)."""
    lemma = verb.lemma_.lower()
    return (lemma, *(f"{lemma}_{c.lemma_.lower()}" for c in verb.children if c.dep_ in particle_deps))


def _cancels(verb: Token) -> bool:
    """ "scrapped", "called off", "ruled out": a verb that calls off the event its object names."""
    return verb.pos_ == "VERB" and not lex.CANCELLING_GOVERNORS.isdisjoint(_verb_forms(verb))


# "up for sale", "offered for lease", "put up for auction": what is offered, not yet done.
_OFFERED_FOR = frozenset(["sale", "auction", "lease", "rent", "hire"])


def _deal_stopped(noun: Token, verb: Token) -> bool:
    """ "Regulators blocked Harbin's purchase of Kestrel", "the merger fell through": a deal's noun
    that a verb stopped before it was done."""
    if noun.pos_ != "NOUN" or lex.LEMMA_GROUP.get(_lemma(noun)) not in lex.DEAL_GROUPS:
        return False
    verbs = _verb_forms(verb, ("prt", "advmod"))  # the parse makes "through" an adverb
    if noun.dep_ in ("dobj", "nsubjpass"):
        return not lex.BLOCKING_GOVERNORS.isdisjoint(verbs)
    return noun.dep_ == "nsubj" and not lex.FAILING_PREDICATES.isdisjoint(verbs)


def _bare(noun: Token) -> bool:
    """A noun without determiner or possessor: "for sale", not "for the sale of its unit"."""
    return not any(c.dep_ in ("det", "poss") for c in noun.children)


def _past_obligation(complement: Token, governor: Token) -> bool:
    """ "Cominco had to declare force majeure", "has had to", "was forced to sell": an obligation
    told in the past reports its act as done (the present, "has to sell", only obliges). Denied
    ("did not have to sell", "was not forced to sell"), it says nothing of the act: it was not
    done under obligation, which is not that it was not done."""
    lemma = governor.lemma_.lower()
    if lemma not in lex.OBLIGATION_GOVERNORS or not _has_to(complement) or _has_negation(governor):
        return False
    auxiliaries = [c for c in governor.children if c.dep_ in ("aux", "auxpass")]
    if lemma != "have" and not any(c.dep_ == "auxpass" for c in auxiliaries):
        return False  # "they forced Cominco to close" is not the closing
    if lemma == "have" and not auxiliaries:
        return governor.tag_ == "VBD"
    return any(c.tag_ == "VBD" or (c.lemma_ == "have" and c.dep_ == "aux") for c in auxiliaries)


def _refused(token: Token) -> bool:
    """ "refused to sign", "was unwilling to sign", "is not prepared to sign": the act is refused, a
    stance that willingness ("is ready to sign", "agreed to sign") contradicts."""
    if token.dep_ != "xcomp":
        return False
    return token.head.lemma_.lower() in lex.NEGATING_GOVERNORS or _refusal(token.head)


def _refusal(adjective: Token) -> bool:
    """ "was unwilling to lend", "is not prepared to discuss", "we are not willing to": an adjective
    that states its complement is refused. Willingness alone ("is ready to sign") only aims at it
    (``lex.AIM_ADJECTIVES``); denied, it is the refusal a claim reports as "refused to sign"."""
    if adjective.pos_ == "VERB" and adjective.tag_ == "VBN":
        lemma = adjective.lower_  # "would not be prepared to": the parse reads a passive verb
    elif adjective.pos_ == "ADJ":
        lemma = adjective.lemma_.lower()
    else:
        return False
    if lemma in lex.NEGATING_ADJECTIVES:
        return True
    if lex.AIM_ADJECTIVES.get(lemma) != "aim":
        return False
    return _has_negation(adjective) or (adjective.dep_ == "acomp" and _has_negation(adjective.head))


def _carries_its_object(verb: Token) -> bool:
    """A verb whose object noun is told with the verb's own polarity and mode: a support verb
    ("could have had a loss") or a verb of saying ("expects to report a profit", "did not announce
    a dividend"): reporting a profit it only expects is not having reported one. Roles are another
    matter: who reports an attack is not who made it, so only support verbs lend their subject."""
    lemma = verb.lemma_.lower()
    return lemma in _SUPPORT_VERBS or lemma in lex.REPORTING


def _has_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


_RANKS = frozenset({"first", "last", "only", "latest", "next"})


def _ranked_noun_before(infinitive: Token) -> Token | None:
    """ "became the third major bank to raise its prime rate", "was the first company to cut": an
    infinitive right after a noun ranked by an ordinal or a superlative is that noun's act, whether
    the parse hangs it on the noun or on the verb (as if it were a purpose); it is as done, or as
    planned, as the clause of the noun. The noun, else None."""
    if infinitive.dep_ not in ("acl", "advcl", "relcl") or infinitive.tag_ != "VB":
        return None
    to = next((c for c in infinitive.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or to.i == 0:
        return None
    noun = infinitive.doc[to.i - 1]
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in ("attr", "dobj", "nsubj", "appos"):
        return None
    if noun.lemma_.lower() in lex.AIM_NOUNS:
        return None  # "the best chance to win": a possibility, whatever ranks it
    ranked = any(
        c.i < noun.i and (c.ent_type_ == "ORDINAL" or c.tag_ == "JJS" or c.lower_ in _RANKS)
        for c in noun.children
    )
    return noun if ranked else None


def _has_mark(token: Token) -> bool:
    return any(child.dep_ == "mark" for child in token.children)


def _has_negation(token: Token) -> bool:
    """A "not"/"never", a "no" on the noun itself ("no plans"), or, on a verb, a subject or object
    that is "no ..." or "nothing" ("has bought no U.S. wheat", "no bank bought", "said nothing")."""
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
        if child.dep_ in ("aux", "auxpass") and any(g.dep_ == "neg" for g in child.children):
            return True  # "would not be prepared": the parse hangs "not" on the auxiliary
        if token.pos_ in ("VERB", "AUX") and child.dep_ in _NEGATABLE_ARGUMENTS and _is_none(child):
            return True
    return False


_NEGATABLE_ARGUMENTS = frozenset(["dobj", "nsubj", "nsubjpass", "attr"])
_NEGATIVE_PRONOUNS = frozenset(["nothing", "nobody", "none", "noone"])


def _is_none(argument: Token) -> bool:
    """An argument that names nothing: "no U.S. wheat", "nothing", "none"."""
    return argument.lower_ in _NEGATIVE_PRONOUNS or any(
        child.dep_ == "det" and child.lower_ == "no" for child in argument.children
    )


def _accused(noun: Token) -> bool:
    """ "accused the negotiator of softening his position": the gerund is the act the accusation
    reports (its frame says whose word it is), not an act a noun merely names."""
    return noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in _CHARGE_VERBS


def _subject_infinitive(token: Token) -> bool:
    """An infinitive with its own subject under a verb ("expects output to fall", "asked Iraq to
    cut"): the parse calls it a clausal complement, and it is as far from done as an ``xcomp``."""
    return (
        token.dep_ == "ccomp"
        and token.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
    )


def _mode(token: Token, span: Span) -> str:
    """ "fact" unless a modal, a future, an aim, a condition or a question frames the act."""
    if span.text.rstrip().endswith("?"):
        return "question"
    current = token
    for _ in range(6):
        for child in current.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in lex.MODAL_AUX:
                return lex.MODAL_AUX[child.lower_]
            if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                return "condition"
        head = current.head
        if head.i == current.i:
            return "fact"
        if current.dep_ == "xcomp" or _subject_infinitive(current):
            governor = _lemma(head)
            if _past_obligation(current, head):
                current = head  # "had to declare": done; a modal above it still counts
                continue
            if _refusal(head):
                # "is not prepared to discuss", "would not be ready to sign": the refusal is stated
                # (``_negated``); its mode is the copula's, which may carry a modal
                current = head.head if head.dep_ == "acomp" else head
                continue
            if (
                governor == "go"
                and head.tag_ == "VBG"
                and any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children)
            ):
                # "we're going to reduce AI": a future, not an act done ("went on to rise" is one)
                return "future"
            if governor in lex.AIM_GOVERNORS:
                return lex.AIM_GOVERNORS[governor]
            if head.pos_ == "ADJ" and governor in lex.AIM_ADJECTIVES:
                return lex.AIM_ADJECTIVES[governor]
            if current.tag_ == "VBG" and governor in lex.ONGOING_GOVERNORS:
                # "kept rising", "a rumor had Federated taking a look": the -ing act is under way, no
                # aim ("stopped buying", "avoided paying" are left to the rules below)
                current = head
                continue
            if governor not in lex.TRANSPARENT_GOVERNORS and governor not in lex.NEGATING_GOVERNORS:
                return "aim"
        elif current.dep_ in ("dobj", "nsubjpass") and _cancels(head):
            return "aim"  # "scrapped the sale", "the merger was called off": not done
        elif _deal_stopped(current, head):
            return "aim"  # "regulators blocked the takeover", "the merger collapsed": not done
        elif (
            current.dep_ == "pobj"
            and head.lower_ == "for"
            and _bare(current)
            and _lemma(current) in _OFFERED_FOR
        ):
            return "aim"  # "put its unit up for sale": offered, not sold
        elif (ranked := _ranked_noun_before(current)) is not None:
            current = ranked.head  # "became the third bank to raise its rate": as done as its clause
            continue
        elif current.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            noun = head.lemma_.lower()
            if current.tag_ != "VB":
                return "fact"
            # "reached an agreement in principle to transfer its service": agreed, as "agreed to
            # transfer" is, not yet done ("an agreement for the sale" says no more than "a sale")
            return lex.AIM_NOUNS.get(noun) or ("aim" if noun in lex.AGREEMENT_NOUNS else "fact")
        elif current.dep_ in ("pcomp", "pobj") and head.head.pos_ == "NOUN":
            # "plans for selling", "readiness for close coordination": as intended as the noun says
            noun = head.head.lemma_.lower()
            if noun in lex.AIM_NOUNS:
                return lex.AIM_NOUNS[noun]
            if (
                current.tag_ == "VBG"
                and current.dep_ == "pcomp"
                and head.lower_ in lex.NAMING_PREPOSITIONS
                and not _accused(head.head)
            ):
                # "the possibility of the Bank activating swaps", "talk of selling": a gerund a
                # noun governs names the act; it does not report it as done, whatever the noun.
                return "possible"
        elif current.dep_ in ("nsubj", "nsubjpass", "dobj") and head.lemma_.lower() in lex.AIM_GOVERNORS:
            # "invoking swap agreements was not being considered": an act only weighed or planned
            return lex.AIM_GOVERNORS[head.lemma_.lower()]
        elif current.dep_ == "advcl" and current.tag_ == "VB" and _has_to(current) and head.pos_ == "VERB":
            return "aim"  # "sold its unit to raise cash": a purpose, not a second act done
        elif current.dep_ == "advcl" and current.tag_ == "VBG" and not _has_mark(current):
            pass  # "could rise, pushing prices up": a participle adjunct shares its clause's mode
        elif current.dep_ in ("prep", "pcomp", "pobj") and current.pos_ != "VERB":
            pass  # climb out of a prepositional phrase to what it belongs to
        elif current.dep_ == "dobj" and _carries_its_object(head):
            pass  # "could have had a loss", "expects to report a profit": the noun takes its verb's mode
        elif current.dep_ == "nsubj" and current.pos_ == "NOUN" and head.lemma_.lower() in _AMOUNTING_VERBS:
            pass  # "purchases could reach 75,000 tonnes": the acts are as done as their sum
        elif current.dep_ != "conj":
            return "fact"
        current = head
    return "fact"


# -- figures ---------------------------------------------------------------------------------------


def _figures(span: Span, to_original: OffsetMap) -> Iterable[Figure]:
    """Quantities of the sentence, each owned by the last entity named before it since the previous
    figure (lists: "French traders 775,000 tonnes, West German traders 75,000 and Dutch 2,500"),
    else by the subject of the clause it sits in. An entity outside that clause does not own the
    figure when the clause names its own subject: in "He told the Antwerp Oils Contact Days that
    palm oil use will rise to 8.25 mln tonnes" the tonnes are the use's, not the audience's."""
    entities = [e for e in span.ents if e.label_ in _ARGUMENT_ENTS]
    previous_end = span.start_char
    for quantity in parse_quantities(span):
        before = [e for e in entities if previous_end <= e.start_char and e.end_char <= quantity.start]
        clause = _clause_verb(span, quantity.start)
        subject = _subject_holding(clause, before[-1], quantity.start) if before else None
        if (
            before
            and subject is None
            and not _subject_of_its_own(clause, before[-1], quantity.start, quantity.end)
        ):
            owner = {
                k for e in _named_with_its_aside(before) for t in e if not t.is_punct for k in token_keys(t)
            }
        else:
            owner = _roles(clause)[0] if clause is not None else set()
            if subject is not None:  # the subject's names all count: "exports by Norvale of Ruritania"
                owner |= {
                    k
                    for e in before
                    if subject.left_edge.i <= e.start
                    for t in e
                    if not (t.is_punct or t.is_stop)
                    for k in token_keys(t)
                }
        previous_end = quantity.end
        yield Figure(
            value=quantity.value,
            unit=quantity.unit,
            start=to_original(quantity.start),
            end=to_original(quantity.end - 1) + 1,
            text=quantity.text,
            owner=tuple(sorted(owner)),
            resolution=quantity.resolution,
            counts=quantity.counts,
            role=_movement_role(span, quantity.start),
            movement=_movement_direction(span, quantity.start),
        )


_MOVEMENT_PREPOSITIONS: Final = frozenset(["to", "by", "from"])


def _movement_role(span: Span, char: int) -> str | None:
    """ "rose 5 pct to 10 pct from 8 pct": a figure is the change ("by"), the level reached ("to")
    or the start ("from") of a verb of rising or falling; "rose to 5 pct" is not "rose 5 pct"."""
    head, _ = _figure_head(span, char)
    measured = _measured(head, _MOVEMENT_PREPOSITIONS)
    if measured is None:
        return None
    verb, role = measured
    return role if verb.pos_ == "VERB" and lex.LEMMA_GROUP.get(_lemma(verb)) in lex.MOVEMENT_GROUPS else None


def _movement_direction(span: Span, char: int) -> str | None:
    """Up or down, when the figure measures a rise or a fall: the verb it is the object of ("rose 5
    pct", "cut wages by 60 cents") or the noun it modifies or completes ("a 45 cent cut", "a raise
    of 60 cents")."""
    head, noun_movement = _figure_head(span, char)
    if noun_movement is not None:
        return noun_movement  # "a 45 cents an hour cut"
    measured = _measured(head, _MOVEMENT_PREPOSITIONS | {"of"})
    if measured is None:
        return None
    mover, relation = measured
    if relation == "of" and mover.pos_ != "NOUN":
        return None
    group = lex.group_of(_lemma(mover))
    return group if group in lex.MOVEMENT_GROUPS else None


def _figure_head(span: Span, char: int) -> tuple[Token | None, str | None]:
    """The word a figure hangs from once past its own modifiers ("5 pct" in "rose 5 pct"), and the
    direction of a movement noun met on the way ("a 45 cents an hour cut")."""
    token = _token_at(span, char)
    noun_movement: str | None = None
    for _ in range(4):
        if token is None:
            break
        if noun_movement is None and token.pos_ == "NOUN":
            group = lex.group_of(_lemma(token))
            noun_movement = group if group in lex.MOVEMENT_GROUPS else None
        if token.dep_ not in ("nummod", "compound", "quantmod", "amod", "nmod"):
            break
        token = token.head
    return token, noun_movement


def _measured(head: Token | None, prepositions: frozenset[str]) -> tuple[Token, str] | None:
    """The word a figure's head measures and how: through one of ``prepositions`` ("rose *to* 5
    pct", "a raise *of* 60 cents") or as its object, the change ("rose 5 pct")."""
    if head is None:
        return None
    if head.dep_ == "pobj" and head.head.lower_ in prepositions:
        return head.head.head, head.head.lower_
    if head.dep_ in ("dobj", "npadvmod"):
        return head.head, "by"
    return None


def _token_at(span: Span, char: int) -> Token | None:
    """The token of ``span`` that holds character ``char`` of the text."""
    return next((t for t in span if t.idx <= char < t.idx + len(t.text)), None)


def _clause_verb(span: Span, char: int) -> Token | None:
    """The verb of the clause that holds character ``char`` (within eight steps up the parse)."""
    token = _token_at(span, char)
    for _ in range(8):
        if token is None:
            return None
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _subject_of_its_own(clause: Token | None, entity: Span, start: int, end: int) -> bool:
    """Whether ``clause`` names a subject (not a pronoun, and not the figure itself: "13 pct of
    enterprises were making a loss") and ``entity`` lies before the clause."""
    if clause is None:
        return False
    subjects = [c for c in clause.children if c.dep_ in _SUBJECT_DEPS]
    named = any(c.pos_ in ("NOUN", "PROPN") and not start <= c.idx < end for c in subjects)
    return named and entity.end <= clause.left_edge.i


def _subject_holding(clause: Token | None, entity: Span, start: int) -> Token | None:
    """The clause's subject when ``entity`` sits in a phrase of it that ends before the figure:
    in "Taiwan's surplus with the United States widened to 13.6 billion dlrs" the dollars are the
    surplus's, the whole subject's, not the United States' alone (None otherwise)."""
    if clause is None:
        return None
    return next(
        (
            c
            for c in clause.children
            if c.dep_ in _SUBJECT_DEPS
            and c.left_edge.i <= entity.start
            and entity.end - 1 <= c.right_edge.i
            and c.right_edge.idx < start
            and _through_a_preposition(entity.root, c)
        ),
        None,
    )


def _through_a_preposition(token: Token, subject: Token) -> bool:
    """Whether ``token`` hangs on ``subject`` through a preposition ("surplus *with* the United
    States"), not as its own name or modifier ("French traders", "Taiwan's surplus")."""
    current = token
    while current.i != subject.i and current.head.i != current.i:
        if current.dep_ == "prep":
            return True
        current = current.head
    return False


def _named_with_its_aside(entities: Sequence[Span]) -> list[Span]:
    """The last entity, with the one before it when it is that one's aside in brackets: "Deluxe
    Check Printers Inc's <DLX> 38 pct stake" is Deluxe's stake, told by its ticker too."""
    last = entities[-1]
    doc = last.doc
    aside = (
        last.start > 0
        and last.end < len(doc)
        and doc[last.start - 1].text in ("(", "<")
        and doc[last.end].text in (")", ">")
    )
    if aside and len(entities) > 1 and entities[-2].end >= last.start - 2:
        return [entities[-2], last]
    return [last]
