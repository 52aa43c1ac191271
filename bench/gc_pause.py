"""What a full garbage collection costs a serving process, before and after ``api.heap`` freezes it.

    .venv/bin/python -m bench.gc_pause [--data DIR] [--docs 1000] [--claims 300] [--repeats 3]

Opens a checker as ``claimcheck serve`` does (``claimcheck.startup.open_checker``) over ``--data
DIR`` (built from the first ``--docs`` Reuters stories when empty, as ``bench.check_profile``
builds it), counts the objects the cyclic collector tracks, and times ``gc.collect()`` (a full,
generation-2 pass) ``--repeats`` times; again after ``api.heap.freeze_loaded()`` (what the app's
lifespan calls once the checker is loaded); and again after ``--claims`` Reuters-title checks with
the answer cache on, which a server keeps (the objects a full pass still walks then).

Why it matters: a full pass walks every tracked object while holding the GIL, so every thread of
the process, the event loop included, waits for it; Python starts one when the objects that survived
since the last one reach a quarter of those it already holds, so a filling answer cache or a long
ingest brings one on now and then. How often it came in the checks is printed too.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import gc
import shlex
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.check_profile import open_served_checker
from bench.claims_from_reuters import DEFAULT_DATASET, DEFAULT_SEED, load_documents, make_claims


def full_collection_ms(repeats: int) -> float:
    """Median wall milliseconds of ``repeats`` full collections."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        gc.collect()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def tracked() -> int:
    """Objects a full pass walks (frozen ones are not listed)."""
    return len(gc.get_objects())


def command_line() -> str:
    return shlex.join([sys.executable, "-m", "bench.gc_pause", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=None, help="data dir to reuse (or build, if empty)")
    parser.add_argument("--docs", type=int, default=1000, help="stories to build with (default 1000)")
    parser.add_argument("--claims", type=int, default=300, help="checks run with the cache on (default 300)")
    parser.add_argument("--repeats", type=int, default=3, help="full collections timed each time (default 3)")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    args = parser.parse_args(argv)
    print(f"$ {command_line()}", flush=True)

    from api.heap import freeze_loaded

    checker = open_served_checker(args.data, args.docs, "claimcheck-gc-pause-")
    rows: list[tuple[str, int, float]] = [("loaded", tracked(), full_collection_ms(args.repeats))]
    frozen = freeze_loaded()
    rows.append((f"loaded, then frozen ({frozen:,} objects)", tracked(), full_collection_ms(args.repeats)))

    collections: Counter[int] = Counter()

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop":
            collections[int(info["generation"])] += 1

    claims = [c for c, _ in make_claims(load_documents(args.dataset, args.claims), args.claims, DEFAULT_SEED)]
    gc.callbacks.append(count)
    try:
        for claim in claims:
            checker.check(claim, 10)
    finally:
        gc.callbacks.remove(count)
    after = f"frozen, then {len(claims)} checks (answer cache on)"
    rows.append((after, tracked(), full_collection_ms(args.repeats)))
    checker.close()

    print(f"collections during the checks, by generation: {dict(sorted(collections.items()))}")
    print(f"{'state':<44} {'objects walked':>16} {'full collection ms (median)':>28}")
    for state, objects, ms in rows:
        print(f"{state:<44} {objects:>16,} {ms:>28.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
