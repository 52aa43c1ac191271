"""Which encoder made a data directory's vectors, so a query is never compared with another's.

Why: stored paragraph and sentence vectors are compared with the claim's vector by cosine, against
thresholds calibrated in one vector space. fp32 and int8 MiniLM vectors of one text differ by up to
~0.01 in cosine, so a store filled with one and searched with the other would answer subtly
differently, with no error. The store records the space of its vectors (``store_meta``,
key ``vector_space``) when its first vectors are written, and opening it with an encoder of another
space is refused with what to do instead.

Stores written before the record existed hold fp32 vectors (every earlier encoder was fp32) and are
recorded as such when first opened writable. An empty store takes the space of whatever encoder
opens it.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from claimcheck.storage import STORE_FILENAME
from embeddings.backends import backend_for_space
from embeddings.encoder import FP32_SPACE
from store import DocumentStore, StorageError

log = logging.getLogger("claimcheck")

KEY = "vector_space"
# Stores filled before the space was recorded: every encoder then computed fp32 MiniLM.
UNRECORDED = FP32_SPACE


class EncoderMismatchError(RuntimeError):
    """The data directory's vectors were made by another encoder than the one given."""


def _named(space: str) -> str:
    backend = backend_for_space(space)
    if backend == "onnx":
        return f"{space} (CLAIMCHECK_ENCODER=onnx or torch)"
    return f"{space} (CLAIMCHECK_ENCODER={backend})" if backend else f"{space} (no encoder of this release)"


def mismatch(data_dir: Path, held: str, space: str) -> EncoderMismatchError:
    """The refusal to search ``held`` vectors with an encoder of ``space``, saying what to do."""
    return EncoderMismatchError(
        f"the data directory {data_dir} holds vectors made by {_named(held)}, but the encoder "
        f"configured is {_named(space)}: its query vectors would be compared with vectors of "
        "another precision. Leave CLAIMCHECK_ENCODER unset to use the data directory's own "
        "encoder, set it to match, or ingest the documents again into a new data directory."
    )


def stored_space(store: DocumentStore) -> str | None:
    """The space of ``store``'s vectors; None for a store without any."""
    if not store.has_paragraphs():
        return None
    return store.meta(KEY) or UNRECORDED


def bind(store: DocumentStore, space: str, data_dir: Path) -> None:
    """Refuse ``store`` unless its vectors are in ``space`` (or it has none); record ``space`` when
    the store can be written and does not already say so."""
    held = stored_space(store)
    if held is not None and held != space:
        raise mismatch(data_dir, held, space)
    if store.writable and store.meta(KEY) != space:
        try:
            store.set_meta(KEY, space)
        except StorageError as exc:  # a full disk: served anyway (deletes must work), recorded next time
            log.warning("the encoder of the data directory's vectors was not recorded: %s", exc)


def peek(data_dir: Path, store_url: str | None = None) -> str | None:
    """The space of the vectors in ``data_dir`` (or in the shared store at ``store_url``) without
    opening the store (no migration, no writes): what start-up reads to pick the encoder before
    loading it. None when there is no store, no vector, or it cannot be read here (opening it
    later says why)."""
    if store_url:
        from store.postgres import peek_meta

        found = peek_meta(store_url, KEY)
        if found is None or not found[0]:
            return None
        return found[1] or UNRECORDED
    path = data_dir / STORE_FILENAME
    if not path.is_file():
        return None
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            if conn.execute("SELECT 1 FROM paragraphs LIMIT 1").fetchone() is None:
                return None
            try:
                row = conn.execute("SELECT value FROM store_meta WHERE key = ?", (KEY,)).fetchone()
            except sqlite3.OperationalError:
                row = None
    except sqlite3.Error:
        return None
    return str(row[0]) if row else UNRECORDED
