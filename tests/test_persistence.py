"""Store and index stay consistent across restarts, replacement, deletion and a crash mid-ingest."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from claimcheck.requests import Submission
from claimcheck.sync import consistency
from embeddings.index import ParagraphIndex

ARTICLE = (
    "The city council of Brindlemoor voted on Monday to close the old ferry terminal.\n\n"
    "Council leader Anna Verhoek said the terminal had lost money for a decade."
)
ARTICLE_V2 = "The Brindlemoor ferry terminal will stay open after a public petition, the council said."


def _claim_hits(checker, claim):
    return [s.document_id for e in checker.check(claim).evidence for s in e.sources]


def _sentences(checker, claim):
    return [e.sentence for e in checker.check(claim).evidence]


def test_index_survives_restart_without_reembedding(make_checker, tmp_path, monkeypatch):
    checker = make_checker(tmp_path)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.close()

    reopened = make_checker(tmp_path)
    # A restart must not re-embed stored documents: the only encoder call is the claim's.
    calls = []
    original = reopened.encoder.encode
    monkeypatch.setattr(
        reopened.encoder, "encode", lambda texts: calls.append(list(texts)) or original(texts)
    )
    assert len(reopened.indexes.index) == reopened.indexes.store.paragraph_vectors()[0].__len__() == 2
    assert "ferry" in _claim_hits(reopened, "Brindlemoor council voted to close the ferry terminal")
    assert calls == [["Brindlemoor council voted to close the ferry terminal"]]


def test_replace_and_delete_keep_index_and_store_consistent(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    first = checker.ingest(Submission(text=ARTICLE, id="ferry"))
    second = checker.ingest(Submission(text=ARTICLE_V2, id="ferry"))
    assert (first.paragraphs, second.paragraphs) == (2, 1)
    assert checker.stats().documents == 1
    ids, _ = checker.indexes.store.paragraph_vectors()
    assert len(checker.indexes.index) == len(ids) == 1
    assert not any(
        "voted on Monday" in s for s in _sentences(checker, "Brindlemoor council voted to close the ferry")
    )

    assert checker.delete("ferry")
    assert not checker.delete("ferry")
    assert len(checker.indexes.index) == 0 and checker.indexes.store.document_count() == 0
    checker.close()
    assert len(make_checker(tmp_path).indexes.index) == 0


def test_crash_before_index_save_is_replayed_on_open(make_checker, tmp_path):
    """An acknowledged ingest whose index update never reached disk is recovered from the store log."""
    checker = make_checker(tmp_path)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.save()
    saved_generation = checker.indexes.index.generation
    checker.ingest(Submission(text=ARTICLE_V2, id="petition"))  # committed, index not saved
    checker.indexes.store.close()  # the process dies here: no checker.close()

    on_disk = ParagraphIndex.load(tmp_path / "index", checker.encoder.dimension)
    assert on_disk is not None and on_disk.generation == saved_generation and len(on_disk) == 2
    recovered = make_checker(tmp_path)
    assert len(recovered.indexes.index) == 3
    assert "petition" in _claim_hits(
        recovered, "The Brindlemoor ferry terminal will stay open after a petition"
    )


def test_missing_index_file_is_rebuilt_from_stored_vectors(make_checker, tmp_path):
    checker = make_checker(tmp_path)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.close()
    for saved in (tmp_path / "index").glob("paragraphs.*.faiss"):
        saved.unlink()
    rebuilt = make_checker(tmp_path)
    ids, vectors = rebuilt.indexes.store.paragraph_vectors()
    assert len(rebuilt.indexes.index) == len(ids) == 2
    assert list(rebuilt.indexes.index.search(vectors[1], 1).ids) == [ids[1]]


def test_failed_write_changes_nothing(make_checker, tmp_path, monkeypatch):
    """An exception inside the store transaction rolls back: no document, no log entry, no vector."""
    checker = make_checker(tmp_path)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    generation = checker.indexes.store.log.generation()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("store.documents._insert_paragraph", explode)
    with pytest.raises(RuntimeError):
        checker.ingest(Submission(text=ARTICLE_V2, id="ferry"))
    assert checker.indexes.store.log.generation() == generation
    assert checker.indexes.store.get_document("ferry") is not None
    assert len(checker.indexes.index) == 2
    assert len(checker.indexes.store.paragraph_vectors()[0]) == 2


def test_two_processes_sharing_a_data_dir_see_each_others_writes(make_checker, tmp_path):
    """Each --workers process holds its own index; a check replays what the other committed."""
    first = make_checker(tmp_path)
    second = make_checker(tmp_path)  # opened before the write, like a second worker
    first.ingest(Submission(text=ARTICLE, id="ferry"))
    assert "ferry" in _claim_hits(second, "Brindlemoor council voted to close the ferry terminal")
    second.ingest(Submission(text=ARTICLE_V2, id="petition"))
    assert "petition" in _claim_hits(first, "The Brindlemoor ferry terminal will stay open after a petition")
    assert first.delete("petition")
    assert "petition" not in _claim_hits(
        second, "The Brindlemoor ferry terminal will stay open after a petition"
    )
    # both save into the same directory; the next process opens a consistent index
    first.save()
    second.save()
    third = make_checker(tmp_path)
    assert len(third.indexes.index) == len(third.indexes.store.paragraph_vectors()[0]) == 2


def test_consistency_compares_index_and_store_id_by_id(make_checker, tmp_path):
    """The crash test's view: clean after replace and delete; orphans, missing vectors, duplicates
    and rows left without their parent are each reported."""
    checker = make_checker(tmp_path)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.ingest(Submission(text=ARTICLE_V2, id="ferry"))
    checker.ingest(Submission(text=ARTICLE, id="council"))
    checker.delete("council")
    store, index = checker.indexes.store, checker.indexes.index
    clean = consistency(store, index)
    assert clean.consistent and clean.paragraphs == clean.vectors == 1
    assert clean.index_generation == clean.store_generation

    (kept,) = store.paragraph_ids()
    vector = store.paragraph_vectors([kept])[1][0]
    index.upsert(np.array([kept + 100], dtype=np.int64), vector[None, :])  # a vector with no row
    index.remove(np.array([kept], dtype=np.int64))  # a row with no vector
    broken = consistency(store, index)
    assert (broken.missing, broken.orphans, broken.consistent) == ((kept,), (kept + 100,), False)

    raw = sqlite3.connect(tmp_path / "store.sqlite3")  # foreign keys off: the cascade cannot run
    raw.execute("DELETE FROM documents")
    raw.commit()
    raw.close()
    dangling = consistency(store, index).dangling
    assert dangling["paragraphs without document"] == 1
    assert dangling["sentences without paragraph"] == 0
