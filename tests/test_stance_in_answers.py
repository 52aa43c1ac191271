"""The shipped stance model inside answers: it abstains unless confident, so the rules decide."""

from __future__ import annotations

from claimcheck.evidence import LearnedStance
from stance.model import StanceModel


class _Sure:
    def __init__(self, label, confidence):
        self.label, self.confidence, self.probabilities = label, confidence, {}


class _Model:
    threshold = 0.8

    def __init__(self, label, confidence):
        self._prediction = _Sure(label, confidence)

    def predict(self, *args):
        return self._prediction

    def reported_stance(self, prediction):
        return StanceModel.reported_stance(self, prediction)


def test_learned_stance_speaks_only_above_its_threshold(encoder):
    u, v = encoder.encode(["Turkey backs Azerbaijan", "Turkey has strongly backed Azerbaijan."])
    assert LearnedStance(_Model("refutes", 0.95)).stance("c", u, "s", v) == "refutes"
    assert LearnedStance(_Model("refutes", 0.6)).stance("c", u, "s", v) is None
    assert LearnedStance(_Model("neutral", 0.99)).stance("c", u, "s", v) is None


def test_shipped_model_abstains_and_rules_decide(seeded_checker, monkeypatch):
    shipped = LearnedStance(StanceModel.load())
    monkeypatch.setattr(seeded_checker, "stance_predictor", shipped)
    result = seeded_checker.check("Turkey has been backing Azerbaijan's military operations")
    assert result.evidence[0].stance == "supports"  # asserted in the outlet's voice, no negation
    assert seeded_checker.check("A Turkish F-16 downed an SU-25").evidence[0].stance == "reports"
