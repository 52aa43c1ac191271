"""Coverage of ``retrieval.quantities`` on Reuters-21578 wire copy: what it finds, what gets a unit.

Why: a figure the parser misses, or finds without a unit, cannot be matched to a claim's "18
million barrels a day". This shows how much of real 1987 wire copy is covered and, through the
most frequent contexts of the numbers left without a unit, where the next rule would pay.

Reported over the first N bodies (``newid`` order):
  - number-like spans (digits or number words the scanner looked at) and what became of them:
    quantities, and the skipped ones by reason (years, dates, times, identifiers, ...);
  - quantities with a unit, and the units most often given; quantities without one, split into bare
    figures and figures followed by a counted word ("5,000 workers"), with the words most counted
    (candidates for the unit lexicon);
  - "unparsed": quantities without a unit plus runs of digits that no span covers; their 20 most
    frequent contexts (word before, the number as ``#``, word after).

    .venv/bin/python -m bench.quantities [--limit 2000] [--top 20]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from retrieval.quantities import explain_numbers, parse_quantities

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "reuters-21578" / "reuters21578.jsonl"
_DIGIT_RUN = re.compile(r"\d[\d,./]*\d|\d")
_WORD = re.compile(r"[\w.$%<>/-]+")


def _bodies(limit: int) -> list[str]:
    bodies: list[str] = []
    with REUTERS.open(encoding="utf-8") as handle:
        for line in handle:
            body = json.loads(line).get("body")
            if body:
                bodies.append(body)
                if len(bodies) >= limit:
                    break
    return bodies


def _context(text: str, start: int, end: int) -> str:
    """ "word # word": the number's neighbours, lowercased, digits collapsed, on one line."""
    before = _WORD.findall(text[max(0, start - 30) : start])
    after = _WORD.findall(text[end : end + 30])
    left = before[-1].lower() if before else "^"
    right = after[0].lower() if after else "$"
    left, right = (re.sub(r"\d[\d,.]*", "#", w) for w in (left, right))
    return f"{left} # {right}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=2000, help="number of Reuters bodies")
    parser.add_argument("--top", type=int, default=20, help="contexts to print")
    args = parser.parse_args()

    bodies = _bodies(args.limit)
    kinds: Counter[str] = Counter()
    units: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    unparsed: Counter[str] = Counter()
    quantities = with_unit = uncovered = 0
    began = time.perf_counter()
    for text in bodies:
        spans = explain_numbers(text)
        kinds.update(why for _, _, why in spans)
        found = parse_quantities(text)
        quantities += len(found)
        for quantity in found:
            if quantity.unit is None:
                unparsed[_context(text, quantity.start, quantity.end)] += 1
                if quantity.counts is not None:
                    counted[quantity.counts] += 1
            else:
                with_unit += 1
                units[quantity.unit] += 1
        covered = [(s, e) for s, e, _ in spans]
        for match in _DIGIT_RUN.finditer(text):
            if not any(s <= match.start() < e for s, e in covered):
                uncovered += 1
                unparsed[_context(text, match.start(), match.end())] += 1
    elapsed = time.perf_counter() - began

    looked_at = sum(kinds.values())
    print(f"Reuters-21578 bodies: {len(bodies)}  ({elapsed:.1f} s, {len(bodies) / elapsed:.0f} bodies/s)")
    print(f"number-like spans looked at: {looked_at}")
    for kind, count in kinds.most_common():
        print(f"  {kind:<14} {count:>7}  {count / looked_at:6.1%}")
    print(f"quantities: {quantities}; with a unit: {with_unit} ({with_unit / max(quantities, 1):.1%})")
    unitless = quantities - with_unit
    bare = unitless - sum(counted.values())
    print(f"without a unit: {unitless} (bare figure {bare}, counting a word {sum(counted.values())})")
    print("most counted words: " + ", ".join(f"{word} {count}" for word, count in counted.most_common(15)))
    print(f"runs of digits covered by no span: {uncovered}")
    print("units: " + ", ".join(f"{unit} {count}" for unit, count in units.most_common(15)))
    print(f"\n{args.top} most frequent contexts of numbers left without a unit (unitless or uncovered):")
    for context, count in unparsed.most_common(args.top):
        print(f"  {count:>6}  {context}")


if __name__ == "__main__":
    main()
