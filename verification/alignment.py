"""Align a claim with one candidate sentence: what agrees, what came from context, what conflicts.

The verifier's evidence, worked out from stored facts only (terms, structure, frames: no parse at
query time):

* **names and figures** — each of the claim's named requirements is found in the sentence, in its
  context (title, lead, earlier sentences), or nowhere; each claim figure is matched by value and
  unit (``retrieval.quantities``), and a figure of the same owner with another value, or the same
  value credited to another owner, is a conflict;
* **acts** — each act of the claim (a predicate that is not a verb of saying or a light verb) is
  paired with the sentence predicate of the same sense, or of the opposite sense
  (``retrieval.predicates``); then roles (who does it to whom), polarity and mode are compared.

Everything here is a measurement; :mod:`verification.decision` turns it into a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

import msgspec

from retrieval.claim import Claim
from retrieval.predicates import (
    AGREEMENT_GOVERNORS,
    AGREEMENT_NOUNS,
    AIM_GOVERNORS,
    LEMMAS_OF,
    MEASURE_SYNONYMS,
    MOVEMENT_GROUPS,
    REPORTING,
    SELF_MOVEMENTS,
    TRANSPARENT_GOVERNORS,
    converse,
    excludes,
    opposes,
)
from retrieval.quantities import Quantity, bound_before, conflicting, same_quantity, within_bound
from retrieval.structure import LIGHT_PREDICATES, Figure, Predicate, Structure
from retrieval.support import Support
from retrieval.terms import GEO_PREFIX, Term, word_key
from verification.edits import contrary_kind, has_hedge, has_negation, substituted_contraries

_SHARE_UNITS = frozenset({"percent", "percentage point"})
NON_FACT_MODES = frozenset({"future", "aim", "possible", "condition", "question"})
# Modes that do not report an act as done: a claim that it was done is not supported by them.
UNASSERTED_MODES = frozenset({"aim", "possible", "condition", "question"})
# ... and, against a claim that an act happened, a sentence that says it will happen.
NOT_YET_MODES = UNASSERTED_MODES | {"future"}
# ... but a claim in the present progressive ("is pressing") also says what is announced or planned.
ARRANGED_MODES = frozenset({"future", "aim"})
# A claim in one of these says an act may or is meant to happen; a report that it happened is
# not the same claim either ("BP plans to close the refinery" / "BP closed the refinery").
TENTATIVE_MODES = frozenset({"aim", "possible", "condition"})
# Modes of a prediction ("will rise", "is expected to rise", "should rise"): one supports another.
PREDICTED_MODES = frozenset({"future", "possible"})


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What the verifier reads of one candidate sentence (all of it stored at ingest)."""

    text: str
    start: int  # offsets of the sentence in the posted text
    end: int
    terms: tuple[Term, ...]
    structure: Structure
    support: Support
    lexical: float = 0.0  # BM25 relative to the check's best lexical hit (0..1)


@dataclass(frozen=True, slots=True)
class Pair:
    """A claim word and the sentence words it met (or conflicts with)."""

    claim: str
    evidence: str
    kind: str = ""  # for conflicts: "direction", "roles", "negation", "figure", "mode"


@dataclass(frozen=True, slots=True)
class Alignment:
    """Everything measured between a claim and a sentence."""

    entities: tuple[Pair, ...] = ()  # named requirements found in the sentence
    from_context: tuple[str, ...] = ()  # claim names found only in the context
    missing: tuple[str, ...] = ()  # claim names found nowhere
    figures: tuple[Pair, ...] = ()  # claim figures the sentence states
    predicate: Pair | None = None  # the claim's act and the sentence's
    conflicts: tuple[Pair, ...] = ()
    claim_has_act: bool = False
    act_aligned: bool = False  # a predicate of the claim's sense (lemma or sense group)
    act_mentioned: bool = False  # the claim's act named in the sentence, maybe as a noun ("coordination")
    act_same_lemma: bool = False
    agents_agree: bool = False
    agents_differ: bool = False  # both name a doer and they share nothing
    patients_differ: bool = False  # both name what it is done to and they share nothing
    negation_conflict: bool = False
    direction_conflict: bool = False
    role_swap: bool = False
    figure_conflict: bool = False
    mode_gap: bool = False  # the claim asserts an act the sentence only plans or supposes (or the reverse)
    sentence_negated: bool = False  # the negation conflict is the sentence's "not" (a denial if reported)
    other_act: bool = False  # no act of the claim's sense; the sentence's own act is of another known sense
    other_measure: bool = False  # the claim's movement is said only of another measure ("employment fell")
    doer_elsewhere: bool = False  # the act named without a doer; the claim's doer only acted upon
    principal_missing: bool = False  # only what the claim's act aims at aligned ("to force it to complete")
    roles_reversed: bool = False  # no act of the claim's sense; its other party acts, its doer is acted upon
    match_positions: tuple[int, ...] = ()  # where the claim's words and act sit in the sentence
    act_mode: str = ""  # mode of the sentence's act paired with the claim's ("possible": "might supply")
    act_start: int | None = None  # where that act's head word starts (posted-text offset)
    figures_total: int = 0
    figures_matched: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def _rival_countries(claim: Claim, sentence: SentenceFacts) -> bool:
    """The sentence names a country the claim does not. Then a country that does the claim's act,
    found only in the story's context, is not what the sentence is about: "Oil production in
    Ecuador was halted", in a story that also mentions Colombia, says nothing of Colombia halting
    anything. (A country elsewhere in the claim, "a British naval source", may still come from
    the story.)"""
    wanted = {key for requirement in claim.requirements for key in requirement.keys}
    # A country read off a name the claim asked for is that name, not a rival ("BP" is also
    # "British" through its alias; it sits where the claim's "BP" matched).
    matched = set(sentence.support.match_positions)
    return any(
        key.startswith(GEO_PREFIX) and key not in wanted and start not in matched
        for key, start, _ in sentence.terms
    )


def _surface(sentence: SentenceFacts, start: int, end: int) -> str:
    """The sentence's words at document offsets ``[start, end)``, when its clean text lines up with
    the posted text (it does unless the parser rewrote characters inside it)."""
    if len(sentence.text) == sentence.end - sentence.start and sentence.start <= start < end <= sentence.end:
        return sentence.text[start - sentence.start : end - sentence.start]
    return ""


def _is_act(predicate: Predicate) -> bool:
    """A predicate that names an act: not a verb of saying, not a light verb. A verb of saying with
    a sense of its own and something it is done to is that act: "maintained its dividend" keeps
    it (as "maintained that prices would rise" does not)."""
    if predicate.lemma in REPORTING and (predicate.group is None or not predicate.patients):
        return False
    return predicate.lemma not in LIGHT_PREDICATES and len(predicate.lemma) > 1


def _acts(structure: Structure) -> list[Predicate]:
    """The claim's acts: its main-clause predicates that are not verbs of saying or light verbs
    (falling back to any such predicate when the main clause has none, as in "X's bid for Y")."""
    acts = [p for p in structure.predicates if _is_act(p)]
    main = [p for p in acts if p.main and p.lemma not in TRANSPARENT_GOVERNORS]
    if main and all(p.lemma in AIM_GOVERNORS for p in main):
        # "Lindner was preparing a bid for Taft", "Kuwait is seeking a charter": the act is the
        # event the main verb aims at, named by its object noun, in the mode the aim gives it
        # (its doer, when the noun names none, is the one who aims: "his own bid" is Lindner's)
        aimed = []
        for governor in main:
            for noun in acts:
                if noun.noun and not noun.main and word_key(noun.text) in governor.patients:
                    agents = noun.agents or governor.agents
                    aimed.append(msgspec.structs.replace(noun, agents=agents))
        return main + aimed
    return main or acts


def _relation(claim_act: Predicate, predicate: Predicate) -> str | None:
    if predicate.lemma == claim_act.lemma:
        return "same"
    if claim_act.group is not None and predicate.group == claim_act.group:
        return "group"
    if opposes(claim_act.group, predicate.group):
        return "opposite"
    return None


def _told_from_the_other_side(
    claim_act: Predicate,
    claim_agents: set[str],
    counterparties: set[str],
    predicate: Predicate,
    agents: set[str],
) -> bool:
    """Is ``predicate`` the claim's act told by its counterparty: a converse sense ("bought" for
    "sold") whose doer is another party the claim names (what its act is done to or with, or a
    name the parse left off the verb: "bought the stations from Taft"), or whose source is the
    claim's doer ("Orvane bought the smelter from Harbin" for "Harbin sold the smelter"), and not
    the claim's own doer?"""
    return (
        converse(claim_act.group, predicate.group)
        and bool(claim_agents)
        and (_overlap(agents, counterparties) or _overlap(predicate.source, claim_agents))
        and not _overlap(agents, claim_agents)
    )


def _refusal_against_willingness(claim_act: Predicate, predicate: Predicate) -> bool:
    """ "Iran was not ready to maintain security" / "Iran was ready to maintain security": a refusal
    and a readiness (or a plan, an agreement) to do the act are one stance and its contrary, not
    two modes; a plain "did not sell" against "plans to sell" stays a mode gap (both can hold)."""
    refused, willing = (claim_act, predicate) if claim_act.refused else (predicate, claim_act)
    return refused.refused and not willing.negated and willing.mode == "aim"


def _overlap(a: Iterable[str], b: Iterable[str]) -> bool:
    return not set(a).isdisjoint(b)


def _arguments(predicate: Predicate) -> set[str]:
    return set(predicate.agents) | set(predicate.patients)


def _quantity(figure: Figure) -> Quantity:
    return Quantity(
        figure.value, figure.unit, figure.start, figure.end, figure.text, figure.resolution, figure.counts
    )


def align(claim: Claim, sentence: SentenceFacts, same_claim_cosine: float) -> Alignment:
    """Measure ``sentence`` against ``claim``; ``same_claim_cosine`` is the closeness at which a
    sentence says the claim in other words (``Verifier.paraphrase_cosine``)."""
    support = sentence.support
    entities: list[Pair] = []
    from_context: list[str] = []
    missing: list[str] = []
    positions: set[int] = set(support.match_positions)
    by_start = {start: end for _, start, end in sentence.terms}
    doer_countries = {
        key for p in claim.structure.predicates for key in p.agents if key.startswith(GEO_PREFIX)
    }
    for i, requirement in enumerate(claim.requirements):
        if not requirement.named or requirement.is_figure:
            continue  # figures are aligned with their units and owners below
        hits = support.hits[i] if i < len(support.hits) else ()
        if hits:
            start = hits[0]
            entities.append(Pair(requirement.text, _surface(sentence, start, by_start.get(start, start))))
        elif (
            i < len(support.from_context)
            and support.from_context[i]
            and not (doer_countries & requirement.keys and _rival_countries(claim, sentence))
        ):
            from_context.append(requirement.text)  # "the country" in a story about it
        else:
            missing.append(requirement.text)

    claim_bounds = [bound_before(claim.text, f.start) for f in claim.structure.figures]
    figures, figure_conflicts, slot_conflicts, matched = _align_figures(
        claim.structure.figures,
        sentence.structure.figures,
        claim_bounds,
        # a sentence's bounds matter only against a claim's: most pairs need not read them
        [_sentence_bound(sentence, f) for f in sentence.structure.figures] if any(claim_bounds) else (),
    )
    if matched:
        accounted = {p.claim for p in (*figures, *figure_conflicts, *slot_conflicts)}
        accounted |= _disputed_by_a_spare_figure(claim.structure.figures, sentence.structure.figures, figures)
        supplied = _figures_from_context(claim, support, accounted)
        from_context.extend(supplied)
        matched += len(supplied)
    keys = frozenset(key for key, _, _ in sentence.terms)
    act = _align_acts(claim.structure, sentence.structure, sentence.terms, keys)
    if act.aligned and not act.negation_conflict and not act.mode_gap:
        figure_conflicts += slot_conflicts  # the same act, another amount in the same place
    _check_main_clause(claim, sentence, act, same_claim_cosine)
    conflicts = [*figure_conflicts, *act.conflicts]
    if act.position is not None:
        positions.add(act.position)
    return Alignment(
        entities=tuple(entities),
        from_context=tuple(from_context),
        missing=tuple(missing),
        figures=tuple(figures),
        predicate=act.pair,
        conflicts=tuple(conflicts),
        claim_has_act=act.claim_has_act,
        act_aligned=act.aligned,
        act_mentioned=act.aligned or _mentioned(claim.structure, sentence.structure, keys),
        act_same_lemma=act.same_lemma,
        agents_agree=act.agents_agree,
        agents_differ=act.agents_differ,
        patients_differ=act.patients_differ,
        negation_conflict=act.negation_conflict,
        direction_conflict=act.direction_conflict,
        role_swap=act.role_swap,
        figure_conflict=bool(figure_conflicts),
        mode_gap=act.mode_gap,
        sentence_negated=act.sentence_negated,
        other_act=act.other_act,
        doer_elsewhere=act.doer_elsewhere,
        roles_reversed=act.roles_reversed,
        other_measure=act.other_measure,
        principal_missing=act.principal_missing,
        match_positions=tuple(sorted(positions)),
        act_mode=act.mode,
        act_start=act.position,
        figures_total=len(claim.structure.figures),
        figures_matched=matched,
    )


def _figures_from_context(claim: Claim, support: Support, accounted: Set[str]) -> list[str]:
    """The claim figures the sentence leaves unsaid but its context states ("Phillips raised its
    posted price by 50 cts a barrel" / "the new posted price is 19 dlrs a barrel"; "The Emery offer
    tops a 35 dlr per share buyout" under a lead giving Emery's 40 dlrs). Asked only of a sentence
    that states another of the claim's figures itself: the figures of one report are often spread
    over its sentences, and one stated figure shows the sentence is about them."""
    supplied = []
    figures = {figure.text for figure in claim.structure.figures}
    for i, requirement in enumerate(claim.requirements):
        if (
            requirement.text in figures
            and requirement.text not in accounted
            and i < len(support.from_context)
            and support.from_context[i]
        ):
            supplied.append(requirement.text)
    return supplied


def _disputed_by_a_spare_figure(
    claim_figures: Sequence[Figure], sentence_figures: Sequence[Figure], stated: Sequence[Pair]
) -> set[str]:
    """Claim figures the sentence leaves unsaid while it states another value in their unit that
    no claim figure accounts for: "The five institutes had jointly forecast three pct 1987 growth"
    says three, so a story that elsewhere says two does not lend the sentence the claim's "two
    percent growth", whoever the owners are taken to be."""
    said = {p.claim for p in stated}
    used = {p.evidence for p in stated}
    spare = [_quantity(f) for f in sentence_figures if f.text not in used]
    return {
        f.text
        for f in claim_figures
        if f.text not in said and any(conflicting(_quantity(f), other) for other in spare)
    }


def _hedged_light_main(sentence: Structure) -> bool:
    """Is the sentence's main verb a light one under "may"/"could" ("purchases could total ...")?"""
    return any(p.main and p.lemma in LIGHT_PREDICATES and p.mode == "possible" for p in sentence.predicates)


def _bare_rival(wanted: Figure, other: Figure) -> bool:
    """A figure of the same owner without a unit, with another value: "Dutch traders 2,500" (the
    tonnes written once, earlier in the list) disputes "Dutch traders ... 775,000 tonnes". Not a
    share, though: a count is never a percentage ("2,455,000 shares, giving it 83 pct" does not
    dispute the claim's "83 percent"); nor does a number of something else ("the two companies" does
    not dispute "a 700 million dollar note deal"; "22 banks" still disputes "55 banks")."""
    return (
        other.unit is None
        and other.counts in (None, wanted.counts)
        and other.value != wanted.value
        and wanted.unit not in _SHARE_UNITS
    )


def _sentence_bound(sentence: SentenceFacts, figure: Figure) -> str | None:
    """The bound a sentence figure is stated as ("over 1.6 billion dlrs"); its offsets are into the
    posted text, the sentence's text starts at ``sentence.start``."""
    local = figure.start - sentence.start
    return bound_before(sentence.text, local) if 0 <= local <= len(sentence.text) else None


def _align_figures(
    claim_figures: Sequence[Figure],
    sentence_figures: Sequence[Figure],
    claim_bounds: Sequence[str | None] = (),
    sentence_bounds: Sequence[str | None] = (),
) -> tuple[list[Pair], list[Pair], list[Pair], int]:
    """Claim figures stated by the sentence, conflicts of owner, conflicts of slot, and how many
    claim figures the sentence states.

    Figures are paired one to one: a sentence figure that states one claim figure is accounted for
    and is no rival of another ("Emery's 40 dlr offer topped the 35 dlr buyout" is not disputed by
    a sentence naming only the 35 dlr buyout; it leaves the 40 unsaid), but a second "10 cts" is
    free to dispute a claim's "30 cents prior".

    * an owner conflict: the owner's figure differs, or the claim's value belongs to another owner
      ("775,000 tonnes" were the French traders');
    * a slot conflict: once the equal figures are paired, one claim figure and one sentence figure
      of the same unit are left over, with different values and no owners that tell them apart
      ("declined 62 pct to 4,922 from 32,152 cars" / "... from 12,861 cars"). Whether they fill
      the same slot depends on the act: ``align`` counts it only when the acts align.

    A claim figure stated as a bound ("more than seven billion dollars", ``claim_bounds``) is
    stated by any figure beyond it (7.4 billion dlrs) or at it, unless the sentence bounds that the
    other way ("less than seven billion"), and disputed by a figure clearly on the other side.
    """
    quantities = [_quantity(f) for f in claim_figures]
    stated = [_quantity(f) for f in sentence_figures]
    claim_bound = list(claim_bounds) or [None] * len(claim_figures)
    sentence_bound = list(sentence_bounds) or [None] * len(sentence_figures)

    def states(i: int, j: int) -> bool:
        bound = claim_bound[i]
        if bound is None:
            return same_quantity(quantities[i], stated[j])
        # the limit itself still counts (a wire's "3,000 branches" for "more than 3,000"), unless
        # the sentence bounds it the other way
        return within_bound(bound, quantities[i], stated[j]) or (
            same_quantity(quantities[i], stated[j]) and sentence_bound[j] in (None, bound)
        )

    def disputes(i: int, j: int) -> bool:
        return not states(i, j) and conflicting(quantities[i], stated[j])

    same: list[list[int]] = []
    taken: dict[int, int] = {}  # claim figure -> the sentence figure that states it, owners agreeing
    for i, wanted in enumerate(claim_figures):
        # A free sentence figure first; a figure the claim repeats may be stated once.
        same.append(
            sorted(
                (
                    j
                    for j in range(len(sentence_figures))
                    if states(i, j) and _roles_agree(wanted, sentence_figures[j])
                ),
                key=lambda j: j in taken.values(),
            )
        )
        owned = [j for j in same[i] if _owners_agree(wanted, sentence_figures[j])]
        if owned:
            taken[i] = owned[0]
    found: list[Pair] = []
    conflicts: list[Pair] = []
    left: list[int] = []
    used: set[int] = set()  # sentence figures that state a claim figure
    for i, wanted in enumerate(claim_figures):
        others = {j for k, j in taken.items() if k != i}
        rival = next(
            (
                f
                for j, f in enumerate(sentence_figures)
                if j not in others
                and wanted.owner
                and f.owner
                and _overlap(wanted.owner, f.owner)
                and (disputes(i, j) or _bare_rival(wanted, f))
            ),
            None,
        )
        if i in taken or (same[i] and rival is None):
            # The value is there; credited to another name only when the claim's own has another.
            j = taken.get(i, same[i][0])
            used.add(j)
            if _opposite_movements(wanted, sentence_figures[j]):
                # "a raise of 60 cents an hour" / "wage cuts of 60 cents an hour"
                conflicts.append(Pair(wanted.text, sentence_figures[j].text, "direction"))
            else:
                found.append(Pair(wanted.text, sentence_figures[j].text))
        elif rival is not None:
            conflicts.append(Pair(wanted.text, rival.text, "figure"))
        else:
            left.append(i)
    slots: list[Pair] = []
    if len(left) == 1:
        (i,) = left
        spare = [
            f
            for j, f in enumerate(sentence_figures)
            if j not in used
            and (disputes(i, j) or _bare_rival(claim_figures[i], f))
            and _owners_agree(claim_figures[i], f)
        ]
        if len(spare) == 1:
            slots.append(Pair(claim_figures[i].text, spare[0].text, "figure"))
    return found, conflicts, slots, len(found)


def _opposite_movements(wanted: Figure, stated: Figure) -> bool:
    """The same value measures a rise in one and a fall in the other."""
    return wanted.movement is not None and stated.movement is not None and wanted.movement != stated.movement


def _roles_agree(wanted: Figure, stated: Figure) -> bool:
    """The same part of a movement, or either measures none: "rose to 5 pct" (the level) is not
    stated by "rose 5 pct" (the change), whatever the value."""
    return wanted.role is None or stated.role is None or wanted.role == stated.role


def _owners_agree(wanted: Figure, stated: Figure) -> bool:
    """No owners that tell the two figures apart: either has none, or they share a name."""
    return not wanted.owner or not stated.owner or _overlap(wanted.owner, stated.owner)


@dataclass(slots=True)
class _Acts:
    claim_has_act: bool = False
    # the claim's negated act met by a contrary one ("did not accept" / "rejected", "did not buy" /
    # "sold"): the sentence's lack of a "not" is no negation conflict
    negation_carried: bool = False
    aligned: bool = False
    same_lemma: bool = False
    agents_agree: bool = False
    agents_differ: bool = False
    patients_differ: bool = False
    negation_conflict: bool = False
    direction_conflict: bool = False
    role_swap: bool = False
    mode_gap: bool = False
    sentence_negated: bool = False
    other_act: bool = False
    other_measure: bool = False
    doer_elsewhere: bool = False
    principal_missing: bool = False
    roles_reversed: bool = False
    pair: Pair | None = None
    position: int | None = None
    mode: str = ""
    conflicts: list[Pair] = field(default_factory=list)


def _mentioned(claim: Structure, sentence: Structure, keys: Set[str]) -> bool:
    """Is one of the claim's acts named anywhere in the sentence, by its stem or a word of its sense
    group ("coordinate" / "close coordination", "sued" / "a lawsuit")? A weaker sign than an aligned
    predicate (no roles to compare), but the act is at least what the sentence is about."""
    return any(_names_act(act, sentence, keys) for act in _acts(claim))


def _mode_gap(claim_act: Predicate, predicate: Predicate, hedged_clause: bool = False) -> bool:
    """The claim says it happened and the sentence only that it may, is meant to or will happen;
    or the claim says it may or is meant to happen and the sentence that it did — unless the
    sentence hedges the light verb its act hangs on (``hedged_clause``: "the Soviets may have bought
    3.5 mln tonnes" / "purchases could total as much as 3.5 mln tonnes")."""
    if claim_act.mode == "fact":
        if claim_act.progressive and predicate.mode in ARRANGED_MODES:
            # "is setting aside 500 mln dlrs" / "would set up a 500 mln dlr reserve", "intends to
            # add": what is under way is also what is announced or planned
            return False
        return predicate.mode in NOT_YET_MODES
    if claim_act.mode in TENTATIVE_MODES:
        return predicate.mode == "fact" and not (claim_act.mode == "possible" and hedged_clause)
    return False


def _align_light_root(claim: Structure, sentence: Structure, out: _Acts) -> None:
    """A claim whose main verb is light or of saying ("did not have", "was not", "could have
    pointed out") names no act to align, but its polarity and mode still must agree with the same
    verb in the sentence."""
    root = next((p for p in claim.predicates if p.main), None)
    if root is None:
        return
    for predicate in sentence.predicates:
        if predicate.lemma == root.lemma:
            out.negation_conflict = root.negated != predicate.negated
            out.sentence_negated = predicate.negated and not root.negated
            out.mode_gap = _mode_gap(root, predicate)
            out.pair = Pair(root.text, predicate.text)
            out.position = predicate.start
            out.mode = predicate.mode
            return


def _distinct_roles(predicate: Predicate, aliases: _AliasSpans | None = None) -> tuple[set[str], set[str]]:
    """The keys that tell the doer from the done-to: a word both sides share ("Gas" in "Lyle Propane
    Gas Co acquired United Cities Gas Co") says nothing about who did what, so roles are compared
    without it (unless it is all one side has)."""
    agents, patients = set(predicate.agents), set(predicate.patients)
    if aliases is not None:
        # the shared words go before the aliases are followed: "Pacific" of "Pacific Western"
        # would otherwise lead to "Canadian Pacific Airlines", which "Pacific Western" acquired
        agents, patients = (agents - patients) or agents, (patients - agents) or patients
        agents, patients = aliases.expand(agents), aliases.expand(patients)
    return (agents - patients) or agents, (patients - agents) or patients


_SAME_ARGUMENTS = 0.5
"""Share of a claim's content words a sentence must repeat to state what a light verb's negation
denies (``Support.coverage``)."""


def _check_main_clause(claim: Claim, sentence: SentenceFacts, out: _Acts, same_claim_cosine: float) -> None:
    """What the act alignment cannot see when the claim's negation, hedge or direction sits on a
    word with no counterpart predicate: "X did not report earnings" (a verb of saying, no act),
    "production may have been 110,552" (a copula), "earnings ... sharply up from" (an adverb).

    * the claim's main verb is negated, the sentence negates nothing at all and says the claim
      otherwise: it repeats that verb, is as close as a paraphrase (``same_claim_cosine``), or,
      where the verb is light ("was not ready", "were not accurate": the claim is in its
      arguments), repeats most of the claim's words: a negation conflict. A sentence only on the
      claim's topic is not its opposite ("Iran has deployed missiles near the Strait" does not
      contradict "shippers did not need escorts in the Strait");
    * the claim's main verb is hedged by a modal and the sentence hedges nothing: not the same claim;
    * the sentence is the claim's wording with one word replaced by its contrary: a direction conflict.
    """
    root = next((p for p in claim.structure.predicates if p.main), None)
    if (
        root is not None
        and not out.negation_conflict
        and not out.negation_carried
        and root.negated
        and not has_negation(sentence.text)
        and not any(p.negated for p in sentence.structure.predicates)  # "unlikely to rise"
    ):
        counterpart = next((p for p in sentence.structure.predicates if p.lemma == root.lemma), None)
        if (
            counterpart is not None
            or sentence.support.cosine >= same_claim_cosine
            or (root.lemma in LIGHT_PREDICATES and sentence.support.coverage >= _SAME_ARGUMENTS)
        ):
            out.negation_conflict = True
            out.sentence_negated = False
            out.conflicts.append(
                Pair(f"not {root.text}", counterpart.text if counterpart else "", "negation")
            )
    if (
        root is not None
        and root.mode == "possible"
        and not out.mode_gap
        and not has_hedge(sentence.text)
        and not (out.mode in PREDICTED_MODES and out.pair is not None and out.pair.claim == root.text)
    ):
        # "earnings should rise 40 pct" is not "earnings rose 40 pct"; "we expect earnings to be up
        # 40 pct" is the same prediction (when the predicted act is the claim's own hedged one:
        # "could be available ... and will be listed" is not carried by "is available ...")
        out.mode_gap = True
    if not out.direction_conflict:
        contraries = substituted_contraries(claim.text, sentence.text)
        if contraries:
            out.direction_conflict = True
            out.conflicts.extend(Pair(c, e, contrary_kind(c, e)) for c, e in contraries)


def _named(keys: Iterable[str], structure: Structure) -> set[str]:
    """The keys among ``keys`` that come from a proper name in ``structure``'s text."""
    return set(keys) & set(structure.names)


class _AliasSpans:
    """The keys a sentence word also answers to: ingest lays a document's aliases over the words
    they stand for ("GM" at "General Motors Corp", "general motor" at "GM"), so a doer written as the
    ticker is the doer written in full."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self._at: dict[tuple[int, int], set[str]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        for key, start, end in terms:
            self._at.setdefault((start, end), set()).add(key)
            self._spans.setdefault(key, []).append((start, end))

    def expand(self, keys: Iterable[str]) -> set[str]:
        """``keys`` with every key laid over the same words. A country's key is no alias: it sits
        on every place of that country ("American Nursery" and "of Miami" are both geo:USA), and
        following it would make one party of two."""
        out = set(keys)
        for key in list(out):
            if key.startswith(GEO_PREFIX):
                continue
            for span in self._spans.get(key, ()):
                out |= self._at[span]
        return out


def _doers_and_done_to(sentence: Structure, aliases: _AliasSpans) -> tuple[set[str], set[str]]:
    """Every key the sentence names as doing something, and every key it names as done to, over
    all its predicates (each with the aliases laid over the same words)."""
    agents = {k for p in sentence.predicates for k in aliases.expand(p.agents)}
    patients = {k for p in sentence.predicates for k in aliases.expand(p.patients)}
    return agents, patients


def _doer_only_acted_upon(
    claim_act: Predicate,
    claim: Structure,
    sentence: Structure,
    keys: Set[str],
    aliases: _AliasSpans,
) -> bool:
    """The sentence names the act without its doer and names the claim's doer only as what some
    other act is done to ("a lawsuit pushed Hughes into an about-face" against "Hughes sued
    Baker"): nothing in it says the claim's doer did the act, and what it does say puts that party
    on the receiving end. (A doer the sentence does not name at all may come from its context:
    "Prime Minister Mikulic imposed the wage freeze" in a story about Yugoslavia.)"""
    doers = _named(claim_act.agents, claim)
    if not doers or not _overlap(doers, aliases.expand(keys)):
        return False
    agents, patients = _doers_and_done_to(sentence, aliases)
    return _overlap(doers, patients) and not _overlap(doers, agents)


def _roles_reversed(
    claim_act: Predicate, claim: Structure, sentence: Structure, aliases: _AliasSpans
) -> bool:
    """The sentence does not name the claim's act, and in it the party the claim's act is done to
    acts while the claim's doer is only acted upon: "Kenya suspended its tea exports to Pakistan"
    against "Pakistan took such action ... (it) will hurt Kenya's tea industry". Whatever the
    sentence reports, it puts the two parties the other way round, however close in cosine."""
    doers = _named(claim_act.agents, claim)
    others = _named(claim_act.patients, claim) - doers
    if not doers or not others:
        return False
    agents, patients = _doers_and_done_to(sentence, aliases)
    return _overlap(others, agents) and _overlap(doers, patients) and not _overlap(doers, agents)


def _names_act(act: Predicate, sentence: Structure, keys: Set[str]) -> bool:
    """Does the sentence name ``act`` — a predicate of its sense, or its stem or a word of its
    group anywhere ("sued" / "filed suit")?"""
    if any(_relation(act, p) in ("same", "group") for p in sentence.predicates):
        return True
    words = [act.lemma, *(LEMMAS_OF.get(act.group, ()) if act.group else ())]
    return any(word_key(w.split("_")[0]) in keys for w in words)


_AGREEMENT_NOUN_KEYS = frozenset(word_key(noun) for noun in AGREEMENT_NOUNS)


def _names_agreement(agreement: Predicate, sentence: Structure, keys: Set[str]) -> bool:
    """Does the sentence name an agreement: a word of the agreeing verb's sense ("agreed",
    "approved", "signed") or a noun for a struck deal ("under an agreement", "the accord")?"""
    return _names_act(agreement, sentence, keys) or not _AGREEMENT_NOUN_KEYS.isdisjoint(keys)


def _side_act(claim: Structure, sentence: Structure, acts: Sequence[Predicate]) -> Predicate | None:
    """The sentence predicate of the sense of an act the claim mentions off its main chain ("in
    freezing sales"), when none of the claim's acts found one."""
    side = [p for p in claim.predicates if p not in acts and not p.main and _is_act(p)]
    return next((q for p in side for q in sentence.predicates if _relation(p, q) in ("same", "group")), None)


def _another_party_acts(
    agreement: Predicate, predicate: Predicate, sentence: Structure, keys: Set[str], aliases: _AliasSpans
) -> bool:
    """An agreement is an event of its own ("Kestrel agreed to be taken over by Harbin"): a sentence
    that does not name it, and in which another party does or seeks what was agreed ("Harbin is
    seeking to buy Kestrel"), does not report it. The agreeing party's own readiness ("Russia is
    ready for close coordination") still may."""
    agreeing, _ = _distinct_roles(agreement)
    doers = aliases.expand(predicate.agents)
    return (
        bool(agreeing)
        and bool(doers)
        and not _overlap(agreeing, doers)
        and not _names_act(agreement, sentence, keys)
    )


def _measure(act: Predicate, structure: Structure) -> set[str]:
    """What moves in a movement said of its subject: the subject's common words, with the words
    the wire uses for the same measure (``MEASURE_SYNONYMS``). Empty when the act is done by
    someone ("Moody's raised the rating") or its subject names nothing but names."""
    if act.lemma not in SELF_MOVEMENTS:
        return set()
    common = set(act.agents) - _named(act.agents, structure)
    common = {key for key in common if not key.startswith(GEO_PREFIX)}
    return common | {word for group in MEASURE_SYNONYMS if group & common for word in group}


def _another_measure(claimed: Set[str], predicate: Predicate, sentence: Structure) -> bool:
    """The sentence's movement is of another measure than the claim's (``claimed``, its
    ``_measure``): "the economy grew four pct ... and inflation fell to 10 pct" does not contradict
    "inflation fell" by its growth, nor does "the total employed fell" support "the unemployment
    rate fell"."""
    stated = _measure(predicate, sentence)
    return bool(claimed) and bool(stated) and claimed.isdisjoint(stated)


def _align_acts(claim: Structure, sentence: Structure, terms: Sequence[Term], keys: Set[str]) -> _Acts:
    """Pair each claim act with the sentence predicates of its sense (or the opposite sense).

    Roles are judged over every same-sense pair, not only the best one: "USAir offered to buy TWA"
    against "USAir had no comment on an offer it received from TWA to buy USAir" pairs "offered"
    with the bare noun "offer" (no roles to compare) and "buy" with "buy", whose object is USAir,
    the claim's buyer: one swapped pair and no agreeing one is a role swap. The pair shown as
    ``predicate`` is the one that shares most.
    """
    out = _Acts()
    aliases = _AliasSpans(terms)
    acts = _acts(claim)
    out.claim_has_act = bool(acts)
    principal = acts[0] if acts else None  # the first main-clause act: what the claim is about
    agreement = principal is not None and principal.main and principal.lemma in AGREEMENT_GOVERNORS
    hedged_clause = _hedged_light_main(sentence)
    best_score = -1e9
    swapped: Pair | None = None
    best: Predicate | None = None
    best_act: Predicate | None = None
    any_agree = False
    opposed: list[Pair] = []  # per claim act: an opposite-sense predicate and no same-sense one
    measured_apart = False  # a movement of the claim's sense, said of another measure
    for claim_act in acts:
        claim_arguments = _arguments(claim_act)
        claim_agents, claim_patients = _distinct_roles(claim_act)
        counterparties = (claim_patients | set(claim.names)) - claim_agents
        claimed_measure = _measure(claim_act, claim)  # what the claim says moved, if a measure
        contrary: Pair | None = None
        same_sense = False
        for predicate in sentence.predicates:
            relation = _relation(claim_act, predicate)
            if relation is None:
                continue
            if _another_measure(claimed_measure, predicate, sentence):
                if relation == "opposite":
                    continue  # "the economy grew ... and inflation fell": no contrary of "inflation fell"
                if not claimed_measure & keys:
                    # the sentence never names the claim's measure: another fact, not a misparse
                    measured_apart = True
                    continue
            shares = _overlap(claim_arguments, _arguments(predicate)) or not claim_arguments
            agents, patients = _distinct_roles(predicate, aliases)
            if relation == "opposite" and _told_from_the_other_side(
                claim_act, claim_agents, counterparties, predicate, agents
            ):
                # "Taft sold the stations to TVX" / "TVX bought the stations from Taft": the same
                # event, its roles read from the other side; the seller named by "from" is the doer
                if predicate.source:
                    relation, agents, patients = (
                        "converse",
                        aliases.expand(predicate.source),
                        patients | agents,
                    )
                else:
                    relation, agents, patients = "converse", patients, agents
            # "Iraq did not accept its quota" / "Iraq rejected its quota": the contrary, done, is the
            # claim's denial stated; it agrees with the claim as the same act negated would. And the
            # other way round: "Ruritania bans imports" / "Ruritania does not permit imports"
            flipped = (
                relation == "opposite"
                and claim_act.negated != predicate.negated
                and excludes(claim_act.group, predicate.group)
            )
            if relation == "opposite" and not flipped:
                if shares and not predicate.negated and not claim_act.negated and contrary is None:
                    contrary = Pair(claim_act.text, predicate.text, "direction")
                # "did not buy" / "sold": another act, neither the claim's denial nor its assertion
                out.negation_carried = out.negation_carried or claim_act.negated
                continue
            same_sense = same_sense or shares
            agree = _overlap(claim_agents, agents)
            swap = (
                bool(claim_agents)
                and not (claim_act.group in MOVEMENT_GROUPS and claimed_measure)
                and _overlap(claim_agents, patients)
                and not agree
                and (
                    _overlap(claim_patients, agents)
                    # a claim act without an object: its subject is acted upon by a doer the
                    # sentence names, or by an event noun's ("an offer for USAir" / "USAir
                    # offered"); a verb with only an object is the same event told the other way
                    # ("the bubble could burst" / "without bursting the bubble")
                    or (not claim_patients and (bool(agents) or predicate.noun))
                    # no doer named: a swap only if it is done to something else ("an offer for
                    # USAir" / "USAir offered to buy TWA"), not to the claim's own thing with the
                    # doer as its owner ("a cut in the Bundesbank's discount rate")
                    or (
                        bool(claim_patients)
                        and not agents
                        and not _overlap(claim_patients, patients - claim_agents)
                    )
                )
            )
            if swap and swapped is None:
                swapped = Pair(claim_act.text, predicate.text, "roles")
            # Another doer only when both name one: "the fighting" / "clashes" describe, not name.
            differ = (
                bool(_named(claim_act.agents, claim))
                and bool(_named(agents, sentence))
                and not agree
                and not swap
            )
            # ... and another thing done: "USAir's possible buyout of Piedmont" is not its buying TWA.
            other_patient = (
                bool(_named(claim_act.patients, claim))
                and bool(_named(patients, sentence))
                and not _overlap(claim_patients, patients)
                and not swap
            )
            # The same doer doing it to something else does not vouch for the roles elsewhere.
            any_agree = any_agree or (agree and not other_patient)
            score = (
                3.0 * (claim_act is principal)
                + 2.0 * agree
                + 1.0 * _overlap(claim_act.patients, predicate.patients)
                + 0.5 * (relation == "same")
                - 2.0 * swap
                - 1.0 * differ
                - 1.0 * other_patient
                + 0.25 * shares
            )
            if score <= best_score:
                continue
            best_score = score
            best = predicate
            best_act = claim_act
            out.aligned = True
            out.same_lemma = relation == "same"
            out.agents_agree = agree
            out.agents_differ = differ
            out.patients_differ = other_patient
            negated = predicate.negated != flipped  # what the sentence says of the claim's act
            out.negation_conflict = claim_act.negated != negated
            out.sentence_negated = negated and not claim_act.negated
            out.negation_carried = out.negation_carried or flipped
            # What was agreed, reported done by a main verb: the deal was struck ("Taft agreed to
            # sell the stations" / "Taft sold the stations"). Not a noun or a verb off the main
            # clause: "interested in acquiring", "a takeover attempt" read as facts to the parse.
            agreed_done = (
                claim_act is not principal
                and agreement
                and predicate.main
                and not predicate.noun
                and predicate.mode == "fact"
            )
            out.mode_gap = (
                _mode_gap(claim_act, predicate, hedged_clause)
                and not agreed_done
                and not _refusal_against_willingness(claim_act, predicate)
            )
            out.pair = Pair(claim_act.text, predicate.text)
            out.position = predicate.start
            out.mode = predicate.mode
        if contrary is not None and not same_sense:
            opposed.append(contrary)
    out.direction_conflict = bool(opposed)
    out.conflicts.extend(opposed)
    out.other_measure = measured_apart and not out.aligned
    out.role_swap = swapped is not None and not any_agree
    # Only an event noun: a verb without its subject is mostly a clause the parse left open
    # ("a rumor had Federated taking a look"), not a report that hides who did it. And only a
    # claim that says its doer acted: in "France's surplus was 25.8 billion francs" France owns the
    # surplus, and "the French surplus has been revised" is still its surplus.
    if (
        best is not None
        and best.noun
        and principal is not None
        and not principal.noun
        and not best.agents
        and not out.role_swap
    ):
        out.doer_elsewhere = _doer_only_acted_upon(principal, claim, sentence, keys, aliases)
    elif (
        best is not None
        and best.passive
        and best_act is principal
        and principal is not None
        and not principal.noun
        and not _named(best.agents, sentence)
        and not out.role_swap
    ):
        # "was passed by a 304-100 vote and sent to the Senate" against "the Senate passed it": a
        # passive that names no doer, and the claim's doer named there only as acted upon
        out.doer_elsewhere = _doer_only_acted_upon(principal, claim, sentence, keys, aliases)
    if best_act is not None and principal is not None and principal.main and best_act is not principal:
        # ... unless the claim's main verb only frames its complement ("BP is planning to close
        # the refinery": the closure is the claim, in the mode the plan gives it).
        # Nor does an act the claim only mentions beside its main one stand for what it says was
        # done: "Dixons went to court to block the rival bid" is not carried by a report of the bid.
        out.principal_missing = (
            principal.mode not in UNASSERTED_MODES
            and principal.lemma not in AIM_GOVERNORS
            and (best_act.mode in UNASSERTED_MODES or (not best_act.main and not principal.noun))
            and not _names_act(principal, sentence, keys)
        ) or (
            best is not None and agreement and _another_party_acts(principal, best, sentence, keys, aliases)
        )
    if not out.aligned and principal is not None and agreement:
        # "Mexico agreed to join Peru in freezing silver sales" / "Peru froze new sales": the
        # sentence reports another party doing what the claim mentions on the side, not the
        # agreement it claims. And a sentence that names neither the agreement nor what was
        # agreed ("Kuwait agreed to charter U.S. tankers" / "Kuwait was discussing plans to lease
        # U.S. tankers") does not report it, however close in cosine.
        side = _side_act(claim, sentence, acts)
        out.principal_missing = (
            _another_party_acts(principal, side, sentence, keys, aliases)
            if side is not None
            else not _names_agreement(principal, sentence, keys)
        )
    elif (
        best is not None
        and principal is not None
        and agreement
        and best.mode in UNASSERTED_MODES
        and not _names_agreement(principal, sentence, keys)
    ):
        # What was agreed, only sought, planned or possible, and no agreement named ("Supermarkets
        # General agreed to be taken over by Dart" / Dart "would pay to acquire the company"): the
        # sentence reports that someone wants the deal, not that it was struck.
        out.principal_missing = True
    if not acts:
        _align_light_root(claim, sentence, out)
    if principal is not None and not out.aligned and principal.mode == "fact":
        # No act of the claim's sense: still, a sentence that only supposes or plans its own main
        # act ("Japan may arrange other swap agreements") reports no act as done. (A claim that
        # predicts, "Brazil will reach its target", asks for no act done: "the target should be
        # achieved" is its prediction.)
        # Nor does one whose acts are all denied ("may arrange swaps ... but are not talking").
        asserted = [p for p in _acts(sentence) if p.main]
        out.mode_gap = bool(asserted) and all(p.mode in UNASSERTED_MODES or p.negated for p in asserted)
        # And a sentence whose own principal act is of another known sense reports another event
        # ("Hughes Tool sued Baker" / "Hughes shareholders approved a merger with Baker"), however
        # close in cosine: the sense groups are disjoint, so this is known, not guessed.
        own = asserted[0] if asserted else None
        out.roles_reversed = _roles_reversed(principal, claim, sentence, aliases)
        out.other_act = (
            principal.group is not None
            and own is not None
            and own.group is not None
            and own.group != principal.group
        )
    if out.role_swap and swapped is not None:
        out.conflicts.append(swapped)
    if out.negation_conflict and out.pair is not None:
        out.conflicts.append(Pair(out.pair.claim, out.pair.evidence, "negation"))
    return out
