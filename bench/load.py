"""Load test: many clients checking claims while documents stream in, then single checks beside
100-claim batches, against a real server on loopback.

    .venv/bin/python -m bench.load [--seconds 60] [--clients 32] [--batch-seconds 20] [--batch-clients 4]

Why: ``bench/query.py`` measures latency with the machine to itself; a desk's service answers
checks while its ingest keeps running and while someone pastes a list of claims. This runs that
mix and counts what went wrong. A server is started on a fresh data directory (seeds on, rate
limits out of reach: ``bench.server.UNLIMITED_RATES``), and the 400 Reuters development stories
(``../shared/eval/reuters_subset_dev.json``) are posted first, as ``eval_reuters.py`` posts them.

1. **Mixed load**, ``--seconds``: ``--clients`` threads, each on its own keep-alive connection,
   send ``POST /v1/claims/check`` back to back (the 40 development claims and the longest prose
   sentence of each story, in turn), while one more client posts further Reuters stories (outside
   the subset) one after another.
2. **Batch beside single checks**, ``--batch-seconds`` each: ``--batch-clients`` threads send single
   checks with nothing else running; then again while one client sends a 100-claim
   ``POST /v1/claims/check-batch`` of long claims (the two longest sentences of a story) over and
   over. The scheduler promises that a batch delays a single check by one 4-claim slice.

Every answer is classified: 200/201 are served; 429 and 503 are *refusals* (the client waits for
``Retry-After`` and goes on), counted apart; anything else, and a connection that fails, is an
*error*. The target is no error. Latencies are measured by the client, so they include Python's
HTTP client and the GIL it shares with 32 threads on the same two cores as the server.
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.claims_from_reuters import percentile
from bench.server import UNLIMITED_RATES, Client, Server
from bench.stories import Story, dev_claims, dev_subset_ids, iter_stories

BATCH_SIZE = 100
MAX_RETRY_WAIT = 5.0  # seconds: a refused client waits Retry-After, capped so a phase can end


@dataclass
class Tally:
    """What one kind of request got back, summed over the threads that sent it."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response: Any, ok: int) -> None:
        with self.lock:
            self.statuses[response.status] += 1
            if response.status == ok:
                self.latencies.append(response.seconds)
            elif response.status not in (429, 503) and len(self.errors) < 10:
                self.errors.append(f"{response.status} {response.error or response.body[:200]!r}")

    @property
    def served(self) -> int:
        return len(self.latencies)

    @property
    def refusals(self) -> int:
        return self.statuses[429] + self.statuses[503]

    @property
    def failures(self) -> int:
        return sum(self.statuses.values()) - self.served - self.refusals

    def ms(self, q: float) -> float:
        return 1000 * percentile(self.latencies, q)


def loop(client: Client, deadline: float, send: Callable[[Client], Any], tally: Tally, ok: int) -> None:
    """Send until ``deadline``; a refusal waits for its Retry-After."""
    try:
        while time.perf_counter() < deadline:
            response = send(client)
            tally.record(response, ok)
            if response.status in (429, 503):
                time.sleep(min(max(response.retry_after, 0.1), MAX_RETRY_WAIT))
    finally:
        client.close()


def run_threads(targets: list[Callable[[], None]]) -> float:
    threads = [threading.Thread(target=t) for t in targets]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def check_sender(claims: list[str], offset: int) -> Callable[[Client], Any]:
    cycle = itertools.cycle(claims[offset:] + claims[:offset])
    return lambda client: client.request("POST", "/v1/claims/check", {"claim": next(cycle), "limit": 10})


def ingest_dev(server: Server, stories: list[Story], threads: int = 2) -> tuple[float, Tally]:
    """Post the development stories before the timed phases (ids as ``eval_reuters.py`` uses)."""
    tally, queue = Tally(), iter(stories)
    lock = threading.Lock()

    def post() -> None:
        client = server.client()
        while True:
            with lock:
                story = next(queue, None)
            if story is None:
                break
            tally.record(client.request("POST", "/v1/documents", story.document(str(story.newid))), 201)
        client.close()

    return run_threads([post] * threads), tally


def mixed(server: Server, claims: list[str], extra: list[Story], args: argparse.Namespace) -> dict[str, Any]:
    checks, ingests = Tally(), Tally()
    deadline = time.perf_counter() + args.seconds
    stories = iter(extra)

    def ingest(client: Client) -> Any:
        story = next(stories)
        return client.request("POST", "/v1/documents", story.document(f"load-{story.newid}"))

    step = max(1, len(claims) // args.clients)
    targets = [
        lambda i=i: loop(Client(server.port), deadline, check_sender(claims, i * step), checks, 200)
        for i in range(args.clients)
    ]
    targets.append(lambda: loop(server.client(), deadline, ingest, ingests, 201))
    elapsed = run_threads(targets)
    return {"checks": checks, "ingests": ingests, "elapsed": elapsed}


def beside_batches(server: Server, claims: list[str], long_claims: list[str], args: argparse.Namespace):
    """Single checks alone, then with 100-claim batches running; returns (alone, beside, batches)."""
    alone, beside, batches = Tally(), Tally(), Tally()
    step = max(1, len(claims) // args.batch_clients)

    def singles(tally: Tally, deadline: float) -> list[Callable[[], None]]:
        return [
            lambda i=i: loop(Client(server.port), deadline, check_sender(claims, i * step), tally, 200)
            for i in range(args.batch_clients)
        ]

    run_threads(singles(alone, time.perf_counter() + args.batch_seconds))
    rng = random.Random(7)

    def batch(client: Client) -> Any:
        body = {"claims": rng.sample(long_claims, min(BATCH_SIZE, len(long_claims))), "limit": 10}
        return client.request("POST", "/v1/claims/check-batch", body)

    deadline = time.perf_counter() + args.batch_seconds
    run_threads(
        [*singles(beside, deadline), lambda: loop(Client(server.port), deadline, batch, batches, 200)]
    )
    return alone, beside, batches


def long_claims_of(stories: list[Story]) -> list[str]:
    """The two longest prose sentences of a story, joined: long, realistic claims for the batches."""
    out = []
    for story in stories:
        sentences = story.sentences()
        if len(sentences) >= 2:
            out.append(f"{sentences[0]} {sentences[1]}")
    return out


def row(name: str, tally: Tally, seconds: float) -> str:
    return (
        f"| {name} | {tally.served} | {tally.failures} | {tally.refusals} | {tally.ms(50):.0f} | "
        f"{tally.ms(90):.0f} | {tally.ms(99):.0f} | {1000 * max(tally.latencies, default=0):.0f} | "
        f"{tally.served / seconds:.1f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the mixed phase")
    parser.add_argument("--clients", type=int, default=32, help="checking clients in the mixed phase")
    parser.add_argument("--batch-seconds", type=float, default=20.0, help="length of each batch sub-phase")
    parser.add_argument("--batch-clients", type=int, default=4, help="single-check clients beside batches")
    parser.add_argument("--work-dir", type=Path, help="where the data dir and server log go (default: temp)")
    args = parser.parse_args(argv)

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="claimcheck-load-"))
    work.mkdir(parents=True, exist_ok=True)
    subset = dev_subset_ids()
    everything = list(iter_stories())
    dev = [s for s in everything if s.newid in subset]
    extra = [s for s in iter_stories(unique=True) if s.newid not in subset]
    claims = dev_claims() + [s.sentences()[0] for s in dev if s.sentences()]
    random.Random(1).shuffle(claims)

    with Server(work / "data", work / "server.log", seeds=True, env=UNLIMITED_RATES) as server:
        started = server.start()
        print(f"server healthy after {started:.1f} s (data dir {work / 'data'}, log {work / 'server.log'})")
        seconds, preload = ingest_dev(server, dev)
        print(f"posted {preload.served} development stories in {seconds:.0f} s ({preload.failures} errors)")
        mix = mixed(server, claims, extra, args)
        print(f"mixed phase done ({mix['elapsed']:.0f} s)", flush=True)
        alone, beside, batches = beside_batches(server, claims, long_claims_of(dev), args)

    checks, ingests, elapsed = mix["checks"], mix["ingests"], mix["elapsed"]
    total = sum(checks.statuses.values()) + sum(ingests.statuses.values())
    errors = checks.failures + ingests.failures + alone.failures + beside.failures + batches.failures
    print(f"\n-- load test (bench/load.py), {args.clients} clients + 1 ingest client, {elapsed:.0f} s --")
    print(
        f"requests {total}, errors {checks.failures + ingests.failures}, refusals (429/503) "
        f"{checks.refusals + ingests.refusals}"
    )
    print(f"checks/s {checks.served / elapsed:.1f}, ingest docs/s {ingests.served / elapsed:.2f}")
    print("\n| requests | served | errors | refusals | p50 ms | p90 ms | p99 ms | max ms | per s |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(row(f"checks, {args.clients} clients, ingest running", checks, elapsed))
    print(row("ingest (POST /v1/documents), 1 client", ingests, elapsed))
    print(row(f"single checks, {args.batch_clients} clients, alone", alone, args.batch_seconds))
    print(row(f"single checks, {args.batch_clients} clients, beside batches", beside, args.batch_seconds))
    print(row(f"check-batch of {BATCH_SIZE} long claims, 1 client", batches, args.batch_seconds))
    for name, tally in (
        ("checks", checks),
        ("ingests", ingests),
        ("alone", alone),
        ("beside", beside),
        ("batches", batches),
    ):
        for error in tally.errors:
            print(f"  {name} error: {error}")
    print("PASS" if errors == 0 else f"FAIL: {errors} errors")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
