"""Pair features for the stance classifier: the two sentence vectors plus cheap lexical cues.

Why these: MiniLM vectors are trained for *similarity*, and "X imposed martial law" and "X did not
impose martial law" sit close together in that space. ``u * v`` and ``|u - v|`` (the sentence-pair
encoding of InferSent / SBERT classifiers) let a linear model see *which* dimensions agree, but
negation, a swapped number or a swapped word ("sars-cov-2" -> "chs-cov-2") move a vector very little,
so the lexical block measures those edits directly from the texts.

The raw vectors ``u`` and ``v`` are deliberately left out: with them the classifier learns *topic*
priors (COVID claims are mostly refuted in COVID-Fact, climate evidence mostly neutral) instead of
the relation between the two texts. Measured on a grouped validation split of the training data
(mean macro-F1 over the five datasets): lexical only 0.43, ``|u-v|, u*v`` + lexical 0.475, all four
blocks + lexical 0.46 (fever-symmetric, built to defeat claim-only cues, fell from 0.45 to 0.32).

Everything is pure Python + numpy so that the service computes a pair in well under 0.2 ms. The
layout is versioned: :data:`FEATURE_VERSION` is stored with the shipped weights and checked at load,
so a change here without retraining fails loudly instead of mis-scoring.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

FEATURE_VERSION: Final = "stance-features-v1"
EMBEDDING_DIM: Final = 384

LEXICAL_NAMES: Final[tuple[str, ...]] = (
    "cosine",
    "claim_negations",
    "sentence_negations",
    "negation_difference",
    "claim_denial_cues",
    "sentence_denial_cues",
    "sentence_reporting_cues",
    "claim_has_numbers",
    "claim_numbers_missing",
    "claim_words_missing_fraction",
    "claim_words_missing_count",
    "antonym_flips",
    "length_log_ratio",
)
"""Names of the lexical block, in order (they are stored with the weights for inspection)."""

LEXICAL_DIM: Final = len(LEXICAL_NAMES)
FEATURE_DIM: Final = 2 * EMBEDDING_DIM + LEXICAL_DIM


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated words, so that it reads as a list."""
    return frozenset(text.split())


_TOKEN: Final = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:'[a-z]+)?")

NEGATIONS: Final = _words(
    "not no never none nobody nothing neither nor without cannot cant wont dont doesnt didnt isnt "
    "wasnt arent werent hasnt havent hadnt shouldnt wouldnt couldnt nowhere"
)
"""Negation words; any token ending in ``n't`` counts too."""

DENIAL_CUES: Final = _words(
    "deny denies denied denying denial false falsely fake hoax hoaxes myth myths debunk debunked "
    "debunks untrue misleading baseless refute refutes refuted reject rejects rejected dismiss "
    "dismissed dismisses rumor rumors rumour rumours incorrect wrong disputed disputes unfounded "
    "fabricated satire satirical bogus nonsense contrary"
)
"""Words by which a text disputes a proposition (a denial frame's cue, a debunk's verdict)."""

REPORTING_CUES: Final = _words(
    "said says say claim claims claimed claiming reportedly allegedly alleged alleges according "
    "report reports reported purportedly apparently rumored rumoured told tells believed "
    "suggests suggested may might could unconfirmed unverified"
)
"""Words that attribute or hedge: the sentence reports the content rather than asserting it."""

_ANTONYMS: Final[tuple[tuple[str, str], ...]] = (
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("increases", "decreases"),
    ("rise", "fall"),
    ("rising", "falling"),
    ("rose", "fell"),
    ("more", "less"),
    ("more", "fewer"),
    ("higher", "lower"),
    ("high", "low"),
    ("up", "down"),
    ("positive", "negative"),
    ("gain", "loss"),
    ("warming", "cooling"),
    ("warmer", "cooler"),
    ("before", "after"),
    ("win", "lose"),
    ("won", "lost"),
    ("support", "oppose"),
    ("supports", "opposes"),
    ("safe", "dangerous"),
    ("true", "false"),
    ("alive", "dead"),
    ("accept", "reject"),
    ("accepted", "rejected"),
    ("male", "female"),
    ("first", "last"),
    ("largest", "smallest"),
    ("major", "minor"),
    ("always", "never"),
    ("all", "none"),
    ("effective", "ineffective"),
    ("increase", "reduce"),
    ("increases", "reduces"),
    ("improve", "worsen"),
    ("strengthen", "weaken"),
    ("expand", "shrink"),
    ("melting", "growing"),
    ("thicker", "thinner"),
)
_ANTONYM_OF: Final[dict[str, frozenset[str]]] = {}
for _a, _b in _ANTONYMS:
    _ANTONYM_OF[_a] = _ANTONYM_OF.get(_a, frozenset()) | {_b}
    _ANTONYM_OF[_b] = _ANTONYM_OF.get(_b, frozenset()) | {_a}

STOPWORDS: Final = _words(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its "
    "this that these those there their they them he she his her we our you your i me my which who whom "
    "what when where why how than then so such into onto over under about after before between during "
    "has have had do does did will would can could should may might must also more most very just not no "
    "any all some each other only own same too s t said says"
)


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens; "n't" is kept on its verb ("doesn't", FEVER's "does n't")."""
    lowered = text.lower().replace("\u2019", "'").replace(" n't", "n't")
    return _TOKEN.findall(lowered)


def _is_negation(token: str) -> bool:
    return token in NEGATIONS or token.endswith("n't")


def _number(token: str) -> str | None:
    if not token[0].isdigit():
        return None
    return token.replace(",", "")


def _stem(word: str) -> str:
    """A crude stem (first five letters): "imposed"/"imposes", "mobilization"/"mobilize" collide."""
    return word[:5]


def lexical_features(claim_text: str, sentence_text: str) -> npt.NDArray[np.float32]:
    """The lexical block without the cosine (slot 0 is filled by :func:`pair_features`)."""
    claim_tokens = tokens(claim_text)
    sentence_tokens = tokens(sentence_text)
    sentence_set = set(sentence_tokens)

    claim_neg = sum(1 for t in claim_tokens if _is_negation(t))
    sentence_neg = sum(1 for t in sentence_tokens if _is_negation(t))
    claim_denial = sum(1 for t in claim_tokens if t in DENIAL_CUES)
    sentence_denial = sum(1 for t in sentence_tokens if t in DENIAL_CUES)
    sentence_reporting = sum(1 for t in sentence_tokens if t in REPORTING_CUES)

    claim_numbers = {n for n in (_number(t) for t in claim_tokens) if n is not None}
    sentence_numbers = {n for n in (_number(t) for t in sentence_tokens) if n is not None}
    numbers_missing = len(claim_numbers - sentence_numbers) / len(claim_numbers) if claim_numbers else 0.0

    content = {t for t in claim_tokens if t not in STOPWORDS and len(t) > 2 and not t[0].isdigit()}
    sentence_stems = {_stem(t) for t in sentence_set}
    missing = sum(1 for t in content if _stem(t) not in sentence_stems)
    missing_fraction = missing / len(content) if content else 0.0

    flips = 0
    for token in set(claim_tokens):
        opposites = _ANTONYM_OF.get(token)
        if opposites and token not in sentence_set and opposites & sentence_set:
            flips += 1

    features = np.empty(LEXICAL_DIM, dtype=np.float32)
    features[0] = 0.0
    features[1] = min(claim_neg, 3)
    features[2] = min(sentence_neg, 3)
    features[3] = min(abs(claim_neg - sentence_neg), 3)
    features[4] = min(claim_denial, 3)
    features[5] = min(sentence_denial, 3)
    features[6] = min(sentence_reporting, 3)
    features[7] = 1.0 if claim_numbers else 0.0
    features[8] = numbers_missing
    features[9] = missing_fraction
    features[10] = min(missing, 5)
    features[11] = min(flips, 2)
    features[12] = math.log((len(sentence_tokens) + 1) / (len(claim_tokens) + 1))
    return features


def pair_features(
    claim_vector: npt.NDArray[np.float32],
    sentence_vector: npt.NDArray[np.float32],
    claim_text: str,
    sentence_text: str,
) -> npt.NDArray[np.float32]:
    """``[|u - v|, u * v, lexical]`` for one pair (u = claim, v = sentence), float32."""
    u = np.asarray(claim_vector, dtype=np.float32)
    v = np.asarray(sentence_vector, dtype=np.float32)
    if u.shape != (EMBEDDING_DIM,) or v.shape != (EMBEDDING_DIM,):
        raise ValueError(f"expected two ({EMBEDDING_DIM},) vectors, got {u.shape} and {v.shape}")
    product = u * v
    lexical = lexical_features(claim_text, sentence_text)
    lexical[0] = product.sum()
    return np.concatenate((np.abs(u - v), product, lexical))


def pair_feature_matrix(
    claim_vectors: npt.NDArray[np.float32],
    sentence_vectors: npt.NDArray[np.float32],
    claim_texts: Sequence[str],
    sentence_texts: Sequence[str],
) -> npt.NDArray[np.float32]:
    """Row-wise :func:`pair_features` for training and benchmarks (same layout, vectorised)."""
    u = np.asarray(claim_vectors, dtype=np.float32)
    v = np.asarray(sentence_vectors, dtype=np.float32)
    product = u * v
    lexical = np.stack([lexical_features(c, s) for c, s in zip(claim_texts, sentence_texts, strict=True)])
    lexical[:, 0] = product.sum(axis=1)
    return np.concatenate((np.abs(u - v), product, lexical), axis=1).astype(np.float32)
