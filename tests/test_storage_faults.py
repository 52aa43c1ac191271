"""A full disk and a read-only data directory: refused writes say why, nothing is half-written, the
index stays consistent with the store, deletes still work, and reads never stop.

The full disk and the read-only directory are real: as root, each test mounts a small tmpfs (and
fills it with a filler file, or remounts it read-only), and unmounts it at teardown; elsewhere
those tests are skipped. Root ignores file permissions, so ``chmod a-w`` would test nothing. The
read-only *setting* and the start-up clean-up need no root and always run.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from claimcheck.checker import Checker
from claimcheck.requests import Submission
from claimcheck.storage import ReadOnlyStore, StorageFull, prepare, remove_leftovers
from embeddings.index import temp_name
from store.faults import is_out_of_space, is_read_only, translate

ARTICLE = (
    "The city council of Brindlemoor voted on Monday to close the old ferry terminal.\n\n"
    "Council leader Anna Verhoek said the terminal had lost money for a decade."
)
PETITION = "The Brindlemoor ferry terminal will stay open after a public petition, the council said."
# Long enough that storing it needs fresh pages, whatever room the WAL has left.
LONG_ARTICLE = "\n\n".join(
    f"Harbour official number {i} of Quillfield said the new pier would open in spring, "
    f"after {i + 3} years of delays and a budget that grew by {i * 7} million crowns."
    for i in range(60)
)
FERRY_CLAIM = "Brindlemoor council voted to close the ferry terminal"
PETITION_CLAIM = "The Brindlemoor ferry terminal will stay open after a petition"
MiB = 1024 * 1024


# -- real small disks ------------------------------------------------------------------------------


@pytest.fixture
def tmpfs() -> Iterator[Callable[[str], Path]]:
    """Mount a tmpfs of the given size (as root; the test is skipped otherwise); all unmounted at
    teardown, lazily if a file on it is still open."""
    mounted: list[Path] = []

    def mount(size: str) -> Path:
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a small filesystem needs root")
        point = Path(tempfile.mkdtemp(prefix="claimcheck-tmpfs-"))
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            point.rmdir()
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], check=True)
        point.rmdir()


def _remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True, capture_output=True)


def _fill(directory: Path) -> Path:
    """Write a filler file until the filesystem has not one byte left."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    block = 1 << 16
    try:
        while block:
            try:
                os.write(fd, b"\0" * block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                block //= 2
    finally:
        os.close(fd)
    return filler


def _state(checker: Checker) -> tuple[int, int, int, list[int]]:
    store = checker.indexes.store
    return (
        store.log.generation(),
        store.document_count(),
        len(checker.indexes.index),
        store.paragraph_vectors()[0],
    )


def _found(checker: Checker, claim: str) -> set[str]:
    return {s.document_id for e in checker.check(claim).evidence for s in e.sources}


def _temp_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.tmp"))


# -- a full disk -----------------------------------------------------------------------------------


def test_ingest_on_a_full_disk_raises_storage_full_and_changes_nothing(tmpfs, encoder, nlp):
    disk = tmpfs("8m")
    checker = Checker.open(disk / "data", encoder, nlp)
    try:
        checker.ingest(Submission(text=ARTICLE, id="ferry"))
        before = _state(checker)
        filler = _fill(disk)

        with pytest.raises(StorageFull, match="no space is left") as raised:
            checker.ingest(Submission(text=LONG_ARTICLE, id="pier"))
        assert "'pier' was not stored; the store is unchanged" in str(raised.value)
        # Replacing a document on a full disk keeps the version that was there.
        with pytest.raises(StorageFull):
            checker.ingest(Submission(text=LONG_ARTICLE, id="ferry"))
        assert _state(checker) == before
        assert checker.document("pier") is None
        assert "ferry" in _found(checker, FERRY_CLAIM)
        stats = checker.stats()
        assert stats.disk_full and stats.writable and "no space" in (stats.storage or "")

        # Once there is room the same connection writes again: no transaction was left open.
        filler.unlink()
        checker.ingest(Submission(text=PETITION, id="petition"))
        assert "petition" in _found(checker, PETITION_CLAIM)
        assert not checker.stats().disk_full
    finally:
        checker.close()


def test_index_save_on_a_full_disk_loses_nothing_and_leaves_no_temp_file(tmpfs, encoder, nlp, caplog):
    disk = tmpfs("8m")
    data = disk / "data"
    checker = Checker.open(data, encoder, nlp)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.save()
    checker.ingest(Submission(text=PETITION, id="petition"))  # committed; the index file is older
    filler = _fill(disk)

    with caplog.at_level(logging.WARNING, logger="claimcheck"):
        checker.save()  # no exception: the index file is a cache of the store
        checker.close()
    assert "was not saved" in caplog.text and "No space left on device" in caplog.text
    assert _temp_files(data) == []
    assert checker.stats().disk_full

    filler.unlink()
    reopened = Checker.open(data, encoder, nlp)
    try:
        assert "petition" in _found(reopened, PETITION_CLAIM)  # replayed from the change log
        assert len(reopened.indexes.index) == len(reopened.indexes.store.paragraph_vectors()[0]) == 3
    finally:
        reopened.close()


def test_restart_and_deletes_on_a_full_disk_use_the_reserve(tmpfs, encoder, nlp, caplog):
    """A clean shutdown removes SQLite's WAL files; reopening then needs room for them, and a
    delete needs room in the WAL. The reserve file gives both, once."""
    disk = tmpfs("8m")
    data = disk / "data"
    checker = Checker.open(data, encoder, nlp, reserve_bytes=MiB)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.ingest(Submission(text=PETITION, id="petition"))
    assert (data / "store.sqlite3.reserve").stat().st_size == MiB
    checker.close()
    filler = _fill(disk)

    with caplog.at_level(logging.WARNING, logger="claimcheck"):
        reopened = Checker.open(data, encoder, nlp, reserve_bytes=MiB)
    try:
        assert reopened.stats().writable  # opened read-write, on the reserve's room
        assert _temp_files(data) == []  # the start-up index save failed and cleaned up after itself
        assert "ferry" in _found(reopened, FERRY_CLAIM)
        assert "released the space reserve" in caplog.text
        assert not (data / "store.sqlite3.reserve").exists()
        # The reserve's room is for deletes: an ingest may not take it.
        with pytest.raises(StorageFull, match="kept free for deletes"):
            reopened.ingest(Submission(text=LONG_ARTICLE, id="pier"))
        assert reopened.delete("ferry")
        assert reopened.delete("petition")
        assert reopened.stats().documents == 0 and len(reopened.indexes.index) == 0
        assert "ferry" not in _found(reopened, FERRY_CLAIM)
        # Room again: the reserve is taken back by the next ingest, which then goes through.
        filler.unlink()
        reopened.ingest(Submission(text=PETITION, id="petition"))
        assert (data / "store.sqlite3.reserve").stat().st_size == MiB
    finally:
        reopened.close()


def test_a_delete_with_no_room_at_all_raises_storage_full_and_keeps_the_document(tmpfs, encoder, nlp):
    disk = tmpfs("8m")
    data = disk / "data"
    checker = Checker.open(data, encoder, nlp)  # no reserve
    try:
        checker.ingest(Submission(text=ARTICLE, id="ferry"))
        # Empty the WAL, so that the delete must grow it.
        with sqlite3.connect(data / "store.sqlite3") as other:
            other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        before = _state(checker)
        _fill(disk)
        with pytest.raises(StorageFull, match="'ferry' was not deleted and is still stored: no space"):
            checker.delete("ferry")
        assert _state(checker) == before
        assert "ferry" in _found(checker, FERRY_CLAIM)
    finally:
        checker.close()


def test_a_store_that_cannot_open_for_lack_of_space_is_served_read_only(tmpfs, encoder, nlp):
    disk = tmpfs("8m")
    data = disk / "data"
    checker = Checker.open(data, encoder, nlp)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.close()
    _fill(disk)
    reopened = Checker.open(data, encoder, nlp)  # no reserve to give up
    try:
        stats = reopened.stats()
        assert not stats.writable and stats.disk_full and stats.mode == "read-only"
        assert "ferry" in _found(reopened, FERRY_CLAIM)
        with pytest.raises(StorageFull, match="restarted once there is room"):
            reopened.delete("ferry")
        with pytest.raises(StorageFull, match="no document was stored"):
            reopened.ingest(Submission(text=PETITION, id="petition"))
    finally:
        reopened.close()


# -- a read-only data directory --------------------------------------------------------------------


def _assert_serves_read_only(checker: Checker, reason: str) -> None:
    stats = checker.stats()
    assert (stats.writable, stats.mode, stats.disk_full) == (False, "read-only", False)
    assert reason in (stats.storage or "")
    assert "ferry" in _found(checker, FERRY_CLAIM)
    assert "petition" in _found(checker, PETITION_CLAIM)
    view = checker.document("ferry")
    assert view is not None and view.paragraphs
    assert checker.documents(0, 10)[1] == 2
    refused = r"no document was stored: the data directory .* cannot be written"
    with pytest.raises(ReadOnlyStore, match=refused):
        checker.ingest(Submission(text=LONG_ARTICLE, id="pier"))
    with pytest.raises(ReadOnlyStore, match="'ferry' was not deleted and is still stored"):
        checker.delete("ferry")
    assert "ferry" in _found(checker, FERRY_CLAIM)


def _populate(data: Path, make_checker, crash: bool = False) -> None:
    """Two documents, the second newer than the saved index file (start-up must replay it). With
    ``crash`` the store stays open, so its WAL holds the second document, as after a crash."""
    checker = make_checker(data)
    checker.ingest(Submission(text=ARTICLE, id="ferry"))
    checker.save()
    checker.ingest(Submission(text=PETITION, id="petition"))
    if not crash:
        checker.indexes.store.close()


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    files = sorted(directory.rglob("*"))
    return {str(p.relative_to(directory)): (p.stat().st_size, p.stat().st_mtime_ns) for p in files}


def test_read_only_setting_serves_reads_and_writes_nothing(make_checker, encoder, nlp, tmp_path):
    data = tmp_path / "data"
    _populate(data, make_checker)
    before = _snapshot(data)
    checker = Checker.open(data, encoder, nlp, read_only=True, reserve_bytes=MiB)
    try:
        _assert_serves_read_only(checker, "configured read-only")
    finally:
        checker.close()
    # SQLite's read-only connection may create its (empty) log and shared-memory files; nothing else.
    after = _snapshot(data)
    sqlite_files = ("store.sqlite3-wal", "store.sqlite3-shm")
    assert {k: v for k, v in after.items() if k not in sqlite_files} == before
    assert after.get("store.sqlite3-wal", (0, 0))[0] == 0


def test_read_only_mount_after_a_clean_shutdown_is_served(tmpfs, encoder, nlp, make_checker):
    disk = tmpfs("16m")
    data = disk / "data"
    _populate(data, make_checker)
    checker = Checker.open(data, encoder, nlp)  # a clean shutdown checkpoints and removes the WAL
    checker.close()
    assert not (data / "store.sqlite3-wal").exists()
    _remount_read_only(disk)

    reopened = Checker.open(data, encoder, nlp, reserve_bytes=MiB)
    try:
        _assert_serves_read_only(reopened, "Read-only file system")
    finally:
        reopened.close()


def test_read_only_mount_of_a_crashed_data_dir_is_served(tmpfs, encoder, nlp, make_checker, tmp_path):
    """The files as a crash leaves them (WAL and shared memory with committed, unsaved writes),
    copied onto a filesystem then made read-only: SQLite reads the WAL without writing."""
    _populate(tmp_path / "live", make_checker, crash=True)
    assert (tmp_path / "live" / "store.sqlite3-wal").stat().st_size > 0
    disk = tmpfs("16m")
    shutil.copytree(tmp_path / "live", disk / "data")
    _remount_read_only(disk)

    reopened = Checker.open(disk / "data", encoder, nlp)
    try:
        _assert_serves_read_only(reopened, "Read-only file system")
    finally:
        reopened.close()


def test_a_read_only_model_cache_is_used_as_it_is(tmpfs, onnx_cache):
    """A model cache that cannot be written (read-only data directory, or an image's cache owned by
    another user) is loaded without the export lock."""
    from claimcheck.settings import Settings
    from claimcheck.startup import _load_encoder

    disk = tmpfs("256m")
    shutil.copytree(onnx_cache, disk / "models")
    _remount_read_only(disk)
    settings = Settings(data_dir=disk / "data", seeds_dir=None, model_cache=disk / "models")
    encoder = _load_encoder(settings)
    assert encoder.encode(["a ferry terminal"]).shape == (1, encoder.dimension)


# -- start-up: the data directory ------------------------------------------------------------------


def test_data_dir_is_created_private(tmp_path, make_checker):
    data = tmp_path / "new" / "data"
    make_checker(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_leftover_temp_files_are_removed_at_open(tmp_path, make_checker, caplog):
    data = tmp_path / "data"
    make_checker(data).close()
    index = data / "index"
    finished = subprocess.Popen(["true"])
    finished.wait()
    dead = index / f"paragraphs.7.faiss.{finished.pid}.140.tmp"  # a writer that is gone
    own = index / temp_name("paragraphs.json")  # this process, which is not saving now
    live = index / f"paragraphs.8.faiss.{os.getppid()}.140.tmp"  # another live process, saving
    old = data / "models" / ".all-MiniLM-L6-v2.onnx.k2j3.tmp"  # names no writer, long untouched
    fresh = data / "models" / ".all-MiniLM-L6-v2.onnx.x9y8.tmp"  # names no writer, just written
    old.parent.mkdir()
    for path in (dead, own, live, old, fresh):
        path.write_bytes(b"")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))

    with caplog.at_level(logging.WARNING, logger="claimcheck"):
        checker = make_checker(data)
    assert _temp_files(data) == sorted([live, fresh])
    assert "left by an interrupted save" in caplog.text and dead.name in caplog.text
    assert len(checker.indexes.index) == 0
    assert remove_leftovers(data) == []


def test_prepare_reports_a_data_dir_that_cannot_be_created(tmpfs):
    disk = tmpfs("1m")
    _remount_read_only(disk)
    data = prepare(disk / "data")
    assert not data.writable and data.reason == "it does not exist and cannot be created"


# -- recognising the faults ------------------------------------------------------------------------


def test_space_and_read_only_errors_are_recognised(tmp_path):
    assert is_out_of_space(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert is_out_of_space(OSError(errno.EDQUOT, "Disk quota exceeded"), tmp_path)
    assert not is_out_of_space(OSError(errno.EIO, "Input/output error"), tmp_path)
    assert is_read_only(OSError(errno.EROFS, "Read-only file system"))
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert is_out_of_space(full, tmp_path)
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = 4874  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    assert not is_out_of_space(io_error, tmp_path)  # this disk has room: a real I/O error
    assert translate(io_error, tmp_path, "x") is None
    enospc = OSError(errno.ENOSPC, "No space left on device")
    fault = translate(enospc, tmp_path, "document 'a' was not stored")
    assert isinstance(fault, StorageFull)
    assert str(fault).startswith("document 'a' was not stored: no space is left on the disk")
