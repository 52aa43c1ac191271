"""One evidence item from the copies of one supporting sentence: verdict, denials, stance, sources.

The allegation verdict is claim-aware: the frame whose content carries the words that matched the
claim decides it (``attribution.verdict``); denials of that report come from the same paragraph.
The stance is ``stance.decision``'s. Everything here reads stored analysis: nothing is parsed at
query time, and the document text is read only for the rare paragraph that holds a denial.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from attribution.frame import Frame
from attribution.verdict import denials_of, frame_for_match
from claimcheck.provenance import source_of, stories_of
from claimcheck.results import Attribution, Evidence, Source
from retrieval.candidates import Candidate
from retrieval.claim import Claim
from stance import StanceJudge
from store.records import DocumentInfo, StoredParagraph, StoredSentence

Match = Candidate[StoredParagraph]


def sentence_of(candidate: Match) -> StoredSentence:
    return candidate.paragraph.sentences[candidate.position]


def _attribution(frame: Frame) -> Attribution:
    return Attribution(frame.speaker, frame.cue, frame.kind)


def _sources(group: Sequence[Match], infos: Mapping[str, DocumentInfo]) -> tuple[Source, ...]:
    """Every place the sentence appears, once each, in document order."""
    seen: set[tuple[str, int]] = set()
    sources = []
    for sentence in sorted((sentence_of(c) for c in group), key=lambda s: (s.document_id, s.start)):
        key = (sentence.document_id, sentence.start)
        info = infos.get(sentence.document_id)
        if key in seen or info is None:
            continue
        seen.add(key)
        sources.append(source_of(sentence, info))
    return tuple(sources)


def build(
    claim: Claim,
    group: Sequence[Match],
    infos: Mapping[str, DocumentInfo],
    document_text: Callable[[str], str],
    judge: StanceJudge,
) -> Evidence:
    """The item for one sentence; ``group`` holds its copies, best first."""
    best = group[0]
    sentence = sentence_of(best)
    frames = best.paragraph.frames
    positions = best.support.match_positions or tuple(start for _, start, _ in sentence.terms)
    frame = frame_for_match(positions, frames)
    denials: list[Frame] = []
    if any(f.kind == "denial" for f in frames):
        anchor = frame if frame is not None else (sentence.start, sentence.end)
        sentence_spans = [(s.start, s.end) for s in best.paragraph.sentences]
        denials = denials_of(anchor, frames, sentence_spans, document_text(sentence.document_id))
    sources = _sources(group, infos)
    return Evidence(
        sentence=sentence.text,
        score=round(best.score, 4),
        allegation=frame is not None,
        attribution=_attribution(frame) if frame else None,
        sources=sources,
        stance=judge.stance(claim, frame is not None, sentence.text, sentence.vector, sentence.terms),
        denied_by=tuple(_attribution(d) for d in denials),
        stories=stories_of(sources, infos),
        agencies_quoted=sentence.agencies,
    )
