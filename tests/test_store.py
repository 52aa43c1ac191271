"""The store on its own: round trips, the change log, rollback, lexical search, migration.

The tests of a ``store`` run on both engines, the SQLite file and a PostgreSQL database
(``store.postgres``, on the session's private server). Vectors here are arbitrary unit vectors: the
store keeps whatever it is given, so these tests need no model.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from attribution.frame import Frame
from corpus.document import DocumentMeta
from store import DocumentRecord, ParagraphRecord, SentenceRecord, Store

DIM = 8


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _document(doc_id: str, sentences: list[list[str]], seed: int = 0, **meta: str) -> DocumentRecord:
    """A record with one paragraph per inner list; offsets laid out as "s1 s2\n\ns3"."""
    rng = np.random.default_rng(seed)
    paragraphs, text, position = [], "", 0
    for texts in sentences:
        records, start = [], position
        for sentence in texts:
            terms = tuple(
                (w.lower().strip("."), position + sentence.index(w), 0) for w in sentence.split()[:2]
            )
            agencies = ("Reuters",) if "Reuters" in sentence else ()
            records.append(SentenceRecord(position, position + len(sentence), sentence, terms, agencies))
            position += len(sentence) + 1
        paragraph_text = " ".join(texts)
        frame = Frame(
            "statement", "said", start, start + 4, "the ministry", None, None, start + 5, position - 1
        )
        paragraphs.append(ParagraphRecord(start, position - 1, paragraph_text, tuple(records), (frame,)))
        text += paragraph_text + "\n\n"
        position += 1
    count = sum(len(p.sentences) for p in paragraphs)
    return DocumentRecord(
        id=doc_id,
        meta=DocumentMeta(**meta),
        format="text",
        text=text,
        paragraphs=tuple(paragraphs),
        paragraph_vectors=_unit(rng, len(paragraphs)),
        sentence_vectors=_unit(rng, count),
        story_id=f"story_{doc_id}",
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    if request.param == "postgres":
        from store.postgres import PostgresStore

        opened = PostgresStore(request.getfixturevalue("pg_url"))
    else:
        opened = Store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def test_a_document_reads_back_as_written(store):
    record = _document(
        "a", [["Turkey backed Azerbaijan.", "Reuters reported it."], ["Talks failed."]], title="T"
    )
    written = store.replace_document(record)
    assert len(written.added) == 2 and written.removed == ()
    stored = store.get_document("a")
    assert stored is not None and stored.info.meta.title == "T" and stored.info.story_id == "story_a"
    sentences = [s for p in stored.paragraphs for s in p.sentences]
    assert [s.text for s in sentences] == [
        "Turkey backed Azerbaijan.",
        "Reuters reported it.",
        "Talks failed.",
    ]
    assert sentences[1].agencies == ("Reuters",) and sentences[0].agencies == ()
    expected = [s for p in record.paragraphs for s in p.sentences]
    assert [s.terms for s in sentences] == [s.terms for s in expected]
    assert np.allclose(np.vstack([s.vector for s in sentences]), record.sentence_vectors)
    assert stored.paragraphs[0].frames == record.paragraphs[0].frames
    ids, vectors = store.paragraph_vectors(list(written.added))
    assert ids == list(written.added) and np.allclose(np.vstack(vectors), record.paragraph_vectors)


def test_replace_and_delete_are_logged_in_commit_order(store):
    first = store.replace_document(_document("a", [["One."], ["Two."]]))
    second = store.replace_document(_document("a", [["Three."]], seed=1))
    assert second.removed == first.added and len(second.added) == 1
    assert second.generation == first.generation + 3
    changes = store.log.since(first.generation)
    assert [(c.op, c.paragraph_id) for c in changes] == [("remove", p) for p in first.added] + [
        ("add", second.added[0])
    ]
    deleted = store.delete_document("a")
    assert deleted is not None and deleted.removed == second.added
    assert store.delete_document("a") is None
    assert store.log.generation() == deleted.generation and store.document_count() == 0


def test_a_failed_write_leaves_nothing_behind(store, monkeypatch):
    store.replace_document(_document("a", [["One."]]))
    generation = store.log.generation()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(f"{type(store).__module__}._insert_paragraph", fail)
    with pytest.raises(RuntimeError):
        store.replace_document(_document("a", [["Two."]], seed=1))
    assert store.log.generation() == generation
    stored = store.get_document("a")
    assert stored is not None and stored.paragraphs[0].sentences[0].text == "One."


def test_lexical_search_uses_rare_words_only(store):
    for i in range(30):
        store.replace_document(_document(f"d{i}", [[f"The bank said rates rose {i}."]], seed=i))
    store.replace_document(_document("rare", [["Velmora harbour lease signed."]], seed=99))
    hits = store.lexical.search(["Velmora", "bank"], 10)
    assert [h.paragraph_id for h in hits] == list(store.paragraph_vectors()[0][-1:])
    assert "bank" not in store.lexical.rare_terms(["bank"])  # in all 31 sentences: over the df cap
    assert store.lexical.search(["bank"], 10) == []


def test_sentence_vectors_are_the_vectors_of_the_paragraphs_read_whole(store):
    store.replace_document(_document("a", [["One.", "Two."], ["Three."]], seed=1))
    store.replace_document(_document("b", [["Four."]], seed=2))
    ids = store.paragraph_vectors()[0]
    owners, vectors = store.sentence_vectors([*ids, 10**9])  # an id not stored is left out
    whole = store.paragraphs(ids)
    expected = sorted((pid, s.vector.tobytes()) for pid, p in whole.items() for s in p.sentences)
    assert sorted(zip(owners, (row.tobytes() for row in vectors), strict=True)) == expected
    assert len(owners) == 4 and vectors.dtype == np.float32
    nobody, nothing = store.sentence_vectors([])
    assert nobody == [] and not len(nothing)


def test_reads_of_many_ids_are_chunked(store):
    for i in range(3):
        store.replace_document(_document(f"d{i}", [["One."]], seed=i))
    ids = [f"d{i}" for i in range(3)] + [f"missing{i}" for i in range(1200)]
    assert sorted(store.info(ids)) == ["d0", "d1", "d2"]
    assert len(store.paragraphs(list(range(-600, 700)))) == 3


def test_a_store_written_before_agencies_were_stored_is_back_filled(tmp_path):
    path = tmp_path / "old.sqlite3"
    store = Store(path)
    store.replace_document(_document("a", [["AFP said talks failed."]]))
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE sentences DROP COLUMN agencies")
    conn.commit()
    conn.close()
    reopened = Store(path)
    (paragraph,) = reopened.get_document("a").paragraphs
    assert paragraph.sentences[0].agencies == ("AFP",)
    reopened.close()
