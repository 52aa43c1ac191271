"""Fidelity and speed of int8 dynamic quantization of the ONNX encoder, against its fp32 export.

Why: ``CLAIMCHECK_ENCODER=onnx-int8`` only pays if its vectors stay close enough to fp32 that the
cosine thresholds and the verifier, calibrated on fp32, keep their meaning, and if a claim's
encode is really faster. This measures both on real text, for the shipped quantization settings and
a few alternatives:

- *fidelity*: cosine between each text's int8 and fp32 vector (min, 1st percentile, mean) over
  paragraphs of the 400 Reuters development stories (``../shared/eval/reuters_subset_dev.json``,
  parsed by the service's own parser) and claims (the Reuters and seed development claims and the
  first Climate-FEVER claims); and the overlap of each claim's top 10 paragraphs, searched with the
  int8 claim vector over int8 paragraph vectors (a data directory made with int8) and over fp32
  paragraph vectors (what mixing would do), against fp32 over fp32;
- *speed*: one claim per ``encode`` call on one thread, all variants timed on the same claim in
  turn (interleaved, rotating order), median and p90 per variant.

Run: ``.venv/bin/python -m bench.quantization [--stories N] [--claims N]`` (about 5 min at the defaults
on 2 shared cores; fp32 export and quantizations are cached in ``--cache``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from corpus.parse import parse_document
from embeddings.backends import BATCH_SIZE, ONNX_FILE_NAME
from embeddings.encoder import Vectors, model_path
from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_onnx
from embeddings.quantize import DEFAULT_QUANT, QuantSettings, quantize_onnx

SHARED = Path(__file__).resolve().parents[2] / "shared"
REUTERS = SHARED / "datasets" / "reuters-21578" / "reuters21578.jsonl"
SUBSET = SHARED / "eval" / "reuters_subset_dev.json"
REUTERS_CLAIMS = SHARED / "eval" / "reuters_claims_dev.json"
SEED_CLAIMS = SHARED / "eval" / "seed_claims_dev.json"
CLIMATE_FEVER = SHARED / "datasets" / "climate-fever" / "climate-fever.jsonl"
TOP_K = 10

VARIANTS: dict[str, QuantSettings] = {
    "int8 per-channel MatMul QInt8 (shipped)": DEFAULT_QUANT,
    "int8 per-channel MatMul QInt8 reduce_range": QuantSettings(reduce_range=True),
    "int8 per-channel MatMul QUInt8": QuantSettings(weight_type="QUInt8"),
    "int8 per-tensor MatMul QInt8": QuantSettings(per_channel=False),
    "int8 onnxruntime defaults (all ops, per-tensor, QInt8)": QuantSettings(per_channel=False, op_types=()),
}


def reuters_paragraphs(stories: int) -> list[str]:
    wanted = json.loads(SUBSET.read_text(encoding="utf-8"))["ids"][:stories]
    bodies: dict[int, str] = {}
    with REUTERS.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["newid"] in wanted and row.get("body"):
                bodies[row["newid"]] = row["body"]
    return [p.text for i in wanted if i in bodies for p in parse_document(bodies[i], "text").paragraphs]


def claims(climate_fever: int) -> list[str]:
    texts = [c["claim"] for c in json.loads(REUTERS_CLAIMS.read_text(encoding="utf-8"))["claims"]]
    texts += [c["claim"] for c in json.loads(SEED_CLAIMS.read_text(encoding="utf-8"))["claims"]]
    with CLIMATE_FEVER.open(encoding="utf-8") as handle:
        for line, _ in zip(handle, range(climate_fever), strict=False):
            texts.append(json.loads(line)["claim"])
    return list(dict.fromkeys(texts))


def top_k(queries: Vectors, index: Vectors) -> list[set[int]]:
    scores = queries @ index.T
    return [set(np.argsort(-row, kind="stable")[:TOP_K].tolist()) for row in scores]


def overlap(a: list[set[int]], b: list[set[int]]) -> float:
    return float(np.mean([len(x & y) / TOP_K for x, y in zip(a, b, strict=True)]))


def timings(encoders: dict[str, OnnxMiniLMEncoder], texts: Sequence[str]) -> dict[str, list[float]]:
    names = list(encoders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up
        encoders[name].encode(texts[:3])
    for i, text in enumerate(texts):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            start = time.perf_counter()
            encoders[name].encode([text])
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def _median_p90(values: Sequence[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f} / {ordered[int(0.9 * (len(ordered) - 1))]:.2f}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stories", type=int, default=400, help="Reuters dev stories for paragraphs")
    parser.add_argument("--climate-fever", type=int, default=300, help="Climate-FEVER claims added")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/claimcheck-bench-quant"))
    parser.add_argument("--only-shipped", action="store_true", help="fp32 and the shipped int8 only")
    parser.add_argument("--speed-only", action="store_true", help="claim encode times only (no paragraphs)")
    parser.add_argument("--rounds", type=int, default=1, help="times over the claims, for the timing")
    args = parser.parse_args(argv)

    source = model_path()
    fp32_path = export_onnx(source, args.cache / ONNX_FILE_NAME)
    variants = {k: v for k, v in VARIANTS.items() if v == DEFAULT_QUANT or not args.only_shipped}
    paths = {"fp32": fp32_path} | {name: quantize_onnx(fp32_path, s) for name, s in variants.items()}
    encoders = {
        name: OnnxMiniLMEncoder(p, source, batch_size=BATCH_SIZE, threads=1) for name, p in paths.items()
    }

    queries = claims(args.climate_fever)
    if args.speed_only:
        ms = timings(encoders, queries * args.rounds)
        print(f"{len(queries) * args.rounds} claim encodes per encoder, interleaved\n")
        print("| encoder | encode 1 claim, 1 thread: median / p90 ms |\n|---|---|")
        for name, values in ms.items():
            print(f"| {name} | {_median_p90(values)} |")
        return
    paragraphs = reuters_paragraphs(args.stories)
    print(f"{len(paragraphs)} paragraphs of {args.stories} Reuters dev stories; {len(queries)} claims")
    para = {name: e.encode(paragraphs) for name, e in encoders.items()}
    query = {name: e.encode(queries) for name, e in encoders.items()}
    reference = top_k(query["fp32"], para["fp32"])
    ms = timings(encoders, queries * args.rounds)

    print(
        "\n| encoder | file MB | cosine to fp32: min / p1 / mean | top-10 overlap: same precision / "
        "int8 query on fp32 index | encode 1 claim, 1 thread: median / p90 ms |"
    )
    print("|---|---|---|---|---|")
    for name in encoders:
        cos = np.concatenate(
            [(para[name] * para["fp32"]).sum(axis=1), (query[name] * query["fp32"]).sum(axis=1)]
        )
        same = overlap(top_k(query[name], para[name]), reference)
        mixed = overlap(top_k(query[name], para["fp32"]), reference)
        print(
            f"| {name} | {paths[name].stat().st_size / 1e6:.0f} | {cos.min():.4f} / "
            f"{np.percentile(cos, 1):.4f} / {cos.mean():.4f} | {same:.3f} / {mixed:.3f} | "
            f"{_median_p90(ms[name])} |"
        )


if __name__ == "__main__":
    main()
