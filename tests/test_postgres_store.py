"""The PostgreSQL store behind the checker: what replicas sharing it rely on, in one process.

Each "replica" here is a ``Checker`` on its own data directory (its FAISS cache) and the same
database, sharing the session's models; ``tests/test_replicas.py`` runs real service processes.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from claimcheck.checker import Checker
from claimcheck.requests import Submission
from claimcheck.settings import Settings
from claimcheck.storage import ReadOnlyStore
from claimcheck.sync import consistency
from retrieval.candidates import candidates
from store import Store
from store.postgres import PostgresStore
from tests.test_store import _document

HARBOUR = (
    "The port authority of Velmora signed a 40-year lease with Nordic Freight on Tuesday, officials said."
)
HARBOUR_CLAIM = "Velmora port authority signed a 40-year lease with Nordic Freight"
MINE = "Quarrton Mining said its copper output at the Kestrel pit rose 12 percent in the first quarter."
MINE_CLAIM = "Copper output at Quarrton's Kestrel pit rose 12 percent"


@pytest.fixture
def replica(tmp_path_factory, encoder, nlp):
    """Factory: a checker on a fresh (or given) data directory against the store at ``url``."""
    opened: list[Checker] = []

    def factory(url: str, data_dir=None, read_only: bool = False) -> Checker:
        directory = data_dir or tmp_path_factory.mktemp("replica")
        checker = Checker.open(directory, encoder, nlp, store_url=url, read_only=read_only)
        opened.append(checker)
        return checker

    yield factory
    for checker in opened:
        checker.close()


def _cited(checker: Checker, claim: str) -> set[str]:
    result = checker.check(claim)
    return {s.document_id for item in (*result.evidence, *result.contradicting) for s in item.sources}


def test_a_paragraph_deleted_elsewhere_is_never_read_even_before_the_index_catches_up(pg_url, replica):
    a, b = replica(pg_url), replica(pg_url)
    a.ingest(Submission(text=HARBOUR, id="harbour"))
    assert "harbour" in _cited(b, HARBOUR_CLAIM)
    assert b.delete("harbour")

    # A has not caught up: its FAISS index still holds the paragraph and finds it ...
    vector = a.encoder.encode([HARBOUR_CLAIM])[0]
    stale = a.indexes.index.search(vector, 5).ids.tolist()
    assert stale and a.indexes.index.generation < a.indexes.store.log.generation()
    # ... but reading candidates goes to the store, where it is gone.
    assert a._searches.paragraphs(stale) == {}
    assert a._searches.sentence_vectors(stale)[0] == []
    claim, _ = a._claim(HARBOUR_CLAIM, a.claim_nlp(HARBOUR_CLAIM), vector)
    assert candidates(claim, a._searches, 10, a.policy) == []
    # And the next check catches up first.
    assert "harbour" not in _cited(a, HARBOUR_CLAIM)
    assert a.indexes.index.generation == a.indexes.store.log.generation() and len(a.indexes.index) == 0


def test_a_replica_catches_up_from_the_log_and_an_empty_one_rebuilds(pg_url, replica, tmp_path):
    a = replica(pg_url, tmp_path / "a")
    a.ingest(Submission(text=HARBOUR, id="harbour"))
    a.close()
    writer = replica(pg_url)
    writer.ingest(Submission(text=MINE, id="mine"))
    writer.delete("harbour")

    again = replica(pg_url, tmp_path / "a")  # its saved index is at the older generation: replayed
    fresh = replica(pg_url)  # no index at all: rebuilt from the stored vectors
    for checker in (again, fresh):
        state = consistency(checker.indexes.store, checker.indexes.index)
        assert state.consistent and state.index_generation == state.store_generation
        assert _cited(checker, MINE_CLAIM) == {"mine"} and _cited(checker, HARBOUR_CLAIM) == set()


def test_a_data_directory_that_cached_another_store_is_rebuilt(postgres, replica, tmp_path):
    first, second = postgres.create_database(), postgres.create_database()
    try:
        a = replica(first, tmp_path / "shared")
        a.ingest(Submission(text=HARBOUR, id="harbour"))
        a.close()  # the index in tmp_path/shared is saved: generation 1 of the first store
        other = replica(second)
        other.ingest(Submission(text=MINE, id="mine"))
        other.ingest(Submission(text=HARBOUR, id="harbour-copy"))

        moved = replica(second, tmp_path / "shared")
        state = consistency(moved.indexes.store, moved.indexes.index)
        assert state.consistent and state.vectors == 2
        assert _cited(moved, HARBOUR_CLAIM) == {"harbour-copy"}
        for checker in (other, moved):
            checker.close()
    finally:
        postgres.drop_database(first)
        postgres.drop_database(second)


def test_a_read_only_replica_answers_and_refuses_writes(pg_url, replica):
    replica(pg_url).ingest(Submission(text=HARBOUR, id="harbour"))
    reader = replica(pg_url, read_only=True)
    assert not reader.stats().writable and reader.stats().documents == 1
    assert "harbour" in _cited(reader, HARBOUR_CLAIM)
    with pytest.raises(ReadOnlyStore):
        reader.ingest(Submission(text=MINE, id="mine"))
    with pytest.raises(ReadOnlyStore):
        reader.delete("harbour")


def test_a_read_only_replica_does_not_create_the_store(pg_url, tmp_path):
    with pytest.raises(ReadOnlyStore, match="read-only"):
        PostgresStore(pg_url, read_only=True)


def test_concurrent_writers_commit_generations_in_order(pg_url):
    """Two stores (two pools, as two replicas) write at once while a third follows the log as a
    replica does: every entry is seen, none skipped, each once."""
    writers = [PostgresStore(pg_url), PostgresStore(pg_url)]
    follower = PostgresStore(pg_url)
    done = threading.Event()
    seen: list[int] = []

    def follow() -> None:
        generation = 0
        while True:
            finished = done.is_set()
            for change in follower.log.since(generation):
                seen.append(change.generation)
                generation = change.generation
            if finished:
                return

    def write(store: PostgresStore, prefix: str) -> None:
        for i in range(25):
            store.replace_document(_document(f"{prefix}{i % 5}", [["One."], ["Two."]], seed=i))

    threads = [threading.Thread(target=write, args=(w, p)) for w, p in zip(writers, "xy", strict=True)]
    reader = threading.Thread(target=follow)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    everything = [c.generation for c in follower.log.since(0)]
    assert seen == everything and len(everything) == 2 * 25 * 2 + 2 * 20 * 2
    assert follower.document_count() == 10 and not any(follower.dangling_rows().values())
    for store in (*writers, follower):
        store.close()


def test_lexical_search_ranks_as_fts5_does(pg_url, tmp_path):
    """BM25 computed from the triggers' statistics orders hits as FTS5's bm25() does, with close
    relative scores (the check weighs a hit by its score relative to the best)."""
    texts = [
        "Velmora harbour lease signed.",
        "Velmora Velmora harbour lease signed in Velmora.",
        "The harbour at Velmora was closed for repairs after the storm damaged the piers.",
        "Nordic Freight leases cranes.",
        "Copper output rose at the Kestrel pit.",
        *[f"The bank said rates rose {i} points." for i in range(30)],
    ]
    sqlite, postgres = Store(tmp_path / "store.sqlite3"), PostgresStore(pg_url)
    for store in (sqlite, postgres):
        for i, text in enumerate(texts):
            store.replace_document(_document(f"d{i:02d}", [[text]], seed=i))
    words = ["Velmora", "harbour", "bank", "cranes"]
    hits = {name: s.lexical.search(words, 10) for name, s in (("sqlite", sqlite), ("postgres", postgres))}
    assert [h.sentence_id for h in hits["postgres"]] == [h.sentence_id for h in hits["sqlite"]]
    relative = {name: np.array([h.score / found[0].score for h in found]) for name, found in hits.items()}
    assert np.allclose(relative["postgres"], relative["sqlite"], atol=0.05)
    assert sqlite.lexical.rare_terms(["bank"]) == postgres.lexical.rare_terms(["bank"]) == []
    assert postgres.lexical.search(["O'Brien's", "back\\slash", "'", "Velmora"], 3)  # quoted, not parsed
    sqlite.close()
    postgres.close()


def test_the_store_url_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMCHECK_DATA", str(tmp_path))
    monkeypatch.delenv("CLAIMCHECK_STORE_URL", raising=False)
    assert Settings.from_env().store_url is None
    monkeypatch.setenv("CLAIMCHECK_STORE_URL", "postgresql://desk@db.internal:5432/claims")
    assert Settings.from_env().store_url == "postgresql://desk@db.internal:5432/claims"
    monkeypatch.setenv("CLAIMCHECK_STORE_URL", "mysql://desk@db/claims")
    with pytest.raises(ValueError, match="postgresql://"):
        Settings.from_env()


def _connections(postgres, url: str, allowed: bool) -> None:
    """Let the database take connections, or refuse them and end every open one (an outage)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(postgres.admin_url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allowed else "false"}')
        if not allowed:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


def test_a_store_out_of_reach_is_a_503_and_the_replica_comes_back(postgres, pg_url, replica):
    from litestar.testing import TestClient

    from api.app import create_app
    from tests.conftest import AUTH, api_settings

    checker = replica(pg_url)
    checker.ingest(Submission(text=HARBOUR, id="harbour"))
    claim = {"claim": HARBOUR_CLAIM}
    with TestClient(
        app=create_app(settings=api_settings(checker.indexes.data_dir), checker=checker)
    ) as client:
        client.headers.update(AUTH)
        assert client.post("/v1/claims/check", json=claim).status_code == 200
        _connections(postgres, pg_url, allowed=False)
        try:
            for _ in range(3):
                response = client.post("/v1/claims/check", json=claim)
                assert response.status_code == 503 and response.headers["retry-after"] == "1"
                assert "cannot be reached" in response.json()["detail"]
            assert client.get("/health").status_code == 503
            assert client.post("/v1/documents", json={"id": "mine", "text": MINE}).status_code == 503
        finally:
            _connections(postgres, pg_url, allowed=True)
        deadline = time.monotonic() + 60  # the pool's reconnection backs off: 1 s, 2 s, 4 s ...
        while (response := client.post("/v1/claims/check", json=claim)).status_code != 200:
            assert response.status_code == 503 and time.monotonic() < deadline
            time.sleep(0.2)
        assert "harbour" in {
            s["document_id"] for item in response.json()["evidence"] for s in item["sources"]
        }


def test_start_up_picks_the_encoder_that_made_the_shared_store(pg_url, tmp_path):
    from claimcheck.startup import check_encoder, encoder_backend
    from claimcheck.vectorspace import KEY, EncoderMismatchError
    from embeddings.backends import DEFAULT_BACKEND, vector_space

    settings = Settings(data_dir=tmp_path / "replica", seeds_dir=None, store_url=pg_url)
    assert encoder_backend(settings) == DEFAULT_BACKEND  # no store there yet
    store = PostgresStore(pg_url)
    store.replace_document(_document("a", [["One."]]))
    store.set_meta(KEY, vector_space("onnx-int8"))
    store.close()
    assert encoder_backend(settings) == "onnx-int8"  # read from the database, not the data directory
    with pytest.raises(EncoderMismatchError):
        check_encoder(
            Settings(data_dir=tmp_path / "replica", seeds_dir=None, store_url=pg_url, encoder_backend="onnx")
        )
