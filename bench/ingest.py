"""Ingest throughput: Reuters-21578 through the service's own ingest path.

    .venv/bin/python -m bench.ingest [--limit N] [--data DIR] [--chunk 32] [--no-bulk]

Every non-empty Reuters story (19,043; see ``bench/claims_from_reuters.py``) goes through
``claimcheck.startup.open_checker`` (the models, thread pools and data dir a serving process
uses, seeds disabled) and ``Checker.ingest_many`` fed one stream of all documents when the checker
has it (``--no-bulk``: ``Checker.ingest`` per document): parse, spaCy, attribution frames, content
terms, MiniLM vectors, SQLite, FAISS.
The data dir is kept (its path is printed) so ``bench/query.py --start-server DIR`` can serve it.

A story in which the parser finds no sentence to search (a table of dividends, say) is refused
as the service refuses it (422, nothing written): it is counted and listed, and the run goes on.

Prints documents/s and sentences/s over the ingest loop (the final index save included), model
load time, peak RSS, the size on disk of the store and index, and the total wall time.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse
import inspect
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.claims_from_reuters import DEFAULT_DATASET, FULL_CORPUS_DOCUMENTS, ReutersDocument, iter_documents


def command_line() -> str:
    return shlex.join([sys.executable, "-m", "bench.ingest", *sys.argv[1:]])


def peak_rss_mib() -> float:
    """Peak resident set size of this process (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return float(psutil.Process().memory_info().rss) / 2**20


def dir_sizes(directory: Path) -> dict[str, int]:
    """Bytes per file (recursively) under ``directory``."""
    return {
        str(p.relative_to(directory)): p.stat().st_size for p in sorted(directory.rglob("*")) if p.is_file()
    }


def submission(doc: ReutersDocument) -> Any:
    from claimcheck.requests import Submission

    return Submission(text=doc.text, id=doc.id, format="text", published=doc.published)


Refused = Callable[[Any, Exception], None]
Bulk = Callable[[Iterable[Any], Refused], Iterable[Any]]


def bulk_call(checker: Any, chunk: int) -> tuple[Bulk, str] | None:
    """``checker.ingest_many`` fed one stream of all documents (its batches overlap parse and embed),
    with ``batch_size=chunk`` when it takes one; None when the checker has no bulk path.

    It is always given ``refused``: without it the first document with nothing to index would stop
    the whole stream (``NothingToIndexError``), as the checker's contract says."""
    ingest_many = getattr(checker, "ingest_many", None)
    if ingest_many is None:
        return None
    takes_size = "batch_size" in inspect.signature(ingest_many).parameters
    options: dict[str, Any] = {"batch_size": chunk} if takes_size else {}

    def call(stream: Iterable[Any], refused: Refused) -> Iterable[Any]:
        return ingest_many(stream, refused=refused, **options)  # type: ignore[no-any-return]

    size = f"batch_size={chunk}, " if takes_size else ""
    return call, f"Checker.ingest_many(stream, {size}refused=...)"


def one_by_one(checker: Any, submissions: Iterable[Any], refused: Refused) -> Iterable[Any]:
    """``Checker.ingest`` per document; a document with nothing to index is refused, not fatal."""
    from claimcheck.requests import NothingToIndexError

    for item in submissions:
        try:
            yield checker.ingest(item)
        except NothingToIndexError as error:
            refused(item, error)


def ingest_all(
    checker: Any,
    docs: Iterable[ReutersDocument],
    total: int,
    bulk: Bulk | None,
) -> tuple[int, int, list[str]]:
    """Ingest ``docs`` with a progress bar; returns (documents, sentences, ids of the refused ones)."""
    from tqdm import tqdm

    refused_ids: list[str] = []
    documents = sentences = 0
    with tqdm(total=total, unit="doc", dynamic_ncols=True, mininterval=1.0, file=sys.stderr) as bar:

        def refused(item: Any, error: Exception) -> None:
            refused_ids.append(str(item.id))
            bar.update(1)

        submissions = (submission(d) for d in docs)
        results = (
            bulk(submissions, refused) if bulk is not None else one_by_one(checker, submissions, refused)
        )
        for result in results:
            documents += 1
            sentences += int(result.sentences)
            bar.update(1)
            bar.set_postfix(sent=sentences, refused=len(refused_ids), refresh=False)
    return documents, sentences, refused_ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="first N documents (default: all 19,043)")
    parser.add_argument("--data", type=Path, default=None, help="data dir (default: a new temp dir)")
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--chunk", type=int, default=32, help="ingest_many batch_size, if it takes one")
    parser.add_argument("--no-bulk", action="store_true", help="per-document ingest even with ingest_many")
    parser.add_argument(
        "--encoder", choices=("onnx-int8", "onnx", "torch"), default=None, help="default: service's"
    )
    parser.add_argument("--torch-threads", type=int, default=None, help="default: env or 1")
    parser.add_argument("--faiss-threads", type=int, default=None, help="default: env or 1")
    args = parser.parse_args(argv)
    print(f"$ {command_line()}", flush=True)
    if not args.dataset.is_file():
        parser.error(f"dataset not found: {args.dataset}")

    started = time.perf_counter()
    if args.data is None:
        data_dir = Path(tempfile.mkdtemp(prefix="claimcheck-bench-ingest-"))
    else:
        data_dir = args.data.resolve()
        if data_dir.exists() and any(data_dir.iterdir()):
            parser.error(f"--data {data_dir} is not empty: ingest measures a fresh store")
        data_dir.mkdir(parents=True, exist_ok=True)

    from claimcheck.settings import Settings
    from claimcheck.startup import open_checker

    env = Settings.from_env()
    overrides: dict[str, Any] = {"data_dir": data_dir, "seeds_dir": None}
    if args.torch_threads is not None:
        overrides["torch_threads"] = args.torch_threads
    if args.faiss_threads is not None:
        overrides["faiss_threads"] = args.faiss_threads
    if args.encoder is not None:
        if not hasattr(env, "encoder_backend"):
            parser.error("--encoder: this tree's Settings has no encoder_backend")
        overrides["encoder_backend"] = args.encoder
    settings = replace(env, **overrides)
    checker = open_checker(settings)
    loaded = time.perf_counter()
    found = None if args.no_bulk else bulk_call(checker, args.chunk)
    bulk, path = found if found is not None else (None, "Checker.ingest, one document per call")
    encoder = type(checker.encoder)
    backend = (
        getattr(settings, "encoder_backend", "torch") or "unset (the data directory's own, else the default)"
    )
    backend += f", vectors {getattr(checker.encoder, 'space', 'fp32')}"
    total = min(args.limit, FULL_CORPUS_DOCUMENTS) if args.limit is not None else FULL_CORPUS_DOCUMENTS
    print(f"data dir: {data_dir}")
    print(f"documents: {total} Reuters-21578 stories from {args.dataset}")
    print(
        f"ingest path: {path}; encoder {backend}: {encoder.__module__}.{encoder.__name__}; "
        f"torch threads {settings.torch_threads}, faiss threads {settings.faiss_threads}"
    )
    print(f"model load + open: {loaded - started:.1f} s", flush=True)

    try:
        t0 = time.perf_counter()
        documents, sentences, refused = ingest_all(
            checker, iter_documents(args.dataset, args.limit), total, bulk
        )
        checker.save()
        elapsed = time.perf_counter() - t0
    finally:
        checker.close()
    wall = time.perf_counter() - started

    sizes = dir_sizes(data_dir)
    # The ONNX export lives in <data>/models unless CLAIMCHECK_MODEL_CACHE says otherwise: not data.
    model_files = {name for name in sizes if name.startswith("models/")}
    data_bytes = sum(size for name, size in sizes.items() if name not in model_files)
    rss = current_rss_mib()
    print()
    print(f"ingested: {documents} documents, {sentences} sentences in {elapsed:.1f} s (loop + final save)")
    print(f"  {documents / elapsed:.2f} documents/s, {sentences / elapsed:.1f} sentences/s")
    print(f"  {1000 * elapsed / max(documents, 1):.1f} ms per document")
    if refused:
        shown = ", ".join(refused[:10]) + (", ..." if len(refused) > 10 else "")
        print(f"refused (nothing to index, not written, as the API's 422): {len(refused)} documents: {shown}")
    else:
        print("refused (nothing to index): none")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB" + (f" (at exit: {rss:.0f} MiB)" if rss is not None else ""))
    print(f"on disk, store + index: {data_bytes / 2**20:.1f} MiB in {data_dir}")
    for name, size in sizes.items():
        if name not in model_files:
            print(f"  {name:40s} {size / 2**20:9.1f} MiB")
    if model_files:
        model_bytes = sum(sizes[name] for name in model_files)
        print(f"  (not counted: model cache {data_dir / 'models'}, {model_bytes / 2**20:.1f} MiB)")
    print(f"wall time: {wall:.1f} s (model load included)")
    stories = documents + len(refused)  # the first N stories, refused ones included (bench.query --docs)
    limit_arg = f" --docs {stories}" if stories < FULL_CORPUS_DOCUMENTS else ""
    print(f"serve it: .venv/bin/python -m bench.query --start-server {data_dir}{limit_arg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
