"""Each seed's quirk, seen through the whole ingest path and the stored analysis."""

from __future__ import annotations

import re

import pytest

BOILERPLATE = [
    "Support The Moscow Times",
    "small favor to ask",
    "support us monthly",
    "Remind me later",
    "paiment methods",
    "Read more",
    "Related article",
    "Kremlin.ru",
    "refuse to be silenced",
    "Once",
    "Monthly",
    "Annual",
    "Continue",
]


def _sentences(checker, doc_id):
    doc = checker.document(doc_id)
    return [s for p in doc.paragraphs for s in p.sentences]


def test_no_boilerplate_is_stored_as_a_sentence(seeded_checker, seed_texts):
    for doc_id in seed_texts:
        for sentence in _sentences(seeded_checker, doc_id):
            for phrase in BOILERPLATE:
                assert not re.search(rf"\b{re.escape(phrase)}\b", sentence.text), (
                    doc_id,
                    phrase,
                    sentence.text,
                )


def test_every_sentence_offset_slices_the_original_text(seeded_checker, seed_texts):
    for doc_id, text in seed_texts.items():
        sentences = _sentences(seeded_checker, doc_id)
        assert sentences
        for s in sentences:
            assert " ".join(text[s.start : s.end].split()) == s.text


def test_hard_wrapped_and_indented_paragraphs_of_000(seeded_checker):
    doc = seeded_checker.document("000_68f08474d3e5119a")
    firsts = [p.sentences[0].text for p in doc.paragraphs]
    assert firsts[0].startswith("Russia said on Thursday its foreign minister Sergei Lavrov")
    # the paragraph that starts on an indented line, without a blank line before it
    assert any(f.startswith("Russia's diplomatic statement came after") for f in firsts)
    assert len(doc.paragraphs) == 10


def test_markdown_metadata_of_001(seeded_checker):
    meta = seeded_checker.document("001_2ebd0813046cf1ef")
    assert meta.title == "Russia Says Ready for 'Close Coordination' With Turkey on Karabakh"
    assert (meta.byline, meta.published, meta.outlet) == ("AFP", "2020-10-01", "The Moscow Times")
    assert meta.url.endswith("-a71625")


@pytest.mark.parametrize(
    ("doc_id", "title_lines"), [("002_165968b6b0ecd78d", 0), ("004_954d0c276d10850e", 1)]
)
def test_one_paragraph_per_line(seeded_checker, seed_texts, doc_id, title_lines):
    text = seed_texts[doc_id]
    lines = [line.strip() for line in text.splitlines() if line.strip()][title_lines:]
    doc = seeded_checker.document(doc_id)
    assert [text[p.start : p.end] for p in doc.paragraphs] == lines


def test_titles_are_metadata_not_evidence(seeded_checker):
    for doc_id, title in [
        ("003_7dea7030d1f64f18", "Putin, Erdogan Urge 'Joint Efforts' to End Karabakh Conflict"),
        ("004_954d0c276d10850e", "Putin, Erdogan Ready to Join Efforts to Solve Karabakh Conflict"),
    ]:
        assert seeded_checker.document(doc_id).title == title
        assert all(title not in s.text for s in _sentences(seeded_checker, doc_id))


def test_syndicated_copies_share_identical_sentences(seeded_checker):
    """000 and 001 are one AFP story: the F-16 sentence is one item with both as sources."""
    result = seeded_checker.check("A Turkish F-16 downed an SU-25")
    top = result.evidence[0]
    assert sorted(s.document_id[:3] for s in top.sources) == ["000", "001"]
