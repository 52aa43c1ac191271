"""Query latency and throughput of a running service over HTTP, with claims drawn from Reuters titles.

    .venv/bin/python -m bench.query [--url http://127.0.0.1:8000] [--limit 300] [--docs N]
    .venv/bin/python -m bench.query --start-server DATA_DIR [--workers 1] ...

The claims are Reuters-21578 titles, lightly paraphrased (``bench/claims_from_reuters.py``), sampled
with a fixed seed from the first ``--docs`` stories: the stories the data dir holds when it was
built by ``bench/ingest.py --limit N``. Without ``--docs`` the script asks the server how many
documents it has (``GET /v1/documents``) and assumes they are the first Reuters stories.

Phases, each bounded in requests and time, loopback only:

1. warm-up (``--warmup`` requests, default 5 per worker, not counted);
2. one client, sequential: every claim once, p50/p99/mean latency, and how often the claim's own
   story is among the evidence (a sanity check, not a quality figure);
3. ``--concurrency`` clients (threads, one keep-alive connection each) for ``--duration`` seconds or
   ``--max-requests`` requests: throughput and p50/p99;
4. ``POST /v1/claims/check-batch`` in batches of ``--batch-size`` claims, if the server has it
   (404/405: skipped).

With ``--start-server DATA_DIR`` the script runs ``claimcheck serve`` itself on a free loopback
port (``CLAIMCHECK_DATA=DATA_DIR``, seeds disabled, ``--workers N``), waits until every worker has
loaded, reports the server's RSS (VmRSS summed over its process tree, from /proc) after start-up
and its peak during the concurrent phase, and stops it at the end.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import contextlib
import http.client
import itertools
import json
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.claims_from_reuters import (
    DEFAULT_CLAIMS,
    DEFAULT_DATASET,
    DEFAULT_SEED,
    FULL_CORPUS_DOCUMENTS,
    PROJECT_ROOT,
    load_documents,
    make_claims,
    percentile,
)
from bench.server import UNLIMITED_RATES

WARMUP_PER_WORKER = 5
BATCH_PATH = "/v1/claims/check-batch"
CHECK_PATH = "/v1/claims/check"


def command_line() -> str:
    return shlex.join([sys.executable, "-m", "bench.query", *sys.argv[1:]])


# -- HTTP ------------------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects once if the server closed it."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"content-type": "application/json"} if payload is not None else {}
        if key := os.environ.get("CLAIMCHECK_API_KEY"):  # keyed clients get the keyed rate limit
            headers["authorization"] = f"Bearer {key}"
        for attempt in (0, 1):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=payload, headers=headers)
                response = self._conn.getresponse()
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def timed_check(client: Client, claim: str, top: int) -> tuple[float, int, bytes]:
    t0 = time.perf_counter()
    try:
        status, body = client.request("POST", CHECK_PATH, {"claim": claim, "limit": top})
    except OSError as exc:
        return time.perf_counter() - t0, 0, str(exc).encode()
    return time.perf_counter() - t0, status, body


# -- server process --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def vm_rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mib(pid: int) -> tuple[float, int]:
    """(VmRSS summed over the process tree in MiB, number of processes)."""
    pids = process_tree(pid)
    return sum(vm_rss_kib(p) for p in pids) / 1024, len(pids)


class Server:
    """``claimcheck serve`` in its own process group, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, data_dir: Path, workers: int, port: int, log_path: Path) -> None:
        # The bench sends hundreds of checks a second and repeats its claims: the default rate
        # limits would answer most with 429 and the answer cache the rest from memory, so the
        # server it starts has neither (either can be set in the environment to measure it).
        env = {**UNLIMITED_RATES, "CLAIMCHECK_CHECK_CACHE": "0", **os.environ}
        env.update(
            CLAIMCHECK_DATA=str(data_dir),
            CLAIMCHECK_SEEDS="",
            HF_HUB_OFFLINE="1",
            TOKENIZERS_PARALLELISM="false",
        )
        self.command = [
            sys.executable,
            "-m",
            "claimcheck.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ]
        self.workers, self.port, self.log_path = workers, port, log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def wait_ready(self, client: Client, timeout: float) -> float:
        """Seconds until /health answers 200 and every worker has logged its start-up."""
        started = time.perf_counter()
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            log = self.log_path.read_text(errors="replace")
            if log.count("Application startup complete") >= self.workers:
                with contextlib.suppress(OSError):
                    if client.request("GET", "/health")[0] == 200:
                        return time.perf_counter() - started
            time.sleep(0.5)
        raise TimeoutError(f"server not ready after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self._log.close()


class RssSampler:
    """Samples the server tree's RSS every ``interval`` seconds while running."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mib(self.pid)[0])
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# -- phases ----------------------------------------------------------------------------------------


@dataclass
class Phase:
    """What a phase measured: latencies of the answered requests (seconds), its wall time, errors by
    status (0: connection). ``bench.quick`` and ``bench.servers`` read these; the phases print."""

    latencies: list[float]
    seconds: float
    errors: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds > 0 else 0.0

    def ms(self, q: float) -> float:
        return percentile([1000 * x for x in self.latencies], q)


def latency_line(latencies: list[float]) -> str:
    ms = [1000 * x for x in latencies]
    if not ms:
        return "no successful requests"
    return (
        f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
        f"mean {sum(ms) / len(ms):.1f} ms, max {max(ms):.1f} ms over {len(ms)} requests"
    )


def evidence_documents(body: bytes) -> set[str]:
    try:
        answer = json.loads(body)
    except ValueError:
        return set()
    return {s.get("document_id", "") for item in answer.get("evidence", []) for s in item.get("sources", [])}


def sequential(client: Client, claims: list[tuple[str, str]], top: int) -> Phase:
    latencies: list[float] = []
    errors: dict[int, int] = {}
    answered = own_story = 0
    start = time.perf_counter()
    for claim, doc_id in claims:
        seconds, status, body = timed_check(client, claim, top)
        if status != 200:
            errors[status] = errors.get(status, 0) + 1
            continue
        latencies.append(seconds)
        documents = evidence_documents(body)
        answered += bool(documents)
        own_story += doc_id in documents
    elapsed = time.perf_counter() - start
    n = len(latencies)
    print(f"2. sequential, 1 client: {latency_line(latencies)}")
    if errors:
        print(f"   errors by status (0 = connection): {errors}")
    if n:
        print(
            f"   claims with evidence: {answered}/{n} ({answered / n:.0%}); "
            f"own story among the sources: {own_story}/{n} ({own_story / n:.0%})"
        )
    return Phase(latencies, elapsed, errors)


def concurrent(
    make_client: Callable[[], Client],
    claims: list[tuple[str, str]],
    top: int,
    clients: int,
    duration: float,
    max_requests: int,
) -> Phase:
    counter = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[int, int] = {}
    start = time.perf_counter()
    deadline = start + duration
    finished = [start]

    def worker() -> None:
        client = make_client()
        mine: list[float] = []
        failed: dict[int, int] = {}
        try:
            while time.perf_counter() < deadline:
                i = next(counter)
                if i >= max_requests:
                    break
                seconds, status, _ = timed_check(client, claims[i % len(claims)][0], top)
                if status == 200:
                    mine.append(seconds)
                else:
                    failed[status] = failed.get(status, 0) + 1
        finally:
            client.close()
            with lock:
                latencies.extend(mine)
                for status, count in failed.items():
                    errors[status] = errors.get(status, 0) + count
                finished.append(time.perf_counter())

    threads = [threading.Thread(target=worker, name=f"client-{i}") for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max(finished) - start
    print(
        f"3. {clients} concurrent clients, {elapsed:.1f} s: {len(latencies) / elapsed:.2f} requests/s; "
        f"{latency_line(latencies)}"
    )
    if errors:
        print(f"   errors by status (0 = connection): {errors}")
    return Phase(latencies, elapsed, errors)


BATCH_SHAPES: dict[str, Callable[[list[str], int], dict[str, Any]]] = {
    "list of strings": lambda claims, top: {"claims": claims, "limit": top},
    "list of objects": lambda claims, top: {"claims": [{"claim": c, "limit": top} for c in claims]},
}


def batch(client: Client, claims: list[tuple[str, str]], top: int, size: int, max_seconds: float) -> None:
    """The batch endpoint, if any: its request shape is not in DESIGN.md v1, so both likely ones are tried."""
    texts = [c for c, _ in claims]
    shape, tried = None, []
    for name, make_body in BATCH_SHAPES.items():
        status, answer = client.request("POST", BATCH_PATH, make_body(texts[:size], top))
        if status in (404, 405):
            print(f"4. {BATCH_PATH}: {status}, the server has no batch endpoint; skipped")
            return
        if status == 200:
            shape = name
            break
        tried.append(f"{name}: {status} {answer[:200].decode('utf-8', 'replace')}")
    if shape is None:
        print(f"4. {BATCH_PATH}: no request shape accepted ({'; '.join(tried)}); skipped")
        return
    latencies: list[float] = []
    done = 0
    start = time.perf_counter()
    for i in range(0, len(texts), size):
        if time.perf_counter() - start > max_seconds:
            break
        chunk = texts[i : i + size]
        t0 = time.perf_counter()
        status, _ = client.request("POST", BATCH_PATH, BATCH_SHAPES[shape](chunk, top))
        if status == 200:
            latencies.append(time.perf_counter() - t0)
            done += len(chunk)
    elapsed = time.perf_counter() - start
    print(
        f"4. {BATCH_PATH} ({shape}), batches of {size}, 1 client: {done / elapsed:.2f} claims/s; "
        f"per batch {latency_line(latencies)}"
    )


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a running server")
    parser.add_argument("--start-server", type=Path, metavar="DATA_DIR", help="serve DATA_DIR on a free port")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers for --start-server")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--limit", type=int, default=DEFAULT_CLAIMS, help="number of claims (default 300)")
    parser.add_argument(
        "--docs", type=int, default=None, help="claims from the first N stories (default: ask)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--top", type=int, default=10, help='"limit" sent with each claim')
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of the concurrent phase")
    parser.add_argument("--max-requests", type=int, default=2000, help="cap on concurrent-phase requests")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=None, help="uncounted requests (default 5 per worker)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-request timeout, seconds")
    args = parser.parse_args(argv)
    print(f"$ {command_line()}", flush=True)

    server: Server | None = None
    if args.start_server is not None:
        data_dir = args.start_server.resolve()
        if not (data_dir / "store.sqlite3").is_file():
            parser.error(f"{data_dir} has no store.sqlite3: build it with bench/ingest.py")
        host, port = "127.0.0.1", free_port()
        log_path = Path(tempfile.mkstemp(prefix="claimcheck-bench-serve-", suffix=".log")[1])
        server = Server(data_dir, args.workers, port, log_path)
        print(
            f"server: {shlex.join(server.command)} (CLAIMCHECK_DATA={data_dir}); log {log_path}", flush=True
        )
    else:
        url = urllib.parse.urlsplit(args.url)
        if url.scheme != "http" or not url.hostname:
            parser.error(f"--url must be http://HOST:PORT, got {args.url!r}")
        host, port = url.hostname, url.port or 80

    def make_client() -> Client:
        return Client(host, port, args.timeout)

    client = make_client()
    try:
        if server is not None:
            ready = server.wait_ready(client, args.startup_timeout)
            rss, processes = tree_rss_mib(server.process.pid)
            print(f"server ready in {ready:.1f} s; RSS {rss:.0f} MiB over {processes} processes", flush=True)
        status, body = client.request("GET", "/v1/documents?offset=0&limit=1")
        if status != 200:
            raise RuntimeError(f"GET /v1/documents: {status} {body[:200]!r}")
        stored = int(json.loads(body)["total"])
        docs = args.docs if args.docs is not None else min(stored, FULL_CORPUS_DOCUMENTS)
        claims = make_claims(load_documents(args.dataset, docs), args.limit, args.seed)
        print(
            f"server has {stored} documents; {len(claims)} claims (seed {args.seed}) "
            f"from the first {docs} Reuters stories; limit {args.top} per claim"
        )
        if not claims:
            raise RuntimeError("no claims: the server holds no Reuters stories?")

        warmup = args.warmup if args.warmup is not None else WARMUP_PER_WORKER * args.workers
        for i in range(warmup):
            timed_check(client, claims[i % len(claims)][0], args.top)
        print(f"1. warm-up: {warmup} requests", flush=True)
        sequential(client, claims, args.top)
        sys.stdout.flush()
        sampler = RssSampler(server.process.pid) if server is not None else None
        with sampler or contextlib.nullcontext():
            concurrent(make_client, claims, args.top, args.concurrency, args.duration, args.max_requests)
        sys.stdout.flush()
        batch(client, claims, args.top, args.batch_size, args.duration)
        if server is not None and sampler is not None:
            rss, processes = tree_rss_mib(server.process.pid)
            print(
                f"server RSS: peak {sampler.peak:.0f} MiB during the concurrent phase; "
                f"{rss:.0f} MiB at the end ({processes} processes, VmRSS summed)"
            )
    finally:
        client.close()
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
