"""What the desk page shows for a check, built from the check's answer and the cited documents.

The template only loops and prints: every decision about wording (the one-line summary, badge
labels), grouping (sources by story) and highlighting (which sentences of a paragraph to mark) is
made here, where it is unit-tested without a browser. Nothing here escapes text: the template
engine escapes everything it prints, so these strings stay plain text.

Highlighting uses the offsets the answer carries: the cited paragraph is rebuilt from the stored
document's sentences, and a sentence is marked when its span overlaps the source's span. A string
search would mark the wrong place when the same words occur twice in a paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimcheck.provenance import UNNAMED_SOURCE
from claimcheck.results import (
    Attribution,
    CheckResult,
    Conflict,
    DocumentView,
    Evidence,
    Match,
    ParagraphView,
    Source,
    Summary,
)

# Sentences shown on each side of the marked one: a 10 000-character paragraph stays readable.
CONTEXT_SENTENCES = 2
ELLIPSIS = "…"

# Badge wording per attribution kind: (css suffix, label). Text, not only colour, says what it is.
_KIND_LABELS = {
    "statement": ("allegation", "Allegation"),
    "accusation": ("allegation", "Accusation"),
    "hedge": ("hedge", "Hedged"),
    "denial": ("denial", "Denial"),
}


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of paragraph text; ``marked`` runs are the cited sentence."""

    text: str
    marked: bool = False


@dataclass(frozen=True, slots=True)
class Badge:
    kind: str  # css suffix: asserted, allegation, hedge, denial, denied, contradiction
    label: str
    speaker: str | None = None
    cue: str | None = None


@dataclass(frozen=True, slots=True)
class SourceLine:
    document_id: str
    title: str
    outlet: str | None
    agency: str | None
    byline: str | None  # only when it says more than the agency
    published: str
    url: str | None  # http(s) only
    paragraph: int  # 1-based, as a reader counts
    first: bool  # the story's earliest appearance


@dataclass(frozen=True, slots=True)
class StoryGroup:
    heading: str
    sources: tuple[SourceLine, ...]


@dataclass(frozen=True, slots=True)
class Item:
    sentence: str
    score: str
    badge: Badge
    denials: tuple[Badge, ...]
    paragraph: tuple[Piece, ...]
    paragraph_from: str  # which copy the paragraph is quoted from
    matched: str
    notes: tuple[str, ...]  # context-supplied names, conflicts, the claim's own speaker
    stories: tuple[StoryGroup, ...]
    sources_count: int


@dataclass(frozen=True, slots=True)
class Outcome:
    claim: str
    summary: str
    supporting: tuple[Item, ...]
    contradicting: tuple[Item, ...]

    @property
    def empty(self) -> bool:
        return not self.supporting and not self.contradicting


def names(values: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def summary_line(summary: Summary) -> str:
    """One line: how many independent stories, then who alleges, asserts, denies, contradicts.

    "asserted by" is always said, since "asserted by no one" is what tells a reader that the claim
    is only someone's word; the other roles are said only when someone holds them.
    """
    count = summary.independent_stories
    parts = [f"{count} independent {'story' if count == 1 else 'stories'}"]
    if summary.alleged_by:
        parts.append(f"alleged by {names(summary.alleged_by)}")
    parts.append(f"asserted by {names(summary.asserted_by) or 'no one'}")
    if summary.denied_by:
        parts.append(f"denied by {names(summary.denied_by)}")
    if summary.contradicted_by:
        parts.append(f"contradicted by {names(summary.contradicted_by)}")
    return " · ".join(parts)


def cited_documents(result: CheckResult) -> set[str]:
    """The documents whose paragraphs the page quotes: one per item, its earliest appearance."""
    return {_quoted(item).document_id for item in (*result.evidence, *result.contradicting)}


def outcome(result: CheckResult, documents: Mapping[str, DocumentView | None]) -> Outcome:
    """The page's view of a check; ``documents`` holds :func:`cited_documents` (None: deleted since)."""
    return Outcome(
        claim=result.claim,
        summary=summary_line(result.summary),
        supporting=tuple(_item(e, documents, contradicting=False) for e in result.evidence),
        contradicting=tuple(_item(e, documents, contradicting=True) for e in result.contradicting),
    )


def _quoted(item: Evidence) -> Source:
    return item.stories[0].first_appearance if item.stories else item.sources[0]


def badge(item: Evidence, *, contradicting: bool) -> Badge:
    """How the item reports its content: the outlet's own voice, or a speaker's, through which cue."""
    attribution = item.attribution
    if attribution is None:
        if contradicting:
            return Badge("contradiction", "Stated by the outlet")
        return Badge("asserted", "Asserted by the outlet")
    kind, label = _KIND_LABELS.get(attribution.kind, ("allegation", "Allegation"))
    if contradicting and kind != "denial":
        kind = "contradiction"
    return Badge(kind, label, attribution.speaker or UNNAMED_SOURCE, attribution.cue)


def denial(attribution: Attribution) -> Badge:
    return Badge("denied", "Denied", attribution.speaker or UNNAMED_SOURCE, attribution.cue)


def paragraph_pieces(document: DocumentView | None, source: Source, sentence: str) -> tuple[Piece, ...]:
    """The cited paragraph with the source's sentence marked, cut to a few sentences around it.

    Falls back to the sentence alone when the document is gone (deleted after the check) or its
    stored offsets do not meet the source's span.
    """
    paragraph = _paragraph(document, source)
    if paragraph is None:
        return (Piece(sentence, marked=True),)
    sentences = paragraph.sentences
    hits = [i for i, s in enumerate(sentences) if s.start < source.end and source.start < s.end]
    if not hits:
        return (Piece(sentence, marked=True),)
    first, last = max(0, hits[0] - CONTEXT_SENTENCES), min(len(sentences), hits[-1] + CONTEXT_SENTENCES + 1)
    pieces: list[Piece] = [Piece(ELLIPSIS + " ")] if first > 0 else []
    previous_end: int | None = None
    for index in range(first, last):
        current = sentences[index]
        if previous_end is not None and current.start > previous_end:
            pieces.append(Piece(" "))
        pieces.append(Piece(current.text, marked=index in hits))
        previous_end = current.end
    if last < len(sentences):
        pieces.append(Piece(" " + ELLIPSIS))
    return tuple(_merged(pieces))


def _merged(pieces: Iterable[Piece]) -> list[Piece]:
    """Adjacent runs of the same kind as one (fewer elements; marks stay one per sentence)."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and not piece.marked and not merged[-1].marked:
            merged[-1] = Piece(merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _paragraph(document: DocumentView | None, source: Source) -> ParagraphView | None:
    if document is None:
        return None
    for paragraph in document.paragraphs:
        if paragraph.index == source.paragraph:
            return paragraph
    return None


def story_groups(item: Evidence) -> tuple[StoryGroup, ...]:
    """The item's sources grouped by story (copies of one dispatch together), earliest story first."""
    by_id = {s.document_id: s for s in item.sources}
    groups = []
    for number, story in enumerate(item.stories, 1):
        members = [by_id[d] for d in story.documents if d in by_id]
        copies = f"{len(members)} {'copy' if len(members) == 1 else 'copies'}"
        heading = f"Story {number}" + (f" · {story.agency}" if story.agency else "") + f" · {copies}"
        first = story.first_appearance.document_id
        groups.append(StoryGroup(heading, tuple(source_line(m, m.document_id == first) for m in members)))
    listed = {d for story in item.stories for d in story.documents}
    rest = [s for s in item.sources if s.document_id not in listed]
    if rest:  # an answer without story ids (never expected): still list every source
        groups.append(StoryGroup("Other sources", tuple(source_line(s, False) for s in rest)))
    return tuple(groups)


def source_line(source: Source, first: bool) -> SourceLine:
    byline = source.byline if source.byline and source.byline != source.agency else None
    return SourceLine(
        document_id=source.document_id,
        title=source.title or f"Untitled ({source.document_id})",
        outlet=source.outlet,
        agency=source.agency,
        byline=byline,
        published=source.published or "undated",
        url=safe_url(source.url),
        paragraph=source.paragraph + 1,
        first=first,
    )


def safe_url(url: str | None) -> str | None:
    """A link only to http(s): a stored ``javascript:`` URL must never become a clickable link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in {"http", "https"} else None


def matched(match: Match) -> str:
    """ "F-16 · SU-25 · downed"; an equivalent the sentence used instead reads "Turkey = Ankara"."""
    pairs = [*match.entities, *match.figures, *([match.predicate] if match.predicate else [])]
    return " · ".join(p.claim if p.claim == p.evidence else f"{p.claim} = {p.evidence}" for p in pairs)


def notes(match: Match) -> tuple[str, ...]:
    found: list[str] = []
    if match.from_context:
        found.append(f"Found in the article's context, not the sentence: {names(match.from_context)}")
    found.extend(conflict_note(c) for c in match.conflicts)
    if match.speaker is not None:
        speaker = match.speaker
        said = speaker.evidence or UNNAMED_SOURCE
        verdict = "agrees" if speaker.agrees else "does not agree"
        found.append(
            f"The claim names {speaker.claim} as its source; the sentence's speaker, {said}, {verdict}"
        )
    return tuple(found)


def conflict_note(conflict: Conflict) -> str:
    """What a contradicting sentence states otherwise, in words (the kinds of ``Conflict``)."""
    if conflict.kind == "roles":
        return f"Roles reversed: the sentence has who “{conflict.evidence}” whom the other way round"
    if conflict.kind == "negation":
        return f"Negation: one of the claim and the sentence says “{conflict.claim}” did not happen"
    return f"The claim says “{conflict.claim}”, the sentence “{conflict.evidence}”"


def _item(item: Evidence, documents: Mapping[str, DocumentView | None], *, contradicting: bool) -> Item:
    quoted = _quoted(item)
    where = quoted.title or quoted.outlet or quoted.document_id
    return Item(
        sentence=item.sentence,
        score=f"{item.score:.2f}",
        badge=badge(item, contradicting=contradicting),
        denials=tuple(denial(d) for d in item.denied_by),
        paragraph=paragraph_pieces(documents.get(quoted.document_id), quoted, item.sentence),
        paragraph_from=f"Paragraph {quoted.paragraph + 1} of {where}",
        matched=matched(item.match),
        notes=notes(item.match),
        stories=story_groups(item),
        sources_count=len(item.sources),
    )
