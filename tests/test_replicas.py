"""Replicas on a shared PostgreSQL store: real service processes (``python -m claimcheck.cli serve``,
``CLAIMCHECK_STORE_URL``), each with its own data directory for its FAISS cache.

What a desk running several replicas behind a load balancer relies on: a document written through
one replica is found by a check on another within a second; a document deleted through one is never
returned by another afterwards; a replica started later (on an empty data directory: rebuilt from
the store's vectors; on its old one: replaying the change log) answers like the others.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

from tests.conftest import AUTH, PROJECT_ROOT, TEST_KEY

START_TIMEOUT = 240.0  # models load per process; the machine may be shared
VISIBLE_WITHIN = 1.0

HARBOUR = (
    "The port authority of Velmora signed a 40-year lease with Nordic Freight on Tuesday, officials said."
)
HARBOUR_CLAIM = "Velmora port authority signed a 40-year lease with Nordic Freight"
MINE = "Quarrton Mining said its copper output at the Kestrel pit rose 12 percent in the first quarter."
MINE_CLAIM = "Copper output at Quarrton's Kestrel pit rose 12 percent"
FERRY = (
    "Lakeport Ferries cancelled all crossings to Orwin Island on Friday because of a storm, the company said."
)
FERRY_CLAIM = "Lakeport Ferries cancelled crossings to Orwin Island because of a storm"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replica:
    """One ``claimcheck serve`` process on ``data_dir`` against the shared store."""

    def __init__(self, name: str, data_dir: Path, store_url: str, model_cache: Path, logs: Path) -> None:
        self.name = name
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "HF_HUB_OFFLINE": "1",
            "CLAIMCHECK_DATA": str(data_dir),
            "CLAIMCHECK_STORE_URL": store_url,
            "CLAIMCHECK_SEEDS": "",
            "CLAIMCHECK_ENCODER": "onnx",
            "CLAIMCHECK_MODEL_CACHE": str(model_cache),
            "CLAIMCHECK_API_KEYS": TEST_KEY,
            "CLAIMCHECK_KEYED_CHECK_RATE": "100000/minute",
            "CLAIMCHECK_WRITE_RATE": "100000/minute",
        }
        self.log_path = logs / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "claimcheck.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=self.url, headers=AUTH, timeout=30.0)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"replica {self.name} exited: {self.log_path.read_text(errors='replace')}"
                )
            with suppress(httpx.HTTPError):
                if self.client.get("/health").status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(
            f"replica {self.name} did not start: {self.log_path.read_text(errors='replace')}"
        )

    def returned(self, claim: str) -> set[str]:
        """Ids of the documents a check of ``claim`` cites (supporting or contradicting)."""
        response = self.client.post("/v1/claims/check", json={"claim": claim})
        assert response.status_code == 200, response.text
        body = response.json()
        items = body["evidence"] + body.get("contradicting", [])
        return {source["document_id"] for item in items for source in item["sources"]}

    def stop(self) -> None:
        """Stop as an operator does (SIGTERM: the index is saved at shutdown)."""
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@contextmanager
def replicas() -> Iterator[dict[str, Replica]]:
    """Replicas by name, as the test starts them (``_start``); every one is stopped at the end."""
    running: dict[str, Replica] = {}
    try:
        yield running
    finally:
        for replica in running.values():
            replica.stop()


def _start(
    running: dict[str, Replica], names: list[str], store_url: str, model_cache: Path, root: Path
) -> None:
    for name in names:
        running[name] = Replica(name, root / f"data-{name}", store_url, model_cache, root)
    for name in names:
        running[name].wait_ready()


def _visible(replica: Replica, claim: str, document_id: str, within: float) -> float:
    """Seconds until a check on ``replica`` cites ``document_id``; fails after ``within``."""
    start = time.monotonic()
    while True:
        if document_id in replica.returned(claim):
            return time.monotonic() - start
        assert time.monotonic() - start < within, (
            f"{document_id} not returned by {replica.name} within {within}s"
        )
        time.sleep(0.02)


def test_replicas_share_writes_deletes_and_catch_up(pg_url, onnx_cache, tmp_path):
    with replicas() as running:
        _start(running, ["a", "b"], pg_url, onnx_cache, tmp_path)
        a, b = running["a"], running["b"]
        assert "harbour" not in b.returned(HARBOUR_CLAIM)

        # Written through A: found by a check on B within a second.
        assert a.client.post("/v1/documents", json={"id": "harbour", "text": HARBOUR}).status_code == 201
        assert _visible(b, HARBOUR_CLAIM, "harbour", VISIBLE_WITHIN) < VISIBLE_WITHIN
        assert a.client.post("/v1/documents", json={"id": "mine", "text": MINE}).status_code == 201
        assert _visible(b, MINE_CLAIM, "mine", VISIBLE_WITHIN) < VISIBLE_WITHIN
        assert "harbour" in a.returned(HARBOUR_CLAIM)  # A itself, too

        # Deleted through B: never returned by A afterwards, from the first check on.
        assert b.client.delete("/v1/documents/harbour").status_code == 204
        for _ in range(5):
            assert "harbour" not in a.returned(HARBOUR_CLAIM)
            assert a.client.get("/v1/documents/harbour").status_code == 404
        assert "harbour" not in b.returned(HARBOUR_CLAIM)

        # A third replica on an empty data directory: rebuilt from the store's vectors.
        _start(running, ["c"], pg_url, onnx_cache, tmp_path)
        c = running["c"]
        assert "mine" in c.returned(MINE_CLAIM)
        assert "harbour" not in c.returned(HARBOUR_CLAIM)
        assert c.client.get("/health").json()["documents"] == 1

        # B stopped (its index saved), a write through C, B restarted on its own data directory:
        # it replays the change log from its saved generation.
        b.stop()
        del running["b"]
        assert (tmp_path / "data-b" / "index").is_dir()
        assert c.client.post("/v1/documents", json={"id": "ferry", "text": FERRY}).status_code == 201
        assert c.client.delete("/v1/documents/mine").status_code == 204
        _start(running, ["b"], pg_url, onnx_cache, tmp_path)
        b = running["b"]
        assert "ferry" in b.returned(FERRY_CLAIM)
        assert "mine" not in b.returned(MINE_CLAIM)
        assert _visible(a, FERRY_CLAIM, "ferry", VISIBLE_WITHIN) < VISIBLE_WITHIN
        assert "mine" not in a.returned(MINE_CLAIM)
        health = [r.client.get("/health").json() for r in running.values()]
        assert [(h["documents"], h["paragraphs"]) for h in health] == [(1, 1)] * 3
