"""Story grouping measured on Reuters-21578: re-sent wire copies found, different stories kept apart.

Why: the answer's "independent stories" count is only as good as the grouping behind it. Reuters
re-sent stories (262 exact duplicate bodies) and corrected versions, so the corpus holds known
copies; everything else is a distinct story, often on the same topic (commodity reports, earnings).

Each body goes through the ingest path's parser and the story fingerprint (corpus.stories) in
``newid`` order, as documents arrive. Reported:
  - exact-duplicate pairs (whitespace-normalised identical bodies) placed in one story / all;
  - near-duplicate pairs (same story, different bodies): count, plus a deterministic sample with
    their Jaccard estimate and first words, printed for checking by hand (``--show``);
  - pairs in one story whose bodies share < 50% of word 3-shingles exactly (true Jaccard):
    candidates for false merges.
Stance figures per dataset come from ``bench.stance`` (run it separately).

    .venv/bin/python -m bench.provenance [--limit N] [--show 20]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from tqdm import tqdm

from corpus.parse import parse_document
from corpus.stories import STORY_THRESHOLD, StoryIndex, fingerprint, shingles

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "reuters-21578" / "reuters21578.jsonl"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _jaccard(a: set[bytes], b: set[bytes]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="only the first N bodies")
    ap.add_argument("--show", type=int, default=20, help="near-duplicate pairs to print for checking by hand")
    args = ap.parse_args()

    records = [json.loads(line) for line in REUTERS.open(encoding="utf-8")]
    records = [r for r in records if (r.get("body") or "").strip()]
    if args.limit:
        records = records[: args.limit]
    stories = StoryIndex()
    story_of: dict[str, str] = {}
    text_of: dict[str, str] = {}
    started = time.perf_counter()
    for record in tqdm(records, unit="doc", mininterval=2):
        doc_id = str(record["newid"])
        # A headline line then the body, as a scraped wire story looks; the parser takes the title.
        text = f"{record.get('title') or ''}\n\n{record['body']}"
        parsed = parse_document(text, "text")
        texts = [parsed.meta.title or "", *(p.text for p in parsed.paragraphs)]
        minhash = fingerprint(texts)
        published = datetime.strptime(record["date"].split()[0], "%d-%b-%Y").date().isoformat()
        story_of[doc_id] = stories.story_for(doc_id, minhash, text, published)
        stories.add(doc_id, minhash, story_of[doc_id], published)
        text_of[doc_id] = " ".join(texts)
    elapsed = time.perf_counter() - started

    by_body: dict[str, list[str]] = defaultdict(list)
    for record in records:
        by_body[_norm(record["body"])].append(str(record["newid"]))
    exact_pairs = [pair for ids in by_body.values() for pair in itertools.combinations(ids, 2)]
    exact_found = sum(story_of[a] == story_of[b] for a, b in exact_pairs)

    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, story in story_of.items():
        members[story].append(doc_id)
    same_story = [pair for ids in members.values() for pair in itertools.combinations(ids, 2)]
    exact_set = {tuple(sorted(p)) for p in exact_pairs}
    near = [p for p in same_story if tuple(sorted(p)) not in exact_set]
    shingle_cache = {d: shingles(text_of[d]) for pair in near for d in pair}
    near_scored = [(a, b, _jaccard(shingle_cache[a], shingle_cache[b])) for a, b in near]
    low = [x for x in near_scored if x[2] < STORY_THRESHOLD]

    print(
        f"Reuters-21578: {len(records)} bodies grouped into {len(members)} stories in {elapsed:.1f} s "
        f"({len(records) / elapsed:.0f} docs/s), threshold {STORY_THRESHOLD}"
    )
    print(f"  exact-duplicate pairs found: {exact_found}/{len(exact_pairs)}")
    titles_by_id = {str(r["newid"]): r.get("title") or "" for r in records}
    for a, b in exact_pairs:
        if story_of[a] != story_of[b]:
            print(f"    missed: {a} {titles_by_id[a][:50]!r} / {b} {titles_by_id[b][:50]!r}")
    print(f"  near-duplicate pairs (same story, different body): {len(near)}")
    print(f"  same-story pairs with exact shingle Jaccard < {STORY_THRESHOLD}: {len(low)}")
    rng = random.Random(7)
    sample = rng.sample(near_scored, min(args.show, len(near_scored)))
    titles = {str(r["newid"]): r.get("title") or "" for r in records}
    for a, b, j in sorted(sample, key=lambda x: x[2]):
        print(f"\n  [{j:.2f}] {a}: {titles[a][:70]}\n         {b}: {titles[b][:70]}")
        print(f"         {a}: {text_of[a][:110]}")
        print(f"         {b}: {text_of[b][:110]}")


if __name__ == "__main__":
    main()
