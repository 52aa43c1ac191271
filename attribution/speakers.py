"""Speakers: which words name the source of a report, and who a pronoun speaker is.

A speaker is the subject of the cue, the ``by``-agent of a passive, or the subject inherited through
coordination. Pronoun speakers ("he said", "It maintains") are resolved to the nearest preceding
named source that agrees in person and number, in this paragraph or the context paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from attribution import lexicon as lx
from attribution.frame import Frame
from attribution.quotes import inside_quote
from attribution.spans import SUBJECT_DEPS, CharRange, Draft, TokenRange, is_quote

_TEMPORAL_ENTS = ("DATE", "TIME")


_SPEAKER_PREPS = frozenset({"of", "for", "by", "to", "from", "with", "in"})


_MENTION_ENTS = frozenset({"GPE", "ORG", "NORP", "FAC", "LOC", "PERSON"})


def speaker_range(doc: Doc, verb: Token, quotes: list[CharRange]) -> TokenRange | None:
    """Token range naming who speaks through ``verb``, or None when no source is named."""
    heads = _speaker_heads(verb, quotes)
    if not heads:
        return _trailing_speaker(doc, verb)
    extents = [speaker_extent(h) for h in heads]
    start, end = min(e[0] for e in extents), max(e[1] for e in extents)
    if end < verb.i and _possessed_noun(doc[end : verb.i]):
        end = verb.i
    elif len(extents) == 1:
        return start, end  # already whole (speaker_extent)
    return _whole_brackets(doc, start, end)


def _trailing_speaker(doc: Doc, verb: Token) -> TokenRange | None:
    """ "X does not intend to raise its offer for Standard Oil Co, BP Managing Director David Simon
    said": the name between the comma and a subjectless cue.

    When the reported clause ends in a noun phrase (often a proper name, "... of Standard Oil Co"),
    en_core_web_sm tends to read the speaker that follows the comma as an apposition or a
    conjunct inside that clause and leaves the cue without a subject. Words that can only be a
    name (nouns, names, determiners, "of", "'s"; no verb, no relative pronoun) between a comma
    and the cue are the speaker.
    """
    if verb.dep_ not in _CLAUSE_DEPS:
        return None
    start = verb.i
    while start > verb.sent.start and verb.i - start < _MAX_TRAILING_SPEAKER_TOKENS:
        if doc[start - 1].text == ",":
            break
        start -= 1
    else:
        return None
    words = doc[start : verb.i]
    if start - 1 <= verb.sent.start or not words or not all(_speaker_word(t) for t in words):
        return None
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in words):
        return None
    return _whole_brackets(doc, start, verb.i)


_CLAUSE_DEPS = ("ROOT", "ccomp", "parataxis")
_MAX_TRAILING_SPEAKER_TOKENS = 12
_SPEAKER_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "ADP", "CCONJ", "PART", "PRON"})


def _speaker_word(token: Token) -> bool:
    """A word that can be part of a source's name: no verb, no relative pronoun ("which Wang said")."""
    if token.tag_ in ("WDT", "WP", "WP$", "EX"):
        return False
    if token.text in ("<", ">") or _possessive_mark(token) or _name_token(token.doc, token.i):
        return True
    return token.pos_ in _SPEAKER_POS


def _possessed_noun(gap: Span) -> bool:
    """ "Dow Jones *Cos' Telerate unit* said": the parser made the possessor the subject and hung the
    possessed noun under it; the words between subject and cue are then the rest of the name."""
    if not any(_possessive_mark(t) for t in gap):
        return False
    return all(_possessive_mark(t) or t.pos_ in _NOMINAL or _name_token(t.doc, t.i) for t in gap)


_NOMINAL = ("PROPN", "NOUN", "ADJ", "NUM")


def _speaker_heads(verb: Token, quotes: list[CharRange]) -> list[Token]:
    """Subject, passive agent, or the subject inherited from the clause the verb hangs off."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    inverted = [c for c in subjects if c.i > verb.i]
    if inverted and verb.i > 0 and (is_quote(verb.doc[verb.i - 1]) or verb.doc[verb.i - 1].text == ","):
        subjects = inverted  # '"...," said James Acton' (the quote's own subject is misattached)
    elif inverted and len(inverted) < len(subjects):
        # 'Morbelli said ServiceMaster <SVM> or Rollins <ROL> were ...': a ticker makes the parser hang
        # the reported clause's subject on the cue; a speaker never spans its own cue.
        subjects = [c for c in subjects if c.i < verb.i]
    if subjects and verb.dep_ == "relcl" and subjects[0].tag_ in ("WP", "WDT"):
        return [verb.head]
    if subjects:
        return subjects
    agent = passive_agent(verb)
    if agent is not None:
        return [agent]
    if verb.dep_ == "conj":
        return _speaker_heads(conj_governor(verb, quotes), quotes)
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
        return _speaker_heads(verb.head, quotes)
    if verb.dep_ == "acl" and verb.tag_ == "VBG":
        return [verb.head]
    return []


def conj_governor(verb: Token, quotes: list[CharRange]) -> Token:
    """The clause a subjectless conjunct shares its subject with.

    In 'Erdogan told Putin that "Turkey is ..." and also accused Armenia of ...' the parser
    coordinates "accused" with the quoted "is"; a conjunct outside the quotation its head is in
    belongs to the reporting clause instead.
    """
    head = verb.head
    head_quote = inside_quote(quotes, head.idx)
    if head_quote is not None and inside_quote(quotes, verb.idx) != head_quote and head.dep_ == "ccomp":
        return head.head
    return head


def speaker_extent(head: Token) -> TokenRange:
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
    return _whole_brackets(doc, _possessor_start(doc, start), end + 1)


def _possessor_start(doc: Doc, start: int) -> int:
    """Where a possessive speaker really starts: "*Anheuser-Busch Cos'* Metal Container Corp said".

    A bare apostrophe after a plural or an s-final name ("Cos'", "Reuters'") is often tagged as an
    opening quotation mark, and the possessor is then attached elsewhere, so the subject's subtree
    starts after the apostrophe. A possessive mark glued to the word before it and followed by a
    space is never an opening quote: the possessor's name belongs to the speaker.
    """
    if start == 0 or not _possessive_mark(doc[start - 1]):
        return start
    first = start - 1
    while first > 0 and start - first <= _MAX_POSSESSOR_TOKENS and _name_token(doc, first - 1):
        first -= 1
    if first == start - 1:
        return start
    if first > 0 and doc[first - 1].lower_ == "the":
        first -= 1
    return first


_MAX_POSSESSOR_TOKENS = 8
_APOSTROPHES = ("'", "\u2019")


def _possessive_mark(token: Token) -> bool:
    """ "'s" or a bare apostrophe after an s-final word, glued to that word, followed by a space."""
    if token.i == 0 or not token.whitespace_:
        return False
    owner = token.doc[token.i - 1]
    if owner.whitespace_ or not owner.is_alpha:
        return False
    if token.text in _APOSTROPHES:
        return owner.lower_.endswith("s")
    return token.lower_ in ("'s", "\u2019s")


def _name_token(doc: Doc, index: int) -> bool:
    """A word of a proper name ("Anheuser", "Cos", "3M") or a connector glued inside one ("-", "&")."""
    token = doc[index]
    if token.is_punct or token.is_space:
        glued = index > 0 and not doc[index - 1].whitespace_ and not token.whitespace_
        return glued and token.text in ("-", "&", ".")
    return token.pos_ == "PROPN" or token.is_title or token.is_upper or token.like_num


def _whole_brackets(doc: Doc, start: int, end: int) -> TokenRange:
    """A speaker span with its ticker brackets whole: "<Parlux Fragrances Inc>", "Hughes Tool Co <HT>".

    Reuters wraps tickers and unlisted company names in angle brackets, which en_core_web_sm parses
    erratically ("<" hangs off the verb, ">" becomes a second subject). A span that closes a bracket
    it did not open takes in the "<" just before it; a span that opens a bracket takes in the ">"
    just after it, or else stops before the "<". Never a dangling bracket.
    """
    if not _BRACKETS.intersection(doc[start:end].text):
        return start, end
    unopened, unclosed = _bracket_balance(doc, start, end)
    if unopened:
        opening = _opening_before(doc, start)
        if opening is not None:
            start = opening
        else:
            while end - start > 1 and ">" in doc[end - 1].text:
                end -= 1
            while end - start > 1 and ">" in doc[start].text:
                start += 1
        unopened, unclosed = _bracket_balance(doc, start, end)
    if unclosed:
        start, end = _close_brackets(doc, start, end)
    return _named_ticker_start(doc, start), end


def _named_ticker_start(doc: Doc, start: int) -> int:
    """ "*Beecham Group Plc* <BHAM.L> said": a ticker speaker takes in the name it follows, which the
    parser often hangs elsewhere (as an adverbial of the verb)."""
    if not doc[start].text.startswith("<"):
        return start
    first = start
    while first > 0 and start - first < _BRACKET_REACH and _name_token(doc, first - 1):
        first -= 1
    while first < start and doc[first].is_sent_start and doc[first].pos_ != "PROPN":
        first += 1  # a capitalised first word of the sentence ("Yesterday <ABC> said")
    return first


_BRACKETS = frozenset("<>")
_BRACKET_REACH = 8
"""Tokens searched for the other half of a ticker bracket (tickers and bracketed names are short)."""


def _bracket_balance(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """How many ">" in the span close nothing, and how many "<" stay open at its end."""
    unopened = depth = 0
    for token in doc[start:end]:
        depth += token.text.count("<")
        closes = token.text.count(">")
        unopened += max(0, closes - depth)
        depth = max(0, depth - closes)
    return unopened, depth


def _opening_before(doc: Doc, start: int) -> int | None:
    """The "<" that opens the bracket a span closes, when it comes shortly before the span."""
    for index in range(start - 1, max(-1, start - 1 - _BRACKET_REACH), -1):
        if ">" in doc[index].text:
            return None
        if "<" in doc[index].text:
            return index
    return None


def _close_brackets(doc: Doc, start: int, end: int) -> TokenRange:
    """Extend a span that leaves a bracket open to its ">", or cut it before the unclosed "<"."""
    for index in range(end, min(len(doc), end + _BRACKET_REACH)):
        if "<" in doc[index].text:
            break
        if ">" in doc[index].text and _bracket_balance(doc, start, index + 1) == (0, 0):
            return start, index + 1
    cut = max(i for i in range(start, end) if "<" in doc[i].text)
    while cut > start and (doc[cut - 1].is_punct or doc[cut - 1].is_space):
        cut -= 1
    return (start, cut) if cut > start else (start, end)


def _part_of_name(child: Token) -> bool:
    """Right modifiers kept in a speaker: "of Russia", "for Putin", "released by ...", conjuncts."""
    if child.dep_ in ("cc", "conj", "compound", "nummod", "case", "appos"):
        return not child.is_punct
    if child.dep_ == "acl":
        return child.tag_ == "VBN"
    if child.dep_ == "prep" and child.lower_ in _SPEAKER_PREPS:
        return not any(t.ent_type_ in _TEMPORAL_ENTS for t in child.subtree)
    return False


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def passive_agent(verb: Token) -> Token | None:
    """The noun of a passive's ``by``-phrase ("echoed by France")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


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
class History:
    """Mentions seen so far across the paragraphs of one document, in reading order."""

    mentions: list[_Mention] = field(default_factory=list)

    def add(self, mention: _Mention) -> None:
        self.mentions.append(mention)
        self.mentions.sort(key=lambda m: m.key)


def subject_mentions(doc: Doc, number: int) -> Iterable[_Mention]:
    """Named subjects that later pronouns may refer to ("Armenia has always ruled out ... It ...")."""
    for token in doc:
        if token.pos_ in ("PROPN", "NOUN") and _main_subject_or_source(token):
            start, end = speaker_extent(token)
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
    if token.dep_ not in SUBJECT_DEPS:
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


def resolve(doc: Doc, number: int, draft: Draft, history: History) -> Frame:
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


def _antecedent(text: str, mention: _Mention, history: History) -> _Mention | None:
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
        same = _latest(earlier, lambda m: m.document == mention.document and m.name.lower() != lowered)
        # "the statement"/"the press release" with no earlier statement named: its issuer is the
        # institution last reported as speaking ("the Kremlin said ... the statement said").
        return same or _latest(earlier, lambda m: m.entityish and not m.person and m.document is None)
    return None


def _latest(mentions: list[_Mention], agrees: _Agreement) -> _Mention | None:
    return next((m for m in reversed(mentions) if agrees(m)), None)
