"""Ingest over HTTP: Reuters stories one ``POST /v1/documents`` at a time, then the same stories in
one ``POST /v1/documents/bulk``, each against a real ``claimcheck serve`` on a fresh data directory.

    .venv/bin/python -m bench.bulk_http [--limit 300] [--keep DIR]

The stories are the first ``--limit`` distinct Reuters-21578 bodies, posted as the shared scorer
posts them (``bench.stories``). Each run starts its own server (model load not timed), sends every
story over one keep-alive connection, and counts what the answers say was committed. Prints, per
run, documents/s and sentences/s over the wall time from the first byte sent to the last answer,
the server's CPU seconds over that time (the figure to trust on a busy machine), and for the bulk
run the time to its first answer line.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import json
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.server import UNLIMITED_RATES, Server
from bench.stories import iter_stories


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    documents: int
    sentences: int
    errors: int
    seconds: float
    cpu_seconds: float
    first_answer_seconds: float | None = None

    def line(self) -> str:
        first = f", first answer after {self.first_answer_seconds:.2f} s" if self.first_answer_seconds else ""
        docs_rate, sentence_rate = self.documents / self.seconds, self.sentences / self.seconds
        return (
            f"{self.name:>18}: {self.documents} documents, {self.sentences} sentences in "
            f"{self.seconds:.1f} s = {docs_rate:.1f} documents/s, {sentence_rate:.1f} sentences/s "
            f"(server CPU {self.cpu_seconds:.1f} s, {self.errors} errors{first})"
        )


def stories(limit: int) -> list[dict[str, str]]:
    found = []
    for story in iter_stories(unique=True):
        found.append(story.document(f"reuters-{story.newid}"))
        if len(found) == limit:
            break
    return found


def one_at_a_time(server: Server, documents: list[dict[str, str]]) -> Run:
    client = server.client(timeout=300.0)
    sentences = errors = 0
    cpu, started = server.cpu_seconds(), time.perf_counter()
    for document in documents:
        answer = client.request("POST", "/v1/documents", document)
        if answer.status == 201:
            sentences += int(answer.json()["sentences"])
        else:
            errors += 1
    seconds = time.perf_counter() - started
    client.close()
    return Run(
        "one POST each", len(documents) - errors, sentences, errors, seconds, server.cpu_seconds() - cpu
    )


def bulk(server: Server, documents: list[dict[str, str]]) -> Run:
    body = "".join(json.dumps(d) + "\n" for d in documents).encode()
    headers = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/x-ndjson"}
    sentences = errors = created = 0
    first: float | None = None
    cpu, started = server.cpu_seconds(), time.perf_counter()
    with (
        httpx.Client(timeout=600.0) as client,
        client.stream(
            "POST", f"http://127.0.0.1:{server.port}/v1/documents/bulk", content=body, headers=headers
        ) as r,
    ):
        r.raise_for_status()
        for line in r.iter_lines():
            answer: dict[str, Any] = json.loads(line)
            first = first or time.perf_counter() - started
            if answer["status"] == "created":
                created += 1
                sentences += int(answer["sentences"])
            else:
                errors += 1
    seconds = time.perf_counter() - started
    return Run("bulk (JSON Lines)", created, sentences, errors, seconds, server.cpu_seconds() - cpu, first)


def serving(root: Path, name: str) -> Iterator[Server]:
    data = root / name
    with Server(data, root / f"{name}.log", env=UNLIMITED_RATES) as server:
        server.start()
        yield server


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=300, help="stories to ingest (default 300)")
    parser.add_argument("--keep", type=Path, help="keep the data directories and logs here")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="claimcheck-bulk-http-"))
    root.mkdir(parents=True, exist_ok=True)
    documents = stories(args.limit)
    characters = sum(len(d["text"]) for d in documents)
    print(f"{len(documents)} Reuters stories, {characters} characters; data in {root}")
    for server in serving(root, "single"):
        print(one_at_a_time(server, documents).line(), flush=True)
    for server in serving(root, "bulk"):
        print(bulk(server, documents).line(), flush=True)


if __name__ == "__main__":
    main()
