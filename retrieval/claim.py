"""A claim as the retrieval and support stages see it: its vector and what a supporting sentence
must carry, worked out once per check from the claim's parse."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.tokens import Span

from retrieval.structure import EMPTY, Structure, analyse
from retrieval.terms import Requirement, claim_requirements, is_content, negated_keys, token_keys


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    vector: npt.NDArray[np.float32]  # unit vector from the same encoder as the stored sentences
    requirements: tuple[Requirement, ...]
    keys: frozenset[str]  # every key a requirement answers to
    negated_keys: frozenset[str]  # keys of the words the claim negates
    words: tuple[str, ...]  # content words, for the lexical (BM25) search
    structure: Structure = EMPTY  # what the claim asserts: its acts, roles and figures

    @classmethod
    def from_parse(cls, text: str, parsed: Span, vector: npt.NDArray[np.float32]) -> Claim:
        """``parsed`` is what the claim asserts: the whole claim, or the content of the report it
        names ("Gabelli's group said *it might seek control*")."""
        requirements = claim_requirements(parsed)
        return cls(
            text=text,
            vector=vector,
            requirements=requirements,
            keys=frozenset(key for r in requirements for key in r.keys),
            negated_keys=negated_keys(parsed),
            words=tuple(t.text for t in parsed if is_content(t)),
            structure=analyse(parsed, antecedent=_reporter_keys(parsed)),
        )


def _reporter_keys(content: Span) -> tuple[str, ...]:
    """The names outside the content of a claim that names its speaker: a pronoun of the content
    ("it", "they") stands for them, and they are names of the claim when its doer is compared
    with a sentence's ("Gabelli's group said it might seek control" is not carried by Jacobs
    saying he would)."""
    doc = content.doc
    outside = (t for t in doc if not content.start <= t.i < content.end)
    return tuple(sorted({key for t in outside if t.pos_ == "PROPN" for key in token_keys(t)}))
