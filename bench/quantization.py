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
  turn (interleaved, rotating order), median and p90 per variant;
- ``--sensitivity``: each weight MatMul quantized alone, the others fp32, ranked by the mean
  cosine it costs over the first 300 paragraphs and the claims (150 of them from Climate-FEVER;
  how ``SENSITIVE_MATMULS`` was chosen), then the full quantization with the top 0, 1, 3, 5,
  8 and 12 of that ranking kept in fp32: fidelity and one-claim encode time of each.

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
    "int8 per-channel MatMul QInt8, 8 sensitive MatMuls fp32 (shipped)": DEFAULT_QUANT,
    "int8 per-channel MatMul QInt8, every MatMul": QuantSettings(),
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


def weight_matmuls(fp32_path: Path) -> list[str]:
    """Names of the MatMuls with a weight initializer (the ones dynamic quantization rewrites)."""
    import onnx

    graph = onnx.load(str(fp32_path)).graph
    weights = {init.name for init in graph.initializer}
    return [n.name for n in graph.node if n.op_type == "MatMul" and any(i in weights for i in n.input)]


def _fidelity(encoder: OnnxMiniLMEncoder, texts: Sequence[str], reference: Vectors) -> tuple[float, float]:
    cosines = (encoder.encode(texts) * reference).sum(axis=1)
    return float(cosines.min()), float(cosines.mean())


def sensitivity(fp32_path: Path, source: str, texts: Sequence[str], claims: Sequence[str]) -> None:
    """Rank the weight MatMuls by the cosine their quantization alone costs, then keep the worst."""
    reference = OnnxMiniLMEncoder(fp32_path, source, batch_size=BATCH_SIZE, threads=1).encode(texts)
    nodes = weight_matmuls(fp32_path)
    cost: dict[str, float] = {}
    print(f"{len(nodes)} weight MatMuls, each quantized alone; {len(texts)} texts\n")
    print("| MatMul quantized alone | cosine to fp32: min / mean |\n|---|---|")
    for node in nodes:
        alone = QuantSettings(fp32_nodes=tuple(n for n in nodes if n != node))
        encoder = OnnxMiniLMEncoder(quantize_onnx(fp32_path, alone), source, batch_size=1, threads=1)
        low, mean = _fidelity(encoder, texts, reference)
        cost[node] = 1.0 - mean
        print(f"| {node} | {low:.5f} / {mean:.6f} |")
    ranking = sorted(nodes, key=lambda n: -cost[n])
    print("\nranking, most sensitive first:", *ranking[:12], sep="\n  ")
    kept = {k: QuantSettings(fp32_nodes=tuple(ranking[:k])) for k in (0, 1, 3, 5, 8, 12)}
    encoders = {"fp32": OnnxMiniLMEncoder(fp32_path, source, batch_size=1, threads=1)} | {
        f"top {k} fp32": OnnxMiniLMEncoder(quantize_onnx(fp32_path, s), source, batch_size=1, threads=1)
        for k, s in kept.items()
    }
    ms = timings(encoders, list(claims) * 3)
    print("\n| MatMuls kept in fp32 | cosine to fp32: min / mean | encode 1 claim: median / p90 ms |")
    print("|---|---|---|")
    for name, encoder in encoders.items():
        low, mean = _fidelity(encoder, texts, reference)
        print(f"| {name} | {low:.5f} / {mean:.5f} | {_median_p90(ms[name])} |")
    shipped = [n for n in ranking if n in DEFAULT_QUANT.fp32_nodes]
    top = shipped == ranking[: len(shipped)]
    print(f"\nshipped SENSITIVE_MATMULS are the top {len(shipped)} of this ranking: {top}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stories", type=int, default=400, help="Reuters dev stories for paragraphs")
    parser.add_argument("--climate-fever", type=int, default=300, help="Climate-FEVER claims added")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/claimcheck-bench-quant"))
    parser.add_argument("--only-shipped", action="store_true", help="fp32 and the shipped int8 only")
    parser.add_argument("--speed-only", action="store_true", help="claim encode times only (no paragraphs)")
    parser.add_argument("--rounds", type=int, default=1, help="times over the claims, for the timing")
    parser.add_argument("--sensitivity", action="store_true", help="rank MatMuls by int8 error alone")
    args = parser.parse_args(argv)

    source = model_path()
    fp32_path = export_onnx(source, args.cache / ONNX_FILE_NAME)
    if args.sensitivity:
        queries = claims(150)
        sensitivity(fp32_path, source, reuters_paragraphs(args.stories)[:300] + queries, queries)
        return
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
