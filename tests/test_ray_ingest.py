"""Bulk ingest through the Ray Data pipeline (``claimcheck.cluster``) against the ordinary path.

A real local Ray instance (two CPUs: one spaCy actor, one encoder actor) ingests a JSON Lines file
and a Parquet file with the same documents; the stored documents, the per-line outcomes and the
answers to claims must be those of the single-process ``LocalBackend`` over the same lines. The
lines include every kind of bad line, each of which must fail alone and be named.
"""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest
from typer.testing import CliRunner

from claimcheck.backends import Ingested, LocalBackend
from claimcheck.cli import State, app
from claimcheck.inputs import Failure, read
from tests.conftest import SEEDS_DIR

CLAIMS = (
    "The port authority signed a lease",
    "Officials said the bridge would reopen on Friday",
    "Factory output rose in February",
)

EXTRA = [
    {
        "id": "wire-001",
        "text": "Officials said the bridge over the river Meuse would reopen on Friday after repairs.",
        "title": "Bridge to reopen",
        "outlet": "Example Wire",
        "published": "2024-03-05",
    },
    {
        "id": "wire-003",
        "text": "Factory output rose 2 percent in February, the statistics office said.",
        "outlet": "Example Wire",
        "published": "March 8, 2024",
    },
]


@pytest.fixture(scope="module")
def ray_local():
    """A real Ray instance on this machine for the module, stopped after it."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


def _good_documents() -> list[dict[str, str]]:
    seeds = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(SEEDS_DIR.glob("*.txt"))]
    return seeds[:3] + EXTRA


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """Good documents with bad lines between them: not JSON, an unreadable date, nothing to index,
    an unknown field, a blank line and a line that is not UTF-8."""
    good = [json.dumps(d).encode() for d in _good_documents()]
    bad_date = json.dumps(
        {"id": "wire-002", "text": "The airline cancelled 40 flights.", "published": "yesterday"}
    )
    lines = [
        good[0],
        b"{not json",
        good[1],
        bad_date.encode(),
        b"",
        good[2],
        json.dumps({"id": "wire-004", "text": "!!! ???"}).encode(),
        json.dumps({"id": "x", "text": "A sentence.", "colour": "red"}).encode(),
        "Caf\u00e9 owners protest.".encode("latin-1"),
        good[3],
        good[4],
    ]
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _options(tmp_path: Path, onnx_cache: Path):
    from claimcheck.cluster import RayOptions
    from claimcheck.settings import Settings

    return RayOptions(settings=Settings(data_dir=tmp_path, seeds_dir=None, model_cache=onnx_cache))


def _ray_ingest(checker, files: list[Path], options, rows: int = 2) -> list:
    from claimcheck.cluster import ingest
    from claimcheck.shards import plan

    # Pieces of two lines: several blocks in flight, so input order has to be restored.
    return list(ingest(checker, plan(files, rows), options))


def _ordinary(checker, path: Path) -> list[tuple]:
    """The single-process path, as ``claimcheck ingest`` runs it: read failures, then the backend's
    outcomes; in line order."""
    entries = list(read([path]))
    items = [e for e in entries if not isinstance(e, Failure)]
    outcomes = [_outcome(e) for e in entries if isinstance(e, Failure)]
    outcomes += [_outcome(o) for o in LocalBackend(checker, 2_000_000, owned=False).ingest(items)]
    return sorted(outcomes, key=lambda o: int(o[1].rsplit(":", 1)[1]))


def _outcome(outcome) -> tuple:
    if isinstance(outcome, Ingested):
        return ("ingested", outcome.label, outcome.receipt)
    assert isinstance(outcome, Failure)
    return ("failed", outcome.label, outcome.reason)


def _documents(checker) -> dict[str, dict]:
    items, _ = checker.documents(0, 100)
    views = {}
    for item in items:
        view = msgspec.to_builtins(checker.document(item.id))
        view.pop("ingested_at", None)
        views[item.id] = view
    return views


def _answers(checker) -> list:
    """What a check returns, scores rounded (the encoder's batches differ between the two paths)."""
    out = []
    for claim in CLAIMS:
        result = msgspec.to_builtins(checker.check(claim))
        out.append(
            [
                (e["sentence"], e["stance"], round(e["score"], 4), [s["document_id"] for s in e["sources"]])
                for e in result["evidence"] + result["contradicting"]
            ]
        )
    return out


def test_jsonl_through_ray_is_the_ordinary_ingest(ray_local, make_checker, onnx_cache, feed, tmp_path):
    ordinary = make_checker()
    expected = _ordinary(ordinary, feed)
    on_ray = make_checker()
    got = [_outcome(o) for o in _ray_ingest(on_ray, [feed], _options(tmp_path, onnx_cache))]

    # Every document line is told of once, in file order, with the same receipt or reason.
    assert got == expected
    failed = {label.rsplit(":", 1)[1]: reason for kind, label, reason in got if kind == "failed"}
    assert set(failed) == {"2", "4", "7", "8", "9"}
    assert "not valid JSON" in failed["2"] and "published" in failed["4"]
    assert "no searchable sentence" in failed["7"] and "colour" in failed["8"] and "UTF-8" in failed["9"]
    assert sum(kind == "ingested" for kind, _, _ in got) == len(_good_documents())

    documents = _documents(on_ray)
    assert set(documents) == {d["id"] for d in _good_documents()}
    assert documents == _documents(ordinary)
    assert _answers(on_ray) == _answers(ordinary)
    assert any(_answers(on_ray)), "the claims find evidence"
    assert on_ray.stats().paragraphs == ordinary.stats().paragraphs


def test_parquet_through_ray_gives_the_same_documents(ray_local, make_checker, onnx_cache, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _good_documents()
    bad = {"id": "wire-002", "text": "The airline cancelled 40 flights.", "published": "yesterday"}
    rows = [*rows[:2], bad, *rows[2:]]
    columns = ("id", "text", "title", "outlet", "published")
    table = pa.table({name: pa.array([r.get(name) for r in rows], pa.string()) for name in columns})
    path = tmp_path / "feed.parquet"
    pq.write_table(table, path, row_group_size=4)  # two row groups, sliced into pieces of two rows

    from_parquet = make_checker()
    outcomes = [_outcome(o) for o in _ray_ingest(from_parquet, [path], _options(tmp_path, onnx_cache))]
    assert [label for _, label, _ in outcomes] == [f"{path}:row {n}" for n in range(1, len(rows) + 1)]
    assert [kind for kind, _, _ in outcomes] == ["ingested"] * 2 + ["failed"] + ["ingested"] * 3
    assert "published" in outcomes[2][2]

    lines = tmp_path / "same.jsonl"
    lines.write_text("\n".join(json.dumps(d) for d in _good_documents()) + "\n", encoding="utf-8")
    ordinary = make_checker()
    _ordinary(ordinary, lines)
    assert _documents(from_parquet) == _documents(ordinary)


def test_cli_ingest_on_ray(ray_local, make_checker, onnx_cache, feed):
    checker = make_checker()
    state = State(open_local=lambda: LocalBackend(checker, 2_000_000, owned=False))
    env = {"CLAIMCHECK_MODEL_CACHE": str(onnx_cache), "CLAIMCHECK_SEEDS": "", "COLUMNS": "400"}
    result = CliRunner().invoke(app, ["ingest", "--ray", str(feed)], obj=state, env=env)
    assert result.exit_code == 1, result.output  # the bad lines failed; the good ones went in
    assert f"Ingested {len(_good_documents())} documents" in result.stdout
    assert "5 failed" in result.stdout
    assert f"{feed}:2" in result.stderr
    assert {d["id"] for d in _good_documents()} <= set(_documents(checker))

    refused = CliRunner().invoke(
        app, ["ingest", "--ray", "--url", "http://127.0.0.1:9", str(feed)], obj=state
    )
    assert refused.exit_code == 2


@pytest.mark.parametrize("rows", [1, 2, 3, 64])
@pytest.mark.parametrize("ending", [b"\n", b""])
def test_pieces_read_the_lines_the_ordinary_reader_reads(tmp_path, rows, ending):
    """However a JSON Lines file is cut (blank lines and a missing last newline included), its
    pieces read back the same items and failures, with the same line numbers."""
    from claimcheck.shards import expected, plan
    from claimcheck.shards import read as read_piece

    lines = [b'{"text": "One."}', b"", b"   ", b"[1]", b'{"text": "Two."}', b"{bad", b""]
    lines.append(b'{"text": "Three."}')
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"\n".join(lines) + ending)
    pieces = plan([path], rows)
    assert expected(pieces) == 5
    assert [e for piece in pieces for e in read_piece(piece)] == list(read([path]))
