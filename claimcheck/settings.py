"""Configuration from the environment, read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from embeddings.backends import EncoderBackend

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _bool_env(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1/true/yes/on or 0/false/no/off, got {raw!r}")


def _choice_env(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = os.environ.get(name, "").strip() or default
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything deployment-specific; tests build their own instead of touching the environment."""

    data_dir: Path
    seeds_dir: Path | None
    max_document_chars: int = 2_000_000
    torch_threads: int = 1
    faiss_threads: int = 1
    encoder_backend: EncoderBackend = "onnx"
    model_cache: Path | None = None  # where the ONNX export lives; default <data_dir>/models
    # Serve read-only even when the data directory could be written (a snapshot, a replica).
    read_only: bool = False
    # Disk held back beside the store so documents can still be deleted once the disk is full.
    reserve_bytes: int = 16 * 1024 * 1024

    @classmethod
    def from_env(cls) -> Settings:
        """``CLAIMCHECK_DATA`` (default ./data), ``CLAIMCHECK_SEEDS`` (default ./seeds, "" disables),
        ``CLAIMCHECK_ENCODER`` (onnx|torch), ``CLAIMCHECK_MODEL_CACHE`` (default <data>/models),
        ``CLAIMCHECK_READ_ONLY`` (default off), ``CLAIMCHECK_RESERVE_MB`` (default 16, 0 disables)."""
        seeds_raw = os.environ.get("CLAIMCHECK_SEEDS", str(PROJECT_ROOT / "seeds"))
        return cls(
            data_dir=Path(os.environ.get("CLAIMCHECK_DATA", "data")),
            seeds_dir=Path(seeds_raw) if seeds_raw else None,
            max_document_chars=_int_env("CLAIMCHECK_MAX_DOCUMENT_CHARS", 2_000_000),
            torch_threads=_int_env("CLAIMCHECK_TORCH_THREADS", 1),
            faiss_threads=_int_env("CLAIMCHECK_FAISS_THREADS", 1),
            encoder_backend=cast(
                EncoderBackend, _choice_env("CLAIMCHECK_ENCODER", ("onnx", "torch"), "onnx")
            ),
            model_cache=Path(os.environ["CLAIMCHECK_MODEL_CACHE"])
            if os.environ.get("CLAIMCHECK_MODEL_CACHE")
            else None,
            read_only=_bool_env("CLAIMCHECK_READ_ONLY", False),
            reserve_bytes=_int_env("CLAIMCHECK_RESERVE_MB", 16) * 1024 * 1024,
        )
