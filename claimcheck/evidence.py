"""One answer item from the copies of one verified sentence: verdict, attribution, denials, sources,
and the reasons it is there.

The allegation verdict is claim-aware: the frame whose content carries the words (and the act)
that matched the claim decides it (``verification`` calls ``attribution.verdict``); denials of that
report come from the same paragraph. Everything here reads stored analysis: nothing is parsed at
query time, and the document text is read only for the rare paragraph that holds a denial.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from attribution.frame import Frame
from attribution.verdict import denials_of
from claimcheck.provenance import source_of, stories_of
from claimcheck.results import Aligned, Attribution, Conflict, Evidence, Match, Source, SpeakerMatch
from retrieval.aliases import name_key
from retrieval.candidates import Candidate
from store.records import DocumentInfo, StoredParagraph, StoredSentence
from verification import SentenceFacts, Verification

Match_ = Candidate[StoredParagraph]


@dataclass(frozen=True, slots=True)
class Verified:
    """A candidate with its verdict."""

    candidate: Match_
    verification: Verification

    @property
    def sentence(self) -> StoredSentence:
        return sentence_of(self.candidate)


def sentence_of(candidate: Match_) -> StoredSentence:
    return candidate.paragraph.sentences[candidate.position]


def facts_of(candidate: Match_) -> SentenceFacts:
    """What the verifier reads of a candidate: its stored sentence and how it was admitted."""
    sentence = sentence_of(candidate)
    return SentenceFacts(
        sentence.text,
        sentence.start,
        sentence.end,
        sentence.terms,
        sentence.structure,
        candidate.support,
        candidate.lexical,
    )


def _attribution(frame: Frame, denial: bool = False) -> Attribution:
    return Attribution(frame.speaker, frame.cue, "denial" if denial else frame.kind)


def _sources(group: Sequence[Verified], infos: Mapping[str, DocumentInfo]) -> tuple[Source, ...]:
    """Every place the sentence appears, once each, in document order."""
    seen: set[tuple[str, int]] = set()
    sources = []
    for sentence in sorted((v.sentence for v in group), key=lambda s: (s.document_id, s.start)):
        key = (sentence.document_id, sentence.start)
        info = infos.get(sentence.document_id)
        if key in seen or info is None:
            continue
        seen.add(key)
        sources.append(source_of(sentence, info))
    return tuple(sources)


def speaker_match(claimed: str, frame: Frame | None) -> SpeakerMatch:
    """Does the evidence's speaker agree with the one the claim names? Names compare by their
    words ("the ministry" / "the Armenian defense ministry": every word of the shorter is in the
    longer) after aliases' normalisation (suffixes, articles and possessives dropped)."""
    said_by = frame.speaker if frame is not None else None
    if said_by is None:
        return SpeakerMatch(claimed, None, False)
    claimed_words = set(name_key(claimed).split())
    said_words = set(name_key(said_by).split())
    shorter, longer = sorted((claimed_words, said_words), key=len)
    return SpeakerMatch(claimed, said_by, bool(shorter) and shorter <= longer)


def _match(verification: Verification, claimed_speaker: str | None) -> Match:
    a = verification.alignment
    return Match(
        entities=tuple(Aligned(p.claim, p.evidence) for p in a.entities),
        figures=tuple(Aligned(p.claim, p.evidence) for p in a.figures),
        predicate=Aligned(a.predicate.claim, a.predicate.evidence) if a.predicate is not None else None,
        from_context=a.from_context,
        conflicts=tuple(Conflict(c.claim, c.evidence, c.kind) for c in a.conflicts),
        speaker=speaker_match(claimed_speaker, verification.frame) if claimed_speaker else None,
    )


def build(
    group: Sequence[Verified],
    infos: Mapping[str, DocumentInfo],
    document_text: Callable[[str], str],
    claimed_speaker: str | None = None,
) -> Evidence:
    """The item for one sentence; ``group`` holds its copies, best first."""
    best = group[0]
    sentence, paragraph, verification = best.sentence, best.candidate.paragraph, best.verification
    frame = verification.frame
    frames = paragraph.frames
    denials: list[Frame] = []
    if verification.verdict == "supports" and any(f.kind == "denial" for f in frames):
        anchor = frame if frame is not None else (sentence.start, sentence.end)
        sentence_spans = [(s.start, s.end) for s in paragraph.sentences]
        denials = denials_of(anchor, frames, sentence_spans, document_text(sentence.document_id))
    sources = _sources(group, infos)
    return Evidence(
        sentence=sentence.text,
        score=round(best.candidate.score, 4),
        allegation=frame is not None,
        attribution=_attribution(frame, verification.denial) if frame else None,
        sources=sources,
        stance=verification.stance,
        denied_by=tuple(_attribution(d) for d in denials),
        stories=stories_of(sources, infos),
        agencies_quoted=sentence.agencies,
        match=_match(verification, claimed_speaker),
    )
