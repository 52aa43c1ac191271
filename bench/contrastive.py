"""Contrastive benchmark for the support / contradiction decision, generated from Reuters wire copy.

Why: a verifier that says whether a sentence *supports* a claim, *contradicts* it or neither cannot
be measured on topical retrieval sets, where most negatives are off topic. Here every negative is
one small edit away from a claim the sentence supports, so each figure isolates one decision:

* ``faithful`` — the sentence's content compressed (attribution stripped, wire abbreviations
  expanded, asides dropped); its sentence must come back in ``evidence``;
* ``figure`` / ``direction`` / ``roles`` / ``negation`` — the faithful claim with one number changed,
  the predicate turned to its opposite, two actors swapped, the verb negated: the sentence must
  not be in ``evidence`` and should be in ``contradicting``;
* ``actor`` / ``modal`` — another company, country or person of the same kind; an act made a
  possibility or plan, or a plan asserted as an act: the sentence must be in neither list.

How the claims are built, and what each rewrite refuses to do, is in
``bench/contrastive_claims.py`` and its word tables in ``bench/contrastive_lexicon.py``.

**Data.** Sentences come from ``../shared/datasets/reuters-21578/reuters21578.jsonl``, one per story,
never from the development subset ``../shared/eval/reuters_subset_dev.json`` nor from a sentence that
also occurs in one of its stories. A story is segmented exactly as the service segments it
(``corpus.parse.parse_document(body, "text")``, spaCy, ``corpus.segment.split_sentences``), so a
sentence's [start, end) in the raw body is the span the service stores. Stories are taken in a
seeded order: first those that mention two companies and a deal verb (until there are enough
``roles`` claims), then all others, preferring in each story the sentence that admits the kinds
still short of ``--min-per-kind``. Every claim has a ``split``: ``tune`` or ``report`` from the first
byte of sha1 of its story id; tune a verifier on ``tune``, quote figures on ``report``.

**Dataset.** One JSON line per claim (``--out``, reused with ``--dataset`` so runs compare):
``id``, ``kind``, ``contradiction``, ``claim``, ``change`` (what the edit did), ``faithful`` (the
claim it was made from), ``doc_id`` (``reuters-<newid>``), ``newid``, ``title``, ``published``,
``start``/``end`` (the sentence in the raw body), ``sentence``, ``split``, ``seed``.

**Scoring** (a running service, ``--url``): every source story (plus ``--distractors`` other
stories) is posted to ``/v1/documents`` as ``{"id": "reuters-<newid>", "text": <raw body>,
"format": "text", "title", "published"}``; every claim goes to ``/v1/claims/check`` with limit 10
(``Authorization: Bearer $CLAIMCHECK_API_KEY`` when set). A list *holds the sentence* when one of
its items has a source with the story's ``document_id`` whose [start, end) overlaps the sentence.
A missing ``contradicting`` field counts as an empty list. Reported per kind, for tune, report
and all: share in ``evidence`` (targets: faithful >= 0.95, perturbed <= 0.05) and share in
``contradicting`` (target for figure, direction, roles, negation >= 0.80); for information, the
share of perturbed claims whose sentence is in ``evidence`` with ``stance: "refutes"``.

    .venv/bin/python -m bench.contrastive --generate-only --show 10        # build, print samples
    .venv/bin/python -m bench.contrastive --dataset /tmp/claimcheck-contrastive.jsonl \\
        --url http://127.0.0.1:8010 --verbose --json /tmp/contrastive-figures.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from bench.claims_from_reuters import DEFAULT_DATASET
from bench.claims_from_reuters import _published as published_date
from bench.contrastive_claims import (
    CONTRADICTION_KINDS,
    KINDS,
    PERTURBATION_KINDS,
    Faithful,
    Perturbation,
    PoolName,
    Skip,
    claim_problem,
    faithful_claim,
    figures,
    is_assertive,
    normalise_sentence,
    perturb_actor,
    perturb_direction,
    perturb_figure,
    perturb_modal,
    perturb_negation,
    perturb_roles,
    pool_names,
    sentence_problem,
)
from corpus.parse import parse_document
from corpus.segment import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_SUBSET = SHARED / "eval" / "reuters_subset_dev.json"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "claimcheck-contrastive.jsonl"
DEFAULT_SEED = 1987
DEFAULT_SENTENCES = 450
DEFAULT_MIN_PER_KIND = 100
CHECK_LIMIT = 10
STORY_BATCH = 24

TARGET_FAITHFUL = 0.95
TARGET_PERTURBED = 0.05
TARGET_CONTRADICTING = 0.80

#: Kinds a sentence is preferred for when they are short of the quota (rarer kinds weigh more).
KIND_WEIGHTS = {"roles": 6.0, "direction": 4.0, "figure": 1.5, "negation": 1.0, "actor": 0.5, "modal": 0.5}

_COMPANY = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Plc|PLC|Group|Corporation)\b")
_DEAL = re.compile(r"\b(?:acquir\w*|bought|buy\w*|sold|sell\w*|stake in|purchas\w*|takeover|tender)\b", re.I)
_TABLE = re.compile(r"\b(?:Shr|Shrs|Revs|Qtly div|Oper shr|Net)\b.*\bvs\b")


@dataclass(frozen=True, slots=True)
class Story:
    newid: int
    title: str
    published: str | None
    body: str

    @property
    def doc_id(self) -> str:
        return f"reuters-{self.newid}"


@dataclass(slots=True)
class Candidate:
    """One sentence of a story with its faithful claim and the perturbations it admits."""

    story: Story
    start: int
    end: int
    sentence: str
    normalised: str
    faithful: Faithful
    claim_doc: Doc
    perturbations: dict[str, Perturbation] = field(default_factory=dict)


@dataclass(slots=True)
class Generation:
    """What a generation run produced and what it went through."""

    selected: list[Candidate]
    stories_read: int
    sentences_seen: int
    skipped: Counter[str]


def split_of(doc_id: str) -> str:
    """``tune`` or ``report``, fixed by the story id (first byte of its sha1, even = tune)."""
    return "tune" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 == 0 else "report"


def _order_key(seed: int, newid: int) -> bytes:
    return hashlib.sha1(f"{seed}:{newid}".encode()).digest()


def _norm(text: str) -> str:
    return " ".join(text.split())


def load_stories(dataset: Path) -> list[Story]:
    """Every story with a body, in file order."""
    out = []
    with dataset.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            body = record.get("body") or ""
            if body.strip():
                title = " ".join((record.get("title") or "").split())
                out.append(Story(int(record["newid"]), title, published_date(record.get("date")), body))
    return out


def load_dev_ids(path: Path = DEV_SUBSET) -> set[int]:
    with path.open(encoding="utf-8") as handle:
        return {int(i) for i in json.load(handle)["ids"]}


def _deal_story(story: Story) -> bool:
    """A story likely to hold "A acquired B": two company names and a deal verb."""
    return len(_COMPANY.findall(story.body)) >= 2 and _DEAL.search(story.body) is not None


def _table_story(story: Story) -> bool:
    return _TABLE.search(story.body) is not None


def _story_sentences(
    stories: Sequence[Story], nlp: Language
) -> Iterator[tuple[Story, list[tuple[int, int, str]]]]:
    """Each story's sentences as the service stores them: raw-body [start, end) and clean text."""
    parsed = [parse_document(story.body, "text") for story in stories]
    texts = [p.text for doc in parsed for p in doc.paragraphs]
    docs = iter(nlp.pipe(texts, batch_size=64))
    for story, document in zip(stories, parsed, strict=True):
        sentences = []
        for paragraph in document.paragraphs:
            doc = next(docs)
            for start, end in split_sentences(doc):
                raw_start, raw_end = paragraph.original_span(start, end)
                sentences.append((raw_start, raw_end, paragraph.text[start:end]))
        yield story, sentences


class Generator:
    """Builds the benchmark: reads stories in a seeded order and keeps one sentence per story."""

    def __init__(
        self,
        nlp: Language,
        stories: Sequence[Story],
        dev_ids: set[int],
        seed: int = DEFAULT_SEED,
        sentences: int = DEFAULT_SENTENCES,
        min_per_kind: int = DEFAULT_MIN_PER_KIND,
    ) -> None:
        self.nlp = nlp
        self.seed = seed
        self.target = sentences
        self.min_per_kind = min_per_kind
        by_body = {_norm(s.body) for s in stories if s.newid in dev_ids}
        # Sentences of the development stories, also where a copy of one sits under another id.
        self.dev_text = "\n".join(sorted(by_body))
        eligible = [s for s in stories if s.newid not in dev_ids and _norm(s.body) not in by_body]
        eligible = [s for s in eligible if not _table_story(s)]
        eligible.sort(key=lambda s: _order_key(seed, s.newid))
        self.deals = [s for s in eligible if _deal_story(s)]
        self.others = [s for s in eligible if not _deal_story(s)]
        self.pool: list[PoolName] = []
        self.seen_sentences: set[str] = set()
        self.skipped: Counter[str] = Counter()
        self.sentences_seen = 0
        self.stories_read = 0

    def rng(self, story: Story, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}:{story.newid}:{purpose}")

    def candidates(self, batch: Sequence[Story]) -> Iterator[tuple[Story, list[Candidate]]]:
        """Every usable sentence of each story of the batch, with its contradiction perturbations."""
        for story, sentences in _story_sentences(batch, self.nlp):
            self.stories_read += 1
            kept: list[tuple[int, int, str, str]] = []
            for start, end, text in sentences:
                self.sentences_seen += 1
                normalised = normalise_sentence(text)
                problem = sentence_problem(normalised) if normalised else "empty"
                if problem is None and _norm(text) in self.dev_text:
                    problem = "also in a development story"
                if problem is None and normalised in self.seen_sentences:
                    problem = "sentence already used"
                if problem:
                    self.skipped[problem] += 1
                    continue
                kept.append((start, end, text, normalised))
            sentence_docs = list(self.nlp.pipe([k[3] for k in kept]))
            drafts: list[tuple[int, int, str, str, Faithful]] = []
            for (start, end, text, normalised), doc in zip(kept, sentence_docs, strict=True):
                self.pool.extend(pool_names(doc, story.doc_id, story.body))
                try:
                    drafts.append((start, end, text, normalised, faithful_claim(doc)))
                except Skip as skip:
                    self.skipped[str(skip)] += 1
            claim_docs = list(self.nlp.pipe([d[4].claim for d in drafts]))
            found = []
            for (start, end, text, normalised, faithful), claim_doc in zip(drafts, claim_docs, strict=True):
                problem = claim_problem(claim_doc)
                if problem:
                    self.skipped[problem] += 1
                    continue
                candidate = Candidate(story, start, end, text, normalised, faithful, claim_doc)
                self._perturb(candidate)
                found.append(candidate)
            yield story, found

    def _perturb(self, candidate: Candidate) -> None:
        doc, story = candidate.claim_doc, candidate.story
        made: list[Perturbation | None] = []
        if is_assertive(doc):
            made += [
                perturb_figure(doc, self.rng(story, "figure"), figures(candidate.normalised)),
                perturb_direction(doc),
                perturb_roles(doc),
                perturb_negation(doc),
            ]
        made.append(perturb_modal(doc, self.rng(story, "modal")))
        for perturbation in made:
            if perturbation is not None and perturbation.claim != candidate.faithful.claim:
                candidate.perturbations[perturbation.kind] = perturbation

    def _value(self, candidate: Candidate, counts: Counter[str], only: str | None) -> float:
        kinds = set(candidate.perturbations)
        if only is not None and only not in kinds:
            return 0.0
        if len(kinds) < 2 or not kinds & set(CONTRADICTION_KINDS):
            return 0.0
        return (
            sum(KIND_WEIGHTS[k] * (1.0 if counts[k] < self.min_per_kind else 0.1) for k in kinds)
            + self.rng(candidate.story, "tie").random() * 0.01
        )

    def _done(self, counts: Counter[str], selected: int) -> bool:
        return selected >= self.target and all(counts[k] >= self.min_per_kind for k in CONTRADICTION_KINDS)

    def run(self, progress: bool = True) -> Generation:
        selected: list[Candidate] = []
        counts: Counter[str] = Counter()
        used: set[int] = set()
        started = time.perf_counter()

        def take(stories: list[Story], only: str | None, stop: Any) -> None:
            for i in range(0, len(stories), STORY_BATCH):
                if stop():
                    return
                batch = [s for s in stories[i : i + STORY_BATCH] if s.newid not in used]
                for story, found in self.candidates(batch):
                    if stop():
                        return
                    scored = [(self._value(c, counts, only), c) for c in found]
                    scored = [(v, c) for v, c in scored if v > 0]
                    if not scored:
                        continue
                    _, best = max(scored, key=lambda vc: vc[0])
                    selected.append(best)
                    used.add(story.newid)
                    self.seen_sentences.add(best.normalised)
                    counts.update(list(best.perturbations))
                if progress:
                    print(
                        f"  read {self.stories_read} stories, kept {len(selected)} sentences "
                        f"({', '.join(f'{k} {counts[k]}' for k in CONTRADICTION_KINDS)}), "
                        f"{time.perf_counter() - started:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )

        # Deal stories first, for "A acquired B" sentences, until roles has its quota; then the rest.
        take(self.deals, "roles", lambda: counts["roles"] >= self.min_per_kind * 1.1)
        rest = [s for s in self.deals + self.others if s.newid not in used]
        rest.sort(key=lambda s: _order_key(self.seed, s.newid))
        take(rest, None, lambda: self._done(counts, len(selected)))
        for candidate in selected:  # actors come from every story read, so they are chosen last
            actor = perturb_actor(
                candidate.claim_doc,
                self.rng(candidate.story, "actor"),
                self.pool,
                candidate.story.body,
                candidate.story.doc_id,
            )
            if actor is not None:
                candidate.perturbations["actor"] = actor
        selected.sort(key=lambda c: c.story.newid)
        return Generation(selected, self.stories_read, self.sentences_seen, self.skipped)


def records_of(generation: Generation, seed: int) -> list[dict[str, Any]]:
    """The dataset lines: the faithful claim and each perturbation of every selected sentence."""
    out = []
    for candidate in generation.selected:
        story = candidate.story
        base = {
            "doc_id": story.doc_id,
            "newid": story.newid,
            "title": story.title,
            "published": story.published,
            "start": candidate.start,
            "end": candidate.end,
            "sentence": candidate.sentence,
            "split": split_of(story.doc_id),
            "seed": seed,
        }
        claims = [("faithful", candidate.faithful.claim, {"dropped": ", ".join(candidate.faithful.dropped)})]
        claims += [
            (p.kind, p.claim, p.change) for k in PERTURBATION_KINDS if (p := candidate.perturbations.get(k))
        ]
        for kind, claim, change in claims:
            out.append(
                {
                    "id": f"{story.doc_id}:{kind}",
                    "kind": kind,
                    "contradiction": kind in CONTRADICTION_KINDS,
                    "claim": claim,
                    "change": change,
                    "faithful": candidate.faithful.claim,
                    **base,
                }
            )
    return out


def generate(
    dataset: Path, seed: int, sentences: int, min_per_kind: int, progress: bool = True
) -> tuple[list[dict[str, Any]], Generation]:
    from corpus.nlp import load_pipeline

    nlp = load_pipeline()
    generator = Generator(nlp, load_stories(dataset), load_dev_ids(), seed, sentences, min_per_kind)
    generation = generator.run(progress)
    return records_of(generation, seed), generation


def write_dataset(records: Iterable[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_dataset(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def verify_spans(records: Sequence[dict[str, Any]], stories: dict[int, Story]) -> None:
    """Every record's [start, end) must slice its sentence out of the raw story body."""
    for record in records:
        body = stories[record["newid"]].body
        if _norm(body[record["start"] : record["end"]]) != _norm(record["sentence"]):
            raise SystemExit(f"{record['id']}: the span does not slice its sentence out of the story body")


# -- reporting the dataset -------------------------------------------------------------------------


def print_counts(records: Sequence[dict[str, Any]]) -> None:
    by = Counter((r["kind"], r["split"]) for r in records)
    stories = {r["doc_id"] for r in records}
    print(f"{len({(r['doc_id'], r['start']) for r in records})} sentences from {len(stories)} stories")
    print(f"{'kind':<12}{'tune':>7}{'report':>8}{'all':>7}")
    for kind in KINDS:
        tune, report = by[(kind, "tune")], by[(kind, "report")]
        print(f"{kind:<12}{tune:>7}{report:>8}{tune + report:>7}")


def show_examples(records: Sequence[dict[str, Any]], n: int, seed: int) -> None:
    """``n`` random claims of each kind with their sentence, for checking by hand."""
    rng = random.Random(f"{seed}:show")
    for kind in KINDS:
        pool = [r for r in records if r["kind"] == kind]
        print(f"\n=== {kind} ({len(pool)}) ===")
        for record in rng.sample(pool, min(n, len(pool))):
            print(f"[{record['id']}] {record['split']}")
            print(f"  sentence: {_norm(record['sentence'])}")
            if kind != "faithful":
                print(f"  faithful: {record['faithful']}")
            print(f"  claim:    {record['claim']}")
            print(f"  change:   {record['change']}")


# -- scoring over HTTP -----------------------------------------------------------------------------


def post(base: str, path: str, body: dict[str, Any], timeout: float) -> tuple[int, Any]:
    """POST JSON; (status, decoded body). Status 0 when the service cannot be reached."""
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    key = os.environ.get("CLAIMCHECK_API_KEY")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
        return 0, str(error)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def ingest(base: str, stories: Sequence[Story], timeout: float) -> list[str]:
    """Post every story under ``reuters-<newid>``; the errors, if any."""
    errors = []
    started = time.perf_counter()
    for n, story in enumerate(stories, 1):
        body: dict[str, Any] = {
            "id": story.doc_id,
            "text": story.body,
            "format": "text",
            "title": story.title,
        }
        if story.published:
            body["published"] = story.published
        status, payload = post(base, "/v1/documents", body, timeout)
        if status not in (200, 201):
            errors.append(f"{story.doc_id}: HTTP {status} {str(payload)[:160]}")
            if status == 0:
                break  # the service is not there: no point in posting the rest
        if n % 100 == 0 or n == len(stories):
            print(
                f"  ingested {n}/{len(stories)} ({time.perf_counter() - started:.0f} s, {len(errors)} errors)"
            )
    return errors


def holds(items: Any, doc_id: str, start: int, end: int) -> bool:
    """Whether a list of answer items holds the sentence: a source of the story overlapping its span."""
    for item in items or []:
        for source in item.get("sources") or []:
            s, e = source.get("start"), source.get("end")
            if (
                source.get("document_id") == doc_id
                and isinstance(s, int)
                and isinstance(e, int)
                and min(e, end) - max(s, start) > 0
            ):
                return True
    return False


def _refuting(items: Any, doc_id: str, start: int, end: int) -> bool:
    return any(item.get("stance") == "refutes" and holds([item], doc_id, start, end) for item in items or [])


@dataclass(slots=True)
class Outcome:
    record: dict[str, Any]
    status: int
    in_evidence: bool = False
    in_contradicting: bool = False
    refutes: bool = False
    evidence: list[dict[str, Any]] = field(default_factory=list)
    contradicting: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        kind = self.record["kind"]
        if self.status != 200:
            return True
        if kind == "faithful":
            return not self.in_evidence
        if self.in_evidence:
            return True
        return self.record["contradiction"] and not self.in_contradicting


def check_all(base: str, records: Sequence[dict[str, Any]], timeout: float) -> list[Outcome]:
    outcomes = []
    started = time.perf_counter()
    for n, record in enumerate(records, 1):
        status, payload = post(
            base, "/v1/claims/check", {"claim": record["claim"], "limit": CHECK_LIMIT}, timeout
        )
        outcome = Outcome(record, status)
        if status == 200 and isinstance(payload, dict):
            evidence = payload.get("evidence") or []
            contradicting = payload.get("contradicting") or []
            span = (record["doc_id"], record["start"], record["end"])
            outcome.in_evidence = holds(evidence, *span)
            outcome.in_contradicting = holds(contradicting, *span)
            outcome.refutes = _refuting(evidence, *span)
            outcome.evidence, outcome.contradicting = evidence, contradicting
        outcomes.append(outcome)
        if status == 0:
            break  # unreachable: the caller reports it
        if n % 250 == 0 or n == len(records):
            print(f"  checked {n}/{len(records)} claims ({time.perf_counter() - started:.0f} s)")
    return outcomes


def _share(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n else None


def figures_of(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Per kind and split: n, in_evidence, in_contradicting, refutes_in_evidence (counts and shares)."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        kind = outcome.record["kind"]
        groups[kind].append(outcome)
        if kind != "faithful":
            groups["perturbed"].append(outcome)
        if outcome.record["contradiction"]:
            groups["contradiction"].append(outcome)
    out: dict[str, Any] = {}
    for name in (*KINDS, "perturbed", "contradiction"):
        out[name] = {}
        for split in ("tune", "report", "all"):
            chosen = [o for o in groups.get(name, []) if split == "all" or o.record["split"] == split]
            n = len(chosen)
            evidence = sum(o.in_evidence for o in chosen)
            contradicting = sum(o.in_contradicting for o in chosen)
            refutes = sum(o.refutes for o in chosen)
            out[name][split] = {
                "n": n,
                "in_evidence": evidence,
                "in_evidence_share": _share(evidence, n),
                "in_contradicting": contradicting,
                "in_contradicting_share": _share(contradicting, n),
                "refutes_in_evidence": refutes,
                "http_errors": sum(o.status != 200 for o in chosen),
            }
    out["targets"] = {
        split: {
            "faithful_in_evidence": _target(
                out["faithful"][split]["in_evidence_share"], TARGET_FAITHFUL, True
            ),
            "perturbed_in_evidence": _target(
                out["perturbed"][split]["in_evidence_share"], TARGET_PERTURBED, False
            ),
            "contradiction_in_contradicting": _target(
                out["contradiction"][split]["in_contradicting_share"], TARGET_CONTRADICTING, True
            ),
        }
        for split in ("tune", "report", "all")
    }
    return out


def _target(share: float | None, target: float, at_least: bool) -> dict[str, Any]:
    met = share is not None and (share >= target if at_least else share <= target)
    return {"share": share, "target": (">= " if at_least else "<= ") + str(target), "met": met}


def print_table(figures_: dict[str, Any]) -> None:
    def cell(entry: dict[str, Any], key: str) -> str:
        share = entry[f"{key}_share"]
        return f"{share:6.3f} ({entry[key]:>3})" if share is not None else f"{'-':>12}"

    print(
        f"\n{'kind':<14}{'split':<8}{'n':>5}  {'in evidence':>12}  {'in contradicting':>16}  {'refutes*':>8}"
    )
    for name in (*KINDS, "perturbed", "contradiction"):
        for split in ("tune", "report", "all"):
            entry = figures_[name][split]
            label = name if split == "tune" else ""
            print(
                f"{label:<14}{split:<8}{entry['n']:>5}  {cell(entry, 'in_evidence'):>12}  "
                f"{cell(entry, 'in_contradicting'):>16}  {entry['refutes_in_evidence']:>8}"
            )
    print("  * refutes: the sentence is in evidence with stance 'refutes' (information only)")
    print(
        "\ntargets: faithful in evidence >= 0.95; perturbed in evidence <= 0.05; "
        "figure/direction/roles/negation in contradicting >= 0.80"
    )
    for split in ("tune", "report", "all"):
        marks = ", ".join(
            f"{name} {t['share'] if t['share'] is not None else '-'} {'met' if t['met'] else 'SHORT'}"
            for name, t in figures_["targets"][split].items()
        )
        print(f"  {split:<7}{marks}")


def _describe(item: dict[str, Any]) -> str:
    sources = ",".join(
        f"{s.get('document_id')}:{s.get('start')}-{s.get('end')}" for s in (item.get("sources") or [])[:3]
    )
    stance = f" stance={item['stance']}" if "stance" in item else ""
    return f"{item.get('score')!s:>6.6}{stance} [{sources}] {_norm(item.get('sentence', ''))[:140]}"


def print_failures(outcomes: Sequence[Outcome], per_kind: int) -> None:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.failed:
            by_kind[outcome.record["kind"]].append(outcome)
    for kind in KINDS:
        failures = by_kind.get(kind, [])
        if not failures:
            continue
        print(
            f"\n--- {kind}: {len(failures)} failing"
            + (f" (first {per_kind})" if len(failures) > per_kind else "")
        )
        for outcome in failures[:per_kind]:
            record = outcome.record
            why = (
                f"HTTP {outcome.status}"
                if outcome.status != 200
                else "sentence not in evidence"
                if kind == "faithful"
                else "sentence in evidence"
                if outcome.in_evidence
                else "sentence not in contradicting"
            )
            print(f"[{record['id']}] {record['split']} {why}  change={record['change']}")
            print(f"    claim:    {record['claim']}")
            print(f"    sentence: {_norm(record['sentence'])}")
            for item in outcome.evidence[:3]:
                print(f"    evidence      {_describe(item)}")
            for item in outcome.contradicting[:3]:
                print(f"    contradicting {_describe(item)}")


# -- command line ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--url", default=os.environ.get("URL") or "http://127.0.0.1:8000", help="the running service"
    )
    ap.add_argument("--reuters", type=Path, default=DEFAULT_DATASET, help="reuters21578.jsonl")
    ap.add_argument("--dataset", type=Path, help="a generated dataset to reuse (skips generation)")
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where a generated dataset goes ({DEFAULT_OUT})"
    )
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument(
        "--sentences", type=int, default=DEFAULT_SENTENCES, help="sentences to keep, one per story"
    )
    ap.add_argument(
        "--min-per-kind",
        type=int,
        default=DEFAULT_MIN_PER_KIND,
        help="keep reading stories until each contradiction kind has this many claims",
    )
    ap.add_argument("--generate-only", action="store_true", help="write the dataset and stop")
    ap.add_argument(
        "--show",
        type=int,
        default=0,
        metavar="N",
        help="print N random claims of each kind for checking by hand, and stop",
    )
    ap.add_argument("--distractors", type=int, default=0, help="also ingest N other stories (seeded)")
    ap.add_argument("--no-ingest", action="store_true", help="the stories are already in the service")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per HTTP request")
    ap.add_argument("--verbose", action="store_true", help="list failing claims with what came back")
    ap.add_argument("--failures", type=int, default=25, help="failures listed per kind with --verbose")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args(argv)

    stories = {s.newid: s for s in load_stories(args.reuters)}
    if args.dataset:
        records = read_dataset(args.dataset)
        print(f"dataset {args.dataset}: {len(records)} claims")
    else:
        print(f"generating from {args.reuters} (seed {args.seed}) ...")
        started = time.perf_counter()
        records, generation = generate(args.reuters, args.seed, args.sentences, args.min_per_kind)
        write_dataset(records, args.out)
        print(
            f"read {generation.stories_read} stories, {generation.sentences_seen} sentences in "
            f"{time.perf_counter() - started:.0f} s; wrote {len(records)} claims to {args.out}"
        )
        print("sentences skipped: " + ", ".join(f"{k} {v}" for k, v in generation.skipped.most_common(12)))
    verify_spans(records, stories)
    dev = load_dev_ids()
    if any(r["newid"] in dev for r in records):
        raise SystemExit("the dataset holds a development-subset story")
    print_counts(records)
    if args.show:
        show_examples(records, args.show, args.seed)
    if args.generate_only or args.show:
        return 0

    base = args.url.rstrip("/")
    sources = sorted({r["newid"] for r in records})
    posted = [stories[i] for i in sources]
    if args.distractors:
        taken = set(sources)
        rest = [s for s in stories.values() if s.newid not in dev and s.newid not in taken]
        rest.sort(key=lambda s: _order_key(args.seed + 1, s.newid))
        posted += rest[: args.distractors]
    if not args.no_ingest:
        print(f"ingesting {len(posted)} stories into {base}")
        errors = ingest(base, posted, args.timeout)
        for error in errors[:10]:
            print(f"  ingest error {error}")
        if errors:
            # A story missing from the index would count as a miss for every claim made from it.
            print(f"{len(errors)} of {len(posted)} stories could not be ingested: no figures")
            return 1
    outcomes = check_all(base, records, args.timeout)
    if outcomes and outcomes[-1].status == 0:
        print(f"the service stopped answering after {len(outcomes) - 1} claims: no figures")
        return 1
    result = figures_of(outcomes)
    print_table(result)
    if args.verbose:
        print_failures(outcomes, args.failures)
    if args.json:
        args.json.write_text(json.dumps({"url": base, "claims": len(records), "figures": result}, indent=2))
        print(f"figures written to {args.json}")
    errors_http = sum(o.status != 200 for o in outcomes)
    if errors_http:
        print(f"HTTP errors: {errors_http} (counted as failures)")
    return 1 if errors_http else 0


if __name__ == "__main__":
    sys.exit(main())
