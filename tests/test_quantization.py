"""The int8 encoder (``onnx-int8``): close to fp32 on real text, cached honestly, and never mixed
with fp32 in one data directory.

The quantized graph is made once per session from the session's ONNX export (``int8_encoder`` in
conftest.py, a few seconds).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from claimcheck.checker import Checker
from claimcheck.startup import check_encoder, encoder_backend
from claimcheck.storage import STORE_FILENAME
from claimcheck.vectorspace import KEY, EncoderMismatchError, peek
from corpus.parse import parse_document
from embeddings import quantize
from embeddings.backends import ONNX_FILE_NAME, backend_for_space, vector_space
from embeddings.encoder import FP32_SPACE
from embeddings.onnx_encoder import sidecar_path
from embeddings.quantize import DEFAULT_QUANT, QuantSettings, quantization_is_current, quantized_path
from tests.conftest import SEEDS_DIR, SHARED_DIR, api_settings

# Measured over 300 Reuters dev paragraphs and 200 claims (bench/quantization.py --sensitivity):
# lowest cosine 0.9974 with the sensitive MatMuls in fp32 (0.9854 with every MatMul int8); the
# floor leaves a margin below the first and fails the second.
COSINE_FLOOR = 0.993


def seed_texts() -> list[str]:
    """Every paragraph of the five seed articles and every seed development claim: fixed real text."""
    texts = [
        p.text
        for path in sorted(SEEDS_DIR.glob("*.txt"))
        for p in parse_document(path.read_text(encoding="utf-8")).paragraphs
    ]
    claims = json.loads((SHARED_DIR / "eval" / "seed_claims_dev.json").read_text(encoding="utf-8"))
    return texts + [c["claim"] for c in claims["claims"]]


def test_int8_vectors_stay_close_to_fp32(fp32_encoder, int8_encoder):
    texts = seed_texts()
    assert len(texts) > 50
    fp32, int8 = fp32_encoder.encode(texts), int8_encoder.encode(texts)
    assert int8.shape == fp32.shape and int8.dtype == np.float32
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cosines = (fp32 * int8).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= COSINE_FLOOR, (texts[worst][:80], float(cosines[worst]))
    assert cosines.mean() > 0.997
    # Not the fp32 graph under another name: quantization does change the vectors.
    assert cosines.max() < 0.99999


def test_an_int8_vector_does_not_depend_on_the_texts_encoded_with_it(int8_encoder):
    """Dynamic quantization scales activations per tensor, i.e. per batch: int8 encodes one text at
    a time, so a claim micro-batched with others, or a sentence ingested beside others, gets
    exactly the vector it gets alone."""
    texts = seed_texts()[:12]
    alone = np.vstack([int8_encoder.encode([t]) for t in texts])
    together = int8_encoder.encode(texts)
    reordered = int8_encoder.encode(texts[::-1])[::-1]
    assert np.array_equal(alone, together) and np.array_equal(alone, reordered)


def test_int8_is_quantized_and_names_its_space(onnx_cache, int8_encoder, fp32_encoder):
    fp32_path = onnx_cache / ONNX_FILE_NAME
    path = quantized_path(fp32_path)
    assert path.name == f"all-MiniLM-L6-v2.int8-pc-mm-s8-{DEFAULT_QUANT.key.rsplit('-', 1)[1]}.onnx"
    assert DEFAULT_QUANT.key.startswith("pc-mm-s8-fp8")
    # 28 of the 36 weight matrices now 1 byte a weight (the 8 kept in fp32 are the largest).
    assert path.stat().st_size < 0.85 * fp32_path.stat().st_size
    assert quantization_is_current(fp32_path)
    assert int8_encoder.space == vector_space("onnx-int8") != fp32_encoder.space == FP32_SPACE
    assert backend_for_space(int8_encoder.space) == "onnx-int8"
    assert backend_for_space(FP32_SPACE) == "onnx"


def test_quantization_cache_is_keyed_and_checked(onnx_cache, int8_encoder, monkeypatch):
    fp32_path = onnx_cache / ONNX_FILE_NAME
    other = QuantSettings(reduce_range=True)
    assert quantized_path(fp32_path, other) != quantized_path(fp32_path)
    assert not quantization_is_current(fp32_path, other)  # never made: another file name
    # A current quantization is reused as it is, without running the quantizer.
    monkeypatch.setattr(
        "onnxruntime.quantization.quantize_dynamic", lambda *a, **k: pytest.fail("re-quantized")
    )
    assert quantize.quantize_onnx(fp32_path) == quantized_path(fp32_path)
    # A sidecar that names other settings (or another fp32 export) makes it stale.
    sidecar = sidecar_path(quantized_path(fp32_path))
    recorded = sidecar.read_text(encoding="utf-8")
    try:
        changed = json.loads(recorded)
        changed["settings"]["per_channel"] = not DEFAULT_QUANT.per_channel
        sidecar.write_text(json.dumps(changed), encoding="utf-8")
        assert not quantization_is_current(fp32_path)
    finally:
        sidecar.write_text(recorded, encoding="utf-8")
    assert quantization_is_current(fp32_path)


def test_sensitive_matmuls_stay_fp32_and_must_exist(onnx_cache, int8_encoder, tmp_path):
    import onnx

    fp32_path = onnx_cache / ONNX_FILE_NAME
    graph = onnx.load(str(quantized_path(fp32_path))).graph
    ops = {node.name: node.op_type for node in graph.node}
    # The kept ones are still plain MatMuls on fp32 weights; every other weight product is int8.
    assert all(ops[name] == "MatMul" for name in DEFAULT_QUANT.fp32_nodes)
    assert sum(op == "MatMulInteger" for op in ops.values()) == 36 - len(DEFAULT_QUANT.fp32_nodes)
    # Sets of the same size but other nodes never share a file (or a vector space).
    other = QuantSettings(
        fp32_nodes=(*DEFAULT_QUANT.fp32_nodes[1:], "/inner/encoder/layer.5/output/dense/MatMul")
    )
    assert quantized_path(fp32_path, other) != quantized_path(fp32_path)
    # A node name the export does not have is refused, not silently quantized.
    missing = QuantSettings(fp32_nodes=("/no/such/MatMul",))
    with pytest.raises(ValueError, match="/no/such/MatMul"):
        quantize.quantize_onnx(fp32_path, missing)
    assert not quantized_path(fp32_path, missing).exists()


def test_quantizing_keeps_the_pre_processing_advice_out_of_the_log(onnx_cache, caplog):
    """A first start quantizes: the quantizer's advice to pre-process is not the operator's to act on."""
    settings = QuantSettings(fp32_nodes=DEFAULT_QUANT.fp32_nodes[:1])  # not made yet this session
    with caplog.at_level(logging.WARNING):
        quantize.quantize_onnx(onnx_cache / ONNX_FILE_NAME, settings)
        assert quantization_is_current(onnx_cache / ONNX_FILE_NAME, settings)
        assert not [r for r in caplog.records if "pre-processing" in r.getMessage()]
        logging.warning("%s, said after", quantize._PRE_PROCESSING_ADVICE)  # the filter is gone again
    assert [r.getMessage() for r in caplog.records] == [f"{quantize._PRE_PROCESSING_ADVICE}, said after"]


def _ingest_one(checker: Checker) -> None:
    checker.ingest_files([sorted(SEEDS_DIR.glob("*.txt"))[0]])
    checker.save()
    checker.close()


def test_data_directory_keeps_to_the_encoder_of_its_vectors(tmp_path, fp32_encoder, int8_encoder, nlp):
    data = tmp_path / "data"
    _ingest_one(Checker.open(data, int8_encoder, nlp))
    assert peek(data) == int8_encoder.space
    with pytest.raises(EncoderMismatchError, match="CLAIMCHECK_ENCODER=onnx-int8"):
        Checker.open(data, fp32_encoder, nlp)
    # Start-up follows the data directory when CLAIMCHECK_ENCODER is unset, and refuses a
    # configured encoder of another precision before loading any model.
    assert encoder_backend(api_settings(data)) == "onnx-int8"
    with pytest.raises(EncoderMismatchError, match="int8"):
        check_encoder(api_settings(data, encoder_backend="onnx"))
    with pytest.raises(EncoderMismatchError):
        check_encoder(api_settings(data, encoder_backend="torch"))
    check_encoder(api_settings(data, encoder_backend="onnx-int8"))
    reopened = Checker.open(data, int8_encoder, nlp)
    assert reopened.stats().documents == 1
    reopened.close()


def test_empty_store_takes_any_encoder_and_old_stores_are_fp32(tmp_path, fp32_encoder, int8_encoder, nlp):
    data = tmp_path / "data"
    Checker.open(data, int8_encoder, nlp).close()  # recorded, but nothing encoded yet
    assert peek(data) is None
    _ingest_one(Checker.open(data, fp32_encoder, nlp))
    assert peek(data) == FP32_SPACE
    # A store written before the record existed: its vectors can only be fp32.
    with sqlite3.connect(data / STORE_FILENAME) as conn:
        conn.execute("DELETE FROM store_meta WHERE key = ?", (KEY,))
    conn.close()
    assert peek(data) == FP32_SPACE
    assert encoder_backend(api_settings(data)) == "onnx"
    with pytest.raises(EncoderMismatchError, match="fp32"):
        Checker.open(data, int8_encoder, nlp)
    Checker.open(data, fp32_encoder, nlp).close()  # and it is recorded now
    with sqlite3.connect(data / STORE_FILENAME) as conn:
        assert conn.execute("SELECT value FROM store_meta WHERE key = ?", (KEY,)).fetchone() == (FP32_SPACE,)
    conn.close()


def test_new_data_directory_gets_the_default(tmp_path: Path):
    from embeddings.backends import DEFAULT_BACKEND

    assert encoder_backend(api_settings(tmp_path / "new")) == DEFAULT_BACKEND
    assert peek(tmp_path / "new") is None
