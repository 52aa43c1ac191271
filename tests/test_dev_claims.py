"""The shared development claims, scored by the shared scorer against a real server on loopback."""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
import time

import pytest
import uvicorn

from api.app import create_app
from claimcheck.settings import Settings
from tests.conftest import SEEDS_DIR, SHARED_DIR

CLAIMS_FILE = SHARED_DIR / "eval" / "seed_claims_dev.json"
SCORER = SHARED_DIR / "tools" / "eval_claims.py"


def _load_scorer():
    spec = importlib.util.spec_from_file_location("eval_claims", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(seeded_checker):
    settings = Settings(data_dir=seeded_checker.indexes.data_dir, seeds_dir=None)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings=settings, checker=seeded_checker),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


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
