"""Frame extraction does work linear in the length of a paragraph (issue 10).

A paragraph has no upper bound on its length (a transcript, a markdown table read as one block), and
extraction once rebuilt the paragraph's text from every token for each cue: a paragraph of 1,666
reporting sentences took 28 s. Wall-clock limits are flaky on a shared machine, so this test counts
work instead: the tokens handed out by the Doc (by iteration and by index) while ``extract_frames``
runs over a paragraph of N and of 2N sentences. Doubling the paragraph must at most about double the
count; the quadratic code quadrupled it.

The counting Doc is a subclass whose ``__iter__`` and ``__getitem__`` count; spaCy's own code reaches
tokens through these too (``Span`` iteration, ``Token.children``), so nothing walks the paragraph
unseen. The parse is copied into it with ``to_bytes``/``from_bytes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from attribution.frames import extract_frames

SMALL = 20
MAX_GROWTH = 2.5
"""Allowed ratio of token visits between a paragraph of 2N sentences and one of N (linear: 2)."""


class CountingDoc(Doc):
    """A Doc that counts every token it hands out."""

    visits = 0

    def __iter__(self) -> Iterator[Any]:
        for token in super().__iter__():
            CountingDoc.visits += 1
            yield token

    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        CountingDoc.visits += len(item) if isinstance(index, slice) else 1
        return item


def _paragraph(sentence: str, n: int) -> str:
    return " ".join([sentence] * n)


def _table(n: int) -> str:
    """The paragraph the service makes of an n-row markdown table: rows joined by spaces."""
    rows = ["| Date | Source | Statement |", "| --- | --- | --- |"]
    rows += [
        f'| 2024-03-{i % 28 + 1:02d} | Ministry {i} | The ministry said "exports rose {i}%," '
        "according to Reuters. |"
        for i in range(n)
    ]
    return " ".join(rows)


def _visits(nlp: Language, text: str) -> tuple[int, int]:
    """Token visits of ``extract_frames`` over ``text``, and the number of frames it found."""
    doc = CountingDoc(nlp.vocab).from_bytes(nlp(text).to_bytes())
    CountingDoc.visits = 0
    frames = extract_frames(doc)
    return CountingDoc.visits, len(frames)


TEXTS = {
    "reporting sentences": lambda n: _paragraph("The minister said the talks failed.", n),
    "quotations and pronouns": lambda n: _paragraph(
        '"The talks failed. We tried," the minister said. He added that "nothing" had changed.', n
    ),
    "markdown table": _table,
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_extraction_work_grows_linearly_with_the_paragraph(nlp: Language, name: str) -> None:
    make = TEXTS[name]
    small, small_frames = _visits(nlp, make(SMALL))
    large, large_frames = _visits(nlp, make(2 * SMALL))
    assert small_frames >= SMALL and large_frames == 2 * small_frames, "the input must yield frames"
    assert large <= MAX_GROWTH * small, f"{name}: {small} token visits for {SMALL}, {large} for {2 * SMALL}"


def test_counting_doc_extracts_what_the_parse_does(nlp: Language) -> None:
    """The counting copy is the same paragraph to the rules: same frames as the parsed Doc."""
    text = TEXTS["quotations and pronouns"](3)
    parsed = nlp(text)
    copy = CountingDoc(nlp.vocab).from_bytes(parsed.to_bytes())
    assert extract_frames(copy) == extract_frames(parsed)
