"""Reuters-21578 for the performance benchmarks: the documents and claims drawn from their titles.

Shared by ``bench/ingest.py``, ``bench/query.py`` and ``bench/peer_txtai.py`` so the three agree on
which stories are the corpus and which claims are asked.

* A **document** is one record with a non-empty body (19,043 of 21,578), in file order:
  ``TITLE + "\\n\\n" + BODY``, id ``reuters-<newid>``, format ``text``, published = the record's date
  as ``YYYY-MM-DD``.
* A **claim** is the title of a document, lightly and deterministically paraphrased: ticker symbols
  in ``<...>`` after a company name dropped (a bracketed name that opens the title, such as
  ``<CINRAM LTD>`` or ``<NOVA>``, keeps its words, without the brackets), a few wire
  abbreviations expanded (``PCT`` -> ``percent``, ``DLRS`` -> ``dollars``, ``MLN`` -> ``million``...),
  lower-cased. Which titles are used is a seeded sample of the corpus documents, so a run over the
  first N documents asks only about stories it has indexed.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = PROJECT_ROOT.parent / "shared" / "datasets" / "reuters-21578" / "reuters21578.jsonl"
FULL_CORPUS_DOCUMENTS = 19_043
DEFAULT_CLAIMS = 300
DEFAULT_SEED = 21578

# Whole-word expansions of Reuters headline abbreviations (matched case-insensitively).
ABBREVIATIONS = {
    "PCT": "percent",
    "DLR": "dollars",
    "DLRS": "dollars",
    "MLN": "million",
    "BLN": "billion",
    "CTS": "cents",
    "QTR": "quarter",
    "QTLY": "quarterly",
    "SHR": "share",
    "SHRS": "shares",
    "STG": "sterling",
    "1ST": "first",
    "2ND": "second",
    "3RD": "third",
    "4TH": "fourth",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b", re.I)
_BRACKETED = re.compile(r"<([^<>]*)>")
# A ticker: one short token of capitals, digits, dots or dashes ("SRD", "BFD.B", "X").
_TICKER = re.compile(r"^[A-Z0-9.\-]{1,6}$")
# Shortest cleaned title used as a claim, in words ("4th quarter net" is not a claim).
MIN_CLAIM_WORDS = 4


@dataclass(frozen=True, slots=True)
class ReutersDocument:
    id: str
    title: str
    text: str
    published: str | None


def _published(raw: str | None) -> str | None:
    """'26-FEB-1987 15:01:01.79' (sometimes followed by SGML debris) -> '1987-02-26'."""
    if not raw:
        return None
    match = re.match(r"\s*(\d{1,2}-[A-Za-z]{3}-\d{4})", raw)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1).title(), "%d-%b-%Y").date().isoformat()
    except ValueError:
        return None


def iter_documents(dataset: Path = DEFAULT_DATASET, limit: int | None = None) -> Iterator[ReutersDocument]:
    """The corpus documents in file order, at most ``limit`` of them."""
    if limit is not None and limit <= 0:
        return
    count = 0
    with dataset.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            body = (record.get("body") or "").strip()
            if not body:
                continue
            title = " ".join((record.get("title") or "").split())
            text = f"{title}\n\n{body}" if title else body
            yield ReutersDocument(f"reuters-{record['newid']}", title, text, _published(record.get("date")))
            count += 1
            if limit is not None and count >= limit:
                return


def load_documents(dataset: Path = DEFAULT_DATASET, limit: int | None = None) -> list[ReutersDocument]:
    return list(iter_documents(dataset, limit))


def paraphrase(title: str) -> str:
    """Deterministic light paraphrase of a headline (see the module docstring)."""

    def bracket(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        # A ticker follows the company's name; a bracketed name that opens the title is its subject.
        follows_name = bool(title[: match.start()].strip())
        return " " if follows_name and _TICKER.match(inner) else f" {inner} "

    text = _BRACKETED.sub(bracket, title)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).upper()], text)
    text = re.sub(r"\s+--\s+.*$", "", text)  # trailing "-- USDA" style source tags
    return " ".join(text.lower().split()).strip(" -/,")


def make_claims(
    documents: list[ReutersDocument], n: int = DEFAULT_CLAIMS, seed: int = DEFAULT_SEED
) -> list[tuple[str, str]]:
    """``n`` (claim, source document id) pairs from distinct titles, sampled with a seeded RNG."""
    seen: set[str] = set()
    pool: list[tuple[str, str]] = []
    for doc in documents:
        claim = paraphrase(doc.title)
        if len(claim.split()) < MIN_CLAIM_WORDS or claim in seen:
            continue
        seen.add(claim)
        pool.append((claim, doc.id))
    rng = random.Random(seed)
    return rng.sample(pool, min(n, len(pool)))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list; NaN for an empty one."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]
