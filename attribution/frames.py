"""Attribution frames from a dependency parse: who (speaker) reports what (content) through which cue.

One paragraph is analysed at a time; preceding paragraphs are passed only so that pronoun speakers
("he said", "It maintains") can be resolved to the source named earlier, and so that a quotation
continued from the previous paragraph keeps its speaker. The rules are deliberately
few and each one is tied to a pattern of news prose:

* reporting verbs (``lexicon.verb_cue_kind``) with a clausal complement, an adjacent quotation, or, for
  some verbs, a direct object as content; the speaker is the subject, the ``by``-agent of a passive,
  or the subject inherited through coordination ("told ... and also accused ...");
* content to the *left* of the cue only when it is a quotation ending right before the reporting
  clause ('"...," he said') or a clause set off by a comma ("X, the Kremlin said"). en_core_web_sm
  often hangs a coordinated clause under "said" as a second ccomp ("Ankara has backed Azerbaijan
  ... and on Tuesday the ministry said ..."); such a clause is the outlet's own assertion;
* quotations are paired on characters, so a quote spanning several sentences is one content span;
  a paragraph that opens with a quotation mark continues the quotation a named source left open
  at the end of the previous paragraph (:mod:`attribution.continuation`);
* a named source's statement whose content is negated is a denial (:mod:`attribution.polarity`);
* "according to X", agentless hedging passives ("is said to"), hedge adverbs ("reportedly") and
  adjectives ("alleged"), and allegation nouns with a that-clause ("Erdogan's claim that ...").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc

from attribution.continuation import (
    continued_quotation,
    extend_to_adjoining_quotation,
    extend_to_following_quotations,
    open_quotation_holder,
)
from attribution.cues import according_to_draft, colon_speaker_draft, noun_cue_drafts, verb_drafts
from attribution.frame import Frame
from attribution.hedges import hedge_word_drafts
from attribution.lexicon import AGREEMENT_VERBS, BELIEF_VERBS, EXPECTATION_VERBS, REQUEST_NOUNS
from attribution.polarity import denies
from attribution.quotes import quote_spans
from attribution.spans import Draft, Paragraph, TokenRange
from attribution.speakers import History, resolve, subject_mentions


def extract_frames(doc: Doc, context: Sequence[Doc] = (), people: Iterable[str] = ()) -> list[Frame]:
    """Attribution frames of one paragraph, sorted by cue position.

    ``context`` holds the preceding paragraphs of the same document (most recent last); they are
    analysed only to resolve pronoun speakers and to carry an open quotation's speaker forward,
    and never produce frames of their own. A quotation continued over more paragraphs than the
    context holds loses its speaker. ``people`` are the surnames of the people the document named
    before (``speakers.surnames``): "Lyng said", tagged an organisation, is still the "he" after it.
    """
    history = History(people)
    holder: Frame | None = None
    for number, previous in enumerate(context):
        _, holder = _analyse(previous, number, history, holder)
    frames, _ = _analyse(doc, len(context), history, holder)
    return [_as_denial(doc, f) for f in frames]


def _analyse(
    doc: Doc, number: int, history: History, holder: Frame | None
) -> tuple[list[Frame], Frame | None]:
    """Find frames in ``doc``, resolve their speakers against ``history`` and extend it.

    ``holder`` reports the quotation the previous paragraph left open; the second value returned is
    the frame reporting the quotation this paragraph leaves open, for the next one.
    """
    text = doc.text  # built from every token on each access: once per paragraph
    paragraph = Paragraph(doc, text, quote_spans(text))
    quotes = paragraph.quotes.spans
    drafts = [d for d in _dedupe(_find_drafts(paragraph)) if not _refuses_a_request(doc, d)]
    drafts = [d for d in drafts if not _reported_expectation(doc, d, drafts)]
    drafts = [d for d in drafts if not _setting_of_a_report(doc, d, drafts)]
    for mention in subject_mentions(doc, number):
        history.add(mention)
    frames = [resolve(paragraph, number, draft, history) for draft in sorted(drafts, key=_speaker_order)]
    frames = extend_to_following_quotations(text, quotes, frames)
    frames = extend_to_adjoining_quotation(text, quotes, frames)
    continued = continued_quotation(text, quotes, frames, holder)
    if continued is not None:
        frames.append(continued)
    frames.sort(key=lambda f: (f.cue_start, f.content_start))
    return frames, open_quotation_holder(text, quotes, frames)


def _find_drafts(paragraph: Paragraph) -> Iterable[Draft]:
    """Every rule, applied to every token: rules are independent and may nest.

    Each rule looks at its token's neighbourhood (dependents, sentence, adjacent quotation) and
    reaches the paragraph's text, quotations and sentence bounds through :class:`Paragraph`'s
    look-ups, never by walking the Doc, so the pass is linear in the paragraph's length.
    """
    for token in paragraph.doc:
        yield from verb_drafts(paragraph, token)
        yield from according_to_draft(paragraph, token)
        yield from hedge_word_drafts(paragraph, token)
        yield from noun_cue_drafts(paragraph, token)
        yield from colon_speaker_draft(paragraph, token)


def _dedupe(drafts: Iterable[Draft]) -> list[Draft]:
    """One frame per cue: the first rule that fired wins."""
    seen: set[TokenRange] = set()
    unique: list[Draft] = []
    for draft in drafts:
        if draft.cue not in seen and draft.content[0] < draft.content[1]:
            seen.add(draft.cue)
            unique.append(draft)
    return unique


def _setting_of_a_report(doc: Doc, draft: Draft, drafts: Sequence[Draft]) -> bool:
    """ "The company said in a statement that ...": the noun says where the verb's report was made,
    and the verb's frame, which names the speaker, already carries the same content."""
    noun = doc[draft.cue[0]]
    prep = noun.head
    if draft.speaker is not None or noun.dep_ != "pobj" or prep.dep_ != "prep":
        return False
    verb = prep.head
    return any(
        other is not draft and other.content == draft.content and other.cue[0] <= verb.i < other.cue[1]
        for other in drafts
    )


def _refuses_a_request(doc: Doc, draft: Draft) -> bool:
    """A "denial" whose object is a request or proposal ("rebuffed calls for ...") disputes nothing."""
    if draft.kind != "denial":
        return False
    content = doc.char_span(draft.content[0], draft.content[1], alignment_mode="expand")
    return content is not None and content.root.lower_ in REQUEST_NOUNS


def _reported_expectation(doc: Doc, draft: Draft, drafts: Sequence[Draft]) -> bool:
    """An expectation, a belief or an agreement inside another report's content ("the company said
    it expects sales will rise", "'I think we got a better deal,' he said", "said both sides agreed
    that ..."), or a belief in the first or second person (a quoted speaker's own hedge; the
    quotation's report says who): the outer report already says who vouches for it."""
    lemma = doc[draft.cue[0]].lemma_.lower()
    if lemma not in EXPECTATION_VERBS | BELIEF_VERBS | AGREEMENT_VERBS:
        return False
    if lemma in BELIEF_VERBS and draft.speaker is not None and _personal(doc, draft.speaker):
        return True  # "I think it is the way ...": a quoted speaker hedging, in the quote's report
    start = doc[draft.cue[0]].idx
    return any(other is not draft and other.content[0] <= start < other.content[1] for other in drafts)


def _personal(doc: Doc, speaker: tuple[int, int]) -> bool:
    """A speaker that is "I", "we" or "you": someone quoted, or the reader addressed."""
    words = [t.lower_ for t in doc[speaker[0] : speaker[1]]]
    return len(words) == 1 and words[0] in ("i", "we", "you")


def _as_denial(doc: Doc, frame: Frame) -> Frame:
    """A named source's statement whose content is negated denies it ("said it had no plans to
    close the refinery"). Hedges stay hedges (the outlet's distance matters more), accusations stay
    accusations, and an unnamed statement has nobody to deny anything. Applied to the paragraph's
    own frames only: the context paragraphs' kinds are never read."""
    content = (frame.content_start, frame.content_end)
    if frame.kind == "statement" and frame.speaker is not None and denies(doc, content):
        return replace(frame, kind="denial")
    return frame


def _speaker_order(draft: Draft) -> int:
    """Resolve speakers in reading order so that a pronoun can point at a resolved pronoun."""
    return draft.speaker[0] if draft.speaker else draft.cue[0]
