"""Hedges: the outlet reports something without vouching for it and without naming a source.

Two levels. *Hedge frames* (kind ``hedge``) are the strong, distancing cues a fact-checker must see
as allegation: "reportedly", "allegedly", "is said to", "it is believed that", "the alleged
shelling", "unconfirmed reports". *Hedge cues* (:func:`hedge_cues`) are the wider lexicon of
uncertainty and weasel wording ("some critics", "it is widely considered", "possibly") checked on
the CoNLL-2010 Wikipedia weasel data; they mark a sentence as hedged
(:func:`sentence_is_hedged`) without turning its content into an allegation.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from attribution import lexicon as lx
from attribution.content import clause_start
from attribution.spans import Draft, Paragraph, own_clause, token_span
from attribution.speakers import is_passive, passive_agent


def hedge_passive_draft(paragraph: Paragraph, verb: Token) -> Iterable[Draft]:
    """ "X is said to have ...", "it is believed that ...": the outlet hedges without a source."""
    if (
        verb.lemma_.lower() not in lx.HEDGE_PASSIVE_VERBS
        or not is_passive(verb)
        or passive_agent(verb) is not None
    ):
        return
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if xcomp is not None and subject is not None:
        content = token_span(paragraph, subject.left_edge.i, xcomp.right_edge.i)
        yield Draft("hedge", (verb.i, verb.i + 1), None, content)
    elif ccomp is not None:
        content = token_span(paragraph, clause_start(ccomp), ccomp.right_edge.i)
        yield Draft("hedge", (verb.i, verb.i + 1), None, content)


def hedge_word_drafts(paragraph: Paragraph, token: Token) -> Iterable[Draft]:
    """ "reportedly"/"allegedly" hedge the clause they modify; "alleged" the noun phrase."""
    word = token.lower_
    head = token.head
    if word in lx.HEDGE_ADVERBS and token.dep_ == "advmod":
        yield Draft("hedge", (token.i, token.i + 1), None, token_span(paragraph, *own_clause(head)))
    elif word in lx.HEDGE_ADJECTIVES and token.dep_ == "amod" and head.pos_ in ("NOUN", "PROPN"):
        content = token_span(paragraph, head.left_edge.i, head.right_edge.i)
        yield Draft("hedge", (token.i, token.i + 1), None, content)


def hedge_cues(tokens: Iterable[Token]) -> list[Token]:
    """Tokens of the sentence-level weasel/uncertainty lexicon (``lexicon.WEASEL_CUES``)."""
    return [t for t in tokens if t.lower_ in lx.WEASEL_CUES or t.lower_ in lx.HEDGE_ADVERBS]
