"""What a claim and a sentence say differently when one is the other with a few words changed.

Why: fact-checkers very often check a claim that is a near copy of a report, and the copies that
matter most differ from the report by one word: "up" for "down", "surplus" for "deficit",
"rejected" for "accepted", "may have been" for "was", an added "not". The structural alignment
(:mod:`verification.alignment`) finds these when the parser hands it the word as a predicate with
its roles; this module finds them whatever the part of speech — a direction carried by an adverb
("sharply up from"), an adjective ("higher estimates") or a noun ("the rise of the dollar") — and
whatever the parse, by diffing the two word sequences. It judges only a *substitution* inside
otherwise shared wording, so a sentence that merely mentions the opposite elsewhere ("profits rose
while sales were down") is never read as a contradiction.

Also here, because both are read off the sentence's words rather than its parse: whether a
sentence carries any negation or any hedge at all, which the claim-level polarity and modality
checks in the alignment need when the claim's negated or hedged verb has no counterpart predicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final

from retrieval.predicates import LEMMA_GROUP, MOVEMENT_GROUPS, NEGATION_WORDS, opposes
from retrieval.terms import word_key

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|n't|\d[\d.,]*")

# Inflections the stemmer cannot bring back to their lemma: past forms of the lexicon's verbs.
_IRREGULAR: Final[dict[str, str]] = {
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "sold": "sell",
    "bought": "buy",
    "won": "win",
    "lost": "lose",
    "grew": "grow",
    "grown": "grow",
    "began": "begin",
    "begun": "begin",
    "shrank": "shrink",
    "shrunk": "shrink",
    "sank": "sink",
    "sunk": "sink",
    "slid": "slide",
    "shut": "shut",
    "beat": "beat",
    "took": "take",
}

# Contraries outside the verb lexicon: the direction or sign of a figure said by an adverb,
# adjective or noun. Symmetric pairs, compared by stem.
_CONTRARY_WORDS: Final = (
    ("up", "down"),
    ("higher", "lower"),
    ("high", "low"),
    ("above", "below"),
    ("more", "less"),
    ("more", "fewer"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("stronger", "weaker"),
    ("strong", "weak"),
    ("better", "worse"),
    ("positive", "negative"),
    ("gain", "loss"),
    ("profit", "loss"),
    ("surplus", "deficit"),
    ("increase", "decrease"),
    ("rise", "fall"),
    ("widen", "narrow"),
    ("wider", "narrower"),
    ("support", "oppose"),
    ("impose", "lift"),
)


def _both_ways(pairs: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """A table of symmetric word pairs as stem pairs, each in both orders."""
    return frozenset(
        pair for a, b in pairs for pair in ((word_key(a), word_key(b)), (word_key(b), word_key(a)))
    )


_CONTRARY: Final = _both_ways(_CONTRARY_WORDS)
_HEAD_GROUPS: dict[str, set[str]] = {}
for _lemma, _group_name in LEMMA_GROUP.items():
    _HEAD_GROUPS.setdefault(word_key(_lemma.split("_")[0]), set()).add(_group_name)
# A word's sense group by its stem, read off a joined lemma's head ("take" of "take_over") only when
# every lemma on that head has one sense: "vote" is neither "vote_for" nor "vote_against".
_STEM_GROUP: Final[dict[str, str]] = {
    head: next(iter(groups)) for head, groups in _HEAD_GROUPS.items() if len(groups) == 1
}

# How much of a thing: all of it is not part of it ("sold all of its stake" / "sold part of its
# stake"). Symmetric, compared by stem; shown as an "extent" conflict.
_EXTENT_WORDS: Final = (
    ("all", "part"),
    ("all", "some"),
    ("all", "half"),
    ("entire", "part"),
    ("entire", "half"),
    ("whole", "part"),
    ("whole", "half"),
    ("full", "partial"),
    ("total", "partial"),
)
_EXTENT: Final = _both_ways(_EXTENT_WORDS)

# No movement, the contrary of either direction: "exports were unchanged" against "exports rose".
_STEADY: Final = frozenset(word_key(w) for w in ("unchanged", "flat", "steady", "stable", "unaltered"))
_DIRECTION_WORDS: Final = frozenset(word_key(w) for w in ("up", "down", "higher", "lower", "above", "below"))

# Words that hedge what follows: a modal or an adverb of likelihood.
_HEDGES: Final = frozenset(
    ["may", "might", "could", "can", "would", "should", "possibly", "perhaps", "maybe", "probably", "likely"]
)
# Words that negate or deny outside the parser's "neg" arc.
_NEGATING: Final = NEGATION_WORDS | frozenset(
    ["without", "deny", "denied", "denies", "fail", "failed", "fails", "refuse", "refused", "refuses"]
)

# A substitution is read only inside shared wording: at least this share of the claim's words
# must be matched around it (a claim that is mostly other words is a different statement).
_MIN_SHARED = 0.6


def words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


@lru_cache(maxsize=256)
def _claim_words(text: str) -> tuple[str, ...]:
    """A check diffs its one claim against every candidate: its words are split once."""
    return words(text)


def has_negation(text: str) -> bool:
    return any(w in _NEGATING for w in words(text))


def has_hedge(text: str) -> bool:
    return any(w in _HEDGES for w in words(text))


def _group(word: str) -> str | None:
    return LEMMA_GROUP.get(_IRREGULAR.get(word, word)) or _STEM_GROUP.get(word_key(word))


def contrary(claim_word: str, sentence_word: str) -> bool:
    """Do two words state contraries: a pair of the table, verbs of opposite sense groups, or a
    movement against no movement ("exports rose" / "exports were unchanged")?"""
    pair = (word_key(claim_word), word_key(sentence_word))
    if pair in _CONTRARY or pair in _EXTENT:
        return True
    if _moves(claim_word) and word_key(sentence_word) in _STEADY:
        return True
    if word_key(claim_word) in _STEADY and _moves(sentence_word):
        return True
    return opposes(_group(claim_word), _group(sentence_word))


def contrary_kind(claim_word: str, sentence_word: str) -> str:
    """What two contrary words disagree on: how much ("extent") or which way ("direction")."""
    return "extent" if (word_key(claim_word), word_key(sentence_word)) in _EXTENT else "direction"


def _moves(word: str) -> bool:
    return _group(word) in MOVEMENT_GROUPS or word_key(word) in _DIRECTION_WORDS


def substituted_contraries(claim: str, sentence: str) -> list[tuple[str, str]]:
    """Words the sentence has in place of the claim's, where the two are contraries; empty unless
    most of the claim's words line up with the sentence's around the substitution."""
    a, b = _claim_words(claim), words(sentence)
    if not a:
        return []
    # Most candidates share the claim's topic, not its wording: a set overlap rules them out
    # before the (quadratic) diff.
    claim_set = set(a)
    if len(claim_set & set(b)) < _MIN_SHARED * len(claim_set):
        return []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    if shared < _MIN_SHARED * len(a):
        return []
    found: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 2 or j2 - j1 > 2:
            continue
        for claim_word in a[i1:i2]:
            for sentence_word in b[j1:j2]:
                if contrary(claim_word, sentence_word):
                    found.append((claim_word, sentence_word))
    return found
