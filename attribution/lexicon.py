"""Reporting-cue lexicons: the words that tell a reader *who* vouches for a piece of news.

Everything here is data, kept apart from the parse rules in :mod:`attribution.frames` so that the
vocabulary can be reviewed (and benchmarked on PolNeAR) without reading code. Entries are lemmas as
produced by spaCy's English lemmatizer (``said`` -> ``say``), lower-cased.

The split into kinds follows what a fact-checker needs to know about the matched content:

* ``statement``   -- a source asserts it ("the ministry said ...");
* ``accusation``  -- a source imputes wrongdoing to someone ("Yerevan accused Ankara of ...");
* ``denial``      -- a source disputes it ("Russian officials have rejected Erdogan's allegations");
* ``hedge``       -- the outlet distances itself without naming a source ("reportedly").

Deliberately *not* cues: wishes (hope, fear, want), most requests (ask) and evaluations (criticize,
praise). PolNeAR annotates them as attributions, but their object is a wish or a judgement rather
than a proposition a claim could be checked against, so flagging them would mark ordinary reporting
as allegation. Two requests are kept (``REQUEST_CUES``): "urged the government to lift ..." and
"called for control to go to Siemens" state what their source wants done, which a claim does put in
its name ("Delors wants ...") and which, as the outlet's own voice, would read as done. Beliefs
(believe, think, speculate) do hold a proposition: they are hedges in their holder's name
(``BELIEF_VERBS``). Modal verbs (may, might, could) are hedges in the Wikipedia "weasel words" sense
but are far too frequent in plain reporting; they stay out.
"""

from __future__ import annotations

from typing import Final

from attribution.frame import FrameKind


def _words(text: str) -> frozenset[str]:
    """A lexicon written as whitespace-separated lemmas, so that it reads as a word list."""
    return frozenset(text.split())


STATEMENT_VERBS: Final = _words(
    """
    say tell add state announce claim insist maintain stress emphasize emphasise note warn argue
    report confirm reiterate explain write declare assert suggest acknowledge admit inform brief
    quote reply respond answer continue tweet recall concede predict indicate reveal mention observe
    remark comment contend affirm assure pledge promise vow testify disclose clarify underline
    underscore highlight repeat echo hint imply signal conclude estimate specify elaborate complain
    boast joke voice attribute
    """
)
"""Verbs that report an assertion. The speaker is their subject (or ``by``-agent when passive) and
the content their clausal complement or an adjacent quotation."""

EXPECTATION_VERBS: Final = _words("expect forecast anticipate")
"""Verbs by which a source predicts ("Many dealers expect the USDA will act soon"): a statement about
what will happen, in the subject's name, like "predict". Only a clause is their content ("expects to
report a profit" is the subject's own plan), and one inside another report's content ("said it
expects ...") adds nothing the outer report does not say."""

AGREEMENT_VERBS: Final = _words("agree concur")
"""Verbs by which sources share a view ("The institutes agreed that consumer prices would start to
rise"): a statement in their name. Only a clause is their content: "agreed to buy" is a deal and
"agreed on terms" an agreement, neither a report."""

BELIEF_VERBS: Final = _words("believe think speculate suspect")
"""Verbs by which a named source holds, rather than asserts, a proposition ("..., analysts
believe", "Arbitragers speculated a bidding war may erupt"): the outlet does not vouch for it and
the source only supposes it, so the frame is a hedge with its speaker. Only a clause is their
content ("believes in free markets" reports nothing), and one inside another report's content
("I think we got a better deal," he said) adds nothing the outer report does not say; nor does
one in the first or second person, a quoted speaker's own hedge ("I think it's the way ..."). As
statements, with the first-person ones, they cost PolNeAR dev cue precision 0.850 -> 0.831 (frames
nested in quotations it annotates once); as these hedges, dev cue F1 is unchanged (0.876)."""

ACCUSATION_VERBS: Final = _words("accuse allege charge blame implicate incriminate")
TELLING_VERBS: Final = _words("tell inform assure")
"""Verbs whose passive subject is the hearer ("an inquiry was told", "reporters were informed"),
not the source: the source of what they govern is unnamed."""
"""Verbs that impute wrongdoing. Their content is the charge ("of sending fighters") together with
the accused when it is named. ``claim`` is deliberately a statement: it is the neutral verb most
outlets use for a contested assertion, and the kind should describe the speech act, not the outlet's
doubt."""

DENIAL_VERBS: Final = _words("deny reject dismiss rebuff refute dispute contest repudiate disavow rebut")
"""Verbs by which a source disputes a proposition. The content is often anaphoric ("deny them"),
which :mod:`attribution.verdict` links back to the claim of the preceding sentence."""

REQUEST_CUES: Final[dict[str, frozenset[str]]] = {"urge": frozenset(), "call": frozenset({"for"})}
"""Requests that are statements of what their source wants: a verb alone ("urged the government to
move quickly") or only with its preposition ("called *for* a Franco-German solution"; "called the
plan a mistake" and "called a strike" are no report)."""

PHRASAL_CUES: Final[dict[tuple[str, str], FrameKind]] = {
    ("point", "out"): "statement",
    ("spell", "out"): "statement",
    ("rule", "out"): "denial",
    ("shrug", "off"): "denial",
    ("brush", "off"): "denial",
    ("brush", "aside"): "denial",
}
"""Verb + particle cues whose verb alone is not a cue ("point", "rule")."""

DOBJ_CONTENT_VERBS: Final = _words(
    """
    confirm announce report acknowledge admit stress emphasize emphasise reiterate note allege
    repeat echo reveal disclose highlight underline underscore predict concede deny reject dismiss
    rebuff refute dispute contest repudiate disavow rebut rule shrug brush voice attribute
    """
)
"""Cues whose direct object is itself the reported content ("confirmed readiness to ...", "rejected
the allegations"). For "say"/"tell"/"inform" the object is not content (it is a pronoun or the
addressee), so only clauses and quotations count for them."""

XCOMP_CONTENT_VERBS: Final = _words(
    "claim allege deny admit acknowledge pledge promise vow threaten insist tell warn urge"
)
"""Cues whose infinitive or gerund complement is the content ("claimed to have downed", "denied
sending"), and what a source told or warned someone to do ("told his advisers to find ..."). For
most verbs an xcomp is an intention, not a report ("continued to fight")."""

PREPOSITION_CONTENT_VERBS: Final[dict[str, frozenset[str]]] = {
    "warn": frozenset({"of", "about", "against"}),
    "complain": frozenset({"of", "about"}),
    "boast": frozenset({"of", "about"}),
    "hint": frozenset({"at"}),
    "call": frozenset({"for"}),
}
"""Cues whose report, when no clause follows, is the object of a preposition: "warned *of* possible
retaliation if Seoul's efforts falter", "hinted *at* a cut" (with the condition the warning sets)."""

ADDRESSEE_VERBS: Final = _words("tell inform brief assure warn remind notify quote")
"""Cues whose direct object is the addressee ("told AFP that ..."), never part of the content."""

DOCUMENT_NOUNS: Final = _words(
    """
    statement release readout communique communiqué text letter report message note transcript
    declaration bulletin notice post tweet
    """
)
"""Nouns naming a written source. They can be the speaker of "read" ("..., read a statement released
by the ministry") and a bare "the statement" is resolved to the statement named earlier."""

PERSON_NOUNS: Final = _words(
    """
    president ambassador minister spokesman spokeswoman spokesperson official leader premier
    chancellor secretary envoy diplomat general commander prosecutor lawmaker senator governor mayor
    adviser advisor aide analyst expert journalist reporter witness resident source head chief
    director chairman counterpart representative deputy king prime politician officer emissary
    banker dealer trader economist delegate executive lawyer investor broker arbitrager
    arbitrageur negotiator observer shareholder stockholder manager
    """
)
"""Head nouns that denote people: what "he"/"she" may refer to when no PERSON entity is tagged."""

INSTITUTION_NOUNS: Final = _words(
    """
    ministry office government kremlin agency department administration embassy army military
    parliament council committee presidency cabinet service command court union organization
    organisation group side country state party authority company newspaper channel
    """
)
"""Head nouns of collective sources: what "it" (and, plural, "they") may refer to."""

HEDGE_ADVERBS: Final = _words(
    """
    reportedly allegedly purportedly supposedly apparently ostensibly seemingly presumably rumoredly
    rumouredly avowedly professedly
    """
)
"""Adverbs by which the outlet reports a clause without vouching for it and without a source."""

HEDGE_ADJECTIVES: Final = _words(
    """
    alleged purported supposed reported rumored rumoured unconfirmed suspected unverified
    """
)
"""Adjectives that hedge the noun phrase they modify ("the alleged shelling of Stepanakert")."""

HEDGE_PASSIVE_VERBS: Final = _words(
    "say believe think report allege rumor rumour claim understand suspect know"
)
"""Agentless passives that hedge: "is said to", "is believed to", "it is claimed that". With an
agent ("was reported by TASS") they are ordinary statements instead."""

NOMINAL_CUES: Final[dict[str, FrameKind]] = {
    "allegation": "accusation",
    "accusation": "accusation",
    "charge": "accusation",
    "claim": "statement",
    "assertion": "statement",
    "statement": "statement",
    "report": "statement",
    "announcement": "statement",
    "warning": "statement",
    "insistence": "statement",
    "denial": "denial",
    "rejection": "denial",
}
"""Nouns that carry a proposition in a that-clause ("Erdogan's allegations that Russia ...")."""

SOURCE_MODIFIER_NOUNS: Final = _words("newspaper paper press media agency radio television magazine")
"""Modifiers of a cue noun that name who reports ("a local newspaper report that ..."), beside the
person and institution nouns and named entities."""

ANAPHORIC_PRONOUNS: Final = _words("it this that them these those they which so")
"""Objects of a denial that point back at something already reported ("deny them", "denied it")."""

ANAPHORIC_NOUNS: Final = _words(
    """
    claim claims allegation allegations accusation accusations charge charges report reports
    assertion assertions suggestion suggestions statement statements rumor rumors rumour rumours
    speculation account accounts version story stories reporting comments remarks
    """
)
"""Head nouns of a denial object that refers back to a reported claim ("these claims", "Erdogan's
allegations", "the reports")."""

ANAPHORIC_DETERMINERS: Final = _words("the these those this that such their his her its")
"""Determiners that make an ANAPHORIC_NOUNS phrase definite, i.e. point back rather than introduce."""

REQUEST_NOUNS: Final = _words(
    """
    call calls request requests demand demands appeal appeals offer offers proposal proposals plan
    plans mediation invitation invitations bid bids initiative initiatives ultimatum
    """
)
"""Objects that refusing does not dispute: "rebuffed calls for a halt", "ruled out any mediation".
Refusing a request is an act the outlet reports, not a denial of a proposition, so such a "denial"
gives no frame (just as "called for" gives none)."""

VAGUE_SPEAKERS: Final = _words(
    "both all each either neither some many most others several few everyone everybody"
)
"""Speakers that name nobody a fact-checker could cite ("both confirmed"): an enclosing frame with a
named source ("The Russian ministry said both confirmed ...") reports the content better."""

PRONOUN_SPEAKERS: Final = _words("he she it they")
"""Third-person pronouns resolved to an earlier named source; "I"/"we" stay as written."""


def verb_cue_kind(
    lemma: str, particle: str | None = None, preposition: str | None = None
) -> FrameKind | None:
    """Kind of the cue a verb lemma (with its particle, and the first preposition it governs, if
    any) expresses, or None if it is no cue.

    A phrasal cue wins over its verb ("ruled out" is a denial, "ruled" alone nothing).
    """
    if particle is not None and (lemma, particle) in PHRASAL_CUES:
        return PHRASAL_CUES[(lemma, particle)]
    if lemma in ACCUSATION_VERBS:
        return "accusation"
    if lemma in DENIAL_VERBS:
        return "denial"
    if lemma in STATEMENT_VERBS or lemma in EXPECTATION_VERBS or lemma in AGREEMENT_VERBS:
        return "statement"
    if lemma in BELIEF_VERBS:
        return "hedge"
    if lemma in REQUEST_CUES and (not REQUEST_CUES[lemma] or preposition in REQUEST_CUES[lemma]):
        return "statement"
    return None


ANONYMOUS_SOURCE_NOUNS: Final = _words("source sources")
"""Heads of an unnamed source. "sources said", "a source said" (no descriptive modifier) is the
outlet hedging; "a Turkish diplomatic source told AFP" names enough to stay a statement."""

WEASEL_CUES: Final = _words(
    """
    some many most several critics
    probably possibly perhaps presumably supposedly allegedly alleged might
    believed thought considered widely generally seems suggested suggests claim
    """
)
"""Sentence-level uncertainty and weasel cues (lower-cased words), tuned on the CoNLL-2010
Wikipedia weasel *train* split by greedy forward selection from a hand-made candidate list of
hedging words (quantifiers of vague sources, epistemic adverbs and modals, epistemic passives,
hedging verbs); they mark a sentence as hedged but never make a frame. "may", "could", "often",
"reportedly" were candidates: each lowered train F1 (precision 0.26 for "may")."""

NON_FACTUAL_MODALS: Final = _words("can could may might must should ought need dare")
"""Modals that make a negated clause a statement of (im)possibility or obligation rather than a
denial: "this cannot happen", "it could not confirm", "nations should not have to pay". "will" and
"would" stay factual: "it would not raise the bid" denies a future act."""

EPISTEMIC_PREDICATES: Final = _words("know sure clear certain likely")
"""Predicates whose negation admits uncertainty instead of denying: "it was not clear whether ...",
"he did not know if ...", "prices are not likely to change"."""

PARTIAL_NEGATIONS: Final = _words(
    "only just always necessarily merely simply all every quite entirely exactly"
)
"""Words after "not" that narrow the negation to a quantifier or focus ("not only ... but also",
"has not always translated"): the clause itself is still asserted."""

NEGATIVE_PRONOUNS: Final = _words("nothing none nobody")
"""Subjects and objects that negate their clause ("We had nothing to do with TRE")."""

COMPARISON_AFTER_NEGATIVE: Final = _words("more less fewer but short")
"""Words that turn "nothing"/"no" into a comparison or an exception, which asserts instead of
denying: "the proposal is nothing more than an attempt to ...", "no fewer than five banks"."""
