"""Connections to the PostgreSQL store: one pool per process, and what an outage looks like.

A replica whose database is out of reach (restarting, failing over, the network down) answers
``StoreUnavailable`` -- a 503 the client may retry -- instead of an internal error, and the pool
reconnects by itself once the server answers again (psycopg_pool retries with exponential backoff
from 1 s, so it is back within about as long again as the outage lasted).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors
from psycopg_pool import ConnectionPool, PoolTimeout

from store.faults import StoreUnavailable

# How long a request waits for a pooled connection (all busy, or the server unreachable) before it
# is answered ``StoreUnavailable``.
ACQUIRE_TIMEOUT_SECONDS = 2.0

Conn = psycopg.Connection[tuple[Any, ...]]


@contextmanager
def connection(pool: ConnectionPool, name: str) -> Iterator[Conn]:
    """A pooled connection; the server being out of reach comes out as ``StoreUnavailable``."""
    try:
        with pool.connection(timeout=ACQUIRE_TIMEOUT_SECONDS) as conn:
            yield conn
    except (PoolTimeout, psycopg.OperationalError) as exc:
        if isinstance(exc, errors.DiskFull | errors.OutOfMemory):
            raise
        raise StoreUnavailable(
            f"the store {name} cannot be reached ({str(exc).strip() or type(exc).__name__}); retry shortly"
        ) from exc
