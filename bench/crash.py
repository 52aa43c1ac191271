"""Crash test: SIGKILL a real server while it writes, restart it, and check that nothing
acknowledged was lost and nothing half-written or orphaned was left.

    .venv/bin/python -m bench.crash [--rounds 20] [--writers 3] [--max-delay 6] [--seed 1]

Why a real process and SIGKILL: the service promises (README, "How it works") that a document is
stored in one SQLite transaction and that the FAISS index, saved only now and then, replays the
store's change log on start-up. Only killing the process that holds the unsaved index, while
writes are committed and answered, tests that promise end to end.

Each round starts the server on the same data directory (fresh in round 1, seeds off), checks
what the previous round left (below), then runs ``--writers`` clients, each with its own document
ids, that ingest new ids, replace existing ones (a re-POST of the id with another Reuters story)
and delete them, one request at a time each, and SIGKILLs the server's process group after a
random delay of 0.3..``--max-delay`` seconds. A write answered 201/204 is *acknowledged*; a write
whose answer never came may or may not have happened, and both are accepted. Titles carry the
version (``[crash v17]``) so a read says which text the store holds. Rate limits are set out of
reach (``bench.server.UNLIMITED_RATES``); a 429/503 would be counted as a refusal and retried.

After each restart, for every id ever written:

* ``GET /v1/documents/{id}`` gives the last acknowledged state or the unanswered one: absent after
  a delete, else the version named in the title, *whole* (every sentence's offsets slice that
  version's text to the sentence, and the paragraph and sentence counts equal the 201's);
* a check with one of its sentences (the longest prose sentence the service stored; the next ones
  when the verifier declines it) returns it among the sources — for ids written in the round just
  killed, a sample of ``--sample`` others, and every id after the last round;
* every source in every answer that names one of these ids slices the id's current text (no
  evidence from a deleted or replaced version); for ids written in the round, each earlier
  version's longest sentence is checked for that;
* ``/health``'s vector count equals the paragraphs the store lists.

After the last round the server is stopped cleanly and the data directory is opened directly:
``claimcheck.sync.consistency`` compares the saved index with the store paragraph by paragraph
(orphan vectors, paragraphs without a vector, rows without their parent).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import statistics
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.server import UNLIMITED_RATES, Client, Response, Server
from bench.stories import Story, is_prose, iter_stories

MAX_BODY_CHARS = 3000  # short stories keep each write short, so many land in a round
# Stories with fewer prose sentences are mostly wire tables, of which the parser keeps little.
MIN_PROSE_SENTENCES = 3
FIND_TRIES = 3
_VERSION = re.compile(r"\[crash v(\d+)\]$")


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Version:
    story: Story
    title: str
    counts: tuple[int, int] | None = None  # (paragraphs, sentences) from its 201, once acknowledged


@dataclass
class Doc:
    id: str
    writer: int
    possible: list[int | None]  # states a read may show: a version, or None for absent
    history: list[int] = field(default_factory=list)  # every version ever posted under this id
    touched: bool = False  # written since the last verification

    @property
    def state(self) -> int | None:
        """The state the writer acts on: the only possibility once verified or acknowledged."""
        return self.possible[-1]


class Ledger:
    """What the clients sent and what the server acknowledged, shared by the writer threads."""

    def __init__(self, pool: list[Story]) -> None:
        self.pool = pool
        self.versions: dict[int, Version] = {}
        self.docs: dict[str, Doc] = {}
        self.tally: Counter[str] = Counter()
        self.in_flight = 0
        self.errors: list[str] = []  # writes answered neither 201/204 nor a refusal
        self.lock = threading.Lock()

    def new_version(self) -> int:
        with self.lock:
            number = len(self.versions) + 1
            story = self.pool[number % len(self.pool)]
            self.versions[number] = Version(story, f"{story.title} [crash v{number}]")
            return number

    def next_op(self, writer: int, rng: random.Random) -> tuple[str, Doc, int | None]:
        """Ingest a new id, replace or delete one of this writer's ids, or re-ingest a deleted one."""
        with self.lock:
            mine = [d for d in self.docs.values() if d.writer == writer]
        present = [d for d in mine if d.state is not None]
        deleted = [d for d in mine if d.state is None]
        r = rng.random()
        if present and r < 0.35:
            return "replace", rng.choice(present), self.new_version()
        if present and r < 0.55:
            return "delete", rng.choice(present), None
        if deleted and r < 0.65:
            return "ingest", rng.choice(deleted), self.new_version()
        with self.lock:
            doc = Doc(f"crash-{writer}-{sum(d.writer == writer for d in self.docs.values())}", writer, [None])
            self.docs[doc.id] = doc
        return "ingest", doc, self.new_version()


def writer(server: Server, ledger: Ledger, number: int, seed: int, stop: threading.Event) -> None:
    """Write until the server stops answering; the write it was waiting for is then unknown."""
    rng = random.Random(seed)
    client = server.client(timeout=60.0)
    try:
        while not stop.is_set():
            op, doc, version = ledger.next_op(number, rng)
            if version is None:
                response = send(client, ledger, "DELETE", f"/v1/documents/{doc.id}", None)
            else:
                body = ledger.versions[version].story.document(doc.id, ledger.versions[version].title)
                response = send(client, ledger, "POST", "/v1/documents", body)
            with ledger.lock:
                doc.touched = True
                if version is not None:
                    doc.history.append(version)
                if response.status in (201, 204):
                    doc.possible = [version]
                    ledger.tally[f"acknowledged {op}"] += 1
                    if version is not None:
                        answer = response.json()
                        ledger.versions[version].counts = (answer["paragraphs"], answer["sentences"])
                elif response.status == 0 and "ConnectionRefused" in response.error:
                    ledger.tally["refused connections (never sent)"] += 1
                elif response.status == 0:
                    doc.possible = [*doc.possible, version]
                    ledger.tally["unanswered (in flight at the kill)"] += 1
                else:
                    ledger.tally[f"errors: {op} answered {response.status}"] += 1
                    ledger.errors.append(f"{op} {doc.id}: {response.status} {response.body[:200]!r}")
            if response.status == 0:
                return
    finally:
        client.close()


def send(client: Client, ledger: Ledger, method: str, path: str, body: Any) -> Response:
    """One write; refusals (429/503) wait for Retry-After and go again, counted apart from errors."""
    while True:
        with ledger.lock:
            ledger.in_flight += 1
        response = client.request(method, path, body)
        with ledger.lock:
            ledger.in_flight -= 1
        if response.status not in (429, 503):
            return response
        with ledger.lock:
            ledger.tally[f"refusals ({response.status})"] += 1
        time.sleep(max(response.retry_after, 0.1))


# -- verification ----------------------------------------------------------------------------------


class Verifier:
    """Reads everything back after a restart and files what disagrees with the ledger."""

    def __init__(self, ledger: Ledger, seed: int = 1) -> None:
        self.ledger = ledger
        self.client: Client | None = None
        self.rng = random.Random(seed)
        self.problems: Counter[str] = Counter()
        self.details: list[str] = []
        self.missed: set[str] = set()  # sentences a check did not find their own document by
        self.checks = 0

    def fail(self, kind: str, detail: str) -> None:
        self.problems[kind] += 1
        if len(self.details) < 40:
            self.details.append(f"{kind}: {detail}")

    def run(self, client: Client, sample: int, everything: bool) -> None:
        """Check every id against the ledger; findability for the ids the round wrote and a sample."""
        self.client = client
        views = {doc.id: self.read_back(doc) for doc in self.ledger.docs.values()}
        self.compare_counts()
        untouched = [d for d in self.ledger.docs.values() if not d.touched and views[d.id] is not None]
        chosen = {d.id for d in self.rng.sample(untouched, min(sample, len(untouched)))}
        for doc in self.ledger.docs.values():
            view = views[doc.id]
            if view is not None and (everything or doc.touched or doc.id in chosen):
                self.findable(doc, view)
            if doc.touched or everything:
                for version in {v for v in doc.history if v != doc.state}:
                    sentences = self.ledger.versions[version].story.sentences()
                    if sentences:
                        self.check(sentences[0])
            doc.touched = False

    def read_back(self, doc: Doc) -> dict[str, Any] | None:
        """The stored view, checked against the states the ledger allows; collapses them to one."""
        response = self.client.request("GET", f"/v1/documents/{doc.id}")
        if response.status not in (200, 404):
            self.fail("errors", f"GET {doc.id} answered {response.status} {response.error}")
            return None
        view = response.json() if response.status == 200 else None
        observed = self.version_of(doc, view)
        acknowledged = doc.possible[0]
        if observed not in doc.possible:
            if view is None:
                self.fail("lost", f"{doc.id}: v{acknowledged} acknowledged, absent")
            elif acknowledged is None:
                self.fail("resurrected", f"{doc.id}: deleted, reads back as v{observed}")
            else:
                self.fail("stale", f"{doc.id}: v{acknowledged} acknowledged, reads back as v{observed}")
        elif len(doc.possible) > 1:
            self.ledger.tally["unanswered writes found applied"] += observed == doc.possible[-1]
        doc.possible = [observed]
        if view is not None and observed is not None:
            self.whole(doc, view, self.ledger.versions[observed])
        return view

    def version_of(self, doc: Doc, view: dict[str, Any] | None) -> int | None:
        if view is None:
            return None
        match = _VERSION.search(view.get("title") or "")
        if match is None or int(match.group(1)) not in doc.history:
            self.fail("stale", f"{doc.id}: title {view.get('title')!r} names no version posted under it")
            return doc.possible[0]
        return int(match.group(1))

    def whole(self, doc: Doc, view: dict[str, Any], version: Version) -> None:
        """Every stored sentence slices this version's text; counts as the 201 said."""
        body = version.story.body
        sentences = [s for p in view["paragraphs"] for s in p["sentences"]]
        sliced = all(norm(body[s["start"] : s["end"]]) == norm(s["text"]) for s in sentences)
        counts = (len(view["paragraphs"]), len(sentences))
        if not sliced or (version.counts is not None and counts != version.counts):
            self.fail("half", f"{doc.id}: {counts} stored, {version.counts} acknowledged, slices {sliced}")

    def findable(self, doc: Doc, view: dict[str, Any]) -> None:
        """A check with one of its stored sentences finds it: the longest prose one, else the next.

        Up to ``FIND_TRIES`` sentences are tried because the verifier can decline a sentence even
        verbatim (a claim with several figures and owners); a document that no sentence finds is
        *unfindable*, and every sentence that missed is listed for diagnosis.
        """
        stored = [norm(s["text"]) for p in view["paragraphs"] for s in p["sentences"]]
        candidates = sorted((s for s in stored if is_prose(s)), key=len, reverse=True)[:FIND_TRIES]
        if not candidates:
            self.ledger.tally["present, no stored prose sentence to check"] += 1
            return
        story = self.ledger.versions[doc.state].story.newid if doc.state is not None else None
        for sentence in candidates:
            if doc.id in self.check(sentence):
                return
            self.missed.add(f"Reuters {story}: {sentence[:100]!r}")
        self.fail("unfindable", f"{doc.id} (Reuters {story}): no stored sentence finds it")

    def check(self, claim: str) -> set[str]:
        """Ids among the answer's sources; every source naming a ledger id must slice its current text."""
        self.checks += 1
        response = self.client.request("POST", "/v1/claims/check", {"claim": claim, "limit": 10})
        if response.status != 200:
            self.fail("errors", f"check answered {response.status} {response.error}")
            return set()
        found = set()
        answer = response.json()
        for item in [*answer["evidence"], *answer.get("contradicting", [])]:
            for source in item["sources"]:
                doc = self.ledger.docs.get(source["document_id"])
                found.add(source["document_id"])
                if doc is None:
                    continue
                text = "" if doc.state is None else self.ledger.versions[doc.state].story.body
                if norm(text[source["start"] : source["end"]]) != norm(item["sentence"]):
                    self.fail("ghost evidence", f"{doc.id} (now v{doc.state}): {item['sentence'][:80]!r}")
        return found

    def compare_counts(self) -> None:
        """Vectors in the live index (``/health``) against paragraphs the store lists; and a crash must
        not leave the service read-only."""
        health = self.client.request("GET", "/health").json()
        if health.get("mode", "read-write") != "read-write":
            self.fail("errors", f"restarted {health.get('mode')}: {health.get('storage')}")
        listed, offset = 0, 0
        while True:
            page = self.client.request("GET", f"/v1/documents?offset={offset}&limit=500").json()
            listed += sum(item["paragraphs"] for item in page["items"])
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                break
        if health["paragraphs"] != listed:
            vectors = health["paragraphs"]
            self.fail("orphans", f"index holds {vectors} vectors, store lists {listed} paragraphs")


# -- the run ---------------------------------------------------------------------------------------


def crash_round(server: Server, ledger: Ledger, number: int, args: argparse.Namespace) -> tuple[int, float]:
    """Writers run until the kill; returns (writes in flight at the kill, seconds before it)."""
    stop = threading.Event()
    threads = [
        threading.Thread(target=writer, args=(server, ledger, w, args.seed * 1000 + number * 10 + w, stop))
        for w in range(args.writers)
    ]
    for thread in threads:
        thread.start()
    delay = random.Random(args.seed * 7 + number).uniform(0.3, args.max_delay)
    time.sleep(delay)
    with ledger.lock:
        in_flight = ledger.in_flight
    server.kill()
    stop.set()
    for thread in threads:
        thread.join()
    return in_flight, delay


def final_consistency(data_dir: Path) -> Any:
    """Open the stopped server's data directory directly: the saved index against the store."""
    from claimcheck.storage import STORE_FILENAME
    from claimcheck.sync import INDEX_DIRNAME, consistency
    from embeddings.index import ParagraphIndex
    from store import Store

    directory = data_dir / INDEX_DIRNAME
    dimension = json.loads((directory / "paragraphs.json").read_text())["dimension"]
    store = Store(data_dir / STORE_FILENAME, read_only=True)
    try:
        index = ParagraphIndex.load(directory, dimension)
        if index is None:
            raise RuntimeError("no readable index was saved at shutdown")
        return consistency(store, index)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--writers", type=int, default=3, help="concurrent writing clients")
    parser.add_argument("--max-delay", type=float, default=6.0, help="kill within 0.3..this many seconds")
    parser.add_argument("--sample", type=int, default=25, help="untouched ids checked for findability")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, help="where the data dir and server log go (default: temp)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="claimcheck-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    data_dir = work / "data"
    stories = [
        s
        for s in iter_stories(unique=True)
        if len(s.body) <= MAX_BODY_CHARS and len(s.sentences()) >= MIN_PROSE_SENTENCES
    ]
    random.Random(args.seed).shuffle(stories)
    ledger = Ledger(stories)
    server = Server(data_dir, work / "server.log", env=UNLIMITED_RATES)
    print(f"data dir {data_dir}, server log {work / 'server.log'}, {len(stories)} stories in the pool")

    verifier = Verifier(ledger, args.seed)
    restarts = []
    for number in range(1, args.rounds + 2):
        seconds = server.start()
        restarts.append(seconds)
        with contextlib.closing(server.client()) as client:
            verifier.run(client, args.sample, everything=number == args.rounds + 1)
        if number == args.rounds + 1:
            break
        in_flight, delay = crash_round(server, ledger, number, args)
        acknowledged = sum(v for k, v in ledger.tally.items() if k.startswith("acknowledged"))
        print(
            f"round {number:2d}: start {seconds:4.1f} s, killed after {delay:3.1f} s with {in_flight} "
            f"writes in flight; {acknowledged} acknowledged so far; problems so far "
            f"{sum(verifier.problems.values()) + len(ledger.errors)}",
            flush=True,
        )
    clean = server.stop()
    final = final_consistency(data_dir)
    verifier.problems["errors"] += len(ledger.errors)
    verifier.details += ledger.errors[:10]
    report(args, ledger, verifier, final, clean, restarts[1:], time.perf_counter() - started)
    return 0 if not sum(verifier.problems.values()) and final.consistent and clean else 1


def report(
    args: argparse.Namespace,
    ledger: Ledger,
    verifier: Verifier,
    final: Any,
    clean: bool,
    restarts: list[float],
    seconds: float,
) -> None:
    acknowledged = sum(v for k, v in ledger.tally.items() if k.startswith("acknowledged"))
    present = sum(d.state is not None for d in ledger.docs.values())
    print("\n-- crash test (bench/crash.py) --")
    print(f"rounds (SIGKILL + restart)       {args.rounds}")
    print(f"acknowledged writes              {acknowledged}")
    for key in sorted(ledger.tally):
        print(f"  {key:<38}{ledger.tally[key]}")
    print(f"ids written / present at the end {len(ledger.docs)} / {present}")
    print(f"checks made while verifying      {verifier.checks}")
    for kind in ("lost", "stale", "half", "resurrected", "ghost evidence", "unfindable", "orphans", "errors"):
        print(f"{kind:<33}{verifier.problems[kind]}")
    print(
        f"final index vs store (by id)     {final.vectors} vectors, {final.paragraphs} paragraphs: "
        f"{len(final.orphans)} orphan vectors, {len(final.missing)} paragraphs without a vector, "
        f"{final.duplicates} duplicates, dangling rows {sum(final.dangling.values())}; "
        f"index generation {final.index_generation} / store {final.store_generation}"
    )
    print(f"clean stop after the last round  {'yes' if clean else 'NO'}")
    middle, longest = statistics.median(restarts), max(restarts)
    print(f"restart after SIGKILL            median {middle:.1f} s, max {longest:.1f} s")
    print(f"total time                       {seconds:.0f} s")
    for line in verifier.details:
        print("  " + line)
    for line in sorted(verifier.missed):
        print(f"  a check with this sentence missed its own document: {line}")
    ok = not sum(verifier.problems.values()) and final.consistent and clean
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    raise SystemExit(main())
