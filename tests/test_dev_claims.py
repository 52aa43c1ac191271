"""The shared development claims, scored by the shared scorer against a real server on loopback."""

from __future__ import annotations

import json

import pytest

from bench.tools import load_tool
from tests.conftest import SEEDS_DIR, SHARED_DIR, serving

CLAIMS_FILE = SHARED_DIR / "eval" / "seed_claims_dev.json"
SCORER = SHARED_DIR / "tools" / "eval_claims.py"


def _load_scorer():
    return load_tool(SCORER, "eval_claims")


@pytest.fixture(scope="module")
def server_url(seeded_checker):
    with serving(seeded_checker) as url:
        yield url


@pytest.mark.skipif(not CLAIMS_FILE.exists(), reason="../shared is not beside this checkout")
def test_dev_claims_pass(server_url, capsys):
    scorer = _load_scorer()
    spec = json.loads(CLAIMS_FILE.read_text(encoding="utf-8"))
    seeds = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS_DIR.glob("*.txt")}
    result = scorer.evaluate(server_url, spec, True, seeds)
    report = capsys.readouterr().out
    assert result["errors"] == 0, report
    assert result["forbidden"] == [], report
    for check, (good, total) in result["tally"].items():
        assert good == total, f"{check}: {good}/{total}\n{report}"
