"""Configuration from the environment, read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from embeddings.backends import BACKENDS, EncoderBackend

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Host names ``make serve`` answers to: a browser page on another origin that rebinds its DNS name
# to 127.0.0.1 still sends its own name in ``Host``, so it is refused.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _list_env(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _default(cls: type[Settings], name: str) -> Any:
    """A field's declared default (a slots dataclass keeps no class attribute to read it from)."""
    return cls.__dataclass_fields__[name].default


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


def _store_url_env(name: str) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ValueError(f"{name} must be a postgresql:// URL (or unset for the embedded SQLite store)")
    return raw


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything deployment-specific; tests build their own instead of touching the environment."""

    data_dir: Path
    seeds_dir: Path | None
    max_document_chars: int = 2_000_000
    torch_threads: int = 1
    faiss_threads: int = 1
    # None: the encoder that made the data directory's vectors, or DEFAULT_BACKEND for a new one.
    encoder_backend: EncoderBackend | None = None
    model_cache: Path | None = None  # where the ONNX export lives; default <data_dir>/models
    # Who may do what, and how much (README, "Security").
    api_keys: tuple[str, ...] = ()  # empty: the server generates one into <data_dir>/api_key
    require_read_key: bool = False
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    check_rate: str = "120/minute"  # per client without a key; ``limits`` notation, ";" joins several
    keyed_check_rate: str = "50/second;3000/minute"  # per key
    write_rate: str = "20/second;1200/minute"  # per key (writes always need one)
    max_queued_checks: int = 64  # checks waiting for the query thread before new ones get 503
    max_queued_writes: int = 16  # documents waiting for the write thread before new ones get 503
    # POST /v1/documents/bulk: documents (lines) and bytes per request; bulk requests served at once.
    bulk_max_documents: int = 10_000
    bulk_max_bytes: int = 64 * 1024 * 1024
    bulk_max_requests: int = 2
    check_budget_seconds: float = 30.0  # a check not answered by then is a 503, not a hang
    header_timeout_seconds: float = 10.0  # a request's headers must arrive within this
    body_timeout_seconds: float = 60.0  # and its whole body within this
    # Serve read-only even when the data directory could be written (a snapshot, a replica).
    read_only: bool = False
    # Disk held back beside the store so documents can still be deleted once the disk is full.
    reserve_bytes: int = 16 * 1024 * 1024
    # Answers of repeated claims kept until the next write or delete (0: off; claimcheck.claimcache).
    check_cache_size: int = 2048
    # A PostgreSQL store shared by replicas (postgresql://...); None: the SQLite file in data_dir.
    store_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """``CLAIMCHECK_DATA`` (default ./data), ``CLAIMCHECK_SEEDS`` (default ./seeds, "" disables),
        ``CLAIMCHECK_ENCODER`` (onnx-int8|onnx|torch; default: the one that made the data
        directory's vectors, ``DEFAULT_BACKEND`` for a new one), ``CLAIMCHECK_MODEL_CACHE``
        (default <data>/models),
        ``CLAIMCHECK_READ_ONLY`` (default off), ``CLAIMCHECK_RESERVE_MB`` (default 16, 0 disables),
        ``CLAIMCHECK_BULK_MAX_DOCUMENTS`` (10000), ``CLAIMCHECK_BULK_MAX_MB`` (64),
        ``CLAIMCHECK_BULK_MAX_REQUESTS`` (2), ``CLAIMCHECK_CHECK_CACHE`` (2048 answers, 0 disables),
        ``CLAIMCHECK_STORE_URL`` (postgresql://user:password@host:port/database: a store shared by
        replicas; unset, the SQLite file in the data directory)."""
        seeds_raw = os.environ.get("CLAIMCHECK_SEEDS", str(PROJECT_ROOT / "seeds"))
        return cls(
            data_dir=Path(os.environ.get("CLAIMCHECK_DATA", "data")),
            seeds_dir=Path(seeds_raw) if seeds_raw else None,
            max_document_chars=_int_env("CLAIMCHECK_MAX_DOCUMENT_CHARS", 2_000_000),
            torch_threads=_int_env("CLAIMCHECK_TORCH_THREADS", 1),
            faiss_threads=_int_env("CLAIMCHECK_FAISS_THREADS", 1),
            encoder_backend=cast(EncoderBackend, _choice_env("CLAIMCHECK_ENCODER", BACKENDS, ""))
            if os.environ.get("CLAIMCHECK_ENCODER", "").strip()
            else None,
            model_cache=Path(os.environ["CLAIMCHECK_MODEL_CACHE"])
            if os.environ.get("CLAIMCHECK_MODEL_CACHE")
            else None,
            api_keys=_list_env("CLAIMCHECK_API_KEYS", ()),
            require_read_key=_bool_env("CLAIMCHECK_REQUIRE_READ_KEY", False),
            allowed_hosts=_list_env("CLAIMCHECK_ALLOWED_HOSTS", LOOPBACK_HOSTS),
            check_rate=os.environ.get("CLAIMCHECK_CHECK_RATE", _default(cls, "check_rate")),
            keyed_check_rate=os.environ.get("CLAIMCHECK_KEYED_CHECK_RATE", _default(cls, "keyed_check_rate")),
            write_rate=os.environ.get("CLAIMCHECK_WRITE_RATE", _default(cls, "write_rate")),
            max_queued_checks=_int_env("CLAIMCHECK_MAX_QUEUED_CHECKS", _default(cls, "max_queued_checks")),
            max_queued_writes=_int_env("CLAIMCHECK_MAX_QUEUED_WRITES", _default(cls, "max_queued_writes")),
            bulk_max_documents=_int_env("CLAIMCHECK_BULK_MAX_DOCUMENTS", _default(cls, "bulk_max_documents")),
            bulk_max_bytes=_int_env("CLAIMCHECK_BULK_MAX_MB", 64) * 1024 * 1024,
            bulk_max_requests=_int_env("CLAIMCHECK_BULK_MAX_REQUESTS", _default(cls, "bulk_max_requests")),
            check_budget_seconds=_float_env(
                "CLAIMCHECK_CHECK_BUDGET_SECONDS", _default(cls, "check_budget_seconds")
            ),
            header_timeout_seconds=_float_env(
                "CLAIMCHECK_HEADER_TIMEOUT", _default(cls, "header_timeout_seconds")
            ),
            body_timeout_seconds=_float_env("CLAIMCHECK_BODY_TIMEOUT", _default(cls, "body_timeout_seconds")),
            read_only=_bool_env("CLAIMCHECK_READ_ONLY", False),
            reserve_bytes=_int_env("CLAIMCHECK_RESERVE_MB", 16) * 1024 * 1024,
            check_cache_size=_int_env("CLAIMCHECK_CHECK_CACHE", _default(cls, "check_cache_size")),
            store_url=_store_url_env("CLAIMCHECK_STORE_URL"),
        )
