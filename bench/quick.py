"""``make bench``: a quick run of each performance benchmark, one table, the targets beside it.

    .venv/bin/python -m bench.quick [--stories 300] [--claims 200] [--seconds 15]

Each line is a shorter run of a full benchmark, through that benchmark's own functions, over the
first ``--stories`` Reuters-21578 stories (a few minutes in all on two idle cores):

1. ingest over HTTP (``bench/bulk_http.py``): the stories one ``POST /v1/documents`` at a time,
   then all in one ``POST /v1/documents/bulk``, each into a fresh ``claimcheck serve``;
2. ingest in-process (``bench/ingest.py``): ``open_checker`` and ``Checker.ingest_many`` into a
   fresh data directory, kept for the next two steps;
3. checks over HTTP (``bench/query.py``): ``claimcheck serve`` on that directory, one client
   (p50 / p99 over ``--claims`` claims), then 8 clients for ``--seconds`` (claims/s), and the
   server's RSS (VmRSS over its process tree) after start-up and at its peak under the 8 clients;
4. the txtai peer (``bench/peer_txtai.py``): our ``Checker.check`` against txtai's bare search on
   the same ONNX model, stories and claims, in this process, one thread each; the ratio is txtai's
   p50 over ours (above 1: our check, with its support decision and provenance, is the faster).

The full runs (the whole corpus, longer phases) keep their commands in README, "Performance". On
a smaller corpus the index is exact search rather than HNSW, so latencies here are not those of
the full store; the table is for spotting a regression, and for the targets' order of magnitude.
Needs the ``bench`` extras (``pip install -e ".[bench]"``: tqdm, txtai, psutil).
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# The claims repeat across phases: with the answer cache on, every figure after the first pass would
# time cache hits. The table is about checks, so the servers it starts run without it.
os.environ.setdefault("CLAIMCHECK_CHECK_CACHE", "0")

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bench import bulk_http, ingest, peer_txtai, query
from bench.claims_from_reuters import DEFAULT_DATASET, iter_documents, load_documents, make_claims, percentile
from bench.server import DEFAULT_MODEL_CACHE, UNLIMITED_RATES


@dataclass(frozen=True, slots=True)
class Line:
    what: str
    shown: str
    target: str = ""
    met: bool | None = None  # None: no target


def at_least(what: str, value: float, unit: str, bound: float, note: str = "") -> Line:
    shown = f"{value:.{_digits(value)}f} {unit}".strip()
    return Line(what, shown + note, f"≥ {bound:g} {unit}".strip(), value >= bound)


def at_most(what: str, value: float, unit: str, bound: float, note: str = "") -> Line:
    shown = f"{value:.{_digits(value)}f} {unit}".strip()
    return Line(what, shown + note, f"≤ {bound:g} {unit}".strip(), value <= bound)


def _digits(value: float) -> int:
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2


def http_ingest(stories: int, root: Path) -> list[Line]:
    documents = bulk_http.stories(stories)
    lines = []
    for name, run in (("single", bulk_http.one_at_a_time), ("bulk", bulk_http.bulk)):
        for server in bulk_http.serving(root, name):
            result = run(server, documents)
            print(result.line(), flush=True)
            label = "ingest over HTTP, one POST each" if name == "single" else "ingest over HTTP, bulk"
            note = f" ({result.documents / result.seconds:.1f} docs/s, {result.errors} not stored)"
            lines.append(at_least(label, result.sentences / result.seconds, "sentences/s", 150, note))
    return lines


def inprocess_ingest(stories: int, data: Path) -> Line:
    from claimcheck.settings import Settings
    from claimcheck.startup import open_checker

    settings = replace(Settings.from_env(), data_dir=data, seeds_dir=None, model_cache=DEFAULT_MODEL_CACHE)
    checker = open_checker(settings)
    found = ingest.bulk_call(checker, 32)
    try:
        started = time.perf_counter()
        documents, sentences, refused = ingest.ingest_all(
            checker, iter_documents(DEFAULT_DATASET, stories), stories, found[0] if found else None
        )
        checker.save()
        seconds = time.perf_counter() - started
    finally:
        checker.close()
    print(f"in-process: {documents} documents, {sentences} sentences in {seconds:.1f} s", flush=True)
    note = f" ({documents / seconds:.1f} docs/s, {len(refused)} refused)"
    return at_least("ingest in-process", sentences / seconds, "sentences/s", 150, note)


def checks(
    data: Path, stories: int, claims_n: int, seconds: float, root: Path
) -> tuple[list[Line], list[tuple[str, str]]]:
    claims = make_claims(load_documents(DEFAULT_DATASET, stories), claims_n)
    port = query.free_port()
    os.environ.update(UNLIMITED_RATES)
    os.environ.setdefault("CLAIMCHECK_MODEL_CACHE", str(DEFAULT_MODEL_CACHE))
    server = query.Server(data, 1, port, root / "query.log")
    client = query.Client("127.0.0.1", port, 120.0)
    try:
        server.wait_ready(client, 600)
        rss_start, _ = query.tree_rss_mib(server.process.pid)
        for claim, _ in claims[: query.WARMUP_PER_WORKER]:
            query.timed_check(client, claim, 10)
        one = query.sequential(client, claims, 10)
        with query.RssSampler(server.process.pid) as sampler:
            many = query.concurrent(
                lambda: query.Client("127.0.0.1", port, 120.0), claims, 10, 8, seconds, 100_000
            )
    finally:
        client.close()
        server.stop()
    peak = max(sampler.peak, rss_start)
    errors = sum(one.errors.values()) + sum(many.errors.values())
    lines = [
        at_most("check p50, 1 client", one.ms(50), "ms", 8),
        at_most("check p99, 1 client", one.ms(99), "ms", 20),
        at_least("checks/s, 8 clients", many.rate, "claims/s", 150, f" (p50 {many.ms(50):.0f} ms)"),
        Line(
            "server RSS, peak (1 worker)",
            f"{peak:.0f} MiB (after start {rss_start:.0f} MiB)",
            "< 1.5 GB",
            peak * 2**20 < 1.5e9,
        ),
    ]
    if errors:
        lines.append(Line("failed checks (status: count)", str({**one.errors, **many.errors})))
    return lines, claims


def peer(data: Path, stories: int, claims: list[tuple[str, str]]) -> Line:
    from claimcheck.settings import Settings
    from embeddings.backends import DEFAULT_BACKEND

    backend = Settings.from_env().encoder_backend or DEFAULT_BACKEND  # what a new data directory gets
    docs = load_documents(DEFAULT_DATASET, stories)
    _, ours, _ = peer_txtai.run_ours(docs, claims, data, 10, backend)
    # txtai runs the very ONNX graph ours runs (the quantized one for onnx-int8): same model.
    _, theirs, _, _ = peer_txtai.run_txtai(docs, claims, None, 10, onnx=True, int8=backend == "onnx-int8")
    p50, p50_t = percentile(ours, 50), percentile(theirs, 50)
    note = f" (ours {p50:.1f} ms, txtai {p50_t:.1f} ms)"
    return at_least("txtai ratio (txtai p50 / ours)", p50_t / p50, "", 1.0, note)


def table(lines: list[Line]) -> str:
    width = max(len(line.what) for line in lines)
    shown = max(len(line.shown) for line in lines)
    target = max(len(line.target) for line in lines)
    rows = [f"{'':{width}}  {'measured':{shown}}  {'target':{target}}", "-" * (width + shown + target + 12)]
    for line in lines:
        verdict = "" if line.met is None else ("ok" if line.met else "MISSED")
        rows.append(f"{line.what:{width}}  {line.shown:{shown}}  {line.target:{target}}  {verdict}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=int, default=300, help="Reuters stories per ingest (default 300)")
    parser.add_argument("--claims", type=int, default=200, help="claims of the one-client phase")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the 8-client phase")
    parser.add_argument("--keep", type=Path, help="keep data directories and server logs here")
    args = parser.parse_args(argv)
    if not DEFAULT_DATASET.is_file():
        parser.error(f"dataset not found: {DEFAULT_DATASET}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="claimcheck-bench-quick-"))
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    lines: list[Line] = []
    claims: list[tuple[str, str]] = []
    try:
        print(f"== 1. ingest over HTTP, {args.stories} stories", flush=True)
        lines += http_ingest(args.stories, root)
        print(f"== 2. ingest in-process, {args.stories} stories", flush=True)
        data = root / "inprocess"
        lines.append(inprocess_ingest(args.stories, data))
        print(f"== 3. checks over HTTP, {args.claims} claims", flush=True)
        check_lines, claims = checks(data, args.stories, args.claims, args.seconds, root)
        lines += check_lines
        print("== 4. txtai peer", flush=True)
        lines.append(peer(data, args.stories, claims))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print()
    took = time.perf_counter() - started
    print(f"bench.quick: {args.stories} Reuters stories, {len(claims)} claims, {took:.0f} s in all")
    print(table(lines))
    return 0  # a missed target is a finding, printed; not a failed command


if __name__ == "__main__":
    sys.exit(main())
