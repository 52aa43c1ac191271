"""Shortcuts on the check path change no answer: each is compared with the path it replaces.

The cosine floor skips term matching for sentences that cannot be admitted; the candidate reader
reads every candidate paragraph in one query. Both are checked against the full computation on
the seed corpus and the dev claims.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import msgspec
import pytest

from claimcheck.claimcache import ClaimCache
from retrieval.support import Support, SupportPolicy

DEV_CLAIMS = Path("/work/shared/eval/seed_claims_dev.json")
SEED_CLAIMS = (
    "Azerbaijan and Armenia imposed martial law",
    "Turkey has been backing Azerbaijan's military operations",
    "Russia and Turkey agreed to closely coordinate their actions on Karabakh",
    "The fighting broke out on September 27",
    "A Turkish F-16 downed an SU-25",
    "Germany imposed sanctions on Azerbaijan",
    "Putin spoke by phone with Pashinyan and Aliyev in early November",
    "Russia's UN envoy denied that Moscow and Ankara back opposite sides",
)


def _claims() -> list[str]:
    if DEV_CLAIMS.is_file():
        return [c["claim"] for c in json.loads(DEV_CLAIMS.read_text())["claims"]]
    return list(SEED_CLAIMS)


@pytest.mark.parametrize("policy", [SupportPolicy(), SupportPolicy(min_cosine=0.2, min_cosine_named=0.5)])
def test_nothing_below_the_cosine_floor_is_admitted(policy: SupportPolicy) -> None:
    floor = policy.cosine_floor
    for cosine, named, matched, context, specific, coverage, figures in itertools.product(
        (floor - 0.2, floor - 1e-9, floor, floor + 0.3, 0.99),
        range(3),
        range(3),
        range(2),
        range(2),
        (0.0, 0.5, 1.0),
        range(2),
    ):
        support = Support(cosine, matched, named, specific, coverage, (), context, figures)
        if cosine < floor:
            assert not support.supports(policy)
    assert SupportPolicy().cosine_floor == min(SupportPolicy().min_cosine, SupportPolicy().min_cosine_named)


def test_the_cosine_floor_changes_no_answer(seeded_checker, monkeypatch) -> None:
    checker = seeded_checker
    monkeypatch.setattr(checker, "claim_cache", ClaimCache(0))

    def answers() -> list[bytes]:
        return [msgspec.json.encode(checker.check(claim)) for claim in _claims()]

    def every_verdict() -> list[tuple[str, int, str]]:
        return [
            (v.sentence.text, v.candidate.position, v.verification.verdict)
            for claim in _claims()
            for v in checker.verify_all(claim)
        ]

    fast = answers(), every_verdict()
    monkeypatch.setattr(SupportPolicy, "cosine_floor", property(lambda self: -2.0))
    slow = answers(), every_verdict()
    assert fast == slow
    assert any(b'"evidence":[{' in answer for answer in fast[0])  # the claims do find evidence


def test_candidate_paragraphs_are_read_whole_in_one_pass(seeded_checker) -> None:
    """Every paragraph comes back with all its sentences in order and all its frames, however the
    ids are grouped, and a paragraph read with others is the same as read alone."""
    store = seeded_checker.indexes.store
    conn = store._db.conn()
    ids = store.paragraph_ids()
    together = store.paragraphs(list(reversed(ids)) + ids[:3] + [10**9])  # repeats, an unknown id
    assert sorted(together) == ids
    for pid in ids[:: max(1, len(ids) // 25)]:
        alone = store.paragraphs([pid])[pid]
        assert _same(alone, together[pid])
        sentence_rows = conn.execute(
            "SELECT id, text FROM sentences WHERE paragraph_id = ? ORDER BY idx", (pid,)
        ).fetchall()
        assert [(s.id, s.text) for s in alone.sentences] == [tuple(r) for r in sentence_rows]
        frame_count = conn.execute("SELECT COUNT(*) FROM frames WHERE paragraph_id = ?", (pid,)).fetchone()[0]
        assert len(alone.frames) == frame_count
        head = conn.execute(
            "SELECT document_id, idx, start, end FROM paragraphs WHERE id = ?", (pid,)
        ).fetchone()
        assert (alone.document_id, alone.index, alone.start, alone.end) == tuple(head)
    assert any(p.frames for p in together.values())


def _same(a, b) -> bool:
    """Equal but for the vectors' identity (numpy arrays do not compare with ==)."""
    return (
        [(s.id, s.text, s.terms, s.agencies, s.structure_json, s.vector.tobytes()) for s in a.sentences]
        == [(s.id, s.text, s.terms, s.agencies, s.structure_json, s.vector.tobytes()) for s in b.sentences]
        and a.frames == b.frames
        and a.context == b.context
    )


def test_the_source_a_claim_names_gives_the_first_evidence(make_checker) -> None:
    """ "According to X, Y": of the sentences that support Y, the one X says comes first, whatever
    the ranking put before it."""
    from claimcheck.requests import Submission

    checker = make_checker()
    checker.ingest(
        Submission(
            text="Vestrian copper output rose 12 pct in March to 40,000 tonnes, Harbin Mining said.",
            id="harbin",
        )
    )
    checker.ingest(
        Submission(
            text="Officials of the Kestrel Institute said Vestrian copper output was up 12 pct in March.",
            id="kestrel",
        )
    )
    result = checker.check(
        "According to the Kestrel Institute, Vestrian copper output rose 12 percent in March"
    )
    assert len(result.evidence) == 2
    first = result.evidence[0]
    assert first.sources[0].document_id == "kestrel"
    assert first.match is not None and first.match.speaker is not None and first.match.speaker.agrees
