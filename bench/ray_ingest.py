"""Bulk ingest of Reuters-21578: the single-process path against the Ray Data pipeline, back to back.

    .venv/bin/python -m bench.ray_ingest [--limit N] [--only single|ray] [--ray-address ADDRESS]
                                        [--language N] [--vector N]

The stories (every non-empty one, 19,043; ``bench/claims_from_reuters.py``) are written once to a
JSON Lines file (``id``, ``text``, ``format: text``, ``published``: what ``bench/ingest.py``
submits), then ingested into two fresh data directories:

- **single**: ``LocalBackend.ingest`` over ``claimcheck.inputs.read`` of that file, which is what
  ``claimcheck ingest FILE.jsonl`` runs (``Checker.ingest_many``: spaCy on one thread while the
  encoder embeds and the store is written on the other);
- **ray**: ``claimcheck.cluster.ingest`` over the file's pieces, which is what
  ``claimcheck ingest --ray FILE.jsonl`` runs: Ray started on this machine (all its CPUs), or the
  cluster at ``--ray-address``, language and vector actors, the writer in this process.

Both open their data directory with ``claimcheck.startup.open_checker`` (seeds off) and share one
model cache. The ingest time runs from the first document handed over to the final index save,
Ray's start-up and the actors' model loading included. The load average is printed beside each
figure: other jobs on the machine slow both paths.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import json
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.claims_from_reuters import DEFAULT_DATASET, iter_documents


@dataclass
class Run:
    path: str
    documents: int
    failed: int
    sentences: int
    seconds: float
    load_before: str
    load_after: str
    paragraphs: int
    first: float  # seconds to the first document committed (start-up: models, actors, first batch)

    @property
    def rate(self) -> float:
        return self.sentences / self.seconds


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def write_lines(dataset: Path, limit: int | None, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for doc in iter_documents(dataset, limit):
            fields: dict[str, Any] = {"id": doc.id, "text": doc.text, "format": "text"}
            if doc.published:
                fields["published"] = doc.published
            handle.write(json.dumps(fields) + "\n")
            count += 1
    return count


def open_checker(data_dir: Path, cache: Path) -> tuple[Any, Any]:
    from claimcheck.settings import Settings
    from claimcheck.startup import open_checker as open_

    settings = replace(Settings.from_env(), data_dir=data_dir, seeds_dir=None, model_cache=cache)
    return open_(settings), settings


def count(outcomes: Any, started: float) -> tuple[int, int, int, float]:
    from claimcheck.backends import Ingested

    documents = failed = sentences = 0
    first = 0.0
    for outcome in outcomes:
        first = first or time.perf_counter() - started
        if isinstance(outcome, Ingested):
            documents += 1
            sentences += int(outcome.receipt["sentences"])
        else:
            failed += 1
    return documents, failed, sentences, first


def run_single(lines: Path, data_dir: Path, cache: Path) -> Run:
    from claimcheck.backends import LocalBackend
    from claimcheck.inputs import Failure, read

    checker, settings = open_checker(data_dir, cache)
    backend = LocalBackend(checker, settings.max_document_chars)
    before = load()
    started = time.perf_counter()
    unreadable = 0

    def items() -> Any:
        nonlocal unreadable
        for entry in read([lines]):
            if isinstance(entry, Failure):
                unreadable += 1
            else:
                yield entry

    documents, failed, sentences, first = count(backend.ingest(items()), started)
    checker.save()
    seconds = time.perf_counter() - started
    paragraphs = checker.stats().paragraphs
    backend.close()
    failed += unreadable
    return Run("single process", documents, failed, sentences, seconds, before, load(), paragraphs, first)


def run_ray(lines: Path, data_dir: Path, cache: Path, args: argparse.Namespace) -> Run:
    from claimcheck.cluster import RayOptions, ingest
    from claimcheck.shards import plan

    checker, settings = open_checker(data_dir, cache)
    options = RayOptions(
        settings=settings, address=args.ray_address, language=args.language, vector=args.vector
    )
    before = load()
    started = time.perf_counter()
    documents, failed, sentences, first = count(ingest(checker, plan([lines]), options), started)
    checker.save()
    seconds = time.perf_counter() - started
    paragraphs = checker.stats().paragraphs
    checker.close()
    where = f"ray cluster {args.ray_address}" if args.ray_address else "ray, this machine"
    return Run(where, documents, failed, sentences, seconds, before, load(), paragraphs, first)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="first N stories (default: all 19,043)")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--only", choices=("single", "ray"), default=None, help="run one path only")
    parser.add_argument("--ray-address", default=None, help="an existing Ray cluster (default: start one)")
    parser.add_argument("--language", type=int, default=None, help="language actors (default: by CPUs)")
    parser.add_argument("--vector", type=int, default=None, help="vector actors (default: by CPUs)")
    parser.add_argument("--work", type=Path, default=None, help="where the data dirs go (default: temp)")
    args = parser.parse_args(argv)
    print("$ " + shlex.join([sys.executable, "-m", "bench.ray_ingest", *sys.argv[1:]]), flush=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="claimcheck-bench-ray-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = work / "reuters.jsonl"
    stories = write_lines(args.dataset, args.limit, lines)
    cache = work / "models"
    print(f"{stories} Reuters-21578 stories -> {lines}; cpus {os.cpu_count()}; work dir {work}", flush=True)
    runs: list[Run] = []
    if args.only in (None, "single"):
        runs.append(run_single(lines, work / "single", cache))
        print(runs[-1], flush=True)
    if args.only in (None, "ray"):
        runs.append(run_ray(lines, work / "ray", cache, args))
        print(runs[-1], flush=True)
    print()
    columns = ("path", "documents (failed)", "sentences", "paragraphs", "ingest wall", "first commit")
    columns = (*columns, "sentences/s")
    print("| " + " | ".join((*columns, "vs single", "load avg before → after")) + " |")
    print("|---" * (len(columns) + 2) + "|")
    base = runs[0].rate if runs and runs[0].path == "single process" else None
    for run in runs:
        ratio = f"{run.rate / base:.2f}x" if base else "—"
        print(
            f"| {run.path} | {run.documents} ({run.failed}) | {run.sentences} | {run.paragraphs} | "
            f"{run.seconds:.1f} s | {run.first:.1f} s | {run.rate:.1f} | {ratio} | "
            f"{run.load_before} → {run.load_after} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
