"""Stance classifier: the shipped weights load, predictions are well-formed, and quality holds.

The quality floor is measured on a fixed sample of a held-out split with the real encoder; it sits a
little below the figure ``bench.stance`` reports, so it catches a broken model or feature layout
rather than noise.
"""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.stance_data import load_fever_symmetric
from evaluation.stance_scores import accuracy, macro_f1
from stance.features import FEATURE_DIM, LEXICAL_NAMES, lexical_features
from stance.model import WEIGHTS_PATH, StanceModel, StancePrediction

CLAIM = "Azerbaijan and Armenia imposed martial law"
SENTENCE = "Azerbaijan and Armenia have imposed martial law and launched mobilization efforts."


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


def test_weights_are_small_plain_arrays_with_the_expected_shapes(model):
    assert WEIGHTS_PATH.stat().st_size < 1_000_000
    assert model.classes == ("supports", "refutes", "neutral")
    assert model.coef.shape == (3, FEATURE_DIM) and model.coef.dtype == np.float32
    assert model.intercept.shape == (3,)
    assert 1 / 3 < model.threshold <= 1  # 1.0 = never take a side (see training.stance.tune_threshold)
    with np.load(WEIGHTS_PATH, allow_pickle=False) as weights:
        assert tuple(str(n) for n in weights["lexical_names"]) == LEXICAL_NAMES


def test_predict_returns_a_label_and_a_distribution(model, encoder):
    u, v = encoder.encode([CLAIM, "The weather in Paris was mild on Sunday."])
    prediction = model.predict(u, v, CLAIM, "The weather in Paris was mild on Sunday.")
    assert prediction.label in ("supports", "refutes", "neutral")
    assert set(prediction.probabilities) == {"supports", "refutes", "neutral"}
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0, abs=1e-6)
    assert prediction.confidence == pytest.approx(max(prediction.probabilities.values()))


def test_a_restatement_is_not_confidently_refuted(model, encoder):
    u, v = encoder.encode([CLAIM, SENTENCE])
    prediction = model.predict(u, v, CLAIM, SENTENCE)
    # Measured: arg-max refutes at 0.61 (COVID-Fact teaches "near copy -> refutes"); it must stay unsure.
    assert not (prediction.label == "refutes" and prediction.confidence >= 0.8)
    assert model.reported_stance(prediction) != "refutes"


def test_unsure_and_neutral_predictions_are_reported_not_sided(model):
    unsure = StancePrediction(
        "refutes", model.threshold - 0.01, {"supports": 0.2, "refutes": 0.5, "neutral": 0.3}
    )
    neutral = StancePrediction("neutral", 0.99, {"supports": 0.005, "refutes": 0.005, "neutral": 0.99})
    sure = StancePrediction(
        "supports", max(model.threshold, 0.99), {"supports": 0.99, "refutes": 0, "neutral": 0}
    )
    assert model.reported_stance(unsure) == "reports"
    assert model.reported_stance(neutral) == "reports"
    assert model.reported_stance(sure) == "supports"


def test_vectors_of_the_wrong_shape_are_refused(model):
    with pytest.raises(ValueError, match="384"):
        model.predict(np.zeros(10, dtype=np.float32), np.zeros(384, dtype=np.float32), "a", "b")


def test_lexical_features_see_negation_numbers_and_antonyms():
    names = list(LEXICAL_NAMES)
    negated = lexical_features("Turkey sent fighters to Azerbaijan", "Turkey did n't send fighters.")
    assert negated[names.index("negation_difference")] == 1
    numbers = lexical_features("Twelve people died in 2019", "Twelve people died in 2020.")
    assert numbers[names.index("claim_numbers_missing")] == 1.0
    flipped = lexical_features("Arctic sea ice is increasing", "Arctic sea ice is decreasing.")
    assert flipped[names.index("antonym_flips")] == 0  # "increasing" is not in the antonym table
    flipped = lexical_features("Temperatures rose last year", "Temperatures fell last year.")
    assert flipped[names.index("antonym_flips")] == 1


def test_held_out_quality_floor_on_fever_symmetric(model, encoder):
    """First 240 pairs of the fever-symmetric v0.2 test file (never trained on)."""
    pairs = load_fever_symmetric().heldout[:240]
    u = encoder.encode([p.claim for p in pairs])
    v = encoder.encode([p.sentence for p in pairs])
    predicted = [model.predict(u[i], v[i], p.claim, p.sentence).label for i, p in enumerate(pairs)]
    gold = [p.label for p in pairs]
    f1 = macro_f1(gold, predicted, ("supports", "refutes"))
    assert f1 >= FLOOR_F1, (f1, accuracy(gold, predicted))


FLOOR_F1 = 0.53
"""Measured 0.591 macro-F1 (accuracy 0.583) on these 240 pairs; 0.551 on all 712; majority 0.333."""
