"""The shipped stance model inside answers: it abstains unless confident, so the rules decide."""

from __future__ import annotations

import pytest

from stance import StanceJudge, StanceModel

CLAIM = "Turkey backs Azerbaijan"
SENTENCE = "Turkey has strongly backed Azerbaijan."


class _Prediction:
    def __init__(self, label, confidence):
        self.label, self.confidence, self.probabilities = label, confidence, {}


class _Model:
    """A classifier that always predicts ``label`` with ``confidence``; the real threshold rule."""

    threshold = 0.8

    def __init__(self, label, confidence):
        self._prediction = _Prediction(label, confidence)

    def predict(self, *args):
        return self._prediction

    def reported_stance(self, prediction):
        return StanceModel.reported_stance(self, prediction)


@pytest.fixture(scope="module")
def pair(encoder, nlp):
    from retrieval.claim import Claim

    u, v = encoder.encode([CLAIM, SENTENCE])
    return Claim.from_parse(CLAIM, nlp(CLAIM)[:], u), v


@pytest.mark.parametrize(
    ("label", "confidence", "expected"),
    [("refutes", 0.95, "refutes"), ("refutes", 0.6, "supports"), ("neutral", 0.99, "supports")],
)
def test_learned_stance_speaks_only_above_its_threshold(pair, label, confidence, expected):
    claim, vector = pair
    judge = StanceJudge(_Model(label, confidence))
    assert judge.stance(claim, False, SENTENCE, vector, ()) == expected


def test_a_reported_sentence_takes_no_side_whatever_the_model_says(pair):
    claim, vector = pair
    assert StanceJudge(_Model("refutes", 0.99)).stance(claim, True, SENTENCE, vector, ()) == "reports"


def test_shipped_model_abstains_and_rules_decide(seeded_checker, monkeypatch):
    monkeypatch.setattr(seeded_checker, "judge", StanceJudge(StanceModel.load()))
    result = seeded_checker.check("Turkey has been backing Azerbaijan's military operations")
    assert result.evidence[0].stance == "supports"  # asserted in the outlet's voice, no negation
    assert seeded_checker.check("A Turkish F-16 downed an SU-25").evidence[0].stance == "reports"
