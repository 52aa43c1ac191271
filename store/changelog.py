"""The change log: which paragraph ids each write added or removed, numbered by generation.

The FAISS index is a derived cache of the store's paragraph vectors. It records the generation it
reflects; on start-up, after a crash, or when another worker process has written to the same data
directory, it replays the entries after that generation instead of re-embedding anything. Entries
are written inside the same transaction as the rows they describe, so the log never disagrees with
the tables. The log is kept whole: any worker can catch up from any generation (a few bytes a
paragraph).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from store.connection import Database

Op = Literal["add", "remove"]


@dataclass(frozen=True, slots=True)
class IndexChange:
    generation: int
    op: Op
    paragraph_id: int


def record(conn: sqlite3.Connection, op: Op, paragraph_ids: Sequence[int]) -> None:
    """Log ``op`` for each paragraph id, inside the caller's transaction."""
    conn.executemany(
        f"INSERT INTO index_log (op, paragraph_id) VALUES ('{op}', ?)", [(i,) for i in paragraph_ids]
    )


def generation_of(conn: sqlite3.Connection) -> int:
    """The newest generation committed (0 for an empty log)."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'index_log'").fetchone()
    return int(row[0]) if row else 0


class ChangeLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def generation(self) -> int:
        return generation_of(self._db.conn())

    def since(self, generation: int) -> list[IndexChange]:
        """Entries after ``generation``, oldest first."""
        rows = self._db.conn().execute(
            "SELECT generation, op, paragraph_id FROM index_log WHERE generation > ? ORDER BY generation",
            (generation,),
        )
        return [IndexChange(int(g), "add" if op == "add" else "remove", int(pid)) for g, op, pid in rows]
