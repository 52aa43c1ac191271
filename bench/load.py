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
2. **Batch beside single checks**: ``--batch-clients`` threads send single checks for
   ``--batch-seconds`` with nothing else running; then again while one client sends 100-claim
   ``POST /v1/claims/check-batch`` requests of long claims (the two longest sentences of a story)
   for ``--batch-seconds`` (the single checks go on until the last batch is answered). The
   scheduler promises that a batch delays a single check by one 4-claim slice.

Every answer is classified: 200/201 are served; 429 and 503 are *refusals* (the client waits for
``Retry-After`` and goes on), counted apart; anything else, and a connection that fails, is an
*error*. The target is no error. Latencies are measured by the client, so they include Python's
HTTP client and the GIL it shares with 32 threads on the same two cores as the server.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.claims_from_reuters import percentile
from bench.server import UNLIMITED_RATES, Client, Response, Server
from bench.stories import Story, dev_claims, dev_subset_ids, iter_stories

BATCH_SIZE = 100
MAX_RETRY_WAIT = 5.0  # seconds: a refused client waits Retry-After, capped so a phase can end
WARM_UP_SECONDS = 5.0  # first checks load lazily built state; not counted

Job = Callable[[], None]  # one client thread's whole run


@dataclass
class Tally:
    """What one kind of request got back, summed over the threads that sent it."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response: Response, ok: int) -> None:
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


class Feed:
    """Stories that several posting clients take from, each story once."""

    def __init__(self, stories: list[Story]) -> None:
        self._items, self._lock = iter(stories), threading.Lock()

    def next(self) -> Story | None:
        with self._lock:
            return next(self._items, None)


Sender = Callable[[Client], Response | None]  # None: nothing left to send
Until = Callable[[], bool]  # whether a client should send another request


def until(deadline: float) -> Until:
    return lambda: time.perf_counter() < deadline


def loop(client: Client, going: Until, send: Sender, tally: Tally, ok: int) -> None:
    """Send while ``going()`` and there is something to send; a refusal waits for its Retry-After."""
    try:
        while going():
            response = send(client)
            if response is None:
                return
            tally.record(response, ok)
            if response.status in (429, 503):
                time.sleep(min(max(response.retry_after, 0.1), MAX_RETRY_WAIT))
    finally:
        client.close()


def checkers(server: Server, claims: list[str], count: int, going: Until, tally: Tally) -> list[Job]:
    """``count`` clients sending single checks back to back, each from its own place in ``claims``."""
    step = max(1, len(claims) // count)

    def client(offset: int) -> None:
        cycle = itertools.cycle(claims[offset:] + claims[:offset])

        def send(c: Client) -> Response:
            return c.request("POST", "/v1/claims/check", {"claim": next(cycle), "limit": 10})

        loop(Client(server.port), going, send, tally, 200)

    return [partial(client, i * step) for i in range(count)]


def poster(server: Server, stories: Feed, going: Until, tally: Tally, prefix: str = "") -> Job:
    """One writing client posting stories one after another."""

    def send(client: Client) -> Response | None:
        story = stories.next()
        if story is None:
            return None
        return client.request("POST", "/v1/documents", story.document(f"{prefix}{story.newid}"))

    return partial(loop, server.client(), going, send, tally, 201)


def batcher(server: Server, long_claims: list[str], going: Until, tally: Tally, done: threading.Event) -> Job:
    """One client sending ``BATCH_SIZE``-claim batches back to back; sets ``done`` after the last."""
    rng = random.Random(7)

    def send(client: Client) -> Response:
        body = {"claims": rng.sample(long_claims, min(BATCH_SIZE, len(long_claims))), "limit": 10}
        return client.request("POST", "/v1/claims/check-batch", body)

    def job() -> None:
        try:
            loop(Client(server.port), going, send, tally, 200)
        finally:
            done.set()

    return job


def long_claims_of(stories: list[Story]) -> list[str]:
    """The two longest prose sentences of a story, joined: long, realistic claims for the batches."""
    out = []
    for story in stories:
        sentences = story.sentences()
        if len(sentences) >= 2:
            out.append(f"{sentences[0]} {sentences[1]}")
    return out


@dataclass(frozen=True, slots=True)
class Usage:
    """A phase's wall time, the server's CPU time in it, and the machine's load average after it:
    on a machine shared with other jobs, the server's CPU says how much of the latency is waiting."""

    seconds: float
    cpu: float
    load: float

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.seconds:.0f} s, server busy {self.cpu / self.seconds:.2f} cores, "
            f"1-min load average {self.load:.1f}"
        )


def metered(server: Server, jobs: list[Job]) -> Usage:
    """Run ``jobs`` on threads until all end, measuring the phase."""
    threads = [threading.Thread(target=job) for job in jobs]
    cpu, started = server.cpu_seconds(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Usage(time.perf_counter() - started, server.cpu_seconds() - cpu, os.getloadavg()[0])


def row(name: str, tally: Tally, usage: Usage) -> str:
    return (
        f"| {name} | {tally.served} | {tally.failures} | {tally.refusals} | {tally.ms(50):.0f} | "
        f"{tally.ms(90):.0f} | {tally.ms(99):.0f} | {1000 * max(tally.latencies, default=0):.0f} | "
        f"{tally.served / usage.seconds:.1f} |"
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
    dev = [s for s in iter_stories() if s.newid in subset]
    # Further stories with prose only: a wire table is rightly refused (422, nothing to index).
    extra = Feed([s for s in iter_stories(unique=True) if s.newid not in subset and s.sentences()])
    claims = dev_claims() + [s.sentences()[0] for s in dev if s.sentences()]
    random.Random(1).shuffle(claims)
    preload, checks, ingests, alone, beside, batches = (Tally() for _ in range(6))

    with Server(work / "data", work / "server.log", seeds=True, env=UNLIMITED_RATES) as server:
        print(f"server healthy after {server.start():.1f} s (data dir {work / 'data'})", flush=True)
        stories = Feed(dev)
        usage = metered(server, [poster(server, stories, lambda: True, preload) for _ in range(2)])
        # As the scorer posts them: wire tables with no sentence are refused (422) by design.
        print(usage.line(f"development stories posted, by status {dict(preload.statuses)}"))
        for error in preload.errors:
            print(f"  {error[:160]}")
        metered(server, checkers(server, claims, 2, until(time.perf_counter() + WARM_UP_SECONDS), Tally()))

        going = until(time.perf_counter() + args.seconds)
        jobs = checkers(server, claims, args.clients, going, checks)
        mixed = metered(server, [*jobs, poster(server, extra, going, ingests, "load-")])
        print(mixed.line("mixed phase"), flush=True)
        going = until(time.perf_counter() + args.batch_seconds)
        quiet = metered(server, checkers(server, claims, args.batch_clients, going, alone))
        print(quiet.line("single checks alone"), flush=True)
        # Single checks go on until the last batch is answered, so every one of them ran beside one.
        done = threading.Event()
        jobs = checkers(server, claims, args.batch_clients, lambda: not done.is_set(), beside)
        going = until(time.perf_counter() + args.batch_seconds)
        busy = metered(server, [*jobs, batcher(server, long_claims_of(dev), going, batches, done)])
        print(busy.line("single checks beside batches"), flush=True)

    phases = [checks, ingests, alone, beside, batches]
    errors, refusals = sum(t.failures for t in phases), sum(t.refusals for t in phases)
    requests = sum(sum(t.statuses.values()) for t in phases)
    print(
        f"\n-- load test (bench/load.py): {requests} requests, {errors} errors, {refusals} refusals (429/503)"
    )
    print(
        f"mixed phase: {args.clients} checking clients + 1 ingest client, {mixed.seconds:.0f} s: "
        f"{checks.served / mixed.seconds:.1f} checks/s, {ingests.served / mixed.seconds:.2f} ingest docs/s"
    )
    print("\n| requests | served | errors | refusals | p50 ms | p90 ms | p99 ms | max ms | per s |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(row(f"checks, {args.clients} clients, ingest running", checks, mixed))
    print(row("POST /v1/documents, 1 client, beside the checks", ingests, mixed))
    print(row(f"single checks, {args.batch_clients} clients, alone", alone, quiet))
    print(row(f"single checks, {args.batch_clients} clients, beside batches", beside, busy))
    print(row(f"check-batch of {BATCH_SIZE} long claims, 1 client", batches, busy))
    for tally in phases:
        for error in tally.errors:
            print(f"  error: {error}")
    print("PASS" if errors == 0 else f"FAIL: {errors} errors")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
