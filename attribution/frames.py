"""Attribution frames from a dependency parse: who (speaker) reports what (content) through which cue.

One paragraph is analysed at a time; preceding paragraphs are passed only so that pronoun speakers
("he said", "It maintains") can be resolved to the source named earlier. The rules are deliberately
few and each one is tied to a pattern of news prose:

* reporting verbs (``lexicon.verb_cue_kind``) with a clausal complement, an adjacent quotation, or, for
  some verbs, a direct object as content; the speaker is the subject, the ``by``-agent of a passive,
  or the subject inherited through coordination ("told ... and also accused ...");
* content to the *left* of the cue only when it is a quotation ending right before the reporting
  clause ('"...," he said') or a clause set off by a comma ("X, the Kremlin said"). en_core_web_sm
  often hangs a coordinated clause under "said" as a second ccomp ("Ankara has backed Azerbaijan
  ... and on Tuesday the ministry said ..."); such a clause is the outlet's own assertion;
* quotations are paired on characters, so a quote spanning several sentences is one content span;
* "according to X", agentless hedging passives ("is said to"), hedge adverbs ("reportedly") and
  adjectives ("alleged"), and allegation nouns with a that-clause ("Erdogan's claim that ...").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from attribution import lexicon as lx
from attribution.frame import Frame, FrameKind

_OPEN_QUOTES = "“«„"
_CLOSE_QUOTES = "”»"
_STRAIGHT_QUOTE = '"'
_QUOTE_CHARS = _OPEN_QUOTES + _CLOSE_QUOTES + _STRAIGHT_QUOTE
_EDGE_STRIP = " \t\n,;:" + _QUOTE_CHARS
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_TEMPORAL_ENTS = ("DATE", "TIME")
_SPEAKER_PREPS = frozenset({"of", "for", "by", "to", "from", "with", "in"})
_MENTION_ENTS = frozenset({"GPE", "ORG", "NORP", "FAC", "LOC", "PERSON"})

TokenRange = tuple[int, int]
"""Half-open token index range ``[start, end)`` within one Doc."""

CharRange = tuple[int, int]
"""Half-open character range ``[start, end)`` within the paragraph text."""


@dataclass
class _Draft:
    """A frame before its speaker is resolved; the speaker is still a token range."""

    kind: FrameKind
    cue: TokenRange
    speaker: TokenRange | None
    content: CharRange


@dataclass
class _Mention:
    """A named source or subject earlier in the text that a pronoun speaker may point back to."""

    key: tuple[int, int]
    name: str
    person: bool
    plural: bool
    entityish: bool
    document: str | None


_Agreement = Callable[[_Mention], bool]
"""Whether a mention is a possible antecedent for a given pronoun."""


@dataclass
class _History:
    """Mentions seen so far across the paragraphs of one document, in reading order."""

    mentions: list[_Mention] = field(default_factory=list)

    def add(self, mention: _Mention) -> None:
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.key)


def extract_frames(doc: Doc, context: Sequence[Doc] = ()) -> list[Frame]:
    """Attribution frames of one paragraph, sorted by cue position.

    ``context`` holds the preceding paragraphs of the same document (most recent last); they are
    analysed only to resolve pronoun speakers and never produce frames of their own.
    """
    history = _History()
    for number, previous in enumerate(context):
        _analyse(previous, number, history)
    return _analyse(doc, len(context), history)


def _analyse(doc: Doc, number: int, history: _History) -> list[Frame]:
    """Find frames in ``doc``, resolve their speakers against ``history`` and extend it."""
    quotes = _quote_spans(doc.text)
    drafts = _dedupe(_find_drafts(doc, quotes))
    for mention in _subject_mentions(doc, number):
        history.add(mention)
    frames = [_resolve(doc, number, draft, history) for draft in sorted(drafts, key=_speaker_order)]
    return sorted(frames, key=lambda f: (f.cue_start, f.content_start))


def _find_drafts(doc: Doc, quotes: list[CharRange]) -> Iterable[_Draft]:
    """Every rule, applied to every token: rules are independent and may nest."""
    for token in doc:
        yield from _verb_drafts(doc, token, quotes)
        yield from _according_to_draft(doc, token)
        yield from _hedge_word_drafts(doc, token)
        yield from _noun_cue_drafts(doc, token)


def _dedupe(drafts: Iterable[_Draft]) -> list[_Draft]:
    """One frame per cue: the first rule that fired wins."""
    seen: set[TokenRange] = set()
    unique: list[_Draft] = []
    for draft in drafts:
        if draft.cue not in seen and draft.content[0] < draft.content[1]:
            seen.add(draft.cue)
            unique.append(draft)
    return unique


def _speaker_order(draft: _Draft) -> int:
    """Resolve speakers in reading order so that a pronoun can point at a resolved pronoun."""
    return draft.speaker[0] if draft.speaker else draft.cue[0]


# --------------------------------------------------------------------------- quotations


def _quote_spans(text: str) -> list[CharRange]:
    """Pairs of (opening mark, closing mark) character offsets.

    Curly quotes are paired by direction; straight quotes alternate. Quotes are paired on the raw
    text rather than per sentence because one quotation often runs over several sentences.
    """
    spans: list[CharRange] = []
    opened: int | None = None
    for index, char in enumerate(text):
        if char in _OPEN_QUOTES and opened is None:
            opened = index
        elif char in _CLOSE_QUOTES and opened is not None:
            spans.append((opened, index))
            opened = None
        elif char == _STRAIGHT_QUOTE:
            if opened is None:
                opened = index
            else:
                spans.append((opened, index))
                opened = None
    return spans


def _quote_closing_at(quotes: list[CharRange], char: int) -> CharRange | None:
    return next((q for q in quotes if q[1] == char), None)


def _quote_opening_at(quotes: list[CharRange], char: int) -> CharRange | None:
    return next((q for q in quotes if q[0] == char), None)


def _inside_quote(quotes: list[CharRange], char: int) -> CharRange | None:
    return next((q for q in quotes if q[0] < char < q[1]), None)


def _is_quote(token: Token) -> bool:
    return token.text in _QUOTE_CHARS


def _extend_to_quotes(text: str, content: CharRange, quotes: list[CharRange]) -> CharRange:
    """Widen content that opens (or closes) a quotation to the whole quotation.

    The parse may attach the tail of a quotation elsewhere ("... its occupation [of Karabakh]
    permanent."); the quotation marks are the better boundary.
    """
    start, end = content
    for open_at, close_at in quotes:
        opens_content = open_at < start and not text[open_at + 1 : start].strip()
        if (start <= open_at or opens_content) and open_at < end < close_at:
            end = close_at
        if open_at < start < close_at < end:
            start = open_at + 1
    return start, end


# --------------------------------------------------------------------------- reporting verbs


def _verb_drafts(doc: Doc, verb: Token, quotes: list[CharRange]) -> Iterable[_Draft]:
    """Frames cued by a reporting verb: statements, accusations, denials and hedging passives."""
    if not verb.tag_.startswith("VB") or verb.dep_ in ("amod", "compound"):
        return
    if verb.lemma_.lower() == "read":
        yield from _read_draft(doc, verb, quotes)
        return
    particle = next((c for c in verb.children if c.dep_ == "prt"), None)
    kind = lx.verb_cue_kind(verb.lemma_.lower(), particle.lower_ if particle is not None else None)
    if kind is None:
        yield from _hedge_passive_draft(doc, verb)
        return
    cue = _cue_range(verb, particle)
    if _is_passive(verb) and _agent(verb) is None:
        yield from _agentless_passive_draft(doc, verb, kind, cue)
        return
    speaker = _speaker_range(doc, verb, quotes)
    content = _verb_content(doc, verb, kind, speaker, quotes)
    if content is not None:
        yield _Draft(kind, cue, speaker, content)


def _cue_range(verb: Token, particle: Token | None) -> TokenRange:
    """The verb, plus its particle when that is what makes it a cue and it follows directly."""
    if (
        particle is not None
        and particle.i == verb.i + 1
        and (verb.lemma_.lower(), particle.lower_) in lx.PHRASAL_CUES
    ):
        return verb.i, particle.i + 1
    return verb.i, verb.i + 1


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _agent(verb: Token) -> Token | None:
    """The noun of a passive's ``by``-phrase ("echoed by France")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _agentless_passive_draft(doc: Doc, verb: Token, kind: FrameKind, cue: TokenRange) -> Iterable[_Draft]:
    """ "Turkey has been widely accused of sending ...": an unnamed source; the charge is content.

    Agentless statements ("readiness ... was confirmed") name neither source nor a separate
    content, so only accusations and hedging passives yield frames.
    """
    if kind == "accusation":
        charge = _charge_prep(verb)
        if charge is not None:
            objects = [c for c in charge.children if c.dep_ in ("pcomp", "pobj")]
            if objects:
                start = objects[0].left_edge.i
                span = _token_span(doc, start, _trim_dangling_conj(doc, start, charge.right_edge.i))
                yield _Draft(kind, cue, None, span)
                return
    yield from _hedge_passive_draft(doc, verb)


def _hedge_passive_draft(doc: Doc, verb: Token) -> Iterable[_Draft]:
    """ "X is said to have ...", "it is believed that ...": the outlet hedges without a source."""
    if verb.lemma_.lower() not in lx.HEDGE_PASSIVE_VERBS or not _is_passive(verb) or _agent(verb) is not None:
        return
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp"), None)
    ccomp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if xcomp is not None and subject is not None:
        yield _Draft(
            "hedge", (verb.i, verb.i + 1), None, _token_span(doc, subject.left_edge.i, xcomp.right_edge.i)
        )
    elif ccomp is not None:
        yield _Draft(
            "hedge", (verb.i, verb.i + 1), None, _token_span(doc, _clause_start(ccomp), ccomp.right_edge.i)
        )


def _read_draft(doc: Doc, verb: Token, quotes: list[CharRange]) -> Iterable[_Draft]:
    """'"...," read a statement released by the ministry': "read" is a cue only with a document."""
    document = next(
        (c for c in verb.children if c.i > verb.i and c.lemma_.lower() in lx.DOCUMENT_NOUNS),
        None,
    )
    if document is None:
        return
    content = _left_quote(doc, verb.i, quotes)
    if content is not None:
        yield _Draft("statement", (verb.i, verb.i + 1), _speaker_extent(document), content)


# --------------------------------------------------------------------------- speakers


def _speaker_range(doc: Doc, verb: Token, quotes: list[CharRange]) -> TokenRange | None:
    """Token range naming who speaks through ``verb``, or None when no source is named."""
    heads = _speaker_heads(verb, quotes)
    if not heads:
        return None
    extents = [_speaker_extent(h) for h in heads]
    return min(e[0] for e in extents), max(e[1] for e in extents)


def _speaker_heads(verb: Token, quotes: list[CharRange]) -> list[Token]:
    """Subject, passive agent, or the subject inherited from the clause the verb hangs off."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    inverted = [c for c in subjects if c.i > verb.i]
    if inverted and verb.i > 0 and (_is_quote(verb.doc[verb.i - 1]) or verb.doc[verb.i - 1].text == ","):
        subjects = inverted  # '"...," said James Acton' (the quote's own subject is misattached)
    if subjects and verb.dep_ == "relcl" and subjects[0].tag_ in ("WP", "WDT"):
        return [verb.head]
    if subjects:
        return subjects
    agent = _agent(verb)
    if agent is not None:
        return [agent]
    if verb.dep_ == "conj":
        return _speaker_heads(_conj_governor(verb, quotes), quotes)
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
        return _speaker_heads(verb.head, quotes)
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        return [verb.head]
    return []


def _conj_governor(verb: Token, quotes: list[CharRange]) -> Token:
    """The clause a subjectless conjunct shares its subject with.

    In 'Erdogan told Putin that "Turkey is ..." and also accused Armenia of ...' the parser
    coordinates "accused" with the quoted "is"; a conjunct outside the quotation its head is in
    belongs to the reporting clause instead.
    """
    head = verb.head
    head_quote = _inside_quote(quotes, head.idx)
    if head_quote is not None and _inside_quote(quotes, verb.idx) != head_quote and head.dep_ == "ccomp":
        return head.head
    return head


def _speaker_extent(head: Token) -> TokenRange:
    """The words naming a source: the head's subtree up to the first modifier that is not part of
    the name ("Moscow's UN Ambassador Vasily Nebenzya" without "at a briefing Thursday")."""
    start = head.left_edge.i
    end = head.i
    for child in head.rights:
        if not _part_of_name(child):
            break
        end = child.right_edge.i
    doc = head.doc
    while end > start and (doc[end].is_punct or doc[end].dep_ == "case"):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return start, end + 1


def _part_of_name(child: Token) -> bool:
    """Right modifiers kept in a speaker: "of Russia", "for Putin", "released by ...", conjuncts."""
    if child.dep_ in ("cc", "conj", "compound", "nummod", "case", "appos"):
        return not child.is_punct
    if child.dep_ == "acl":
        return child.tag_ == "VBN"
    if child.dep_ == "prep" and child.lower_ in _SPEAKER_PREPS:
        return not any(t.ent_type_ in _TEMPORAL_ENTS for t in child.subtree)
    return False


# --------------------------------------------------------------------------- content


def _verb_content(
    doc: Doc, verb: Token, kind: FrameKind, speaker: TokenRange | None, quotes: list[CharRange]
) -> CharRange | None:
    """Content of a reporting verb: left quotation or comma-set-off clause, else the right side."""
    if verb.lemma_.lower() == "quote" and verb.dep_ == "advcl":
        return _quoted_by_content(doc, verb, quotes)
    anchor = _clause_anchor(verb, speaker)
    left = _left_quote(doc, anchor, quotes) or _left_clause(doc, verb, anchor) or _parenthetical(doc, verb)
    if left is not None:
        return left
    right = _right_content(doc, verb, kind, quotes)
    if right is None:
        right = _right_quote(doc, verb, speaker, quotes)
    if right is None:
        return None
    return _trim_chars(doc.text, _extend_to_quotes(doc.text, right, quotes))


def _clause_anchor(verb: Token, speaker: TokenRange | None) -> int:
    """First token of the reporting clause: the speaker when it precedes the verb and is its own."""
    own_subject = any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
    if speaker is not None and own_subject and speaker[0] < verb.i:
        return speaker[0]
    return verb.i


def _left_quote(doc: Doc, anchor: int, quotes: list[CharRange]) -> CharRange | None:
    """A quotation that ends right before the reporting clause, with or without a comma."""
    index = anchor - 1
    while index >= 0 and (doc[index].text == "," or _is_quote(doc[index])):
        quote = _quote_closing_at(quotes, doc[index].idx) if _is_quote(doc[index]) else None
        if quote is not None:
            return _trim_chars(doc.text, (quote[0] + 1, quote[1]))
        index -= 1
    return None


def _left_clause(doc: Doc, verb: Token, anchor: int) -> CharRange | None:
    """'Putin informed Erdogan ..., the Kremlin said': a clause directly before ", <speaker> <cue>".

    Only a comma may separate the clause from the reporting clause: a clause joined by "and"
    ("Ankara has backed Azerbaijan ... and on Tuesday the ministry said") is asserted by the outlet
    even though the parser makes it a complement of "said".
    """
    if anchor == 0 or doc[anchor - 1].text != ",":
        return None
    clauses = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.i < anchor]
    if clauses:
        clause = clauses[-1]
        start = clause.left_edge.i
    elif verb.dep_ in ("ccomp", "parataxis") and verb.head.i < anchor:
        start = verb.head.left_edge.i
    else:
        return None
    end = anchor - 1
    while end > start and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    if any(not t.is_punct for t in doc[end + 1 : anchor]):
        return None
    return _token_span(doc, start, end)


def _parenthetical(doc: Doc, verb: Token) -> CharRange | None:
    """'The war, officials said, has killed ...': a reporting clause inserted between commas
    reports the clause it interrupts."""
    head = verb.head
    if verb.dep_ not in ("parataxis", "ccomp") or head.i < verb.i:
        return None
    words = [t for t in verb.subtree if not t.is_punct]
    before, after = words[0].i - 1, words[-1].i + 1
    if before < 0 or after >= len(doc) or doc[before].text != "," or doc[after].text != ",":
        return None
    return _token_span(doc, *_own_clause(head))


def _right_content(doc: Doc, verb: Token, kind: FrameKind, quotes: list[CharRange]) -> CharRange | None:
    """Clausal complement, else charge (accusations), object (some verbs) or infinitive complement."""
    lemma = verb.lemma_.lower()
    rights = [c for c in verb.rights]
    clauses = [c for c in rights if c.dep_ == "ccomp" and _clause_like(c)]
    obj = next((c for c in rights if c.dep_ == "dobj"), None)
    charge = _charge_prep(verb)
    if kind == "accusation" and (obj is not None or charge is not None) and not _has_that(clauses):
        first = obj if obj is not None else charge
        assert first is not None
        return _object_content(doc, verb, first)
    if clauses:
        start = _clause_start(clauses[0])
        objects = [c for c in rights if c.dep_ == "dobj" and c.i < clauses[0].i]
        if objects and lemma not in lx.ADDRESSEE_VERBS:
            start = objects[0].left_edge.i
        end = _clause_end(doc, clauses[-1], quotes)
        return _token_span(doc, start, _trim_dangling_conj(doc, start, end))
    if obj is not None and lemma in lx.DOBJ_CONTENT_VERBS:
        return _object_content(doc, verb, obj)
    xcomp = next((c for c in rights if c.dep_ == "xcomp"), None)
    if xcomp is not None and lemma in lx.XCOMP_CONTENT_VERBS:
        return _token_span(doc, xcomp.left_edge.i, xcomp.right_edge.i)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and _agent(verb) is not None:
        return _token_span(doc, subject.left_edge.i, subject.right_edge.i)
    return None


def _clause_like(clause: Token) -> bool:
    """A ccomp that really is a clause: a verb, or anything with a subject or complementizer
    (the tagger sometimes makes "hope" a noun in "... that Putin and Erdogan hope Turkey ...")."""
    return clause.pos_ in ("VERB", "AUX") or any(c.dep_ in (*_SUBJECT_DEPS, "mark") for c in clause.children)


def _clause_start(clause: Token) -> int:
    """First content token of a complement clause: after its "that" when it has one (words before
    the complementizer, like "said *earlier* that", modify the reporting verb)."""
    marker = next((c for c in clause.children if c.dep_ == "mark" and c.i < clause.i), None)
    if marker is not None:
        return marker.i + 1
    return _skip_marker(clause.doc, clause.left_edge.i)


def _clause_end(doc: Doc, clause: Token, quotes: list[CharRange]) -> int:
    """Last content token of a complement clause.

    Excludes a trailing "according to ..." (a frame of its own) and a conjunct that the parser
    put inside a quotation's clause although it continues the reporting clause (see
    :func:`_conj_governor`).
    """
    end = clause.right_edge.i
    for child in clause.rights:
        detached = child.dep_ == "conj" and _conj_governor(child, quotes) is not clause
        if detached or child.lower_ == "according":
            end = min(end, child.left_edge.i - 1)
    while end > clause.i and (doc[end].is_punct or doc[end].dep_ == "cc") and not _is_quote(doc[end]):
        end -= 1
    return end


def _has_that(clauses: list[Token]) -> bool:
    """Whether a complement clause is introduced by "that" ("alleged that ...")."""
    return any(g.dep_ == "mark" and g.lower_ == "that" for c in clauses for g in c.children)


def _charge_prep(verb: Token) -> Token | None:
    """The preposition introducing an accusation's charge: accused *of*, blamed *for*, charged *with*."""
    return next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("of", "for", "with")), None)


def _object_content(doc: Doc, verb: Token, first: Token) -> CharRange:
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
            or _after_comma(child)
            or (child.dep_ in ("advcl", "ccomp") and _separate_clause(child))
        ):
            break
        end = max(end, child.right_edge.i)
    return _token_span(doc, first.left_edge.i, _trim_dangling_conj(doc, first.left_edge.i, end))


def _after_comma(child: Token) -> bool:
    """Whether a dependent follows a comma (possibly inside closing quotes): a new constituent."""
    index = child.left_edge.i - 1
    while index >= 0 and _is_quote(child.doc[index]):
        index -= 1
    return index >= 0 and child.doc[index].text == ","


def _separate_clause(clause: Token) -> bool:
    """A dependent clause that is a report of its own: it has a subject or follows a comma
    ("rebuffed calls ..., saying that ...")."""
    has_subject = any(g.dep_ in _SUBJECT_DEPS for g in clause.children)
    left = clause.left_edge.i
    return has_subject or (left > 0 and clause.doc[left - 1].text == ",")


def _right_quote(
    doc: Doc, verb: Token, speaker: TokenRange | None, quotes: list[CharRange]
) -> CharRange | None:
    """'He said: "..."' — a quotation opening right after the cue (or after an inverted speaker)."""
    index = verb.i + 1
    if speaker is not None and speaker[0] == index:
        index = speaker[1]
    while index < len(doc) and doc[index].text in (",", ":"):
        index += 1
    if index < len(doc) and _is_quote(doc[index]):
        quote = _quote_opening_at(quotes, doc[index].idx)
        if quote is not None:
            return quote[0] + 1, quote[1]
    return None


def _quoted_by_content(doc: Doc, verb: Token, quotes: list[CharRange]) -> CharRange | None:
    """'"...," he said, quoted by Interfax': the agency reports the whole reported speech."""
    head = verb.head
    kind = lx.verb_cue_kind(head.lemma_.lower())
    if kind is None:
        return None
    speaker = _speaker_range(doc, head, quotes)
    inner = _verb_content(doc, head, kind, speaker, quotes)
    if inner is None:
        return None
    starts = [inner[0], head.idx] + ([doc[speaker[0]].idx] if speaker else [])
    ends = [inner[1], head.idx + len(head)] + (
        [doc[speaker[1] - 1].idx + len(doc[speaker[1] - 1])] if speaker else []
    )
    return min(starts), max(ends)


def _skip_marker(doc: Doc, start: int) -> int:
    """Content starts after a complementizer ("said *that* ...") and opening punctuation."""
    while start < len(doc) - 1 and (
        doc[start].dep_ == "mark" or (doc[start].is_punct and not _is_quote(doc[start]))
    ):
        start += 1
    return start


def _trim_dangling_conj(doc: Doc, start: int, end: int) -> int:
    """Drop a final "and <Noun>" that the parser borrowed from the next clause.

    "... to bolster Azerbaijan's troops and Putin on Wednesday voiced ..." makes "Putin" a
    conjunct of "troops"; the giveaway is that the words after it attach outside the content.
    """
    if end + 1 >= len(doc) or doc[end + 1].is_punct:
        return end
    following = doc[end + 1]
    if start <= following.head.i <= end:
        return end
    for token in doc[start : end + 1]:
        left = token.left_edge.i
        nominal = token.pos_ in ("PROPN", "NOUN", "PRON")
        final_conjunct = token.dep_ == "conj" and token.right_edge.i == end
        if nominal and final_conjunct and left > start and doc[left - 1].dep_ == "cc":
            return left - 2
    return end


def _token_span(doc: Doc, start: int, end: int) -> CharRange:
    """Character range of tokens ``start..end`` (inclusive), with edge punctuation trimmed."""
    return _trim_chars(doc.text, (doc[start].idx, doc[end].idx + len(doc[end])))


def _trim_chars(text: str, span: CharRange) -> CharRange:
    """Strip quotation marks, commas and spaces at both ends and a final full stop."""
    start, end = span
    while start < end and text[start] in _EDGE_STRIP:
        start += 1
    while end > start and (
        text[end - 1] in _EDGE_STRIP or (text[end - 1] in ".!?" and not _abbreviation(text, end))
    ):
        end -= 1
    return start, end


def _abbreviation(text: str, end: int) -> bool:
    """True for the final dot of "U.S." (a letter-dot pair before it), which is not punctuation."""
    return end >= 3 and text[end - 1] == "." and text[end - 3] == "."


# --------------------------------------------------------------------------- other cues


def _according_to_draft(doc: Doc, token: Token) -> Iterable[_Draft]:
    """ "according to X": X is the source of the clause (the whole sentence when the phrase opens
    or closes it, otherwise the clause of the word it attaches to)."""
    if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return
    speaker = _speaker_extent(source)
    sentence = token.sent
    before = [t for t in doc[sentence.start : token.i] if not t.is_punct]
    after = [t for t in doc[speaker[1] : sentence.end] if not t.is_punct]
    if not before and after:
        content = _token_span(doc, after[0].i, after[-1].i)
    elif before and not after:
        content = _token_span(doc, before[0].i, before[-1].i)
    else:
        head = token.head
        if token.i < head.i:
            content = _token_span(doc, *_own_clause(head))
        else:
            content = _token_span(doc, head.left_edge.i, token.i - 1)
    yield _Draft("statement", (token.i, to.i + 1), speaker, content)


def _hedge_word_drafts(doc: Doc, token: Token) -> Iterable[_Draft]:
    """ "reportedly"/"allegedly" hedge the clause they modify; "alleged" the noun phrase."""
    word = token.lower_
    head = token.head
    if word in lx.HEDGE_ADVERBS and token.dep_ == "advmod":
        yield _Draft("hedge", (token.i, token.i + 1), None, _token_span(doc, *_own_clause(head)))
    elif word in lx.HEDGE_ADJECTIVES and token.dep_ == "amod" and head.pos_ in ("NOUN", "PROPN"):
        yield _Draft(
            "hedge", (token.i, token.i + 1), None, _token_span(doc, head.left_edge.i, head.right_edge.i)
        )


def _own_clause(head: Token) -> TokenRange:
    """Token range (inclusive) of the clause headed by ``head`` without coordinated clauses that
    have their own subject ("Turkey has allegedly sent drones, and Armenia says ...")."""
    end = head.right_edge.i
    for child in head.rights:
        if child.dep_ == "conj" and any(g.dep_ in _SUBJECT_DEPS for g in child.children):
            end = min(end, child.left_edge.i - 1)
    doc = head.doc
    while end > head.i and (doc[end].is_punct or doc[end].dep_ == "cc"):
        end -= 1
    return head.left_edge.i, end


def _noun_cue_drafts(doc: Doc, noun: Token) -> Iterable[_Draft]:
    """ "Erdogan's allegations that Russia ..." — a cue noun whose that-clause is the content."""
    kind = lx.NOMINAL_CUES.get(noun.lemma_.lower())
    if kind is None or noun.pos_ != "NOUN":
        return
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        ),
        None,
    )
    if clause is None:
        return
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
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
    speaker = _speaker_extent(owner) if owner is not None else None
    start = _skip_marker(doc, clause.left_edge.i)
    yield _Draft(kind, (noun.i, noun.i + 1), speaker, _token_span(doc, start, clause.right_edge.i))


# --------------------------------------------------------------------------- resolution


def _subject_mentions(doc: Doc, number: int) -> Iterable[_Mention]:
    """Named subjects that later pronouns may refer to ("Armenia has always ruled out ... It ...")."""
    for token in doc:
        if token.pos_ in ("PROPN", "NOUN") and _main_subject_or_source(token):
            start, end = _speaker_extent(token)
            mention = _mention(doc, number, token, doc[start:end].text, start)
            if mention.person or mention.entityish:
                yield mention


def _main_subject_or_source(token: Token) -> bool:
    """Subjects of main clauses and "by"/"according to" nouns: what later pronouns pick up.

    Subjects inside reported clauses ("... that Yerevan should be persuaded") are not antecedents
    of the next sentence's "He"; the reporting clause's subject is.
    """
    if token.dep_ == "pobj":
        return token.head.lower_ in ("to", "by") and token.head.dep_ in ("agent", "prep")
    if token.dep_ not in _SUBJECT_DEPS:
        return False
    clause = token.head
    while clause.dep_ == "conj":
        clause = clause.head
    return clause.dep_ == "ROOT"


def _mention(doc: Doc, number: int, head: Token, name: str, start: int) -> _Mention:
    """Describe a source by the features pronouns agree with: person, number, named entity."""
    names = [head, *(c for c in head.children if c.dep_ == "compound")]
    person = any(t.ent_type_ == "PERSON" or t.lemma_.lower() in lx.PERSON_NOUNS for t in names)
    plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
    entityish = (
        head.ent_type_ in _MENTION_ENTS
        or head.tag_ == "NNP"
        or head.lemma_.lower() in (lx.INSTITUTION_NOUNS | lx.DOCUMENT_NOUNS)
    )
    document = head.lemma_.lower() if head.lemma_.lower() in lx.DOCUMENT_NOUNS else None
    return _Mention((number, doc[start].idx), name, person, plural, entityish, document)


def _resolve(doc: Doc, number: int, draft: _Draft, history: _History) -> Frame:
    """Turn a draft into a Frame, naming pronoun and "the statement" speakers by their antecedent."""
    cue_start = doc[draft.cue[0]].idx
    cue_end = doc[draft.cue[1] - 1].idx + len(doc[draft.cue[1] - 1])
    if draft.speaker is None:
        return Frame(
            draft.kind, doc.text[cue_start:cue_end], cue_start, cue_end, None, None, None, *draft.content
        )
    span = doc[draft.speaker[0] : draft.speaker[1]]
    head = span.root
    mention = _mention(doc, number, head, span.text, draft.speaker[0])
    antecedent = _antecedent(span.text, mention, history)
    if antecedent is not None:
        mention = _Mention(
            mention.key, antecedent.name, antecedent.person, antecedent.plural, True, antecedent.document
        )
    history.add(mention)
    return Frame(
        draft.kind,
        doc.text[cue_start:cue_end],
        cue_start,
        cue_end,
        mention.name,
        span.start_char,
        span.end_char,
        *draft.content,
    )


def _antecedent(text: str, mention: _Mention, history: _History) -> _Mention | None:
    """The most recent earlier mention a pronoun (or a bare "the statement") agrees with."""
    lowered = text.lower()
    earlier = [m for m in history.mentions if m.key < mention.key]
    if lowered in ("he", "she"):
        return _latest(earlier, lambda m: m.person and not m.plural)
    if lowered == "it":
        return _latest(earlier, lambda m: m.entityish and not m.person and not m.plural)
    if lowered == "they":
        return _latest(earlier, lambda m: m.plural and (m.person or m.entityish))
    if mention.document is not None and len(text.split()) == 2 and lowered.split()[0] in ("the", "this"):
        return _latest(earlier, lambda m: m.document == mention.document and m.name.lower() != lowered)
    return None


def _latest(mentions: list[_Mention], agrees: _Agreement) -> _Mention | None:
    return next((m for m in reversed(mentions) if agrees(m)), None)
