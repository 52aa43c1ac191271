"""The ONNX backend: same vectors as the torch encoder, order kept, and the export cache is honest.

The export (a few seconds) runs once per session: ``onnx_cache`` in conftest.py, shared with the
session's production encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embeddings import onnx_encoder
from embeddings.backends import ONNX_FILE_NAME, load_encoder
from embeddings.encoder import MiniLMEncoder, model_path
from embeddings.onnx_encoder import OnnxMiniLMEncoder, export_onnx, sidecar_path, source_fingerprint

LONG_TEXT = " ".join(
    f"Paragraph {i}: the ministry said the convoy of {i * 7} trucks crossed the border at dawn, "
    "while observers disputed the account and demanded an independent inquiry."
    for i in range(12)
)
TEXTS = [
    "A Turkish F-16 downed an SU-25",
    "",
    " ",
    "?",
    LONG_TEXT,
    "Officials in Ankara denied that any aircraft had entered Syrian airspace on Tuesday.",
    "Ünïcödé — 中文 text, emoji 🚀 and numbers 3.14",
    "hi",
    "The central bank raised interest rates by 25 basis points, citing persistent inflation.",
]


@pytest.fixture(scope="session")
def onnx_encoder_1(onnx_cache) -> OnnxMiniLMEncoder:
    return OnnxMiniLMEncoder(onnx_cache / ONNX_FILE_NAME, model_path(), threads=1)


@pytest.fixture
def no_export(monkeypatch):
    """Fail the test if anything tries to run the (slow) torch export."""

    def refuse(model_dir, out_path):
        raise AssertionError("export ran although an up-to-date export exists")

    monkeypatch.setattr(onnx_encoder, "_torch_export", refuse)


def test_long_text_exceeds_max_seq_length():
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    assert len(tokenizer.encode(LONG_TEXT).ids) > 300
    assert onnx_encoder.max_seq_length(model_path()) == 256


def test_vectors_match_torch_encoder(onnx_encoder_1, torch_encoder: MiniLMEncoder):
    ours = onnx_encoder_1.encode(TEXTS)
    reference = torch_encoder.encode(TEXTS)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() > 0.999, dict(zip(TEXTS, cosines.round(5), strict=True))


def test_shapes_dtypes_and_unit_norm(onnx_encoder_1):
    assert onnx_encoder_1.dimension == 384
    vectors = onnx_encoder_1.encode(TEXTS)
    assert vectors.shape == (len(TEXTS), 384)
    assert vectors.dtype == np.float32
    assert vectors.flags.c_contiguous
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    empty = onnx_encoder_1.encode([])
    assert empty.shape == (0, 384)
    assert empty.dtype == np.float32


def test_order_preserved_across_sorted_batches(onnx_cache, onnx_encoder_1):
    """Length sorting and small batches must not move rows: each row equals that text encoded alone."""
    small_batches = OnnxMiniLMEncoder(onnx_cache / ONNX_FILE_NAME, model_path(), batch_size=2)
    together = small_batches.encode(TEXTS)
    alone = np.vstack([onnx_encoder_1.encode([text]) for text in TEXTS])
    assert np.allclose(together, alone, atol=1e-4)
    reversed_rows = onnx_encoder_1.encode(TEXTS[::-1])
    assert np.allclose(reversed_rows[::-1], onnx_encoder_1.encode(TEXTS), atol=1e-4)


def test_export_records_source_hash(onnx_cache):
    out = onnx_cache / ONNX_FILE_NAME
    recorded = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert recorded == source_fingerprint(model_path())
    assert set(recorded["sha256"]) == {"config.json", "model.safetensors"}
    assert not list(onnx_cache.glob("*.tmp")), "temporary files left behind"


def test_reexport_skipped_when_up_to_date(onnx_cache, no_export):
    out = onnx_cache / ONNX_FILE_NAME
    before = out.stat().st_mtime_ns, sidecar_path(out).stat().st_mtime_ns
    assert export_onnx(model_path(), out) == out
    assert (out.stat().st_mtime_ns, sidecar_path(out).stat().st_mtime_ns) == before


def test_stale_export_is_redone(tmp_path, monkeypatch):
    """A sidecar whose hash no longer matches the weights (or none at all) triggers a new export."""
    calls = []

    def fake_export(model_dir, out_path):
        calls.append(model_dir)
        Path(out_path).write_bytes(b"new graph")

    monkeypatch.setattr(onnx_encoder, "_torch_export", fake_export)
    out = tmp_path / "model.onnx"
    out.write_bytes(b"old graph")
    stale = source_fingerprint(model_path())
    stale["sha256"]["model.safetensors"] = "0" * 64
    sidecar_path(out).write_text(json.dumps(stale), encoding="utf-8")

    export_onnx(model_path(), out)
    assert calls == [model_path()]
    assert out.read_bytes() == b"new graph"
    assert json.loads(sidecar_path(out).read_text(encoding="utf-8")) == source_fingerprint(model_path())

    export_onnx(model_path(), out)  # now current: no second export
    assert len(calls) == 1

    sidecar_path(out).unlink()  # an export without its record is not trusted
    export_onnx(model_path(), out)
    assert len(calls) == 2


def test_load_encoder_onnx_reuses_cached_export(onnx_cache, onnx_encoder_1, no_export):
    loaded = load_encoder("onnx", onnx_cache, threads=1)
    assert isinstance(loaded, OnnxMiniLMEncoder)
    assert np.allclose(loaded.encode(TEXTS[:3]), onnx_encoder_1.encode(TEXTS[:3]), atol=1e-6)


def test_load_encoder_torch_and_unknown_backend():
    assert isinstance(load_encoder("torch", Path("unused"), threads=1), MiniLMEncoder)
    with pytest.raises(ValueError, match="unknown encoder backend"):
        load_encoder("tensorflow", Path("unused"), threads=1)  # type: ignore[arg-type]
