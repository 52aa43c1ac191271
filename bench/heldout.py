"""The held-out Reuters claim sets (``evaluation/heldout``) scored the way the shared dev set is.

    .venv/bin/python -m bench.heldout [--sets a,b,c,...,u] [--workdir DIR]

For each set: a fresh data directory, ``claimcheck serve`` on a free loopback port (``bench.server``),
then ``../shared/tools/eval_reuters.py --claims … --subset …`` against it, the scorer's own ingest
included (400 stories). Prints each set's summary line and one table; ~2.5 minutes a set.

Why: the shared dev claims were read while the verifier's rules were written, so their score says
little about claims nobody has seen. Sets ``a``, ``e``, ``f`` and ``i`` are test sets (see
``evaluation/heldout/README.md``).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.server import PROJECT_ROOT, Server

HELDOUT = PROJECT_ROOT / "evaluation" / "heldout"
SCORER = PROJECT_ROOT.parent / "shared" / "tools" / "eval_reuters.py"
_MEASURE = re.compile(r"(found|allegation|speaker|none|multi|offsets) (\d+)/(\d+)")
_OVERALL = re.compile(r"overall ([0-9.]+)")
COLUMNS = ("found", "none", "allegation", "speaker", "multi")


def score(name: str, workdir: Path) -> tuple[str, str]:
    """(summary line, per-type line) of one set, from a server of its own."""
    data = workdir / f"data-{name}"
    data.mkdir(parents=True, exist_ok=True)
    with Server(data, workdir / f"server-{name}.log") as server:
        server.start()
        env = {**os.environ, "CLAIMCHECK_API_KEY": server.key}
        run = subprocess.run(
            [
                sys.executable,
                str(SCORER),
                "--url",
                f"http://127.0.0.1:{server.port}",
                "--claims",
                str(HELDOUT / f"claims_{name}.json"),
                "--subset",
                str(HELDOUT / f"subset_{name}.json"),
                "--min",
                "0",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    (workdir / f"score-{name}.txt").write_text(run.stdout + run.stderr)
    lines = run.stdout.strip().splitlines()
    per_type = next((line for line in lines if line.startswith("per type")), "")
    return (lines[-1] if lines else run.stderr.strip()), per_type


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sets",
        default="a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u",
        help="comma-separated set names (default: all)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="data dirs, logs and full scorer output")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="claimcheck-heldout-"))
    rows = []
    for name in args.sets.split(","):
        summary, per_type = score(name, workdir)
        print(f"set {name}: {summary}\n       {per_type}", flush=True)
        counts = {m: f"{a}/{b}" for m, a, b in _MEASURE.findall(summary)}
        overall = _OVERALL.search(summary)
        rows.append((name, overall.group(1) if overall else "?", counts))
    print(f"\nfull scorer output in {workdir}")
    print(f"{'set':<4} {'overall':>8} " + " ".join(f"{m:>10}" for m in COLUMNS))
    for name, overall, counts in rows:
        cells = " ".join(f"{counts.get(m, '-'):>10}" for m in COLUMNS)
        print(f"{name:<4} {overall:>8} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
