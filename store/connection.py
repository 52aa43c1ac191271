"""SQLite connections: one per thread for reads (WAL lets them run beside a write), one writer at a
time in this process, and ``BEGIN IMMEDIATE`` so that writers in other processes queue rather than
fail half-way."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from store.schema import migrate


class Database:
    """The store's file and its per-thread connections. Opening migrates an older file in place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        conn = self.conn()
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (created on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
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
        with self._write_lock:
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
            self._local.prepared = set()
