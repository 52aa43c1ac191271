"""A definite description stands for the name its story spelled out: "the strait" after "the
Strait of Hormuz", "the board" after "the Australian Wheat Board", "the bank" after "the Bank of
Japan".

Why: wire copy names a place or an institution in full once and then calls it by the common noun
its name is built on ("Rafsanjani said Iran did not need missiles to close the strait"). A claim
that names it ("the Strait of Hormuz") must then find the sentence, which the support decision
refuses when a named requirement is nowhere in it. The story's title and lead are its context
already (``claimcheck.ingest``), but a name first spelled out further down is not.

How: while a document is read in order, every multi-word name of a place or organisation is
remembered under its head word ("strait", "board", "bank"), the latest one winning; a later
lower-case use of that word with a definite determiner ("the", "this", "that") is given the name's
keys at its own position, as the aliases of ``retrieval.aliases`` are. Legal forms ("Corp", "Co")
are no heads: "the company" is too common to point at one name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Span

from retrieval.aliases import COMPANY_SUFFIXES
from retrieval.terms import Term, token_keys

NameMemory = dict[str, frozenset[str]]
"""Head word of a name (lower case) -> the keys of the latest name built on it."""

_NAME_LABELS = frozenset({"ORG", "FAC", "LOC", "GPE"})
_DEFINITE = frozenset({"the", "this", "that"})


def remember_names(memory: NameMemory, span: Span) -> None:
    """Record the multi-word names of ``span`` under their head words."""
    for ent in span.ents:
        if ent.label_ not in _NAME_LABELS or len(ent) < 2:
            continue
        head = ent.root
        word = head.lower_
        if not head.text[:1].isupper() or not word.isalpha() or word in COMPANY_SUFFIXES:
            continue
        memory[word] = frozenset(
            key for token in ent if not token.is_stop and not token.is_punct for key in token_keys(token)
        )


def description_terms(span: Span, memory: NameMemory, to_original: Callable[[int], int]) -> Iterator[Term]:
    """The keys of the names the definite descriptions of ``span`` stand for, at their positions."""
    for token in span:
        keys = memory.get(token.text)  # lower case as written: "The Bank" is a name, not a mention
        if not keys or token.ent_type_:
            continue
        if not any(child.dep_ == "det" and child.lower_ in _DEFINITE for child in token.children):
            continue
        start, end = to_original(token.idx), to_original(token.idx + len(token.text) - 1) + 1
        for key in sorted(keys):
            yield (key, start, end)
