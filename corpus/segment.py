"""Sentence spans inside a clean paragraph: spaCy's parser sentences, repaired where news breaks it.

Evidence is a sentence, and a fact-checker sees exactly that sentence highlighted, so a wrong
boundary is visible: '," he said' on its own, or a quote cut from its speaker, loses the
attribution that tells an allegation from an assertion. spaCy's dependency parser gets most
boundaries right; the repairs below fix the failure modes seen in news copy:

- a "sentence" that starts with closing punctuation or a closing quote, or is nothing but
  punctuation, belongs to the sentence before it;
- a sentence that starts with a lowercase word ('she asked.', 'he said, …') continues the one
  before it (typical after a quoted question: '"Are you sure?" she asked.'), unless that one
  ended with a real full stop;
- a split right after an abbreviation that cannot end a sentence (Gen., Mr., Jan. 5) or after an
  initialism followed by a proper noun ("the U.S. Senate") is undone.

Quoted speech of several sentences stays several sentences: the boundaries inside the quote are
real, and the last sentence carries the speaker ('It's not like that," he said, …').

The function takes a ``Doc`` (``nlp(paragraph.text)``) and never runs the pipeline itself, so
callers can batch paragraphs through ``nlp.pipe``.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

__all__ = ["is_sentence", "split_sentences"]

#: Characters that close something: a sentence cannot start with them.
_CLOSERS = frozenset(",;:)]}\u201d\u2019\u00bb!?.\u2026%")
#: Abbreviations that precede a name or number and so never end a sentence.
NON_FINAL_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "sgt",
        "adm",
        "gov",
        "sen",
        "rep",
        "reps",
        "sens",
        "prof",
        "rev",
        "st",
        "pres",
        "amb",
        "hon",
        "messrs",
        "fr",
        "no",
        "nos",
        "vs",
        "approx",
        "fig",
    ]
)
#: Month abbreviations: non-final when a day or year follows ("Jan. 5", "Sept. 2020").
MONTH_ABBREVIATIONS = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
#: Any abbreviation after which a lowercase word continues the sentence ("Apple Inc. and …").
ABBREVIATIONS = (
    NON_FINAL_ABBREVIATIONS
    | MONTH_ABBREVIATIONS
    | frozenset(
        ["inc", "corp", "co", "ltd", "plc", "bros", "dept", "est", "etc", "jr", "sr", "mln", "bln", "pct"]
    )
)
_LAST_WORD_RE = re.compile(r"([A-Za-z]+)\.$")
_INITIALISM_RE = re.compile(r"(?:\b[A-Z]\.){1,3}$")


def _base_spans(doc: Doc) -> list[tuple[int, int]]:
    """spaCy's sentences as character spans with surrounding whitespace stripped, empty ones gone."""
    spans: list[tuple[int, int]] = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _opens_with_closer(text: str, start: int) -> bool:
    """Does the sentence start by closing something opened earlier (",", "”", a closing '"')?

    A straight double quote is ambiguous: it closes when an odd number of them precede it and
    no word is glued to it (wire copy often forgets a closing quote, so parity alone misleads).
    """
    first = text[start]
    if first in _CLOSERS:
        return True
    if first != '"' or text.count('"', 0, start) % 2 == 0:
        return False
    return start + 1 == len(text) or not text[start + 1].isalnum()  # '" he said', not '"When …'


def _is_fragment(text: str, start: int, end: int) -> bool:
    """Only punctuation or symbols: nothing a reader would call a sentence."""
    return not any(char.isalnum() for char in text[start:end])


def _ends_with_full_stop(text: str, prev: tuple[int, int]) -> bool:
    """Does the previous sentence end with a real full stop (not "?\"", ',"' or "U.S.")?

    Why: after a full stop a lowercase start is a typo in the source ("pact. dealers said"),
    not a continuation; after a quoted question or an abbreviation it is a continuation.
    """
    before = text[prev[0] : prev[1]]
    if not before.endswith("."):
        return False
    match = _LAST_WORD_RE.search(before)
    if match and match.group(1).lower() in ABBREVIATIONS:
        return False
    return not _INITIALISM_RE.search(before)


def _starts_lowercase(doc: Doc, start: int, end: int) -> bool:
    """The first word is lowercase ("he said"), ignoring opening quotes and brackets.

    Words like "eBay" or "iPhone" (lowercase first letter, capital inside) begin sentences.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.is_punct or token.is_space:
            continue
        word = token.text
        return word[:1].islower() and word == word.lower()
    return False


def _ends_with_non_final_abbreviation(doc: Doc, prev: tuple[int, int], start: int, end: int) -> bool:
    """Was the split made after "Gen.", "Jan." before a number, or "U.S." before a proper noun?"""
    text = doc.text
    before = text[prev[0] : prev[1]]
    after = doc.char_span(start, end, alignment_mode="expand")
    if after is None or not len(after):
        return False
    first = after[0]
    match = _LAST_WORD_RE.search(before)
    if match:
        word = match.group(1).lower()
        if word in NON_FINAL_ABBREVIATIONS:
            return True
        if word in MONTH_ABBREVIATIONS and first.like_num:
            return True
    return bool(_INITIALISM_RE.search(before)) and first.tag_ in ("NNP", "NNPS")


def _continues_previous(doc: Doc, prev: tuple[int, int], start: int, end: int) -> bool:
    """Should the sentence at ``start:end`` be glued onto ``prev``? (See the module docstring.)"""
    text = doc.text
    return (
        _opens_with_closer(text, start)
        or _is_fragment(text, start, end)
        or (_starts_lowercase(doc, start, end) and not _ends_with_full_stop(text, prev))
        or _ends_with_non_final_abbreviation(doc, prev, start, end)
    )


def split_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` character spans in ``doc.text``: stripped, non-empty, increasing.

    ``doc`` must have been parsed (or sentence-segmented) by the pipeline; this function does
    not call ``nlp``.
    """
    merged: list[tuple[int, int]] = []
    for start, end in _base_spans(doc):
        if merged and _continues_previous(doc, merged[-1], start, end):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and _is_fragment(doc.text, *merged[0]):
        merged[1] = (merged[0][0], merged[1][1])  # a leading fragment ("—") joins the next one
        del merged[0]
    return merged


#: Dependencies that make a token the subject of its verb.
_SUBJECTS = frozenset(["nsubj", "nsubjpass", "csubj", "csubjpass", "expl"])
_SUBJECT_WORDS = frozenset(["NOUN", "PROPN", "PRON", "NUM"])
MIN_SENTENCE_WORDS = 3  # two-word lines are labels far more often than sentences ("Most read")
#: Word classes a sentence does not end on: a line ending "... for the", "... said it is" or
#: "... and" is a hard-wrapped line cut mid-sentence, not a headline.
_OPEN_ENDINGS = frozenset(["DET", "ADP", "CCONJ", "SCONJ", "AUX", "PART"])


def is_sentence(doc: Doc) -> bool:
    """Is a short line without final punctuation a sentence: words, and a verb with its subject?

    Why: a headline-like line ("Turkey shot down an Armenian jet", "Armenia says jet downed") is
    a claim and must be indexed, while menu items and buttons ("Monthly", "Continue", "Pay June
    30"), labels ("Ceasefire violations") and credits ("Reporting by Tom Balmforth") have no
    nominal subject and verb pair. Headline grammar drops auxiliaries ("jet downed"), so any verb
    with a noun or pronoun subject counts, finite or not. Lines of fewer than three words are left
    out: the tagger reads two-word labels as sentences ("Ceasefire violations", "Most read"); so
    are lines that end on a determiner, preposition, conjunction, auxiliary or particle, or on a
    comma or hyphen: hard-wrapped lines cut mid-sentence ("... said it is", "... for the").
    """
    if sum(1 for token in doc if token.is_alpha) < MIN_SENTENCE_WORDS:
        return False
    words = [token for token in doc if not token.is_punct and not token.is_space]
    if (words and words[-1].pos_ in _OPEN_ENDINGS) or doc.text.rstrip()[-1:] in (",", "-", "("):
        return False
    return any(
        token.pos_ in ("VERB", "AUX")
        and any(child.dep_ in _SUBJECTS and child.pos_ in _SUBJECT_WORDS for child in token.children)
        for token in doc
    )
