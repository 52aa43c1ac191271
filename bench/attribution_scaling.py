"""How attribution frame extraction scales with the length of one paragraph.

Why this exists: frames are extracted per paragraph, and a paragraph has no upper bound on its
length (a pasted transcript, a markdown table read as one block). Issue 10 found extraction
quadratic in a paragraph's sentences: every cue rebuilt the whole paragraph's text (``Doc.text``
joins every token) and scanned every quotation, so 1,666 repetitions of one reporting sentence
took 28 s and a 188 KB markdown table 315 s. This benchmark doubles the input and prints the time
per size and the ratio between consecutive sizes: about 2 for linear work, about 4 for quadratic
(and extraction's microseconds per token, flat for linear work, doubling for quadratic).

Three inputs, each doubling:

* ``sentences``: one paragraph of N reporting sentences ("The minister said the talks failed."),
  one cue, one speaker mention and one content span each;
* ``pronouns``: the same with a pronoun speaker that nothing earlier agrees with ("He said ..."), so
  every speaker searches the mentions before it for an antecedent and finds none;
* ``table``: a markdown table of N rows whose cells hold reports and quotations, taken through
  ``corpus.parse.parse_document`` as the service takes a posted markdown document; a table is one
  paragraph, so the whole table is one Doc.

spaCy's own parse (``nlp(text)``) is timed apart from ``extract_frames``: the parse is linear and
not this package's work, and folding it in would hide the scaling of frame extraction. Times are CPU
seconds of this process (``time.process_time``), not wall-clock: the machines this runs on are shared,
and another job's load would otherwise show up as a ratio. Extraction time is the best of
``--repeat`` runs; the parse runs once.

Run: ``.venv/bin/python -m bench.attribution_scaling`` (``--sizes 250,500,1000,2000``,
``--rows 50,100,200,400``, ``--repeat 3``, ``--only sentences|pronouns|table``).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from spacy.language import Language
from spacy.tokens import Doc

from attribution.frames import extract_frames
from corpus.parse import parse_document

SENTENCE = "The minister said the talks failed."
PRONOUN_SENTENCE = "He said the talks failed."


@dataclass
class Row:
    size: int
    tokens: int
    sentences: int
    parse_s: float
    frames_s: float
    frames: int


def sentences_paragraph(n: int) -> str:
    """One paragraph of ``n`` identical reporting sentences."""
    return " ".join([SENTENCE] * n)


def pronouns_paragraph(n: int) -> str:
    """One paragraph of ``n`` reports by a pronoun with no antecedent."""
    return " ".join([PRONOUN_SENTENCE] * n)


def table_paragraph(n: int) -> str:
    """The text of the one paragraph the service makes of an ``n``-row markdown table."""
    lines = ["| Date | Source | Statement |", "| --- | --- | --- |"]
    for i in range(n):
        lines.append(
            f"| 2024-03-{i % 28 + 1:02d} | Ministry {i} | The ministry said exports rose {i}% and "
            f'officials denied that "the quota was cut," according to Reuters. |'
        )
    parsed = parse_document("# Trade statements\n\n" + "\n".join(lines) + "\n", "markdown")
    return max((p.text for p in parsed.paragraphs), key=len)


def measure(nlp: Language, text: str, size: int, repeat: int) -> Row:
    started = time.process_time()
    doc: Doc = nlp(text)
    parse_s = time.process_time() - started
    best = float("inf")
    frames = 0
    for _ in range(repeat):
        started = time.process_time()
        frames = len(extract_frames(doc))
        best = min(best, time.process_time() - started)
    return Row(size, len(doc), sum(1 for _ in doc.sents), parse_s, best, frames)


def report(name: str, rows: Sequence[Row]) -> None:
    print(f"\n{name}")
    print(
        f"{'size':>6} {'tokens':>7} {'sents':>6} {'parse s':>8} {'frames s':>9} {'ratio':>6} "
        f"{'us/token':>8} {'frames':>7}"
    )
    previous: Row | None = None
    for row in rows:
        ratio = f"{row.frames_s / previous.frames_s:6.2f}" if previous and previous.frames_s > 0 else "     -"
        print(
            f"{row.size:>6} {row.tokens:>7} {row.sentences:>6} {row.parse_s:>8.2f} "
            f"{row.frames_s:>9.3f} {ratio} {1e6 * row.frames_s / row.tokens:>8.1f} {row.frames:>7}"
        )
        previous = row


def run(nlp: Language, name: str, make: Callable[[int], str], sizes: Sequence[int], repeat: int) -> list[Row]:
    rows = []
    for size in sizes:
        rows.append(measure(nlp, make(size), size, repeat))
    report(name, rows)
    return rows


def _sizes(value: str) -> list[int]:
    return [int(v) for v in value.split(",") if v]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=[250, 500, 1000, 2000], help="sentences per paragraph"
    )
    parser.add_argument("--rows", type=_sizes, default=[50, 100, 200, 400], help="rows per markdown table")
    parser.add_argument("--repeat", type=int, default=3, help="best of N extraction runs per size")
    parser.add_argument("--only", choices=("sentences", "pronouns", "table"), default=None)
    args = parser.parse_args(argv)

    from corpus.nlp import load_pipeline

    nlp = load_pipeline()
    nlp.max_length = max(nlp.max_length, 2_000_000)
    print("attribution frame extraction on one growing paragraph (CPU seconds; ratio = frames s over")
    print("the previous size's: ~2 is linear, ~4 quadratic); spaCy parse timed apart")
    if args.only in (None, "sentences"):
        run(nlp, f'sentences: N x "{SENTENCE}"', sentences_paragraph, args.sizes, args.repeat)
    if args.only in (None, "pronouns"):
        run(nlp, f'pronouns: N x "{PRONOUN_SENTENCE}"', pronouns_paragraph, args.sizes, args.repeat)
    if args.only in (None, "table"):
        run(nlp, "table: markdown table of N rows (one paragraph)", table_paragraph, args.rows, args.repeat)


if __name__ == "__main__":
    main()
