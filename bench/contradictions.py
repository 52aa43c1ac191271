"""False contradictions on real claims: gold supporting sentences the service puts in ``contradicting``.

    .venv/bin/python -m bench.contradictions [--sets dev,b,c,d] [--workdir DIR]

For each claim set (the shared dev set, or a held-out set of ``evaluation/heldout``): a fresh
``claimcheck serve`` (``bench.server``), the set's 400 stories posted through the shared scorer's
own ingest, then every claim checked with ``limit`` 5. Counted per set:

* ``contradicting`` items in all, and on supported and on unsupported claims;
* **gold in contradicting**: items of ``contradicting`` whose source overlaps a gold sentence of the
  claim, i.e. a sentence the set's author wrote down as *supporting* the claim, answered as stating
  its opposite. Every such item is an error a fact-checker would see at once; the figure should be
  0. The other items are not all errors (another value for the same figure often is a real
  conflict), so they are counted, not scored.

Why: the contrastive benchmark measures contradictions the service should find, on edits of one
sentence; it cannot see the service calling a topical sentence the claim's opposite. The held-out
claims can, because their gold sentences are known. Only counts are printed, so the test sets can
be run without reading their claims.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.server import PROJECT_ROOT, Server
from bench.tools import load_tool

HELDOUT = PROJECT_ROOT / "evaluation" / "heldout"
SHARED = PROJECT_ROOT.parent / "shared"
SCORER = SHARED / "tools" / "eval_reuters.py"
CORPUS = SHARED / "datasets" / "reuters-21578" / "reuters21578.jsonl"
LIMIT = 5
TIMEOUT = 120.0
COLUMNS = ("claims", "contradicting", "on_supported", "on_unsupported", "gold_contradicted")


def scorer() -> ModuleType:
    """The shared scorer: its ingest, its HTTP client, its gold matching."""
    return load_tool(SCORER, "eval_reuters")


def claim_set(name: str) -> tuple[list[dict[str, Any]], list[str]]:
    """(claims, story ids) of the shared dev set (``dev``) or of a held-out set."""
    if name == "dev":
        claims_path, subset_path = (
            SHARED / "eval" / "reuters_claims_dev.json",
            SHARED / "eval" / "reuters_subset_dev.json",
        )
    else:
        claims_path, subset_path = HELDOUT / f"claims_{name}.json", HELDOUT / f"subset_{name}.json"
    claims = json.loads(claims_path.read_text())["claims"]
    ids = [str(i) for i in json.loads(subset_path.read_text())["ids"]]
    return claims, ids


def count(name: str, workdir: Path) -> dict[str, int]:
    """The counts of one set, from a server of its own."""
    tool = scorer()
    claims, ids = claim_set(name)
    stories = tool.load_stories(str(CORPUS), ids)
    data = workdir / f"data-{name}"
    data.mkdir(parents=True, exist_ok=True)
    tally = dict.fromkeys(COLUMNS, 0)
    with Server(data, workdir / f"server-{name}.log") as server:
        server.start()
        os.environ["CLAIMCHECK_API_KEY"] = server.key
        base = f"http://127.0.0.1:{server.port}"
        tool.ingest(base, stories, TIMEOUT)
        for case in claims:
            status, answer, _ = tool.post(
                base, "/v1/claims/check", {"claim": case["claim"], "limit": LIMIT}, TIMEOUT
            )
            if status != 200 or not isinstance(answer, dict):
                raise SystemExit(f"{name} {case['id']}: HTTP {status} {str(answer)[:200]}")
            items = answer.get("contradicting") or []
            gold = case.get("gold") or []
            tally["claims"] += 1
            tally["contradicting"] += len(items)
            tally["on_supported" if gold else "on_unsupported"] += len(items)
            tally["gold_contradicted"] += sum(bool(tool.hits(item, gold)) for item in items)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default="dev,b,c,d", help="comma-separated: dev and/or held-out set names")
    parser.add_argument("--workdir", type=Path, default=None, help="data dirs and server logs")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="claimcheck-contradictions-"))
    rows = [(name, count(name, workdir)) for name in args.sets.split(",")]
    print(f"{'set':<5}" + "".join(f"{c:>19}" for c in COLUMNS))
    for name, tally in rows:
        print(f"{name:<5}" + "".join(f"{tally[c]:>19}" for c in COLUMNS))
    total = {c: sum(t[c] for _, t in rows) for c in COLUMNS}
    print(f"{'all':<5}" + "".join(f"{total[c]:>19}" for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
