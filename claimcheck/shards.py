"""Input files cut into pieces that a worker on any node can read alone, in input order.

Why pieces, and not ``ray.data.read_json``: pyarrow's JSON reader fails a whole block on one bad
line and forgets line numbers, and a bulk load must fail a bad line alone and name it
(``feed.jsonl:3``) as ``claimcheck ingest`` and ``POST /v1/documents/bulk`` do. So the driver only
*plans* (one pass over the files for line offsets, or Parquet footers for row counts) and each
piece is read where the pipeline runs it (``claimcheck.cluster``), with the same functions as the
single-process path (``claimcheck.inputs``).

- ``.jsonl``: a piece is a run of ``rows`` physical lines, by byte range; blank lines are no
  document. Labels are ``path:line``.
- ``.parquet``: a piece is a slice of ``rows`` rows of one row group (the columns are the fields
  of ``POST /v1/documents``; a null is a field left out). Labels are ``path:row N`` (from 1). A row
  group is read once per slice of it: write files with row groups of a few thousand rows.
- ``.txt`` ``.md`` ``.html``: a piece is up to ``rows`` files, each one document as in
  ``claimcheck.inputs``.

A file that cannot even be planned (missing, not Parquet) is a piece of its own that reads as one
failure, so it is reported in its place in the input order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import msgspec

from claimcheck.inputs import FORMATS, JSON_LINES, Failure, Item, document_file, json_line, why

PARQUET = ".parquet"
SUPPORTED = (*FORMATS, JSON_LINES, PARQUET)
# Rows per piece: a piece is also the unit that moves from stage to stage, so it is kept small
# enough that the encoder starts on the first documents seconds after the parser does.
PIECE_ROWS = 64
_SEPARATOR = "\0"  # between the paths of a piece of document files: no path holds it


@dataclass(frozen=True, slots=True)
class Piece:
    """What one read task reads. Every field is always set (Ray Data builds one Arrow schema)."""

    kind: str  # "lines", "parquet", "files" or "failed"
    path: str  # the file; for "files" the files joined by NUL; for "failed" the label
    start: int = 0  # "lines": first byte; "parquet": first row in the row group
    end: int = 0  # "lines": byte after the last; "parquet": rows in the slice
    first: int = 0  # "lines": number of the first line; "parquet": number of the slice's first row
    group: int = 0  # "parquet": the row group
    reason: str = ""  # "failed": why
    documents: int = 0  # how many documents (or failures) it holds, at most: for a progress bar

    def row(self) -> dict[str, Any]:
        return asdict(self)


def plan(files: Sequence[Path], rows: int = PIECE_ROWS) -> list[Piece]:
    """The pieces of ``files``, in order (a folder's files as ``claimcheck.inputs.find`` lists them)."""
    pieces: list[Piece] = []
    documents: list[str] = []

    def flush() -> None:
        if documents:
            pieces.append(Piece("files", _SEPARATOR.join(documents), documents=len(documents)))
            documents.clear()

    for path in files:
        suffix = path.suffix.lower()
        if suffix in FORMATS:
            documents.append(str(path))
            if len(documents) >= rows:
                flush()
            continue
        flush()
        if suffix == JSON_LINES:
            pieces.extend(_line_pieces(path, rows))
        elif suffix == PARQUET:
            pieces.extend(_parquet_pieces(path, rows))
        else:
            supported = ", ".join(SUPPORTED)
            reason = f"unsupported file type {path.suffix or '(none)'!r}: use {supported}"
            pieces.append(Piece("failed", str(path), reason=reason, documents=1))
    flush()
    return pieces


def _line_pieces(path: Path, rows: int) -> Iterator[Piece]:
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Piece("failed", str(path), reason=why(error), documents=1)
        return
    with handle:
        start = offset = count = documents = 0
        first = 1
        for number, line in enumerate(handle, start=1):
            offset += len(line)
            count += 1
            documents += bool(line.strip())
            if count == rows:
                yield Piece("lines", str(path), start, offset, first, documents=documents)
                start, first, count, documents = offset, number + 1, 0, 0
        if count:
            yield Piece("lines", str(path), start, offset, first, documents=documents)


def _parquet_pieces(path: Path, rows: int) -> Iterator[Piece]:
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        yield Piece("failed", str(path), reason=f"not a readable Parquet file: {error}", documents=1)
        return
    first = 1
    for group in range(metadata.num_row_groups):
        total = metadata.row_group(group).num_rows
        for start in range(0, total, rows):
            count = min(rows, total - start)
            yield Piece("parquet", str(path), start, count, first, group, documents=count)
            first += count


def expected(pieces: Sequence[Piece]) -> int:
    """Documents (and failures) the pieces hold: a progress bar's total."""
    return sum(piece.documents for piece in pieces)


def read(piece: Piece) -> Iterator[Item | Failure]:
    """The documents of a piece, or a failure for each one that cannot be read."""
    if piece.kind == "failed":
        yield Failure(piece.path, piece.reason)
    elif piece.kind == "files":
        for name in piece.path.split(_SEPARATOR):
            path = Path(name)
            yield document_file(path, FORMATS[path.suffix.lower()])
    elif piece.kind == "lines":
        yield from _read_lines(piece)
    elif piece.kind == "parquet":
        yield from _read_parquet(piece)
    else:
        raise ValueError(f"unknown piece kind {piece.kind!r}")


def _read_lines(piece: Piece) -> Iterator[Item | Failure]:
    try:
        with Path(piece.path).open("rb") as handle:
            handle.seek(piece.start)
            data = handle.read(piece.end - piece.start)
    except OSError as error:
        yield Failure(piece.path, why(error))
        return
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()  # the piece's last line ends here; nothing follows it
    for number, raw in enumerate(lines, start=piece.first):
        if raw.strip():
            yield json_line(f"{piece.path}:{number}", raw)


def _read_parquet(piece: Piece) -> Iterator[Item | Failure]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(piece.path).read_row_group(piece.group).slice(piece.start, piece.end)
    except (OSError, ValueError) as error:
        for number in range(piece.first, piece.first + piece.end):
            yield Failure(f"{piece.path}:row {number}", f"not readable: {error}")
        return
    for number, row in enumerate(table.to_pylist(), start=piece.first):
        # A null is a field left out; a date column reads as its ISO string, as JSON would carry it.
        fields = {key: value for key, value in row.items() if value is not None}
        yield Item(f"{piece.path}:row {number}", msgspec.to_builtins(fields))
