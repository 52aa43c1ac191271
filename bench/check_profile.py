"""Where a check's time goes, in-process: ``Checker.check`` on Reuters-title claims, stage by stage.

    .venv/bin/python -m bench.check_profile [--data DIR] [--docs 2000] [--claims 200] [--rounds 2]

Builds a data directory of the first ``--docs`` Reuters-21578 stories (``bench.ingest``'s path,
through ``claimcheck.startup.open_checker``) or reuses ``--data DIR`` when it already holds a store,
then runs ``--claims`` claims (``bench.claims_from_reuters.make_claims``: the titles ``bench.query``
sends over HTTP) through ``Checker.check``, ``--rounds`` times, the configurations interleaved claim
by claim so that a busy machine slows them alike:

* ``no-cache``: the claim cache off (every check computed);
* ``cache``: the claim cache on; its first round computes and stores every claim, later rounds are
  answered from it (a repeated claim), shown apart as ``cache (hits)``.

Stages are timed by wrapping what ``Checker`` calls (no change to the code measured):
``encode`` (the encoder, on its own thread, overlapping ``parse``), ``parse`` (spaCy on the claim),
``claim`` (attribution split and the claim's requirements), ``candidates`` (FAISS, BM25, reading
and scoring candidate sentences), ``info`` (document facts), ``verify`` (every verifier call) and
``build`` (answer items). Stage figures are wall milliseconds per check, p50 and p99; ``total`` is
the check's wall time and ``cpu`` its process CPU time (all threads), the steadier figure on a
shared machine.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import shlex
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.claims_from_reuters import DEFAULT_DATASET, DEFAULT_SEED, load_documents, make_claims, percentile

STAGES = ("encode", "parse", "claim", "candidates", "info", "verify", "build")


class Timings:
    """Seconds per stage of the check in progress (one check at a time: the bench is sequential)."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.current[stage] += seconds

    def take(self) -> dict[str, float]:
        with self._lock:
            taken, self.current = dict(self.current), defaultdict(float)
        return taken

    def wrap(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(stage, time.perf_counter() - start)

        return timed

    def wrap_iterator(self, stage: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> list[Any]:
            start = time.perf_counter()
            try:
                return list(function(*args, **kwargs))
            finally:
                self.add(stage, time.perf_counter() - start)

        return timed


def instrument(checker: Any, timings: Timings) -> None:
    """Wrap the calls a check makes with stage timers (on this checker and the modules it calls)."""
    import claimcheck.checker as checker_module

    checker.encoder.encode = timings.wrap("encode", checker.encoder.encode)
    checker.claim_nlp.pipe = timings.wrap_iterator("parse", checker.claim_nlp.pipe)
    checker._claim = timings.wrap("claim", checker._claim)
    checker.verifier.verify = timings.wrap("verify", checker.verifier.verify)
    checker.indexes.store.info = timings.wrap("info", checker.indexes.store.info)
    checker_module.candidates = timings.wrap("candidates", checker_module.candidates)
    checker_module.evidence_item.build = timings.wrap("build", checker_module.evidence_item.build)


def build_data(data_dir: Path, docs: int) -> None:
    from bench.ingest import main as ingest_main

    print(f"building {data_dir} from the first {docs} Reuters stories (bench.ingest)", flush=True)
    if ingest_main(["--limit", str(docs), "--data", str(data_dir)]) != 0:
        raise SystemExit("ingest failed")


def open_served_checker(data: Path | None, docs: int, prefix: str) -> Any:
    """A checker opened as ``claimcheck serve`` opens one, over ``data`` (a fresh directory named
    ``prefix…`` when None), first built from ``docs`` Reuters stories when it holds no store."""
    data_dir = data or Path(tempfile.mkdtemp(prefix=prefix))
    if not (data_dir / "store.sqlite3").exists():
        build_data(data_dir, docs)

    from claimcheck.settings import Settings
    from claimcheck.startup import open_checker

    checker = open_checker(replace(Settings.from_env(), data_dir=data_dir, seeds_dir=None))
    stats = checker.stats()
    print(f"data dir {data_dir}: {stats.documents} documents, {stats.paragraphs} paragraphs")
    return checker


@contextmanager
def cache_off(checker: Any, off: bool) -> Iterator[None]:
    """With ``off``, the checker's claim cache swapped for an empty one of size 0 for one check
    (the real one kept as it is); a tree without a claim cache runs as is."""
    cache = getattr(checker, "claim_cache", None)
    if not off or cache is None:
        yield
        return
    checker.claim_cache = type(cache)(0)
    try:
        yield
    finally:
        checker.claim_cache = cache


def line(name: str, values: list[float]) -> str:
    ms = [1000 * v for v in values]
    p50, p99, mean = percentile(ms, 50), percentile(ms, 99), sum(ms) / len(ms)
    return f"  {name:12s} p50 {p50:7.2f}  p99 {p99:7.2f}  mean {mean:7.2f}"


def report(title: str, samples: list[dict[str, float]]) -> None:
    if not samples:
        return
    print(f"{title}: {len(samples)} checks (ms per check)")
    for stage in (*STAGES, "total", "cpu"):
        print(line(stage, [s.get(stage, 0.0) for s in samples]))


def command_line() -> str:
    return shlex.join([sys.executable, "-m", "bench.check_profile", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=None, help="data dir to reuse (or build, if empty)")
    parser.add_argument("--docs", "--limit", type=int, default=2000, help="stories to ingest (default 2000)")
    parser.add_argument("--claims", type=int, default=200, help="claims (default 200)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the claims (default 2)")
    parser.add_argument("--top", type=int, default=10, help="check limit (default 10)")
    parser.add_argument("--no-cache", action="store_true", help="only the configuration without cache")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    args = parser.parse_args(argv)
    print(f"$ {command_line()}", flush=True)

    checker = open_served_checker(args.data, args.docs, "claimcheck-check-profile-")
    claims = [c for c, _ in make_claims(load_documents(args.dataset, args.docs), args.claims, DEFAULT_SEED)]
    print(f"{len(claims)} claims (Reuters titles, seed {DEFAULT_SEED}), limit {args.top}, x{args.rounds}")

    timings = Timings()
    instrument(checker, timings)
    for claim in claims[:5]:  # warm-up: first calls load lazily built tables
        checker.check(claim, args.top)
    cache = getattr(checker, "claim_cache", None)
    configurations = ["no-cache"] if args.no_cache or cache is None else ["no-cache", "cache"]
    if cache is not None:  # an empty cache of the same size: the warm-up's answers are not hits
        checker.claim_cache = cache = type(cache)(cache.size)
    samples: dict[str, list[dict[str, float]]] = defaultdict(list)
    try:
        for round_ in range(args.rounds):
            for claim in claims:
                for name in configurations:
                    with cache_off(checker, name == "no-cache"):
                        timings.take()
                        wall, cpu = time.perf_counter(), time.process_time()
                        checker.check(claim, args.top)
                        sample = timings.take()
                        sample["total"] = time.perf_counter() - wall
                        sample["cpu"] = time.process_time() - cpu
                    key = name if name == "no-cache" or round_ == 0 else "cache (hits)"
                    samples[key].append(sample)
    finally:
        checker.close()
    for name, values in samples.items():
        report(name, values)
    return 0


if __name__ == "__main__":
    sys.exit(main())
