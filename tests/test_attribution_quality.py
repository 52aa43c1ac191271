"""Floors on attribution quality, measured through the ingest code path on a small sample.

The full figures come from ``python -m bench.attribution --split test`` (README, "Attribution");
this test runs the same scoring (``evaluation.attribution``) on the first articles of the PolNeAR
*dev* split and the first sentences of the wiki-weasel *test* split so that a regression shows up
in the suite, and holds floors a little below what the sample measures. Skipped when the datasets
are absent.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from evaluation import attribution as scoring
from tests.conftest import SHARED_DIR

POLNEAR_SAMPLE_ARTICLES = 15
WEASEL_SAMPLE_SENTENCES = 1500

needs_polnear = pytest.mark.skipif(
    not (SHARED_DIR / "datasets" / "polnear" / "data" / "dev").is_dir(), reason="PolNeAR not available"
)
needs_weasel = pytest.mark.skipif(
    not (SHARED_DIR / "datasets" / "wiki-weasel-conll2010" / "test.csv").is_file(),
    reason="wiki-weasel not available",
)


@needs_polnear
def test_speech_act_attribution_floors_on_polnear_dev_sample(nlp: Language):
    scores = scoring.run_polnear("dev", nlp, POLNEAR_SAMPLE_ARTICLES, time_frames=False)
    report = scoring.polnear_report("dev", scores)
    print(report)
    assert scores.gold_speech > 100
    assert report["cue_p"] >= FLOORS["cue_p"]
    assert report["cue_r"] >= FLOORS["cue_r"]
    assert report["cue_f"] >= FLOORS["cue_f"]
    assert report["source_f"] >= FLOORS["source_f"]
    assert report["content_f"] >= FLOORS["content_f"]


@needs_weasel
def test_hedge_detection_floors_on_wiki_weasel_sample(nlp: Language):
    report = scoring.run_weasel("test", nlp, WEASEL_SAMPLE_SENTENCES)
    print(report)
    assert report["hedge_p"] >= FLOORS["hedge_p"]
    assert report["hedge_r"] >= FLOORS["hedge_r"]
    assert report["hedge_f"] >= FLOORS["hedge_f"]


# Measured on these samples: cue P 0.842 R 0.883 F1 0.862, source F1 0.873, content F1 0.813;
# hedges P 0.767 R 0.501 F1 0.606.
FLOORS = {
    "cue_p": 0.80,
    "cue_r": 0.84,
    "cue_f": 0.82,
    "source_f": 0.83,
    "content_f": 0.77,
    "hedge_p": 0.72,
    "hedge_r": 0.46,
    "hedge_f": 0.56,
}
