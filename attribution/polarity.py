"""Polarity of reported content: a source saying that something did not or will not happen denies it.

"The company said it had no plans to close the refinery", "BP maintained it would not raise its bid":
the reporting verb is a plain statement verb, but what a fact-checker reads is BP *denying* the
act. The rule looks only at the content's main predicate (the head of its first clause), so a "not"
deeper in the content ("... if the talks do not succeed") leaves the report a statement. Negation
under a modal of possibility or obligation ("this cannot happen"), of knowledge ("it was not clear
whether ..."), of a speech act ("would not comment", "did not rule out") and partial negation ("not
only", "not always") is no denial.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from attribution import lexicon as lx
from attribution.spans import CharRange

_NEGATED_ARGUMENTS = ("dobj", "attr", "nsubj", "nsubjpass")
"""Arguments whose "no"/"nothing" negates the whole clause ("had no plans", "there are no plans")."""


def denies(doc: Doc, content: CharRange) -> bool:
    """Whether the reported content's main predicate is negated, i.e. the report is a denial."""
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is None:
        return False
    predicate = main_predicate(span)
    return predicate is not None and _negated(predicate)


def main_predicate(span: Span) -> Token | None:
    """The head of the content's first clause: its first verb whose head lies outside the content,
    else the first such word of any kind (content that is a noun phrase)."""
    first = None
    for token in span:
        head = token.head.i
        if head == token.i or not span.start <= head < span.end:
            if token.pos_ in ("VERB", "AUX"):
                return token
            first = first or token
    return first


def _negated(predicate: Token) -> bool:
    if not (_has_negation(predicate) or _negative_argument(predicate)):
        return False
    return not (_under_modal(predicate) or _uncertainty(predicate) or _speech_act(predicate))


def _has_negation(predicate: Token) -> bool:
    """ "not", "n't", "never" on the predicate, unless it only narrows a focus ("not only")."""
    doc = predicate.doc
    return any(
        c.dep_ == "neg" and not (c.i + 1 < len(doc) and doc[c.i + 1].lower_ in lx.PARTIAL_NEGATIONS)
        for c in predicate.children
    )


def _negative_argument(predicate: Token) -> bool:
    """ "had *no* plans", "there are *no* plans", "*no* decision was made", "we had *nothing* to do";
    not "is nothing more than", "no fewer than"."""
    for argument in predicate.children:
        if argument.dep_ not in _NEGATED_ARGUMENTS:
            continue
        if argument.lower_ in lx.NEGATIVE_PRONOUNS and not _comparison_after(argument):
            return True
        if any(c.dep_ == "det" and c.lower_ == "no" and not _comparison_after(c) for c in argument.children):
            return True
    return False


def _comparison_after(negative: Token) -> bool:
    doc = negative.doc
    return negative.i + 1 < len(doc) and doc[negative.i + 1].lower_ in lx.COMPARISON_AFTER_NEGATIVE


def _under_modal(predicate: Token) -> bool:
    return any(c.dep_ == "aux" and c.lemma_.lower() in lx.NON_FACTUAL_MODALS for c in predicate.children)


def _uncertainty(predicate: Token) -> bool:
    """ "did not know", "it was not clear whether": admitted uncertainty, not a denial."""
    words = [predicate, *(c for c in predicate.children if c.dep_ == "acomp")]
    return any(w.lemma_.lower() in lx.EPISTEMIC_PREDICATES for w in words)


def _speech_act(predicate: Token) -> bool:
    """ "would not comment", "did not say", "did not rule out": withholding or negating a report is
    not denying a proposition (and "did not deny" is no denial at all)."""
    particle = next((c.lower_ for c in predicate.children if c.dep_ == "prt"), None)
    lemma = predicate.lemma_.lower()
    return lemma == "comment" or lx.verb_cue_kind(lemma, particle) is not None
