"""Session-wide fixtures: real models are loaded once per test session."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from spacy.language import Language

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
SHARED_DIR = PROJECT_ROOT.parent / "shared"

# The write key every test app accepts; test clients send it unless a test is about keys.
TEST_KEY = "test-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TEST_KEY}"}


def api_settings(data_dir: Path, **overrides):
    """Settings for a test app: one known key, the test client's host name, limits out of the way
    (the tests about limits set their own)."""
    from claimcheck.settings import Settings

    defaults = {
        "seeds_dir": None,
        "api_keys": (TEST_KEY,),
        "allowed_hosts": ("testserver.local", "testserver", "127.0.0.1", "localhost"),
        "check_rate": "100000/minute",
        "keyed_check_rate": "100000/minute",
        "write_rate": "100000/minute",
    }
    return Settings(data_dir=data_dir, **{**defaults, **overrides})


@pytest.fixture(scope="session")
def nlp() -> Language:
    from corpus.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Seed file stem -> exact file text."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))}


@pytest.fixture(scope="session")
def torch_encoder():
    """The reference sentence-transformers encoder (torch), loaded once per session, one thread."""
    from embeddings.encoder import MiniLMEncoder, configure_threads

    configure_threads(1, 1)
    return MiniLMEncoder()


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory) -> Path:
    """A model cache holding the session's one ONNX export (a few seconds), under the file name
    ``load_encoder`` looks for."""
    from embeddings.backends import ONNX_FILE_NAME
    from embeddings.encoder import model_path
    from embeddings.onnx_encoder import export_onnx

    cache = tmp_path_factory.mktemp("models")
    export_onnx(model_path(), cache / ONNX_FILE_NAME)
    return cache


@pytest.fixture(scope="session")
def fp32_encoder(onnx_cache):
    """The fp32 ONNX encoder (``CLAIMCHECK_ENCODER=onnx``): the same MiniLM weights, from the
    session's ONNX export."""
    from embeddings.backends import load_encoder
    from embeddings.encoder import configure_threads

    configure_threads(1, 1)
    return load_encoder("onnx", onnx_cache, threads=1)


@pytest.fixture(scope="session")
def encoder(request):
    """The production encoder: what a new data directory gets (``DEFAULT_BACKEND``), so that every
    quality floor is held by the encoder served; the session's fp32 or int8 encoder, not a third."""
    from embeddings.backends import DEFAULT_BACKEND

    return request.getfixturevalue("int8_encoder" if DEFAULT_BACKEND == "onnx-int8" else "fp32_encoder")


@pytest.fixture(scope="session")
def int8_encoder(onnx_cache):
    """The int8 encoder (``CLAIMCHECK_ENCODER=onnx-int8``): the session's ONNX export, quantized
    beside it (seconds)."""
    from embeddings.backends import load_encoder
    from embeddings.encoder import configure_threads

    configure_threads(1, 1)
    return load_encoder("onnx-int8", onnx_cache, threads=1)


@pytest.fixture
def make_checker(tmp_path_factory, encoder, nlp):
    """Factory for a checker over a fresh (or given) data directory, sharing the session's models."""
    from claimcheck.checker import Checker

    opened = []

    def factory(data_dir: Path | None = None) -> Checker:
        directory = data_dir or tmp_path_factory.mktemp("data")
        checker = Checker.open(directory, encoder, nlp)
        opened.append(checker)
        return checker

    yield factory
    for checker in opened:
        checker.indexes.store.close()


@pytest.fixture(scope="session")
def seeded_checker(tmp_path_factory, encoder, nlp):
    """One checker with the five seeds ingested, shared by read-only tests."""
    from claimcheck.checker import Checker

    checker = Checker.open(tmp_path_factory.mktemp("seeded"), encoder, nlp)
    checker.ingest_files(sorted(SEEDS_DIR.glob("*.txt")))
    return checker


@pytest.fixture(scope="session")
def seeded_client(seeded_checker):
    """The HTTP API over ``seeded_checker`` (Litestar's test client, lifespan run once)."""
    from litestar.testing import TestClient

    from api.app import create_app

    settings = api_settings(seeded_checker.indexes.data_dir)
    with TestClient(app=create_app(settings=settings, checker=seeded_checker)) as client:
        client.headers.update(AUTH)
        yield client


@pytest.fixture
def client(make_checker, tmp_path):
    """The HTTP API over a fresh, empty store (writes are counted from zero), documents up to
    20,000 characters, the test key sent."""
    from litestar.testing import TestClient

    from api.app import create_app

    checker = make_checker(tmp_path)
    settings = api_settings(tmp_path, max_document_chars=20_000)
    with TestClient(app=create_app(settings=settings, checker=checker)) as test_client:
        test_client.headers.update(AUTH)
        yield test_client


@contextmanager
def serving(checker, **overrides) -> Iterator[str]:
    """The real HTTP API over ``checker`` in a uvicorn server on a free loopback port; yields its URL."""
    import uvicorn

    from api.app import create_app
    from claimcheck.server import deadline_protocol

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = api_settings(checker.indexes.data_dir, **overrides)
    config = uvicorn.Config(
        create_app(settings=settings, checker=checker),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        http=deadline_protocol(settings.header_timeout_seconds, settings.body_timeout_seconds),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def postgres():
    """A private PostgreSQL server for the session (``tests/pgserver.py``: initdb and pg_ctl in a temp
    directory, loopback only), stopped at the end. Skipped with an install hint when PostgreSQL is
    not installed, except under CI=true, where that fails."""
    from tests.pgserver import INSTALL_HINT, bindir, postgres_server

    if bindir() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    with postgres_server() as server:
        yield server


@pytest.fixture
def pg_url(postgres):
    """A fresh, empty database on the session's PostgreSQL server; its URL."""
    url = postgres.create_database()
    yield url
    postgres.drop_database(url)
