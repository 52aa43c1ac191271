"""Reuters-21578 stories posted the way the shared scorer posts them, and sentences to check.

The crash and load tests send what ``../shared/tools/eval_reuters.py`` sends, so their figures
describe the documents the service is scored on: ``{"id", "text": <raw body, unchanged>,
"format": "text", "title", "published": "YYYY-MM-DD"}``. Sentences for checks are cut here with a
plain regular expression, independent of the service's segmenter: a check with a story's own
sentence should find that story, whatever the service made of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.claims_from_reuters import DEFAULT_DATASET
from bench.claims_from_reuters import _published as published_date

SHARED = DEFAULT_DATASET.parent.parent.parent
DEV_SUBSET = SHARED / "eval" / "reuters_subset_dev.json"
DEV_CLAIMS = SHARED / "eval" / "reuters_claims_dev.json"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")
# Prose, not the wire's tables ("Shr 10 cts vs 12 cts"): enough words, mostly lower-case letters,
# and a full stop at the end (a table's lines run together up to the "Reuter" sign-off).
MIN_WORDS, MAX_CHARS = 10, 400
_ENDS_SENTENCE = re.compile(r"[.!?][\"')]?$")


@dataclass(frozen=True, slots=True)
class Story:
    newid: int
    title: str
    body: str
    published: str | None

    def document(self, doc_id: str, title: str | None = None) -> dict[str, str]:
        """The POST /v1/documents body; ``title`` overrides the story's (the crash test marks versions)."""
        body = {"id": doc_id, "text": self.body, "format": "text"}
        if title or self.title:
            body["title"] = title or self.title
        if self.published:
            body["published"] = self.published
        return body

    def sentences(self) -> list[str]:
        """Prose sentences of the body, whitespace collapsed, longest first."""
        flat = " ".join(self.body.split())
        found = [s for s in _SENTENCE_END.split(flat) if is_prose(s)]
        return sorted(found, key=len, reverse=True)


def is_prose(sentence: str) -> bool:
    words = sentence.split()
    letters = [c for c in sentence if c.isalpha()]
    lower = sum(c.islower() for c in letters)
    return (
        len(words) >= MIN_WORDS
        and len(sentence) <= MAX_CHARS
        and lower >= 0.7 * max(1, len(letters))
        and _ENDS_SENTENCE.search(sentence) is not None
    )


def iter_stories(dataset: Path = DEFAULT_DATASET, unique: bool = False) -> Iterator[Story]:
    """Every story with a body, in file order; with ``unique``, each exact duplicate body once."""
    seen: set[str] = set()
    with dataset.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            body = record.get("body") or ""
            if not body.strip() or (unique and body in seen):
                continue
            seen.add(body)
            title = " ".join((record.get("title") or "").split())
            yield Story(int(record["newid"]), title, body, published_date(record.get("date")))


def dev_subset_ids(path: Path = DEV_SUBSET) -> set[int]:
    return {int(i) for i in json.loads(path.read_text())["ids"]}


def dev_claims(path: Path = DEV_CLAIMS) -> list[str]:
    return [c["claim"] for c in json.loads(path.read_text())["claims"]]
