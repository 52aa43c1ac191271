"""The shared fact-checking datasets as claim / evidence-sentence pairs, split into train / held-out.

Why one module: the training script (``training.verifier``) and any benchmark must see *exactly*
the same pairs and the same split, or held-out figures would quietly include training pairs. Every
loader returns :class:`Pair` objects labelled ``supports`` / ``refutes`` / ``neutral`` (evidence
that neither supports nor refutes the claim).

Split rules (a claim, or a group of contrastive claims, never sits on both sides):

* fever-symmetric: the v0.2 ``dev`` file trains, ``test`` is held out (the authors' own split);
* scifact-rte: ``train.tsv`` trains, ``dev.tsv`` is held out (the only labelled files shipped);
* climate-fever: 20 % of claims held out by a hash of ``claim_id``;
* covid-fact: 20 % held out by a hash of ``gold_source``; a counter-claim ("chs-cov-2") shares its
  source and evidence with the original claim, so grouping by claim text would leak the evidence;
* fnc-1: only the competition test stances are shipped; 20 % of *headlines* are held out by hash,
  ``unrelated`` pairs are dropped, ``discuss`` is neutral.

The datasets are read from ``../shared/datasets`` and never copied into the project.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

Label = Literal["supports", "refutes", "neutral"]
LABELS: Final[tuple[Label, ...]] = ("supports", "refutes", "neutral")

DATASETS_DIR: Final = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
HELDOUT_PERCENT: Final = 20

Encode = Callable[[Sequence[str]], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class Pair:
    """One claim / evidence-sentence pair with its stance label and its split group."""

    claim: str
    sentence: str
    label: Label
    group: str


@dataclass(frozen=True)
class Splits:
    """A dataset's training and held-out pairs, with the rule that separated them."""

    name: str
    train: list[Pair]
    heldout: list[Pair]
    rule: str

    @property
    def classes(self) -> tuple[Label, ...]:
        """Labels that occur in this dataset (fever-symmetric has no neutral class)."""
        present = {p.label for p in self.train} | {p.label for p in self.heldout}
        return tuple(label for label in LABELS if label in present)


def is_heldout(key: str) -> bool:
    """Deterministic 80/20 assignment by a stable hash (Python's ``hash`` is salted per process)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100 < HELDOUT_PERCENT


def _split_by_group(name: str, pairs: list[Pair], rule: str) -> Splits:
    train = [p for p in pairs if not is_heldout(p.group)]
    heldout = [p for p in pairs if is_heldout(p.group)]
    return Splits(name, train, heldout, rule)


_PTB: Final = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_SPACE_BEFORE: Final = re.compile(r" ([.,;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER: Final = re.compile(r"([(\[{$]) ")


def detokenize(text: str) -> str:
    """Undo FEVER's PTB tokenisation ("-LRB- 1990 -RRB- ." -> "(1990).") so that the pairs look like
    the prose the service indexes; the encoder and the lexical features both see ordinary text."""
    for token, char in _PTB.items():
        text = text.replace(token, char)
    text = text.replace("``", '"').replace("''", '"').replace(" -- ", " - ")
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_AFTER.sub(r"\1", text).strip()


def load_climate_fever(root: Path = DATASETS_DIR) -> Splits:
    """Every claim-evidence pair with its evidence label (not the claim's aggregate label)."""
    mapping: dict[str, Label] = {"SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "neutral"}
    pairs: list[Pair] = []
    with (root / "climate-fever" / "climate-fever.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for evidence in row["evidences"]:
                label = mapping[evidence["evidence_label"]]
                pairs.append(Pair(row["claim"], evidence["evidence"], label, f"cf:{row['claim_id']}"))
    return _split_by_group("climate-fever", pairs, "20% of claims by sha256(claim_id)")


def load_fever_symmetric(root: Path = DATASETS_DIR) -> Splits:
    """v0.2: dev trains, test is held out; both are balanced SUPPORTS / REFUTES."""
    mapping: dict[str, Label] = {"SUPPORTS": "supports", "REFUTES": "refutes"}

    def read(split: str) -> list[Pair]:
        path = root / "fever-symmetric" / "symmetric_v0.2" / f"fever_symmetric_{split}.jsonl"
        out: list[Pair] = []
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                claim, sentence = detokenize(row["claim"]), detokenize(row["evidence"])
                out.append(Pair(claim, sentence, mapping[row["label"]], f"fs:{row['id']}"))
        return out

    return Splits("fever-symmetric", read("dev"), read("test"), "v0.2 dev = train, v0.2 test = held-out")


def load_covid_fact(root: Path = DATASETS_DIR) -> Splits:
    """Each evidence sentence of a claim carries the claim's label (SUPPORTED / REFUTED)."""
    mapping: dict[str, Label] = {"SUPPORTED": "supports", "REFUTED": "refutes"}
    pairs: list[Pair] = []
    with (root / "covid-fact" / "COVIDFACT_dataset.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            for sentence in row["evidence"]:
                pairs.append(Pair(row["claim"], sentence, mapping[row["label"]], f"cv:{row['gold_source']}"))
    return _split_by_group("covid-fact", pairs, "20% of claim groups by sha256(gold_source)")


def load_scifact(root: Path = DATASETS_DIR) -> Splits:
    """RTE re-packaging: entailment = SciFact SUPPORT, not_entailment = CONTRADICT (the files hold
    only claims with SUPPORT/CONTRADICT rationales, see SOURCE.txt)."""
    mapping: dict[str, Label] = {"entailment": "supports", "not_entailment": "refutes"}

    def read(split: str) -> list[Pair]:
        out: list[Pair] = []
        with (root / "scifact-rte" / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                claim = row["sentence2"]
                out.append(Pair(claim, row["sentence1"], mapping[row["entailment"]], f"sf:{claim}"))
        return out

    return Splits("scifact-rte", read("train"), read("dev"), "train.tsv = train, dev.tsv = held-out")


_SENTENCE_END: Final = re.compile(r"(?<=[.!?\"”])\s+(?=[\"“A-Z0-9])|\n+")


def body_sentences(body: str) -> list[str]:
    """A regex sentence split, good enough to pick one sentence of a news body for training."""
    parts = (s.strip() for s in _SENTENCE_END.split(body))
    return [s for s in parts if len(s) >= 25]


def load_fnc1(encode: Encode, root: Path = DATASETS_DIR) -> Splits:
    """Headline vs. the body sentence closest to it (the service judges one sentence at a time).

    The label is the whole body's stance, so a sentence can be labelled ``agree`` while only the
    rest of the body takes the side: this dataset is noisy for a sentence-level model by design.
    """
    mapping: dict[str, Label] = {"agree": "supports", "disagree": "refutes", "discuss": "neutral"}
    folder = root / "fnc-1"
    with (folder / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as handle:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}
    with (folder / "competition_test_stances.csv").open(encoding="utf-8", newline="") as handle:
        stances = [row for row in csv.DictReader(handle) if row["Stance"] in mapping]

    sentences = {body_id: body_sentences(bodies[body_id])[:60] for body_id in {r["Body ID"] for r in stances}}
    flat = sorted({s for ss in sentences.values() for s in ss})
    headlines = sorted({r["Headline"] for r in stances})
    vectors = encode(flat + headlines)
    sentence_vec = {s: vectors[i] for i, s in enumerate(flat)}
    headline_vec = {h: vectors[len(flat) + i] for i, h in enumerate(headlines)}

    pairs: list[Pair] = []
    for row in stances:
        candidates = sentences[row["Body ID"]]
        if not candidates:
            continue
        matrix = np.stack([sentence_vec[s] for s in candidates])
        best = candidates[int(np.argmax(matrix @ headline_vec[row["Headline"]]))]
        pairs.append(Pair(row["Headline"], best, mapping[row["Stance"]], f"fnc:{row['Headline']}"))
    return _split_by_group("fnc-1", pairs, "20% of headlines by sha256(headline); unrelated dropped")


def load_all(encode: Encode, root: Path = DATASETS_DIR) -> list[Splits]:
    """All five datasets, in a fixed order (the order of the benchmark table)."""
    return [
        load_climate_fever(root),
        load_fever_symmetric(root),
        load_covid_fact(root),
        load_scifact(root),
        load_fnc1(encode, root),
    ]


class VectorCache:
    """Memoises encoder calls across runs (training and benchmark encode the same ~40k texts).

    Why: encoding the five datasets takes minutes on two CPU cores, while fitting takes seconds; the
    cache lives outside the project (``$TMPDIR/claimcheck-stance-cache``) and is keyed by the exact
    text, so a changed loader simply misses and re-encodes.
    """

    def __init__(self, encode: Encode, path: Path | None = None) -> None:
        import tempfile

        self._encode = encode
        self._path = path or Path(tempfile.gettempdir()) / "claimcheck-stance-cache" / "vectors.npz"
        self._vectors: dict[str, npt.NDArray[np.float32]] = {}
        if self._path.exists():
            with np.load(self._path, allow_pickle=False) as stored:
                texts = [str(t) for t in stored["texts"]]
                self._vectors = dict(zip(texts, stored["vectors"].astype(np.float32), strict=True))

    def __call__(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            fresh = self._encode(missing)
            self._vectors.update(zip(missing, fresh, strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32)

    def save(self) -> None:
        """Write the cache as float32, bit-identical to a fresh encode (~60 MB for the five datasets)."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        texts = list(self._vectors)
        matrix = np.stack([self._vectors[t] for t in texts]).astype(np.float32)
        np.savez(self._path, texts=np.array(texts, dtype=np.str_), vectors=matrix)
