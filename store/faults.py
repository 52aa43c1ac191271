"""Storage faults: a write the data directory cannot take, said in words, and how to recognise one.

A full disk and a read-only data directory are conditions of the machine, not bugs: a write that
meets one is rolled back whole and raised as ``StorageFull`` or ``ReadOnlyStore``, whose message a
client (and an operator reading the log) can act on, instead of SQLite's "database or disk is full"
or FAISS's "write error" surfacing as an internal error. Reads keep working in both conditions.

SQLite reports the lack of space as ``SQLITE_FULL`` when a write fails with ENOSPC, but as one of
its ``SQLITE_IOERR_*`` codes when the space runs out elsewhere (growing the shared-memory file, a
quota's EDQUOT); an I/O error on a filesystem with next to no free space left is therefore taken
for a full disk too. A quota exhausted on a disk that still has room cannot be told apart from a
real I/O error by what Python's ``sqlite3`` exposes, and stays one.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

# Below this much free space an I/O error from SQLite is taken for the disk being full: SQLite
# needs whole pages (and 32 KiB for its shared-memory file) at a time.
NEARLY_FULL_BYTES = 1 << 20

_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_SQLITE_FULL = 13
_SQLITE_IOERR = 10
_SQLITE_READONLY = 8


class StorageError(Exception):
    """A write the data directory could not take; nothing of it was kept. ``str()`` says why."""


class StorageFull(StorageError):  # noqa: N818 - a condition of the disk, named as the API maps it
    """No space (or no quota) left on the filesystem that holds the data directory."""


class StoreUnavailable(StorageError):  # noqa: N818 - a condition of the network, named as the API maps it
    """A shared store (PostgreSQL) cannot be reached right now; nothing was read or written. Worth
    retrying: the connection pool reconnects by itself once the server answers again."""


class ReadOnlyStore(StorageError):  # noqa: N818 - a condition of the data directory, likewise
    """The data directory cannot be written (a read-only mount, permissions, or configuration)."""


def free_bytes(directory: Path) -> int | None:
    """Space an unprivileged writer may still use on ``directory``'s filesystem (None if unknown)."""
    try:
        stat = os.statvfs(directory)
    except OSError:
        return None
    return stat.f_bavail * stat.f_frsize


def is_out_of_space(exc: BaseException, directory: Path) -> bool:
    """Whether ``exc`` (an ``OSError`` or an ``sqlite3.Error``) means the disk or quota is full."""
    if isinstance(exc, OSError):
        return exc.errno in _SPACE_ERRNOS
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return "disk is full" in str(exc)
        primary = int(code) & 0xFF
        if primary == _SQLITE_FULL:
            return True
        if primary == _SQLITE_IOERR:
            free = free_bytes(directory)
            return free is not None and free < NEARLY_FULL_BYTES
    return False


def is_read_only(exc: BaseException) -> bool:
    """Whether ``exc`` means the file or its directory cannot be written (as opposed to a bug)."""
    if isinstance(exc, OSError):
        return exc.errno in _READ_ONLY_ERRNOS
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        if code is None:
            return "readonly database" in str(exc)
        return int(code) & 0xFF == _SQLITE_READONLY
    return False


def full_message(directory: Path, exc: BaseException | str | None = None) -> str:
    """Why a write failed for lack of space (``exc``: the error, or the reason in words), and what
    to do about it."""
    detail = "" if exc is None else f" ({exc if isinstance(exc, str) else describe(exc)})"
    return (
        f"no space is left on the disk that holds the data directory {directory}{detail};"
        " free disk space, or delete documents, and retry"
    )


def read_only_message(directory: Path, reason: str) -> str:
    """Why writes are refused when the data directory cannot be written."""
    return (
        f"the data directory {directory} cannot be written ({reason}); this server answers checks"
        " and reads documents but stores and deletes none until it can write there again"
    )


def translate(exc: BaseException, directory: Path, what: str) -> StorageError | None:
    """The storage fault ``exc`` stands for, its message led by ``what`` was not done; None when
    ``exc`` is something else (a bug, corruption) that should surface as it is."""
    if isinstance(exc, StorageError):
        return exc
    if is_out_of_space(exc, directory):
        return StorageFull(f"{what}: {full_message(directory, exc)}")
    if is_read_only(exc):
        return ReadOnlyStore(f"{what}: {read_only_message(directory, describe(exc))}")
    return None


def describe(exc: BaseException) -> str:
    """An OS error's words without Python's errno prefix; SQLite's message as it is."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)
