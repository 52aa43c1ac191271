"""What a predicate means for verification: its sense group, the group of its opposite, and the
words that make an act a mere aim, plan, possibility or prediction.

Why a lexicon: a claim and its evidence often say the same thing with different verbs ("acquire" /
"buy" / "take over") and its opposite with a verb close in embedding space ("rose" / "fell",
"ratified" / "rejected"). MiniLM puts antonyms next to each other, so only a list of senses and
their opposites can tell a report of the claim from a report of its contrary. The groups cover the
predicates of economic and political news (markets, deals, votes, disputes, output); a predicate
outside every group still aligns with the same lemma.
"""

from __future__ import annotations

from typing import Final

# Sense groups: lemma (or "lemma_particle" for phrasal verbs) -> group name. Nouns that name the
# same event ("offer", "rise", "sale") sit in the group of their verb.
_GROUPS: Final[dict[str, str]] = {
    "up": (
        "rise increase climb gain grow jump soar surge advance rally rebound recover expand improve "
        "raise lift boost hike double triple strengthen firm harden accelerate increase growth jump "
        "hike upturn upswing go_up push_up widen swell balloon quadruple"
    ),
    "down": (
        "fall decrease decline drop slip slide plunge plummet tumble sink shrink contract ease dip "
        "slump cut lower reduce trim slash halve weaken deteriorate worsen fall_back drop_off "
        "reduction downturn go_down push_down narrow"
    ),
    "buy": "buy acquire purchase take_over acquisition purchase takeover buyout",
    # privatising is the state selling what it owns: "pledged to privatise 66 companies"
    "sell": (
        "sell divest dispose unload offload sale divestiture spin_off privatise privatize "
        "privatisation privatization"
    ),
    # owning a share of a company: "owns 83 pct", "held about 83 pct", "raised its stake to 83 pct",
    # "has just under five pct of SGL shares", "built up a stake of close to five pct"
    "own": (
        "own hold possess ownership holding stake have_pct have_percent have_stake have_share "
        "have_interest build_stake amass_stake accumulate_stake"
    ),
    "accept": (
        "accept approve ratify endorse adopt welcome sign authorize authorise uphold agree vote_for "
        "acceptance approval ratification endorsement adoption"
    ),
    "reject": (
        "reject refuse oppose veto rebuff spurn dismiss block overturn turn_down rule_out vote_against "
        "rejection refusal opposition"
    ),
    "win": "win beat defeat victory",
    "lose": "lose defeat_by loss",
    "open": "open start begin resume launch restart reopen opening start-up",
    # freezing an activity stops it ("froze new silver sales"); freezing a price or wages holds it
    # where it is, so "freeze" alone is a group of its own
    "close": (
        "close shut halt stop end suspend cease terminate close_down shut_down closure shutdown "
        "suspension halt freeze_sale freeze_purchase freeze_export freeze_import freeze_payment "
        "freeze_lending freeze_hiring freeze_production freeze_shipment freeze_delivery"
    ),
    "hire": "hire recruit employ",
    "fire": "fire lay_off sack layoff",
    "surplus": "surplus",
    "deficit": "deficit shortfall",
    "profit": "profit earnings",
    "offer": "offer bid propose proposal tender",
    "sue": "sue suit lawsuit litigation",
    "merge": "merge merger combine combination",
    "strike": "strike walkout walk_out",
    # holding a level: "kept its dividend at 37.5 cents", "held its dividend unchanged", "the rate
    # stayed at 6.7 pct" (``retrieval.structure`` reads "hold"/"stay" with a level as "hold_level")
    "set": "set fix establish maintain keep peg hold_level",
    # giving up what was planned or offered: "pulled its planned issue", "dropped their plans",
    # "withdrew the offer" (a "drop" or "pull" of a plan is read as "withdraw" by the structure)
    "withdraw": "withdraw retract pull_out withdrawal cancel scrap abandon shelve call_off",
    "activate": "activate invoke trigger use",
    "freeze": "freeze",
    # breaking a rule or an agreement: "would breach two international agreements", "breaks GATT
    # rules", "in breach of an undertaking"; "break" alone (a record, a strike, the news) is not it
    "violate": (
        "violate breach contravene infringe flout violation infringement contravention "
        "break_rule break_law break_agreement break_accord break_treaty break_pact break_contract "
        "break_promise break_pledge break_commitment break_undertaking break_regulation"
    ),
    "erupt": "erupt break_out flare flare_up outbreak",
    "join": "join participate take_part enter involvement participation",
    "coordinate": "coordinate coordination cooperate cooperation collaborate",
    "resign": "resign quit step_down resignation",
    # what a party is after: "Argentina wants new loans" / "Argentina, seeking new loans"
    "seek": "seek want",
    "negotiate": "negotiate bargain negotiation",
    "change": "change alter modify amend",
    "erase": "erase wipe delete",
    "conceal": "conceal hide",
    # putting a figure on something: "put the cost at 8.87 billion dlrs", "estimated it would cost
    # 8.87 billion", "valued the stake at 5 mln" (``retrieval.structure`` reads "put ... at" a figure
    # as "put_at")
    "estimate": "estimate put_at place_at value_at estimation",
    # letting something happen and forbidding it: "Japan does not allow rice imports" / "imports of
    # rice are banned"
    "allow": "allow permit",
    "ban": "ban prohibit forbid outlaw embargo",
    # reaching a target or a goal, not a level ("sales reached 23.8 billion dlrs" is a figure)
    "achieve": "achieve attain reach_target reach_goal reach_objective",
    # passing something to another's hands: "agreed to transfer its South American service",
    # "agreed to hand over the service"
    "transfer": "transfer hand_over turn_over cede",
    # taking a loss on what is owed or owned: "may write off part of the loans", "wrote down the
    # value of its stake" (not "write", a verb of saying)
    "write_off": "write_off write_down writeoff writedown",
}

LEMMAS_OF: Final[dict[str, tuple[str, ...]]] = {
    group: tuple(lemmas.split()) for group, lemmas in _GROUPS.items()
}
"""Sense group -> its lemmas."""

PREPOSITIONAL_SENSES: Final = frozenset(["vote_for", "vote_against"])
"""A verb and the preposition that makes its sense: "voted for the bill" approves it, "voted
against it" rejects it (``retrieval.structure`` joins them)."""

LEMMA_GROUP: Final[dict[str, str]] = {
    lemma: group for group, lemmas in _GROUPS.items() for lemma in lemmas.split()
}
"""Lemma -> its sense group."""

OPPOSITES: Final[dict[str, frozenset[str]]] = {}
for _a, _b in (
    ("up", "down"),
    ("up", "lose"),  # "gaining support" / "losing support"
    ("profit", "lose"),  # "a profit" / "a loss"
    ("buy", "sell"),
    ("accept", "reject"),
    ("win", "lose"),
    ("open", "close"),
    ("hire", "fire"),
    ("surplus", "deficit"),
    ("allow", "ban"),
):
    OPPOSITES[_a] = OPPOSITES.get(_a, frozenset()) | {_b}
    OPPOSITES[_b] = OPPOSITES.get(_b, frozenset()) | {_a}
"""Sense group -> the group that states the contrary."""

CONVERSES: Final = frozenset({frozenset({"buy", "sell"}), frozenset({"win", "lose"})})
"""Opposite groups that tell one event from either side: "Taft sold the stations to TVX" is "TVX
bought the stations from Taft", "Amoco beat Dome" is "Dome lost to Amoco". Opposites only when the
same party does both."""

REPORTING: Final = frozenset(
    [
        "say",
        "tell",
        "add",
        "state",
        "announce",
        "report",
        "quote",
        "cite",
        "claim",
        "allege",
        "accuse",
        "charge",
        "deny",
        "insist",
        "maintain",
        "warn",
        "note",
        "comment",
        "explain",
        "confirm",
        "declare",
        "assert",
        "argue",
        "suggest",
        "predict",
        "reveal",
        "disclose",
        "write",
    ]
)
"""Verbs of saying: they carry a report, they are not the act a claim is about."""

# Verbs whose clausal complement (xcomp) is not asserted as done, by what it is instead.
AIM_GOVERNORS: Final[dict[str, str]] = {
    **dict.fromkeys(
        [
            "aim",
            "plan",
            "intend",
            "seek",
            "want",
            "wish",
            "hope",
            "try",
            "attempt",
            "propose",
            "consider",
            "offer",
            "prepare",
            "threaten",
            "mean",
            "agree",
            "decide",
            "promise",
            "pledge",
            "vow",
            "undertake",
            "study",
            "weigh",
            "await",  # "awaiting federal approval of the merger": sought, not granted
        ],
        "aim",
    ),
    # "stands to lose 800 mln dlrs": as good as "is set to", an outcome ahead, not an act done
    **dict.fromkeys(["expect", "forecast", "project", "anticipate", "schedule", "stand"], "future"),
}
AGREEMENT_GOVERNORS: Final = frozenset(["agree"])
"""Aim governors whose use is itself an event: "Supermarkets General agreed to be taken over" says a
deal was struck, which a report that Dart "is seeking to buy" it does not carry, though both frame
the takeover as not yet done. A claim on one of these is not the claim on its complement."""
AGREEMENT_NOUNS: Final = frozenset(
    ["agreement", "accord", "deal", "pact", "treaty", "settlement", "contract"]
)
"""Nouns that name a struck agreement ("under an agreement with", "the accord signed"): a sentence
using one reports that an agreement exists, as a verb of the accept sense does."""
# ... and nouns whose infinitive or "of" complement is likewise only intended or possible.
AIM_NOUNS: Final[dict[str, str]] = {
    **dict.fromkeys(
        [
            "plan",
            "plans",
            "intention",
            "aim",
            "attempt",
            "effort",
            "bid",
            "offer",
            "proposal",
            "threat",
            "hope",
            "goal",
            "target",
            "option",
            "willingness",
            "talk",  # "in talks to sell": negotiated, not done
            "talks",
            "negotiation",
            "negotiations",
            "readiness",
            "move",
        ],
        "aim",
    ),
    **dict.fromkeys(["possibility", "prospect", "chance", "risk", "likelihood"], "possible"),
}
# Prepositions through which a noun governs a gerund it only names ("the risk of selling", "talk
# about activating", "talks on buying"); not "after"/"by"/"for", which can report a done act.
NAMING_PREPOSITIONS: Final = frozenset(["of", "about", "on", "toward", "towards"])
# Adjectives that make "be ADJ to VERB" non-factual ("is likely to", "are ready to").
AIM_ADJECTIVES: Final[dict[str, str]] = {
    **dict.fromkeys(
        ["likely", "unlikely", "possible", "able", "expected", "set", "due", "poised", "bound"], "future"
    ),
    **dict.fromkeys(["ready", "prepared", "willing", "eager", "keen", "determined"], "aim"),
}
# Adjectives that expect their complement not to happen: "prices are unlikely to rise" is
# "prices will probably not rise" (the mode stays ``AIM_ADJECTIVES``'s: a future).
UNLIKELY_ADJECTIVES: Final = frozenset(["unlikely", "improbable"])
# The groups of a movement a figure can measure ("rose 5 pct to 10 pct").
MOVEMENT_GROUPS: Final = frozenset(["up", "down"])
# Movements said of what moves, with no doer ("inflation fell", "the economy grew"): their subject
# is the measure that moved, so a sentence's movement of another measure is another fact.
SELF_MOVEMENTS: Final = frozenset(
    [
        "rise",
        "fall",
        "grow",
        "decline",
        "drop",
        "slip",
        "slide",
        "plunge",
        "plummet",
        "tumble",
        "sink",
        "shrink",
        "contract",
        "ease",
        "dip",
        "slump",
        "climb",
        "gain",
        "jump",
        "soar",
        "surge",
        "advance",
        "rally",
        "rebound",
        "recover",
        "expand",
        "improve",
        "weaken",
        "deteriorate",
        "worsen",
        "swell",
        "fall_back",
        "drop_off",
        "go_up",
        "go_down",
        "halve",
        "double",
        "triple",
        "quadruple",
        "widen",
        "narrow",
        "balloon",
    ]
)
# Measures the wire names in other words, by word key (``retrieval.terms.word_key``): "profit" /
# "earnings" / "net income", "output" / "production", "unemployment" / "jobless rate", "shares" / "stock".
MEASURE_SYNONYMS: Final[tuple[frozenset[str], ...]] = (
    frozenset(["profit", "earn", "incom", "net"]),
    frozenset(["output", "product"]),
    frozenset(["unemploy", "jobless"]),
    frozenset(["sale", "revenu", "turnov"]),
    frozenset(["price", "cost", "inflat"]),
    frozenset(["share", "stock"]),
)
# A copula with a word of movement states the movement: "earnings were up 20 pct", "net income is
# expected to be down 65 pct", "sales were sharply lower". The copula is the act, read as its verb.
COPULAR_MOVEMENTS: Final[dict[str, str]] = {"up": "rise", "higher": "rise", "down": "fall", "lower": "fall"}
# Verbs that hold something at a level when they say which ("held its dividend unchanged at 37.5
# cents", "the rate stayed at 6.7 pct"): ``retrieval.structure`` reads them as "hold_level"; without
# one, "held 83 pct" is owning and "stayed" staying.
LEVEL_VERBS: Final = frozenset(["hold", "keep", "stay", "remain", "leave"])
LEVEL_WORDS: Final = frozenset(["unchanged", "steady", "stable", "constant", "flat", "unaltered"])
# Verbs that give up a plan or an offer when it is their object ("dropped their plans", "pulled its
# planned issue"): read as "withdraw"; "prices dropped" and "dropped 5 pct" stay movements.
GIVING_UP_VERBS: Final = frozenset(["drop", "pull"])
UNDERTAKINGS: Final = frozenset(
    [
        "plan",
        "bid",
        "offer",
        "proposal",
        "issue",
        "offering",
        "suit",
        "lawsuit",
        "idea",
        "demand",
        "objection",
        "opposition",
        "charge",
        "claim",
        "request",
        "application",
        "listing",
        "sale",
    ]
)
# Governors that assert their complement did NOT happen.
NEGATING_GOVERNORS: Final = frozenset(["fail", "refuse", "decline", "neglect"])
# Verbs that call off the event their object names: "scrapped the sale", "called off the strike",
# "ruled out a merger", "postponed the vote". The event is not reported as done (nor denied: "called
# off the strike" may end one under way), so it is only aimed at (``retrieval.structure``).
CANCELLING_GOVERNORS: Final = frozenset(
    [
        "cancel",
        "scrap",
        "abandon",
        "shelve",
        "drop",
        "scuttle",
        "postpone",
        "defer",
        "delay",
        "call_off",
        "rule_out",
        "put_off",
    ]
)
# A deal's event stopped before it was done: the object of "blocked/vetoed/thwarted the takeover",
# the subject of "the merger collapsed/failed/fell through". Only for the groups whose noun names
# the deal done (a blocked or failed *bid* was still made).
BLOCKING_GOVERNORS: Final = frozenset(["block", "veto", "thwart", "foil", "prevent", "scupper"])
FAILING_PREDICATES: Final = frozenset(["collapse", "fail", "fall_through", "founder", "fizzle"])
DEAL_GROUPS: Final = frozenset(["buy", "sell", "merge"])
# Governors of an obligation, which in the past assert their complement: "had to declare force
# majeure", "was forced to sell" report it done; "has to sell", "will be forced to" do not
# (``retrieval.structure``).
OBLIGATION_GOVERNORS: Final = frozenset(["have", "force", "compel", "oblige"])
# Adjectives that do the same from "be ADJ to VERB" ("was unwilling to lend"); a willingness adjective
# under a negation ("is not prepared to discuss") states a refusal too (``retrieval.structure``).
NEGATING_ADJECTIVES: Final = frozenset(["unwilling", "unable", "unprepared"])
# Governors whose -ing complement is an act under way, though a to-infinitive would be an aim or an
# obligation ("has to sell"): "a rumor had Federated taking a look", "kept buying", "saw prices
# rising". "began buying" and "started selling" are transparent either way (below).
ONGOING_GOVERNORS: Final = frozenset(["have", "keep", "see", "find"])

# Governors that are transparent: "voted to reject", "managed to sell", "began to fall", the
# hedging passives whose report the attribution frames already carry ("is reported to have bought"),
# and the factive ones that confirm it.
TRANSPARENT_GOVERNORS: Final = frozenset(
    [
        "vote",
        "end_up",  # "ended up owning 83 pct": the owning is the act
        "wind_up",
        "manage",
        "continue",
        "begin",
        "start",
        "go",
        "proceed",
        "move",
        "report",
        "say",
        "believe",
        "think",
        "know",
        "understand",
        "seem",
        "appear",
        "rumour",
        "rumor",
        "claim",
        "allege",
        # factive passives: "vessels have been confirmed hit", "was found to have broken", "were
        # shown to have risen" assert the act (more firmly than "reported" does)
        "confirm",
        "find",
        "show",
        "prove",
    ]
)

MODAL_AUX: Final[dict[str, str]] = {
    # "ca" and "wo" are how the tokenizer splits "can't" and "won't"
    **dict.fromkeys(["can", "ca", "could", "may", "might", "should", "must", "ought"], "possible"),
    **dict.fromkeys(["will", "wo", "'ll", "shall", "sha", "would"], "future"),
}

NEGATION_WORDS: Final = frozenset(["not", "n't", "never", "no", "neither", "nor"])


def group_of(lemma: str) -> str | None:
    return LEMMA_GROUP.get(lemma.lower())


def converse(group: str | None, other: str | None) -> bool:
    """Do two sense groups tell one event from its two sides ("sell" / "buy")?"""
    return group is not None and other is not None and frozenset({group, other}) in CONVERSES


EXCLUSIVE: Final = frozenset(
    {
        frozenset({"up", "down"}),
        frozenset({"accept", "reject"}),
        frozenset({"win", "lose"}),
        frozenset({"allow", "ban"}),
    }
)
"""Opposite groups of which one, done, means the other was not: "rejected its quota" says it "did
not accept" it, "fell" that it "did not rise". Not so "sold" / "did not buy" or "opened" / "did not
close": there both, or neither, may have happened."""


def excludes(group: str | None, other: str | None) -> bool:
    """Does an act of ``other`` say that no act of ``group`` happened (``EXCLUSIVE``)?"""
    return group is not None and other is not None and frozenset({group, other}) in EXCLUSIVE


def opposes(group: str | None, other: str | None) -> bool:
    """Do two sense groups state contraries ("rise" / "fall", "accept" / "reject")?"""
    return group is not None and other is not None and other in OPPOSITES.get(group, frozenset())
