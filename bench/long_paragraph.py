"""Time and peak memory of ingesting one huge paragraph, in a fresh process per size.

Issue 10 measured a single 900,000-character paragraph at 80 s and 3.9 GB RSS, and one over
1,000,000 characters as a 500 (spaCy's E088). Long paragraphs are now cut into pieces of at most
``corpus.chunk`` characters before the parser, and frame extraction is linear, so time should
grow linearly with the size and memory should stay flat.

    python -m bench.long_paragraph --sizes 100000 300000 900000 1500000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "The minister said the talks failed.",
    "Officials in Ankara denied that a Turkish F-16 had downed an Armenian SU-25 warplane.",
    "Output rose 3.2 pct in March, the company said in a statement.",
]


def _one(size: int) -> dict[str, float]:
    from claimcheck.requests import Submission
    from claimcheck.settings import Settings
    from claimcheck.startup import open_checker

    text = ""
    i = 0
    while len(text) < size:
        text += SENTENCES[i % len(SENTENCES)] + " "
        i += 1
    text = text[:size].rsplit(" ", 1)[0]
    with tempfile.TemporaryDirectory() as data:
        checker = open_checker(
            Settings(data_dir=Path(data), seeds_dir=None, model_cache=Path("/tmp/cl-models"))
        )
        started = time.perf_counter()
        result = checker.ingest(Submission(text=text, id="long"))
        seconds = time.perf_counter() - started
        checker.close()
    return {
        "chars": len(text),
        "seconds": round(seconds, 1),
        "paragraphs": result.paragraphs,
        "sentences": result.sentences,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 900_000, 1_500_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one)))
        return
    print(f"{'chars':>10} {'seconds':>8} {'pieces':>7} {'sentences':>10} {'peak RSS MB':>12}")
    for size in args.sizes:
        out = (
            subprocess.run(
                [sys.executable, "-m", "bench.long_paragraph", "--one", str(size)],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        row = json.loads(out)
        print(
            f"{row['chars']:>10} {row['seconds']:>8} {row['paragraphs']:>7} {row['sentences']:>10} "
            f"{row['peak_rss_mb']:>12}"
        )


if __name__ == "__main__":
    main()
