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
_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "up": (
        "rise increase climb gain grow jump soar surge advance rally rebound recover expand improve "
        "raise lift boost hike double triple strengthen firm harden accelerate increase growth jump "
        "hike upturn upswing go_up push_up"
    ).split(),
    "down": (
        "fall decrease decline drop slip slide plunge plummet tumble sink shrink contract ease dip "
        "slump cut lower reduce trim slash halve weaken deteriorate worsen fall_back drop_off "
        "reduction downturn go_down push_down"
    ).split(),
    "buy": "buy acquire purchase take_over acquisition purchase takeover buyout".split(),
    "sell": "sell divest dispose unload offload sale divestiture spin_off".split(),
    "accept": (
        "accept approve ratify endorse adopt welcome sign authorize authorise uphold agree "
        "acceptance approval ratification endorsement adoption"
    ).split(),
    "reject": (
        "reject refuse oppose veto rebuff spurn dismiss block overturn turn_down rule_out "
        "rejection refusal opposition"
    ).split(),
    "win": "win beat defeat victory".split(),
    "lose": "lose defeat_by loss".split(),
    "open": "open start begin resume launch restart reopen opening start-up".split(),
    "close": (
        "close shut halt stop end suspend cease terminate close_down shut_down closure shutdown "
        "suspension halt"
    ).split(),
    "hire": "hire recruit employ".split(),
    "fire": "fire lay_off sack layoff".split(),
    "surplus": "surplus".split(),
    "deficit": "deficit shortfall".split(),
    "profit": "profit earnings".split(),
    "offer": "offer bid propose proposal tender".split(),
    "sue": "sue suit lawsuit litigation".split(),
    "merge": "merge merger combine combination".split(),
    "strike": "strike walkout walk_out".split(),
    "set": "set fix establish maintain keep peg".split(),
    "activate": "activate invoke trigger use".split(),
    "freeze": "freeze".split(),
}

LEMMA_GROUP: Final[dict[str, str]] = {lemma: group for group, lemmas in _GROUPS.items() for lemma in lemmas}
"""Lemma -> its sense group."""

OPPOSITE: Final[dict[str, str]] = {
    a: b
    for pair in (
        ("up", "down"),
        ("buy", "sell"),
        ("accept", "reject"),
        ("win", "lose"),
        ("open", "close"),
        ("hire", "fire"),
        ("surplus", "deficit"),
    )
    for a, b in (pair, pair[::-1])
}
"""Sense group -> the group that states the contrary."""

REPORTING: Final = frozenset(
    """
    say tell add state announce report quote cite claim allege accuse charge deny insist maintain
    warn note comment explain confirm declare assert argue suggest predict reveal disclose write
    """.split()
)
"""Verbs of saying: they carry a report, they are not the act a claim is about."""

# Verbs whose clausal complement (xcomp) is not asserted as done, by what it is instead.
AIM_GOVERNORS: Final[dict[str, str]] = {
    **dict.fromkeys(
        "aim plan intend seek want wish hope try attempt propose consider offer prepare threaten "
        "mean agree decide promise pledge vow undertake study weigh".split(),
        "aim",
    ),
    **dict.fromkeys("expect forecast project anticipate schedule".split(), "future"),
}
# ... and nouns whose infinitive or "of" complement is likewise only intended or possible.
AIM_NOUNS: Final[dict[str, str]] = {
    **dict.fromkeys(
        "plan plans intention aim attempt effort bid offer proposal threat hope goal target "
        "option willingness readiness move".split(),
        "aim",
    ),
    **dict.fromkeys("possibility prospect chance risk likelihood".split(), "possible"),
}
# Adjectives that make "be ADJ to VERB" non-factual ("is likely to", "are ready to").
AIM_ADJECTIVES: Final[dict[str, str]] = {
    **dict.fromkeys("likely unlikely possible able expected set due poised bound".split(), "future"),
    **dict.fromkeys("ready prepared willing eager keen determined".split(), "aim"),
}
# Governors that assert their complement did NOT happen.
NEGATING_GOVERNORS: Final = frozenset("fail refuse decline neglect".split())
# Governors that are transparent: "voted to reject", "managed to sell", "began to fall".
TRANSPARENT_GOVERNORS: Final = frozenset("vote manage continue begin start go proceed move".split())

MODAL_AUX: Final[dict[str, str]] = {
    **dict.fromkeys("can could may might should must ought".split(), "possible"),
    **dict.fromkeys("will shall would".split(), "future"),
}

NEGATION_WORDS: Final = frozenset("not n't never no neither nor".split())


def group_of(lemma: str) -> str | None:
    return LEMMA_GROUP.get(lemma.lower())


def opposite_of(group: str | None) -> str | None:
    return OPPOSITE.get(group) if group else None
