"""Speakers: which words name the source of a report, and who a pronoun speaker is.

A speaker is the subject of the cue, the ``by``-agent of a passive, the subject inherited through
coordination, or the name between a comma and a subjectless cue that ends the sentence (", BP
Managing Director David Simon said"); :mod:`attribution.names` repairs its edges. Pronoun
speakers ("he said", "It maintains") are resolved to the nearest preceding named source that
agrees in person and number, in this paragraph or the context paragraphs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from attribution import lexicon as lx
from attribution.frame import Frame
from attribution.names import name_token, possessed_noun, possessive_mark, possessor_start, whole_brackets
from attribution.spans import SUBJECT_DEPS, Draft, Paragraph, Quotes, TokenRange, after_comma, is_quote

_TEMPORAL_ENTS = ("DATE", "TIME")


_SPEAKER_PREPS = frozenset({"of", "for", "by", "to", "from", "with", "in"})

# Prepositions kept in a speaker only before a name: "an economist at Chase Manhattan", "a report on
# the CBC", but not "Nebenzya at a briefing", which the parser often hangs on the speaker.
_NAMED_PLACE_PREPS = frozenset({"at", "on"})


_MENTION_ENTS = frozenset({"GPE", "ORG", "NORP", "FAC", "LOC", "PERSON"})


def speaker_range(paragraph: Paragraph, verb: Token) -> TokenRange | None:
    """Token range naming who speaks through ``verb``, or None when no source is named."""
    doc = paragraph.doc
    heads = _speaker_heads(verb, paragraph.quotes)
    if not heads:
        return _trailing_speaker(paragraph, verb)
    extents = [speaker_extent(h) for h in heads]
    start, end = min(e[0] for e in extents), max(e[1] for e in extents)
    if start > 0 and doc[start - 1].dep_ == "cc" and doc[start - 1].head.i < start - 1 and end == verb.i:
        # ", sources close to Nairobi broking houses and exporters said": the parse hangs the
        # first conjunct on the reported clause and leaves the cue only the last one
        trailing = _trailing_speaker(paragraph, verb)
        if trailing is not None and trailing[0] < start:
            return trailing
    if end < verb.i and possessed_noun(doc[end : verb.i]):
        end = verb.i
    elif len(extents) == 1:
        return start, end  # already whole (speaker_extent)
    return whole_brackets(doc, start, end)


def _trailing_speaker(paragraph: Paragraph, verb: Token) -> TokenRange | None:
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
    doc = paragraph.doc
    sentence_start, _ = paragraph.sentence(verb)
    start = verb.i
    while start > sentence_start and verb.i - start < _MAX_TRAILING_SPEAKER_TOKENS:
        if doc[start - 1].text == ",":
            break
        start -= 1
    else:
        return None
    words = doc[start : verb.i]
    if start - 1 <= sentence_start or not words or not all(_speaker_word(t) for t in words):
        return None
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in words):
        return None
    return whole_brackets(doc, _named_before_apposition(doc, start, sentence_start), verb.i)


_APPOSED_ENTS = frozenset({"PERSON", "ORG"})


def _named_before_apposition(doc: Doc, start: int, sentence_start: int) -> int:
    """Where a trailing speaker begins when the words before the cue describe a name set off by
    commas just before them: ", Siegfried Mielke, editor of the newsletter Oil World said" (the
    wire drops the comma that would close the apposition). Else ``start``."""
    comma = start - 1
    first = comma
    while first - 1 > sentence_start and doc[first - 1].ent_type_ in _APPOSED_ENTS and comma - first < 5:
        first -= 1
    if first == comma or doc[first - 1].text != ",":
        return start
    return first


_CLAUSE_DEPS = ("ROOT", "ccomp", "parataxis")
_MAX_TRAILING_SPEAKER_TOKENS = 12
_SPEAKER_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "ADP", "CCONJ", "PART", "PRON"})


def _speaker_word(token: Token) -> bool:
    """A word that can be part of a source's name: no verb, no relative pronoun ("which Wang said")."""
    if token.tag_ in ("WDT", "WP", "WP$", "EX"):
        return False
    if token.text in ("<", ">") or possessive_mark(token) or name_token(token.doc, token.i):
        return True
    if token.dep_ in ("amod", "acl") and token.tag_ in ("VBN", "VBG"):
        return True  # "the Hamburg-based newsletter", "a leading Congressman", "broking houses"
    return token.pos_ in _SPEAKER_POS


def _speaker_heads(verb: Token, quotes: Quotes) -> list[Token]:
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
    if len(subjects) > 1 and subjects[-1].i < verb.i and after_comma(subjects[-1]):
        # "Three days of talks ... ended yesterday ..., a company spokesman said": two subjects
        # before the cue, the last set off by a comma; the earlier one is the reported clause's
        subjects = subjects[-1:]
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
    quoted = _quoted_as_saying(verb)
    if quoted is not None:
        return [quoted]
    return []


_QUOTING_VERBS = frozenset({"quote", "cite"})


def _quoted_as_saying(verb: Token) -> Token | None:
    """The one quoted in "Tass quoted Shevardnadze as saying ..." and "Shevardnadze was quoted as
    saying ...", the wire's usual way of reporting another outlet's interview: the object of the
    quoting verb, or its passive subject, is who speaks through "saying"."""
    marker = verb.head
    if verb.dep_ != "pcomp" or marker.lower_ != "as" or marker.head.lemma_.lower() not in _QUOTING_VERBS:
        return None
    quoting = marker.head
    wanted = ("nsubjpass",) if is_passive(quoting) else ("dobj",)
    return next((c for c in quoting.children if c.dep_ in wanted), None)


def conj_governor(verb: Token, quotes: Quotes) -> Token:
    """The clause a subjectless conjunct shares its subject with.

    In 'Erdogan told Putin that "Turkey is ..." and also accused Armenia of ...' the parser
    coordinates "accused" with the quoted "is"; a conjunct outside the quotation its head is in
    belongs to the reporting clause instead.
    """
    head = verb.head
    head_quote = quotes.around(head.idx)
    if head_quote is not None and quotes.around(verb.idx) != head_quote and head.dep_ == "ccomp":
        return head.head
    if (
        head.dep_ == "ccomp"
        and verb.lemma_ == head.head.lemma_
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        # "Zack said the offer was unacceptable and said IBP was refusing ...": the parse
        # coordinates the second "said" with the first one's clause; it repeats the first "said"
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
    while (
        end > start
        and (doc[end].is_punct or doc[end].dep_ == "case")
        and not _closes_parenthesis(doc, start, end)
    ):
        end -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return whole_brackets(doc, possessor_start(doc, start), end + 1)


def _closes_parenthesis(doc: Doc, start: int, end: int) -> bool:
    """Is ``doc[end]`` the ")" of a "(" opened inside the span: "the Canadian Broadcasting Corp (CBC)"."""
    if doc[end].text != ")":
        return False
    return sum(t.text == "(" for t in doc[start:end]) > sum(t.text == ")" for t in doc[start:end])


def _part_of_name(child: Token) -> bool:
    """Right modifiers kept in a speaker: "of Russia", "for Putin", "released by ...", conjuncts, and
    where the source works or speaks ("an economist at Chase Manhattan", "a report on the CBC"),
    which PolNeAR's sources include and which often holds the only name of the source."""
    if child.dep_ in ("cc", "conj", "compound", "nummod", "case", "appos"):
        return not child.is_punct
    if child.dep_ == "acl":
        return child.tag_ == "VBN"
    if child.dep_ != "prep" or any(t.ent_type_ in _TEMPORAL_ENTS for t in child.subtree):
        return False
    if child.lower_ in _SPEAKER_PREPS:
        return True
    if child.lower_ in _NAMED_PLACE_PREPS:
        return any(
            g.dep_ == "pobj" and (g.ent_type_ in _MENTION_ENTS or g.tag_ in ("NNP", "NNPS"))
            for g in child.children
        )
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


def _singular_person(mention: _Mention) -> bool:
    return mention.person and not mention.plural


def _singular_thing(mention: _Mention) -> bool:
    return mention.entityish and not mention.person and not mention.plural


def _group(mention: _Mention) -> bool:
    return mention.plural and (mention.person or mention.entityish)


def _issuer(mention: _Mention) -> bool:
    """An institution that can issue a statement ("the Kremlin said ... the statement said")."""
    return mention.entityish and not mention.person and mention.document is None


_PRONOUNS: dict[str, _Agreement] = {
    "he": _singular_person,
    "she": _singular_person,
    "it": _singular_thing,
    "they": _group,
    # "Foreign bankers said ... 'We are worried,' one added": one member of the group last named
    "one": _group,
    "another": _group,
}


class _InOrder:
    """Mentions in reading order: by position, and in the order added at one position (the order a
    stable sort of everything added would give), with the latest one before a position found by
    bisection."""

    def __init__(self, mentions: Iterable[_Mention] = ()) -> None:
        self._keys: list[tuple[int, int]] = []
        self._mentions: list[_Mention] = []
        for mention in mentions:
            self.add(mention)

    def add(self, mention: _Mention) -> None:
        index = bisect_right(self._keys, mention.key)
        self._keys.insert(index, mention.key)
        self._mentions.insert(index, mention)

    def latest_before(self, key: tuple[int, int]) -> _Mention | None:
        index = bisect_left(self._keys, key)
        return self._mentions[index - 1] if index else None

    def __iter__(self) -> Iterator[_Mention]:
        return iter(self._mentions)


class History:
    """Mentions seen so far across the paragraphs of one document, in reading order.

    A paragraph adds a mention per subject and per speaker, and each pronoun speaker asks for the
    latest earlier mention that agrees with it. Searching the whole history for that made a long
    paragraph quadratic (and a pronoun with no possible antecedent searched everything), so each
    kind of agreement keeps its own mentions in order, and the latest one before a position is a
    bisection away. A bare "the statement" looks for an earlier mention of the same document under
    another name; those lists are made for the names actually asked about (a handful per document).
    """

    def __init__(self, people: Iterable[str] = ()) -> None:
        agreements = (_singular_person, _singular_thing, _group, _issuer)
        self._agreeing: dict[_Agreement, _InOrder] = {agrees: _InOrder() for agrees in agreements}
        self._documents: dict[str, _InOrder] = {}
        self._documents_named_otherwise: dict[str, dict[str, _InOrder]] = {}
        self._surnames: set[str] = {name.lower() for name in people}  # last words of people named

    def add(self, mention: _Mention) -> None:
        words = mention.name.split()
        if mention.person and not mention.plural and words:
            self._surnames.add(words[-1].lower())
        elif len(words) == 1 and words[0].lower() in self._surnames and not mention.plural:
            # "U.S. Agriculture Secretary Richard Lyng warned ..." then "Lyng told ...": the
            # surname alone is the person, though the tagger no longer calls it one
            mention.person = True
        for agrees, mentions in self._agreeing.items():
            if agrees(mention):
                mentions.add(mention)
        if mention.document is None:
            return
        self._documents.setdefault(mention.document, _InOrder()).add(mention)
        name = mention.name.lower()
        for other_than, mentions in self._documents_named_otherwise.get(mention.document, {}).items():
            if name != other_than:
                mentions.add(mention)

    def latest(self, agrees: _Agreement, key: tuple[int, int]) -> _Mention | None:
        """The latest mention before position ``key`` that ``agrees`` (one of this module's agreements)."""
        return self._agreeing[agrees].latest_before(key)

    def latest_document(self, document: str, other_than: str, key: tuple[int, int]) -> _Mention | None:
        """The latest mention of a ``document`` (lemma) before ``key`` not named ``other_than``."""
        by_name = self._documents_named_otherwise.setdefault(document, {})
        if other_than not in by_name:
            earlier = self._documents.get(document, ())
            by_name[other_than] = _InOrder(m for m in earlier if m.name.lower() != other_than)
        return by_name[other_than].latest_before(key)


def surnames(doc: Doc) -> set[str]:
    """Last words of the people a paragraph names in full ("Richard Lyng" -> "lyng"): the small
    NER model often tags the surname alone, later on, as an organisation."""
    return {ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2}


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
        # "by next March", "by the end of the year" are deadlines, not sources
        return (
            token.head.lower_ in ("to", "by")
            and token.head.dep_ in ("agent", "prep")
            and token.ent_type_ not in ("DATE", "TIME")
        )
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


def resolve(paragraph: Paragraph, number: int, draft: Draft, history: History) -> Frame:
    """Turn a draft into a Frame, naming pronoun and "the statement" speakers by their antecedent."""
    doc, text = paragraph.doc, paragraph.text
    cue_start = doc[draft.cue[0]].idx
    cue_end = doc[draft.cue[1] - 1].idx + len(doc[draft.cue[1] - 1])
    if draft.speaker is None:
        cue = text[cue_start:cue_end]
        return Frame(draft.kind, cue, cue_start, cue_end, None, None, None, *draft.content)
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
        text[cue_start:cue_end],
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
    agrees = _PRONOUNS.get(lowered)
    if agrees is not None:
        return history.latest(agrees, mention.key)
    if mention.document is not None and len(text.split()) == 2 and lowered.split()[0] in ("the", "this"):
        same = history.latest_document(mention.document, lowered, mention.key)
        # "the statement"/"the press release" with no earlier statement named: its issuer is the
        # institution last reported as speaking ("the Kremlin said ... the statement said").
        return same or history.latest(_issuer, mention.key)
    return None
