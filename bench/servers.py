"""ASGI servers compared on the check route: the same app, data and claims, runs interleaved.

    .venv/bin/python -m bench.servers --data DIR [--rounds 3] [--claims 150] [--seconds 15]
                                      [--variants uvicorn-h11,uvicorn-httptools,granian,granian-st]

``DIR`` is a store built by ``bench/ingest.py --limit N`` (a few hundred stories is enough: the
figures compare servers, not index sizes). Every variant serves its own copy of it, all started
at once (one worker each, seeds off, rate limits out of reach) and left idle while another is
measured; each round then measures every variant in turn, so a busy neighbour on a shared machine
slows all of them alike rather than one. Per variant and round:

* ``GET /health`` one client, keep-alive, ``--health`` requests: the floor of the HTTP layer;
* ``POST /v1/claims/check`` one client, keep-alive, ``--claims`` claims: p50 / p99;
* 8 clients (``--clients``), one keep-alive connection each, ``--seconds``: claims/s;
* the server's CPU time per check over both check phases (user + system, its process tree, from
  /proc): the figure to trust when other jobs share the cores.

Variants (``--variants``): ``uvicorn-h11`` is what ``claimcheck serve`` runs (uvicorn's h11
protocol with the header and body deadlines, ``claimcheck.server``); ``uvicorn-httptools`` is
plain uvicorn on httptools (no deadlines); ``granian`` is granian's ASGI interface, HTTP/1 only,
one worker, one runtime thread, backpressure 512, 10 s header timeout; ``granian-st`` the same in
granian's single-threaded runtime mode. A variant whose server is not installed is skipped.
The best median of each figure over the rounds is printed per variant.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import contextlib
import importlib.util
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.claims_from_reuters import DEFAULT_DATASET, FULL_CORPUS_DOCUMENTS, load_documents, make_claims
from bench.query import Client, Phase, concurrent, free_port, process_tree, sequential, timed_check
from bench.server import DEFAULT_MODEL_CACHE, PROJECT_ROOT, UNLIMITED_RATES
from claimcheck.logs import logging_config

APP = "api.app:create_app"
WARMUP = 10


_LISTEN = ["--host", "127.0.0.1", "--port", "{port}"]
_GRANIAN = ["-m", "granian", "--interface", "asgi", "--factory", "--http", "1", "--no-ws", "--workers", "1"]
_GRANIAN += ["--runtime-threads", "1", "--blocking-threads", "1", "--backpressure", "512"]
_GRANIAN += ["--http1-header-read-timeout", "10000", "--log-config", "{log}", *_LISTEN]
_UVICORN = ["-m", "uvicorn", "--factory", "--no-access-log", "--no-server-header"]
_UVICORN += ["--limit-concurrency", "512"]
_UVICORN += ["--log-config", "{log}", *_LISTEN]

# name -> (module that must be importable, arguments after ``python``: {port}, {log} filled in)
VARIANTS: dict[str, tuple[str, list[str]]] = {
    "uvicorn-h11": ("uvicorn", ["-m", "claimcheck.cli", "serve", *_LISTEN]),
    "uvicorn-httptools": ("httptools", [*_UVICORN, "--http", "httptools"]),
    "granian": ("granian", _GRANIAN),
    "granian-st": ("granian", [*_GRANIAN, "--runtime-mode", "st"]),
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants so far."""
    total = 0.0
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class Running:
    """One variant's server process on a free port over its own copy of the data."""

    def __init__(self, name: str, args: list[str], data: Path, root: Path) -> None:
        self.name, self.port = name, free_port()
        log_config = root / "logging.json"
        if not log_config.exists():
            log_config.write_text(json.dumps(logging_config("info")))
        command = [sys.executable, *(a.format(port=self.port, log=log_config) for a in args)]
        if "granian" in args or "uvicorn" in args[:2]:
            command.append(APP)
        own = root / name
        shutil.copytree(data, own, ignore=shutil.ignore_patterns("models"))
        env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "HF_HUB_OFFLINE": "1",
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "CLAIMCHECK_DATA": str(own),
            "CLAIMCHECK_SEEDS": "",
            "CLAIMCHECK_MODEL_CACHE": os.environ.get("CLAIMCHECK_MODEL_CACHE", str(DEFAULT_MODEL_CACHE)),
            **UNLIMITED_RATES,
        }
        self.command = command
        self.log_path = root / f"{name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def client(self) -> Client:
        return Client("127.0.0.1", self.port, 120.0)

    def wait_ready(self, timeout: float) -> None:
        probe, deadline = self.client(), time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    tail = self.log_path.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")
                with contextlib.suppress(OSError):
                    if probe.request("GET", "/health")[0] == 200:
                        return
                time.sleep(0.5)
        finally:
            probe.close()
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Figures:
    health_p50: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    rate: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    errors: int = 0


def health_phase(client: Client, requests: int) -> Phase:
    latencies = []
    start = time.perf_counter()
    for _ in range(requests):
        t0 = time.perf_counter()
        status, _ = client.request("GET", "/health")
        if status == 200:
            latencies.append(time.perf_counter() - t0)
    return Phase(latencies, time.perf_counter() - start)


def measure(server: Running, claims: list[tuple[str, str]], args: argparse.Namespace, into: Figures) -> None:
    client = server.client()
    try:
        for claim, _ in claims[:WARMUP]:
            timed_check(client, claim, args.top)
        health = health_phase(client, args.health)
        cpu = cpu_seconds(server.process.pid)
        one = sequential(client, claims, args.top)
        many = concurrent(server.client, claims, args.top, args.clients, args.seconds, args.max_requests)
        checks = len(one.latencies) + len(many.latencies)
        into.cpu_ms.append(1000 * (cpu_seconds(server.process.pid) - cpu) / max(checks, 1))
    finally:
        client.close()
    into.health_p50.append(health.ms(50))
    into.p50.append(one.ms(50))
    into.p99.append(one.ms(99))
    into.rate.append(many.rate)
    into.errors += sum(one.errors.values()) + sum(many.errors.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="a store built by bench/ingest.py")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--claims", type=int, default=150, help="claims of the one-client phase")
    parser.add_argument("--health", type=int, default=300, help="GET /health requests")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the concurrent phase")
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--docs", type=int, default=None, help="claims from the first N stories")
    args = parser.parse_args(argv)
    print(f"$ {sys.executable} -m bench.servers {' '.join(sys.argv[1:] if argv is None else argv)}")
    if not (args.data / "store.sqlite3").is_file():
        parser.error(f"{args.data} has no store.sqlite3: build it with bench/ingest.py --limit N")

    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    chosen = {}
    for name in names:
        module, command = VARIANTS[name]
        if importlib.util.find_spec(module) is None:
            print(f"{name}: {module} is not installed, skipped")
        else:
            chosen[name] = command

    root = Path(tempfile.mkdtemp(prefix="claimcheck-bench-servers-"))
    servers = [Running(name, command, args.data.resolve(), root) for name, command in chosen.items()]
    try:
        for server in servers:
            server.wait_ready(600)
            print(f"{server.name}: ready on port {server.port}: {' '.join(server.command)}", flush=True)
        _, body = servers[0].client().request("GET", "/v1/documents?offset=0&limit=1")
        stored = int(json.loads(body)["total"])
        docs = args.docs or min(stored, FULL_CORPUS_DOCUMENTS)
        claims = make_claims(load_documents(DEFAULT_DATASET, docs), args.claims)
        print(f"{stored} documents, {len(claims)} claims; logs and data in {root}", flush=True)
        figures = {s.name: Figures() for s in servers}
        for round_ in range(args.rounds):
            order = servers[round_ % len(servers) :] + servers[: round_ % len(servers)]
            for server in order:
                print(f"-- round {round_ + 1}: {server.name}", flush=True)
                measure(server, claims, args, figures[server.name])
    finally:
        for server in servers:
            server.stop()

    print()
    print(f"medians over {args.rounds} rounds (ms; claims/s with {args.clients} clients)")
    header = f"{'variant':20s}{'health p50':>11s}{'check p50':>11s}{'check p99':>11s}"
    print(header + f"{'claims/s':>10s}{'CPU/check':>11s}{'errors':>8s}")
    for name, f in figures.items():
        med = statistics.median
        print(
            f"{name:20s}{med(f.health_p50):11.2f}{med(f.p50):11.2f}{med(f.p99):11.2f}"
            f"{med(f.rate):10.1f}{med(f.cpu_ms):11.2f}{f.errors:8d}"
        )
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
