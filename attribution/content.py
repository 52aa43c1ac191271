"""Content: the span a reporting verb reports.

Content to the *left* of the cue only when it is a quotation ending right before the reporting
clause ('"...," he said') or a clause set off by a comma ("X, the Kremlin said"). en_core_web_sm
often hangs a coordinated clause under "said" as a second ccomp ("Ankara has backed Azerbaijan ...
and on Tuesday the ministry said ..."); such a clause is the outlet's own assertion. Otherwise the
clausal complement, the charge of an accusation, the object of some verbs or an infinitive.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from attribution import lexicon as lx
from attribution.frame import FrameKind
from attribution.quotes import extend_to_quotes, left_quote, right_quote
from attribution.spans import (
    SUBJECT_DEPS,
    CharRange,
    Paragraph,
    TokenRange,
    after_comma,
    is_quote,
    own_clause,
    skip_marker,
    token_span,
    trim_chars,
    trim_dangling_conj,
)
from attribution.speakers import conj_governor, passive_agent, speaker_range


def verb_content(
    paragraph: Paragraph, verb: Token, kind: FrameKind, speaker: TokenRange | None
) -> CharRange | None:
    """Content of a reporting verb: left quotation or comma-set-off clause, else the right side."""
    if verb.lemma_.lower() == "quote" and verb.dep_ == "advcl":
        return _quoted_by_content(paragraph, verb)
    anchor = _clause_anchor(verb, speaker)
    left = (
        left_quote(paragraph, anchor)
        or _left_clause(paragraph, verb, anchor)
        or _parenthetical(paragraph, verb)
        or _as_clause(paragraph, verb)
    )
    if left is not None:
        return left
    right = _right_content(paragraph, verb, kind)
    if right is None:
        right = right_quote(paragraph, verb, speaker)
    if right is None:
        return None
    text = paragraph.text
    return trim_chars(text, extend_to_quotes(text, right, paragraph.quotes))


def _clause_anchor(verb: Token, speaker: TokenRange | None) -> int:
    """First token of the reporting clause: the speaker when it precedes the verb and is its own
    (its subject, or the name right before a subjectless cue: "..., BP's David Simon said")."""
    if speaker is None or speaker[0] >= verb.i:
        return verb.i
    own_subject = any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    return speaker[0] if own_subject or speaker[1] == verb.i else verb.i


def _left_clause(paragraph: Paragraph, verb: Token, anchor: int) -> CharRange | None:
    """'Putin informed Erdogan ..., the Kremlin said': a clause directly before ", <speaker> <cue>".

    Only a comma may separate the clause from the reporting clause: a clause joined by "and"
    ("Ankara has backed Azerbaijan ... and on Tuesday the ministry said") is asserted by the outlet
    even though the parser makes it a complement of "said".
    """
    doc = paragraph.doc
    anchor = _past_title_word(doc, anchor)
    if anchor == 0 or doc[anchor - 1].text != ",":
        return None
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < anchor]
    clauses = clauses or _misread_left_clause(verb, anchor)
    if clauses:
        clause = clauses[-1]
        start = clause.left_edge.i
    elif (verb.dep_ in ("ccomp", "parataxis") and verb.head.i < anchor) or _comma_conjunct(verb, anchor):
        start = verb.head.left_edge.i
    elif _closing_report(verb, anchor):
        start = verb.sent.start
    else:
        return None
    end = anchor - 1
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    if any(not t.is_punct for t in doc[end + 1 : anchor]):
        return None
    return token_span(paragraph, start, end)


def _past_title_word(doc: Doc, anchor: int) -> int:
    """ "..., visiting U.S. Agriculture Secretary Richard Lyng told a press conference": one word
    before the speaker that the parser left outside it ("visiting", "outgoing", "acting") still
    belongs to the reporting clause, so the comma before it is the one that sets the clause off."""
    if anchor >= 2 and doc[anchor - 2].text == "," and doc[anchor - 1].tag_ in ("VBG", "VBN", "JJ"):
        return anchor - 1
    return anchor


def _closing_report(verb: Token, anchor: int) -> bool:
    """ "Talks ... ended yesterday without resolving the situation, although some progress was
    made, a company spokesman said.": the sentence closes on ", <speaker> <cue>" and the cue has
    nothing to report on its right, yet the parser hung the clause before the comma elsewhere (a
    second subject of the cue, an adjectival clause). The cue is the sentence's root, and what
    precedes the comma is a clause (it has a verb)."""
    if verb.dep_ != "ROOT":
        return False
    if any(c.dep_ in ("ccomp", "xcomp") or is_quote(c) for c in verb.rights):
        return False
    if verb.lemma_.lower() not in lx.ADDRESSEE_VERBS and any(c.dep_ == "dobj" for c in verb.rights):
        return False
    before = verb.doc[verb.sent.start : anchor - 1]
    return any(t.pos_ in ("VERB", "AUX") for t in before)


def _misread_left_clause(verb: Token, anchor: int) -> list[Token]:
    """ "If the machinists strike, pilots would refuse to cross picket lines, he added": the parser
    takes the reported clause for an adverbial clause of "added", because its condition's "if" is
    hung on the main verb. It is the content when it is such a conditional, with a subject of its
    own, and the reporting verb has nothing to report on its right. Other adverbials before a
    speaker ("When Martin gave a talk, she said ...", "While both said ..., the effort highlights")
    say when or why, not what was said."""
    if any(c.dep_ in ("ccomp", "xcomp", "dobj") or is_quote(c) for c in verb.rights):
        return []
    return [
        c
        for c in verb.children
        if c.dep_ == "advcl"
        and c.i < anchor
        and any(g.dep_ in SUBJECT_DEPS for g in c.children)
        and any(g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in c.children)
    ]


def _comma_conjunct(verb: Token, anchor: int) -> bool:
    """ "Kessler plans to sell its stake to Orion Petroleum Co, Kessler's chief executive told
    Reuters": a reporting clause with a subject of its own after a comma, coordinated by the parser
    with the clause it reports, and without content of its own on the right (a clause, a quotation,
    or an object other than the addressee: "..., Armenia denied the reports" reports its object)."""
    if verb.dep_ != "conj" or verb.head.i >= anchor or not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return False
    addressee = verb.lemma_.lower() in lx.ADDRESSEE_VERBS
    own_content = [c for c in verb.rights if c.dep_ in ("ccomp", "xcomp") or is_quote(c)]
    return not own_content and (addressee or not any(c.dep_ == "dobj" for c in verb.rights))


def _parenthetical(paragraph: Paragraph, verb: Token) -> CharRange | None:
    """'The war, officials said, has killed ...': a reporting clause inserted between commas
    reports the clause it interrupts."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "ccomp") or head.i < verb.i:
        return None
    doc = paragraph.doc
    words = [t for t in verb.subtree if not t.is_punct]
    before, after = words[0].i - 1, words[-1].i + 1
    if before < 0 or after >= len(doc) or doc[before].text != "," or doc[after].text != ",":
        return None
    return token_span(paragraph, *own_clause(head))


def _as_clause(paragraph: Paragraph, verb: Token) -> CharRange | None:
    """ "Prices will rise, as analysts predicted"; "If the USDA acts soon, as many dealers expect,
    ...": a reporting clause opened by "as", with a subject of its own and nothing reported on its
    own right, reports the clause it hangs on (without itself, when it opens or closes it)."""
    if verb.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return None
    if not any(c.dep_ in SUBJECT_DEPS for c in verb.children) or any(
        c.dep_ in ("ccomp", "xcomp", "dobj") or is_quote(c) for c in verb.rights
    ):
        return None
    doc = paragraph.doc
    start, end = own_clause(verb.head)
    inner_start, inner_end = verb.left_edge.i, verb.right_edge.i
    if inner_end >= end:
        end = inner_start - 1
    elif inner_start <= start:
        start = inner_end + 1
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    return token_span(paragraph, start, end) if start < end else None


def _right_content(paragraph: Paragraph, verb: Token, kind: FrameKind) -> CharRange | None:
    """Clausal complement, else charge (accusations), object (some verbs) or infinitive complement."""
    doc = paragraph.doc
    lemma = verb.lemma_.lower()
    rights = [c for c in verb.rights]
    clauses = (
        [c for c in rights if c.dep_ == "ccomp" and _clause_like(c)]
        or _clause_after_setting(verb)
        or _clause_read_as_adverbial(verb)
    )
    obj = next((c for c in rights if c.dep_ == "dobj"), None)
    charge = charge_prep(verb)
    if kind == "accusation" and (obj is not None or charge is not None) and not _has_that(clauses):
        first = obj if obj is not None else charge
        assert first is not None
        return _object_content(paragraph, verb, first)
    if clauses:
        start = clause_start(clauses[0])
        objects = [c for c in rights if c.dep_ == "dobj" and c.i < clauses[0].i]
        if objects and lemma not in lx.ADDRESSEE_VERBS:
            start = objects[0].left_edge.i
        stray = _stray_subject(verb, clauses[0])
        if stray is not None:
            start = min(start, stray.left_edge.i)
        end = _clause_end(paragraph, clauses[-1])
        return token_span(paragraph, start, trim_dangling_conj(doc, start, end))
    if obj is not None and lemma in lx.DOBJ_CONTENT_VERBS:
        return _object_content(paragraph, verb, obj)
    preposition = next(
        (c for c in rights if c.dep_ == "prep" and c.lower_ in lx.PREPOSITION_CONTENT_VERBS.get(lemma, ())),
        None,
    )
    if preposition is not None:
        return _prepositional_content(paragraph, verb, preposition)
    marked = _marked_request(verb)
    if marked is not None:
        return token_span(paragraph, marked[0], marked[1])
    xcomp = next((c for c in rights if c.dep_ == "xcomp"), None)
    if xcomp is not None and lemma in lx.XCOMP_CONTENT_VERBS:
        return token_span(paragraph, xcomp.left_edge.i, xcomp.right_edge.i)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and passive_agent(verb) is not None:
        return token_span(paragraph, subject.left_edge.i, subject.right_edge.i)
    return None


def _clause_after_setting(verb: Token) -> list[Token]:
    """ "said in a statement that ...", "was quoted as saying in an interview that ...": the parse
    hangs the that-clause on the noun of the phrase saying where it was said; it is what was said."""
    for prep in verb.rights:
        if prep.dep_ != "prep":
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj":
                continue
            clause = next(
                (
                    c
                    for c in noun.rights
                    if c.dep_ in ("acl", "ccomp", "relcl")
                    and _clause_like(c)
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                ),
                None,
            )
            if clause is not None:
                return [clause]
    return []


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _clause_read_as_adverbial(verb: Token) -> list[Token]:
    """ "said its auction yesterday of 1,000 billion yen of tankoku, six-month paper, produced a
    record yield": a long subject closed by an apposition's comma is read by the parse as the cue's
    object, and its verb as an adverbial clause of the cue. A verb of saying whose object is never
    its content ("say", "add", "expect"), then that finite verb with no subject, marker or "to" of
    its own: the object is the clause's subject, the clause what was said."""
    lemma = verb.lemma_.lower()
    if lemma in lx.DOBJ_CONTENT_VERBS or lemma in lx.ADDRESSEE_VERBS:
        return []
    if lemma not in lx.STATEMENT_VERBS | lx.EXPECTATION_VERBS | lx.BELIEF_VERBS:
        return []
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if obj is None or obj.pos_ == "PRON":  # "said it", "said nothing": no subject misread
        return []
    for child in verb.rights:
        if child.dep_ != "advcl" or child.i <= obj.right_edge.i or child.pos_ not in ("VERB", "AUX"):
            continue
        own = [c for c in child.children if c.i < child.i]
        if any(c.dep_ in (*SUBJECT_DEPS, "mark") or c.lower_ == "to" for c in own):
            continue
        finite = child.tag_ in _FINITE_TAGS or any(c.dep_ == "aux" and c.tag_ in _FINITE_TAGS for c in own)
        if finite:
            return [child]
    return []


def _marked_request(verb: Token) -> tuple[int, int] | None:
    """ "called last month for control to go to Siemens": the parse makes the request a clause
    marked by the preposition; its tokens after the mark (first, last) are the content."""
    allowed = lx.PREPOSITION_CONTENT_VERBS.get(verb.lemma_.lower(), frozenset())
    for child in verb.rights:
        if child.dep_ != "advcl":
            continue
        mark = next((g for g in child.children if g.dep_ == "mark" and g.lower_ in allowed), None)
        if mark is not None:
            end = child.right_edge.i
            while end > mark.i + 1 and verb.doc[end].is_punct:
                end -= 1
            return mark.i + 1, end
    return None


def _prepositional_content(paragraph: Paragraph, verb: Token, preposition: Token) -> CharRange | None:
    """ "warned of possible retaliation if Seoul's efforts falter": the preposition's object, and a
    condition hung on the cue after it (what the warning is about is the consequence *and* when)."""
    objects = [c for c in preposition.children if c.dep_ in ("pobj", "pcomp")]
    if not objects:
        return None
    start = objects[0].left_edge.i
    end = preposition.right_edge.i
    for child in verb.rights:
        conditional = child.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in ("if", "unless") for g in child.children
        )
        if child.i > preposition.i and conditional:
            end = max(end, child.right_edge.i)
    doc = paragraph.doc
    while end > start and doc[end].is_punct:
        end -= 1
    return token_span(paragraph, start, end)


def _stray_subject(verb: Token, clause: Token) -> Token | None:
    """ "Morbelli said ServiceMaster <SVM> or Rollins <ROL> were ...": a second subject between the
    cue and its clause, when the cue already has one before it, is the clause's own subject."""
    if not any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children):
        return None
    return next((c for c in verb.rights if c.dep_ == "nsubj" and c.i < clause.i), None)


def _clause_like(clause: Token) -> bool:
    """A ccomp that really is a clause: a verb, or anything with a subject or complementizer
    (the tagger sometimes makes "hope" a noun in "... that Putin and Erdogan hope Turkey ...")."""
    return clause.pos_ in ("VERB", "AUX") or any(c.dep_ in (*SUBJECT_DEPS, "mark") for c in clause.children)


def clause_start(clause: Token) -> int:
    """First content token of a complement clause: after its "that" when it has one (words before
    the complementizer, like "said *earlier* that", modify the reporting verb)."""
    marker = next((c for c in clause.children if c.dep_ == "mark" and c.i < clause.i), None)
    if marker is not None:
        return marker.i + 1
    return skip_marker(clause.doc, clause.left_edge.i)


def _clause_end(paragraph: Paragraph, clause: Token) -> int:
    """Last content token of a complement clause.

    Excludes a trailing "according to ..." (a frame of its own) and a conjunct that the parser
    put inside a quotation's clause although it continues the reporting clause (see
    :func:`conj_governor`).
    """
    doc = paragraph.doc
    end = clause.right_edge.i
    for child in clause.rights:
        detached = child.dep_ == "conj" and conj_governor(child, paragraph.quotes) != clause
        if detached or child.lower_ == "according":
            end = min(end, child.left_edge.i - 1)
    while end > clause.i and (doc[end].is_punct or doc[end].dep_ == "cc") and not is_quote(doc[end]):
        end -= 1
    return end


def _has_that(clauses: list[Token]) -> bool:
    """Whether a complement clause is introduced by "that" ("alleged that ...")."""
    return any(g.dep_ == "mark" and g.lower_ == "that" for c in clauses for g in c.children)


def charge_prep(verb: Token) -> Token | None:
    """The preposition introducing an accusation's charge: accused *of*, blamed *for*, charged *with*."""
    return next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("of", "for", "with")), None)


def _object_content(paragraph: Paragraph, verb: Token, first: Token) -> CharRange:
    """From the object to the end of the verb's right dependents that belong to the same report.

    Stops before a coordinated or adverbial clause with a subject of its own, and before a
    conjunct that the parser borrowed from the next clause.
    """
    end = first.right_edge.i
    for child in verb.rights:
        if child.i <= first.i or child.is_punct or child.dep_ in ("cc", "conj"):
            continue
        if (
            child.lower_ == "according"
            or after_comma(child)
            or (child.dep_ in ("advcl", "ccomp") and _separate_clause(child))
        ):
            break
        end = max(end, child.right_edge.i)
    start = first.left_edge.i
    return token_span(paragraph, start, trim_dangling_conj(paragraph.doc, start, end))


def _separate_clause(clause: Token) -> bool:
    """A dependent clause that is a report of its own: it has a subject or follows a comma
    ("rebuffed calls ..., saying that ...")."""
    has_subject = any(g.dep_ in SUBJECT_DEPS for g in clause.children)
    left = clause.left_edge.i
    return has_subject or (left > 0 and clause.doc[left - 1].text == ",")


def _quoted_by_content(paragraph: Paragraph, verb: Token) -> CharRange | None:
    """'"...," he said, quoted by Interfax': the agency reports the whole reported speech."""
    doc = paragraph.doc
    head = verb.head
    kind = lx.verb_cue_kind(head.lemma_.lower())
    if kind is None:
        return None
    speaker = speaker_range(paragraph, head)
    inner = verb_content(paragraph, head, kind, speaker)
    if inner is None:
        return None
    starts = [inner[0], head.idx] + ([doc[speaker[0]].idx] if speaker else [])
    ends = [inner[1], head.idx + len(head)] + (
        [doc[speaker[1] - 1].idx + len(doc[speaker[1] - 1])] if speaker else []
    )
    return min(starts), max(ends)
