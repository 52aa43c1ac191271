"""Cue rules: each function recognises one kind of reporting cue and yields draft frames.

Reporting verbs (``lexicon.verb_cue_kind``) with their speaker and content; agentless accusations
("has been widely accused of"); "..., read a statement"; "according to X"; and allegation nouns with
a that-clause ("Erdogan's claim that ...").
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from attribution import lexicon as lx
from attribution.content import charge_prep, clause_start, verb_content
from attribution.frame import FrameKind
from attribution.hedges import hedge_passive_draft
from attribution.quotes import left_quote
from attribution.spans import (
    Draft,
    Paragraph,
    TokenRange,
    is_quote,
    own_clause,
    skip_marker,
    token_span,
    trim_dangling_conj,
)
from attribution.speakers import is_passive, passive_agent, speaker_extent, speaker_range


def verb_drafts(paragraph: Paragraph, verb: Token) -> Iterable[Draft]:
    """Frames cued by a reporting verb: statements, accusations, denials and hedging passives."""
    if not verb.tag_.startswith("VB") or verb.dep_ in ("amod", "compound"):
        return
    if verb.lemma_.lower() == "read":
        yield from _read_draft(paragraph, verb)
        return
    particle = next((c for c in verb.children if c.dep_ == "prt"), None)
    preposition = _request_preposition(verb) if verb.lemma_.lower() in lx.REQUEST_CUES else None
    kind = lx.verb_cue_kind(
        verb.lemma_.lower(), particle.lower_ if particle is not None else None, preposition
    )
    if kind is None:
        yield from hedge_passive_draft(paragraph, verb)
        return
    if verb.lemma_.lower() in lx.AGREEMENT_VERBS and not _finite_clause(verb):
        return  # "agreed with the dealers to sell six mln shares": a deal, not a view stated
    if kind == "denial" and any(c.dep_ == "neg" for c in verb.children):
        kind = "statement"  # "did not rule out a price rise", "did not deny the report": no denial
    cue = _cue_range(verb, particle)
    if is_passive(verb) and passive_agent(verb) is None:
        yield from _agentless_passive_draft(paragraph, verb, kind, cue)
        return
    speaker = speaker_range(paragraph, verb)
    content = verb_content(paragraph, verb, kind, speaker)
    if content is not None:
        if kind == "statement" and speaker is not None and _anonymous(paragraph.doc, speaker):
            kind = "hedge"
        yield Draft(kind, cue, speaker, content)


def _finite_clause(verb: Token) -> bool:
    """Does ``verb`` govern a finite clause ("agreed that prices would rise", "agreed prices would
    rise"), not an infinitive, even one the parse gives a subject ("agreed with the dealers to
    sell")?"""
    return any(
        child.dep_ == "ccomp" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        for child in verb.children
    )


def _request_preposition(verb: Token) -> str | None:
    """The preposition a verb's request hangs on, when it has no object: "called for a European
    solution", "called last month for control to go to Siemens" (parsed as a clause marked "for");
    "called a strike for Monday" has none."""
    if any(c.dep_ == "dobj" for c in verb.children):
        return None
    for child in verb.rights:
        if child.dep_ == "prep":
            return child.lower_
        marks = [g for g in child.children if g.dep_ == "mark"] if child.dep_ == "advcl" else []
        if marks and marks[0].i < child.i:
            return marks[0].lower_
    return None


def _anonymous(doc: Doc, speaker: TokenRange) -> bool:
    """ "sources said", "a source said": a source with nothing that identifies it is a hedge."""
    span = doc[speaker[0] : speaker[1]]
    head = span.root
    if head.lemma_.lower() not in lx.ANONYMOUS_SOURCE_NOUNS:
        return False
    return all(t.i == head.i or t.dep_ in ("det", "nummod", "predet") for t in span)


def colon_speaker_draft(paragraph: Paragraph, colon: Token) -> Iterable[Draft]:
    """ "PENCE: Gennifer Flowers will not be ..." — a transcript turn or a headline "Name: quote".

    The speaker is the name that opens the paragraph (after an opening quote mark), one to four
    proper nouns or upper-case words and nothing else; the content is the rest of the paragraph.
    """
    doc = paragraph.doc
    if colon.text != ":" or colon.i == 0 or colon.i + 1 >= len(doc):
        return
    start = 1 if is_quote(doc[0]) else 0
    name = doc[start : colon.i]
    if not 1 <= len(name) <= 4 or any(t.ent_type_ in ("DATE", "TIME") for t in name):
        return
    if not all(t.pos_ == "PROPN" or (t.is_upper and t.is_alpha) for t in name):
        return
    content = token_span(paragraph, colon.i + 1, len(doc) - 1)
    if content[0] < content[1]:
        yield Draft("statement", (colon.i, colon.i + 1), (start, colon.i), content)


def _cue_range(verb: Token, particle: Token | None) -> TokenRange:
    """The verb, plus its particle when that is what makes it a cue and it follows directly."""
    if (
        particle is not None
        and particle.i == verb.i + 1
        and (verb.lemma_.lower(), particle.lower_) in lx.PHRASAL_CUES
    ):
        return verb.i, particle.i + 1
    return verb.i, verb.i + 1


def _agentless_passive_draft(
    paragraph: Paragraph, verb: Token, kind: FrameKind, cue: TokenRange
) -> Iterable[Draft]:
    """ "Turkey has been widely accused of sending ...": an unnamed source; the charge is content.

    Agentless statements ("readiness ... was confirmed") name neither source nor a separate
    content, so only accusations, hedging passives and what a hearer "was told" yield frames.
    """
    told = _told_to_a_hearer(paragraph, verb)
    if told is not None:
        yield Draft("statement", cue, None, told)
        return
    if kind == "accusation":
        charge = charge_prep(verb)
        if charge is not None:
            objects = [c for c in charge.children if c.dep_ in ("pcomp", "pobj")]
            if objects:
                start = objects[0].left_edge.i
                end = trim_dangling_conj(paragraph.doc, start, charge.right_edge.i)
                yield Draft(kind, cue, None, token_span(paragraph, start, end))
                return
    yield from hedge_passive_draft(paragraph, verb)


def _told_to_a_hearer(paragraph: Paragraph, verb: Token) -> TokenRange | None:
    """ "The ferry capsized because its bow doors were open, a government inquiry was told": the
    content is someone's statement to the hearer, who is the passive's subject, not its source.
    The source is unnamed; the content is the clause the telling governs."""
    if verb.lemma_.lower() not in lx.TELLING_VERBS:
        return None
    if not any(c.dep_ == "nsubjpass" for c in verb.children):
        return None
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return None
    return token_span(paragraph, clause_start(clause), clause.right_edge.i)


def _read_draft(paragraph: Paragraph, verb: Token) -> Iterable[Draft]:
    """'"...," read a statement released by the ministry': "read" is a cue only with a document."""
    document = next(
        (c for c in verb.children if c.i > verb.i and c.lemma_.lower() in lx.DOCUMENT_NOUNS),
        None,
    )
    if document is None:
        return
    content = left_quote(paragraph, verb.i)
    if content is not None:
        yield Draft("statement", (verb.i, verb.i + 1), speaker_extent(document), content)


def according_to_draft(paragraph: Paragraph, token: Token) -> Iterable[Draft]:
    """ "according to X": X is the source of the clause (the whole sentence when the phrase opens
    or closes it, otherwise the clause of the word it attaches to)."""
    doc = paragraph.doc
    if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return
    speaker = speaker_extent(source)
    sentence_start, sentence_end = paragraph.sentence(token)
    before = [t for t in doc[sentence_start : token.i] if not t.is_punct]
    after = [t for t in doc[speaker[1] : sentence_end] if not t.is_punct]
    if not before and after:
        content = token_span(paragraph, after[0].i, after[-1].i)
    elif before and not after:
        content = token_span(paragraph, before[0].i, before[-1].i)
    else:
        head = token.head
        if token.i < head.i:
            content = token_span(paragraph, *own_clause(head))
        else:
            content = token_span(paragraph, head.left_edge.i, token.i - 1)
    yield Draft("statement", (token.i, to.i + 1), speaker, content)


def noun_cue_drafts(paragraph: Paragraph, noun: Token) -> Iterable[Draft]:
    """ "Erdogan's allegations that Russia ..." — a cue noun whose that-clause is the content."""
    kind = lx.NOMINAL_CUES.get(noun.lemma_.lower())
    if kind is None or noun.pos_ != "NOUN":
        return
    clause = next((c for c in noun.rights if _complement_clause(c)), None)
    if clause is None:
        return
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((c for c in noun.lefts if c.dep_ == "compound" and _names_a_source(c)), None)
    if owner is None:
        owner = next(
            (
                g
                for c in noun.rights
                if c.dep_ == "prep" and c.lower_ in ("by", "from")
                for g in c.children
                if g.dep_ == "pobj"
            ),
            None,
        )
    speaker = speaker_extent(owner) if owner is not None else None
    start = skip_marker(paragraph.doc, clause.left_edge.i)
    yield Draft(kind, (noun.i, noun.i + 1), speaker, token_span(paragraph, start, clause.right_edge.i))


def _complement_clause(clause: Token) -> bool:
    """A that-clause saying what a cue noun reports. The parser often makes it a relative clause
    ("a newspaper report that Japan had agreed"); a relative clause's "that" is its subject or
    object, a complement's is a complementizer with a subject of the clause's own beside it."""
    if clause.dep_ not in ("acl", "ccomp", "relcl"):
        return False
    marked = any(g.dep_ == "mark" and g.lower_ == "that" for g in clause.children)
    if clause.dep_ == "relcl":
        return marked and any(g.dep_ in ("nsubj", "nsubjpass") for g in clause.children)
    return marked


def _names_a_source(modifier: Token) -> bool:
    """ "a *newspaper* report", "a *Commerce Department* statement": a modifier that can report."""
    lemma = modifier.lemma_.lower()
    return (
        modifier.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or lemma in lx.SOURCE_MODIFIER_NOUNS
        or lemma in lx.PERSON_NOUNS
        or lemma in lx.INSTITUTION_NOUNS
    )
