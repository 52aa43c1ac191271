"""SQLite connections: one per thread for reads (WAL lets them run beside a write), one writer at a
time in this process, and ``BEGIN IMMEDIATE`` so that writers in other processes queue rather than
fail half-way.

A read-only database is opened with ``mode=ro`` and never migrated. A WAL database whose ``-wal``
and ``-shm`` files went away at a clean shutdown cannot be opened that way in a read-only
directory (SQLite must create the shared-memory file to read it); when no log is left to replay,
the file alone is the whole database and it is opened ``immutable`` instead.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from store.faults import ReadOnlyStore, read_only_message, translate
from store.schema import migrate, missing

log = logging.getLogger("claimcheck")


class Database:
    """The store's file and its per-thread connections. Opening migrates an older file in place,
    unless ``read_only``: then nothing is ever written, and a store that needs migrating is refused.

    Opening raises ``StorageFull`` or ``ReadOnlyStore`` when the file cannot be opened for lack of
    space or permission (the caller decides whether to retry or fall back to reading).
    """

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._immutable = False
        self._local = threading.local()
        self._write_lock = threading.Lock()
        if read_only:
            self._open_read_only()
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            conn = self.conn()
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        except (sqlite3.Error, OSError) as exc:
            self.close()
            fault = translate(exc, path.parent, f"the store {path.name} could not be opened")
            if fault is None:
                raise
            raise fault from exc

    def _open_read_only(self) -> None:
        directory = self.path.parent
        if not self.path.is_file():
            raise ReadOnlyStore(
                f"there is no store to serve: {read_only_message(directory, f'no {self.path.name} in it')}"
            )
        try:
            absent = missing(self.conn())
        except sqlite3.Error as exc:
            self.close()
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                # Immutable would ignore the log's committed writes: better to refuse than to lie.
                raise ReadOnlyStore(
                    "the store's write-ahead log cannot be read without writing: "
                    + read_only_message(directory, str(exc))
                ) from exc
            self._immutable = True
            absent = missing(self.conn())
            log.info("store %s opened immutable: its directory is read-only and no WAL is left", self.path)
        if absent:
            raise ReadOnlyStore(
                "the store was written by an older release and must be upgraded, which needs writing: "
                + read_only_message(directory, f"it lacks {', '.join(absent)}")
            )

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (created on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only:
                options = "mode=ro&immutable=1" if self._immutable else "mode=ro"
                target = f"{self.path.resolve().as_uri()}?{options}"
                conn = sqlite3.connect(target, uri=True, check_same_thread=False, isolation_level=None)
            else:
                conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 10000")
            self._local.conn = conn
            self._local.prepared = set()
        return conn

    def once_per_connection(self, name: str) -> bool:
        """True the first time ``name`` is asked about on this thread's connection (for per-connection
        set-up such as temporary tables)."""
        self.conn()
        prepared: set[str] = self._local.prepared
        if name in prepared:
            return False
        prepared.add(name)
        return True

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed whole or not at all.

        A failed ``COMMIT`` is rolled back too: after ``SQLITE_FULL`` SQLite may already have rolled
        the transaction back itself, or may leave it open, and a connection left inside a
        transaction would refuse every later ``BEGIN``.
        """
        if self.read_only:
            raise ReadOnlyStore(f"the store {self.path} is open read-only")
        with self._write_lock:
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                self._roll_back(conn)
                raise

    def _roll_back(self, conn: sqlite3.Connection) -> None:
        if not conn.in_transaction:
            return
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            # Closing a connection rolls back whatever it had open; the next call opens a fresh one.
            log.warning("rollback failed on %s; reopening the connection", self.path, exc_info=True)
            self.close()

    def checkpoint(self) -> None:
        """Copy the WAL into the database file so the next write can reuse the log from its start
        (best effort: on a full disk the copy may itself lack room)."""
        if self.read_only:
            return
        with self._write_lock, suppress(sqlite3.Error):
            self.conn().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        """Close this thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.prepared = set()
