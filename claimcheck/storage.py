"""The data directory, before the store and index are opened: created private, tested for whether
it can be written, cleared of what an interrupted save left behind; the store opened accordingly.

It also names the storage faults the flows raise, for the API to map (the API imports only the
application package):

- ``StorageFull``: a write or delete found no space (or quota) on the data directory's disk. It was
  rolled back whole; nothing was changed. Deleting documents may make room (see ``store.reserve``).
- ``ReadOnlyStore``: the data directory cannot be written, so the server runs read-only: checks
  and document reads work, writes are refused. ``Checker.stats().writable`` says so for /health.
- ``StoreUnavailable``: a shared (PostgreSQL) store cannot be reached just now; worth retrying.

Both derive from ``StorageError`` and carry their explanation in words as ``str(exc)``.

The directory is created 0700 because it holds the store of everything ingested, and other
secrets (an API key file) are put there: nothing in it is for other local users.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from embeddings.index import TEMP_SUFFIX, temp_name, temp_writer
from store import DocumentStore, ReadOnlyStore, StorageError, StorageFull, Store, StoreUnavailable
from store.faults import describe, full_message, is_out_of_space, is_read_only, read_only_message

log = logging.getLogger("claimcheck")

__all__ = [
    "STORE_FILENAME",
    "STORE_ID_FILENAME",
    "DataDir",
    "ReadOnlyStore",
    "StorageError",
    "StorageFull",
    "StoreUnavailable",
    "create_private",
    "open_store",
    "prepare",
    "remove_leftovers",
]

# A temp file that does not name its writer (another component's, e.g. the ONNX export's) is
# removed only once nothing has written to it for this long: it may belong to a live process.
FOREIGN_TEMP_AGE_SECONDS = 600.0
READ_ONLY_SETTING = "configured read-only (CLAIMCHECK_READ_ONLY)"
STORE_FILENAME = "store.sqlite3"
# Which shared store the data directory's index caches (``store_meta.store_id`` of a PostgreSQL store).
STORE_ID_FILENAME = "store-id"
# The index directory of ``claimcheck.sync`` (INDEX_DIRNAME), removed when it caches another store.
_INDEX_DIRNAME = "index"


@dataclass(frozen=True, slots=True)
class DataDir:
    """The data directory and whether this process may write to it (``reason`` says why not)."""

    path: Path
    writable: bool
    reason: str | None = None


def create_private(data_dir: Path) -> None:
    """Create ``data_dir`` (mode 0700; missing parents get the default mode, like ``mkdir -p``).

    An existing directory is left as it is, with a warning when other users can enter it: changing
    the mode of a directory an operator made (a mounted volume, say) is the operator's call.
    Failing to create it is not raised here: ``prepare`` finds out whether it can be written.
    """
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        mode = stat.S_IMODE(data_dir.stat().st_mode)
    except OSError:
        return
    if mode & 0o077:
        log.warning(
            "data directory %s has mode %04o: other local users can read what it holds; chmod 700 it",
            data_dir,
            mode,
        )


def prepare(data_dir: Path, read_only: bool = False) -> DataDir:
    """Create the directory if need be, find out whether it can be written, and (when it can) remove
    the temp files an interrupted save left. ``read_only`` forces read-only service."""
    if read_only:
        return DataDir(data_dir, False, READ_ONLY_SETTING)
    create_private(data_dir)
    if not data_dir.is_dir():
        return DataDir(data_dir, False, "it does not exist and cannot be created")
    reason = _unwritable_reason(data_dir)
    if reason is not None:
        return DataDir(data_dir, False, reason)
    remove_leftovers(data_dir)
    return DataDir(data_dir, True)


def _unwritable_reason(data_dir: Path) -> str | None:
    """Why ``data_dir`` cannot be written, found by creating a file in it (``os.access`` alone is
    wrong for root, whom permissions do not stop, and for filesystems that check on the server)."""
    probe = data_dir / temp_name(".write-probe")
    try:
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as exc:
        if is_read_only(exc):
            return describe(exc)
        if not is_out_of_space(exc, data_dir):  # a full disk is handled write by write
            raise
    # The store itself may be read-only in a writable directory. (An unwritable index directory
    # is not a reason to refuse writes: saving that cache is retried, and the store log covers it.)
    store = data_dir / STORE_FILENAME
    if store.exists() and not os.access(store, os.W_OK):
        return f"{STORE_FILENAME} is not writable by this user"
    return None


def remove_leftovers(data_dir: Path) -> list[Path]:
    """Remove the ``*.tmp`` files that saves interrupted by a crash (or a full disk) left in
    ``data_dir`` and below; returns what was removed, each logged.

    A temp file that names its writer (``embeddings.index.temp_name``) is kept while that process
    is alive and is another one: a worker sharing the directory may be saving right now. Any other
    temp file is kept until it is ``FOREIGN_TEMP_AGE_SECONDS`` old.
    """
    removed = []
    now = time.time()
    for path in sorted(data_dir.rglob(f"*{TEMP_SUFFIX}")):
        try:
            info = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        writer = temp_writer(path)
        if writer is not None:
            if writer != os.getpid() and _alive(writer):
                continue
        elif now - info.st_mtime < FOREIGN_TEMP_AGE_SECONDS:
            continue
        try:
            path.unlink()
        except OSError as exc:
            log.warning("could not remove leftover temp file %s: %s", path, describe(exc))
            continue
        removed.append(path)
        log.warning("removed %s (%d bytes), left by an interrupted save", path, info.st_size)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def open_store(data: DataDir, reserve_bytes: int = 0, store_url: str | None = None) -> DocumentStore:
    """The store: the SQLite file in ``data`` or, given ``store_url`` (``CLAIMCHECK_STORE_URL``), the
    shared PostgreSQL database (``open_shared_store``).

    The SQLite store is opened read-write when the directory allows it, read-only (logged) when not.
    A store that cannot even be opened for lack of space (after giving up the reserve) is served
    read-only too, its writes refused with ``StorageFull``: checks keep working, and a restart once
    there is room brings writes back.
    """
    if store_url:
        return open_shared_store(data, store_url)
    path = data.path / STORE_FILENAME
    if not data.writable:
        reason = data.reason or "not writable"
        log.warning("serving read-only: the data directory %s cannot be written (%s)", data.path, reason)
        return Store(path, read_only=True, refusal=ReadOnlyStore(read_only_message(data.path, reason)))
    try:
        return Store(path, reserve_bytes=reserve_bytes)
    except ReadOnlyStore as exc:
        log.warning("serving read-only: %s", exc)
        return Store(path, read_only=True, refusal=exc)
    except StorageFull as exc:
        log.error("serving read-only: %s", exc)
        refusal = StorageFull(
            full_message(data.path) + "; the service opened its store read-only at start-up and must be"
            " restarted once there is room"
        )
        try:
            return Store(path, read_only=True, refusal=refusal)
        except StorageError:
            raise exc from None


def open_shared_store(data: DataDir, url: str) -> DocumentStore:
    """The PostgreSQL store at ``url``, which this process shares with other replicas; ``data`` then
    holds only this replica's caches (the FAISS index, the model export).

    It is read-only only when configured so (``CLAIMCHECK_READ_ONLY``): a data directory that cannot
    be written costs the index saves (logged; the change log covers them), not the writes. A data
    directory whose index was built from another store (another database, or an SQLite store) has
    that index removed so that it is rebuilt from this store's vectors.
    """
    from store.postgres import PostgresStore

    read_only = data.reason == READ_ONLY_SETTING
    store = PostgresStore(url, read_only=read_only)
    log.info("store: %s%s", store.name, " (read-only)" if read_only else "")
    try:
        _bind_cache(data, store.meta("store_id"))
    except BaseException:
        store.close()
        raise
    return store


def _bind_cache(data: DataDir, store_id: str | None) -> None:
    """Make sure the data directory's index (if any) was built from the store ``store_id``."""
    marker = data.path / STORE_ID_FILENAME
    try:
        held = marker.read_text(encoding="utf-8").strip() if marker.is_file() else None
    except OSError:
        held = None
    if store_id is None or held == store_id:
        return
    index = data.path / _INDEX_DIRNAME
    if not data.writable:
        if index.exists():
            raise ReadOnlyStore(
                f"the index in {data.path} was not built from this store and the directory cannot be"
                " written to rebuild it: give this replica an empty or writable data directory"
            )
        return
    if index.exists():
        log.warning("the index in %s caches another store: removed, to be rebuilt from this one", data.path)
        shutil.rmtree(index)
    try:
        marker.write_text(store_id + "\n", encoding="utf-8")
    except OSError as exc:  # the index is gone, so nothing stale is replayed; noted again next start
        log.warning("could not record which store %s caches: %s", data.path, describe(exc))
