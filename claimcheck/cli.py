"""The ``claimcheck`` command: serve the API, ingest files, check a claim from the shell."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from claimcheck.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    from claimcheck.startup import serve

    serve(args.host, args.port, args.workers)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from claimcheck.requests import Submission
    from claimcheck.startup import open_checker

    checker = open_checker(Settings.from_env())
    paths = [
        p for arg in args.paths for p in (sorted(Path(arg).iterdir()) if Path(arg).is_dir() else [Path(arg)])
    ]
    submissions = (Submission(text=p.read_text(encoding="utf-8"), id=p.stem) for p in paths)

    def refused(submission: Submission, error: Exception) -> None:  # nothing to index: not written
        print(json.dumps({"id": submission.id, "error": str(error)}))

    try:
        for result in tqdm(
            checker.ingest_many(submissions, refused=refused),
            total=len(paths),
            unit="doc",
            disable=not sys.stderr.isatty(),
        ):
            print(
                json.dumps({"id": result.id, "paragraphs": result.paragraphs, "sentences": result.sentences})
            )
    finally:
        checker.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    import msgspec

    from claimcheck.startup import open_checker

    checker = open_checker(Settings.from_env())
    try:
        result = checker.check(args.claim, args.limit)
        print(msgspec.json.format(msgspec.json.encode(result), indent=2).decode())
    finally:
        checker.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(prog="claimcheck", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP API ($CLAIMCHECK_DATA holds the store and index)")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "1")))
    serve.set_defaults(run=_serve)
    ingest = sub.add_parser("ingest", help="ingest files (id = file name without extension)")
    ingest.add_argument("paths", nargs="+")
    ingest.set_defaults(run=_ingest)
    check = sub.add_parser("check", help="check one claim and print the JSON answer")
    check.add_argument("claim")
    check.add_argument("--limit", type=int, default=10)
    check.set_defaults(run=_check)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
