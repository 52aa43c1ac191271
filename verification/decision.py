"""Supports, contradicts, or neither: the verdict on one claim and one candidate sentence.

The verdict comes from the learned model (:mod:`verification.model`) over the alignment's features
when its weights are loaded; the rules below are the floor under it: they turn the alignment's
hard findings into verdicts a reader would agree with whatever the score says —

* a role swap, an act of the opposite sense on the same actors, or a figure that the sentence
  gives another value (or owner) is a contradiction; so is the outlet stating the negation;
* a speaker negating the claim's act ("BP said it does not intend to raise ...") is a report of the
  claim as denied: evidence, with the frame shown as a denial;
* a claim name found nowhere, an act that is only planned or possible where the claim says it
  happened, or an act done by someone else, is not support;
* nor is a sentence that names none of the claim's acts and reports another act of known sense
  (however close in cosine), one that names the act without a doer and names the claim's doer only
  as acted upon, one where only the aim of the claim's act lines up ("sued Baker to force it to
  complete the merger" / "does not complete its merger"), or the claim's doer doing it to another;
  nor one that names no act of the claim's and puts its two parties the other way round (the one
  the act is done to acting, the doer only acted upon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from attribution.frame import Frame
from attribution.verdict import frame_for_match
from retrieval.claim import Claim
from verification.alignment import Alignment, SentenceFacts, align
from verification.modal_hedge import modal_hedge
from verification.model import WEIGHTS_PATH, VerifierModel

Verdict = Literal["supports", "contradicts", "neither"]
Stance = Literal["supports", "refutes", "reports"]
"""How an item stands to the claim: the outlet asserts it, the outlet states its opposite, or it is
someone else's word (an attribution frame carries the matched content)."""


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    alignment: Alignment
    frame: Frame | None  # the frame that reports the matched content; None: the outlet's own voice
    denial: bool = False  # a speaker disputing the claim's act: shown as a denial
    probability: float = 0.0  # the model's probability of the verdict (0 when the rules decided)
    decided_by: Literal["rules", "model", "fallback"] = "rules"

    @property
    def stance(self) -> Stance:
        if self.frame is not None:
            return "reports"
        return "refutes" if self.verdict == "contradicts" else "supports"


class Verifier:
    """Aligns and decides. ``model`` None decides by the rules alone."""

    def __init__(self, model: VerifierModel | None = None, paraphrase_cosine: float = 0.70) -> None:
        self.model = model
        self.paraphrase_cosine = paraphrase_cosine

    @classmethod
    def shipped(cls) -> Verifier:
        """The verifier the service runs: with the shipped model when its weights are installed."""
        return cls(VerifierModel.load() if WEIGHTS_PATH.exists() else None)

    def verify(self, claim: Claim, sentence: SentenceFacts, frames: Sequence[Frame]) -> Verification:
        """The verdict on ``sentence``; ``frames`` are its paragraph's attribution frames."""
        alignment = align(claim, sentence, self.paraphrase_cosine)
        positions = alignment.match_positions or tuple(start for _, start, _ in sentence.terms)
        frame = frame_for_match(positions, frames)
        verification = self._decide(alignment, sentence, frame)
        if verification.verdict == "supports" and verification.frame is None:
            hedge = modal_hedge(sentence, alignment)
            if hedge is not None:  # supported only as a possibility: the outlet hedges it
                return replace(verification, frame=hedge)
        return verification

    def _decide(self, alignment: Alignment, sentence: SentenceFacts, frame: Frame | None) -> Verification:
        ruled = self._rules(alignment, sentence, frame)
        if ruled is not None:
            return ruled
        if self.model is not None:
            verdict, probability = self.model.decide(alignment, sentence, frame is not None)
            return Verification(verdict, alignment, frame, probability=probability, decided_by="model")
        return Verification(self._fallback(alignment, sentence), alignment, frame, decided_by="fallback")

    def _rules(self, a: Alignment, sentence: SentenceFacts, frame: Frame | None) -> Verification | None:
        if a.missing:
            return Verification("neither", a, frame)
        if a.figure_conflict:
            return Verification("contradicts", a, frame)
        if a.principal_missing:
            return Verification("neither", a, frame)  # only what the claim's act aims at is there
        if a.role_swap or a.direction_conflict:
            return Verification("contradicts", a, frame)
        if a.figures_matched < a.figures_total:
            return Verification("neither", a, frame)  # a claim figure the sentence does not state
        if a.negation_conflict and a.mode_gap:
            # "there are no plans to suspend exports" against "halted its exports": what the
            # sentence negates is a plan, not the act the claim asserts; neither for nor against
            return Verification("neither", a, frame)
        if a.negation_conflict:
            if frame is not None and a.sentence_negated:
                return Verification("supports", a, frame, denial=True)
            return Verification("contradicts", a, frame)
        if a.mode_gap or a.other_measure:
            return Verification("neither", a, frame)  # a plan for a deed, or another measure's movement
        if a.act_aligned and (a.agents_differ or a.patients_differ or a.doer_elsewhere):
            return Verification("neither", a, frame)
        if not a.act_aligned and a.roles_reversed:
            return Verification("neither", a, frame)  # the claim's two parties the other way round
        if (
            a.claim_has_act
            and not a.act_mentioned
            and (a.other_act or sentence.support.cosine < self.paraphrase_cosine)
        ):
            return Verification("neither", a, frame)  # the claim's act is not what the sentence reports
        return None

    def _fallback(self, a: Alignment, sentence: SentenceFacts) -> Verdict:
        """Without a model: an aligned act, or no act to align and the admission's closeness."""
        if not a.claim_has_act or a.act_aligned:
            return "supports"
        return "supports" if sentence.support.cosine >= self.paraphrase_cosine else "neither"
