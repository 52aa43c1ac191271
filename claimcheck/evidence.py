"""One evidence item from the copies of one supporting sentence: verdict, denials, stance, sources.

The allegation verdict is claim-aware: the frame whose content carries the words that matched the
claim decides it (``attribution.verdict``). The stance says whether the outlet takes a side:
``reports`` whenever the matched words are someone else's (a frame), ``refutes`` when the outlet
states the claim's opposite (negation of the matched words, or the stance model sure of it), and
``supports`` when the outlet states it in its own voice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from attribution.frame import Frame
from attribution.verdict import denials_of, frame_for_match
from claimcheck.provenance import stories_of
from claimcheck.results import Attribution, Evidence, Source, Stance
from corpus.origin import agencies_in
from corpus.store import DocumentInfo, FrameRecord, StoredParagraph, StoredSentence
from embeddings.encoder import Vectors
from retrieval.support import Support
from retrieval.terms import NEGATED
from stance.model import StanceModel


class StancePredictor(Protocol):
    """Optional learned stance on top of the rules: ``"refutes"``, ``"supports"`` or ``None`` (unsure)."""

    def stance(
        self, claim: str, claim_vector: Vectors, sentence: str, sentence_vector: Vectors
    ) -> Stance | None: ...


class LearnedStance:
    """The shipped stance classifier (``stance/``) as a predictor: it speaks only when confident.

    Its confidence threshold is tuned on training data for 80% precision; measured held-out, the
    classifier never reaches it (bench/stance.py), so today it always abstains and the rules decide.
    Retraining with better features or weights changes that without touching this code.
    """

    def __init__(self, model: StanceModel) -> None:
        self._model = model

    def stance(
        self, claim: str, claim_vector: Vectors, sentence: str, sentence_vector: Vectors
    ) -> Stance | None:
        prediction = self._model.predict(claim_vector, sentence_vector, claim, sentence)
        decided = self._model.reported_stance(prediction)
        return decided if decided in ("supports", "refutes") else None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that supports the claim, with where it sits and how well it matched."""

    sentence: StoredSentence
    paragraph: StoredParagraph
    support: Support
    score: float


@dataclass(frozen=True, slots=True)
class Claim:
    text: str
    vector: Vectors
    keys: frozenset[str]  # every key a claim requirement answers to
    negated_keys: frozenset[str]  # keys of the words the claim negates
    words: tuple[str, ...] = ()  # content words, for the lexical (BM25) search


def to_frame(record: FrameRecord) -> Frame:
    return Frame(
        kind=record.kind,  # type: ignore[arg-type]
        cue=record.cue,
        cue_start=record.cue_start,
        cue_end=record.cue_end,
        speaker=record.speaker,
        speaker_start=record.speaker_start,
        speaker_end=record.speaker_end,
        content_start=record.content_start,
        content_end=record.content_end,
    )


def _attribution(frame: Frame) -> Attribution:
    return Attribution(frame.speaker, frame.cue, frame.kind)


def _sources(group: Sequence[Candidate], infos: dict[str, DocumentInfo]) -> tuple[Source, ...]:
    """Every place the sentence appears, once each, in document order."""
    seen: set[tuple[str, int]] = set()
    sources = []
    for c in sorted(group, key=lambda c: (c.sentence.document_id, c.sentence.start)):
        key = (c.sentence.document_id, c.sentence.start)
        info = infos.get(c.sentence.document_id)
        if key in seen or info is None:
            continue
        seen.add(key)
        sources.append(
            Source(c.sentence.document_id, info, c.sentence.paragraph_index, c.sentence.start, c.sentence.end)
        )
    return tuple(sources)


def negation_conflict(claim: Claim, candidate: Candidate) -> bool:
    """A word shared by claim and sentence is negated in one of them and not in the other.

    "Turkey did not release a statement" against "Turkey released a statement": "release" is
    negated in one only. Words the sentence does not share with the claim say nothing either way.
    """
    terms = candidate.sentence.terms
    negated_at = {start for key, start, _ in terms if key == NEGATED}
    for key, start, _ in terms:
        if key in claim.keys and (start in negated_at) != (key in claim.negated_keys):
            return True
    return False


def build(
    claim: Claim,
    group: Sequence[Candidate],
    infos: dict[str, DocumentInfo],
    document_text: Callable[[str], str],
    predictor: StancePredictor | None = None,
) -> Evidence:
    """The item for one sentence; ``group`` holds its copies, best first."""
    best = group[0]
    frames = [to_frame(f) for f in best.paragraph.frames]
    positions = best.support.match_positions or tuple(start for _, start, _ in best.sentence.terms)
    frame = frame_for_match(positions, frames)
    denials: list[Frame] = []
    if any(f.kind == "denial" for f in frames):
        anchor = frame if frame is not None else (best.sentence.start, best.sentence.end)
        sentence_spans = [(s.start, s.end) for s in best.paragraph.sentences]
        # The text is read only here, for the rare paragraph that holds a denial.
        denials = denials_of(anchor, frames, sentence_spans, document_text(best.sentence.document_id))
    sources = _sources(group, infos)
    return Evidence(
        sentence=best.sentence.text,
        score=round(best.score, 4),
        allegation=frame is not None,
        attribution=_attribution(frame) if frame else None,
        sources=sources,
        denied_by=tuple(_attribution(d) for d in denials),
        stance=_stance(claim, best, frame, predictor),
        stories=stories_of(sources),
        agencies_quoted=tuple(agencies_in(best.sentence.text)),
    )


def _stance(claim: Claim, best: Candidate, frame: Frame | None, predictor: StancePredictor | None) -> Stance:
    if frame is not None:
        return "reports"
    if negation_conflict(claim, best):
        return "refutes"
    if predictor is not None:
        vector = np.asarray(best.sentence.vector, dtype=np.float32)
        learned = predictor.stance(claim.text, claim.vector, best.sentence.text, vector)
        if learned is not None:
            return learned
    return "supports"
