"""Files and folders named on the command line, read into documents to ingest.

A folder is walked (sorted, recursively; names starting with "." are ignored: ``.git``,
``.DS_Store``) for the formats below; any other file in it is *skipped* and listed, not a failure.
A file named explicitly with another extension is a failure, since the user asked for it.

- ``.md``/``.markdown`` are markdown and ``.html``/``.htm`` HTML. ``.txt`` is sniffed like a
  posted document without ``format``: plain-text files often hold markdown (the seed corpus does),
  and sniffing keeps a file ingested here identical to the same file ingested as a seed. The
  document id is the file name without its extension (DESIGN.md).
- ``.jsonl``: one document per line, a JSON object with the fields of ``POST /v1/documents``
  (``text``; optional ``id``, ``format``, ``title``, ``url``, ``outlet``, ``byline``,
  ``published``); blank lines are ignored. Each line stands alone: a bad line is one failure
  and the lines around it are still read.

This stage only reads: it yields each document's fields as the JSON body the API would get, or
a :class:`Failure` for what cannot even be read (missing, not UTF-8, not a JSON object). Whether
the fields are valid is the backend's business, the same rules in both modes (the server's in
remote mode, ``claimcheck.requests.DocumentRequest`` locally). It imports only the standard
library and msgspec, so a remote ``claimcheck ingest`` never loads the models' packages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

FORMATS: dict[str, str | None] = {
    ".txt": None,  # sniffed (see above)
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
JSON_LINES = ".jsonl"
SUPPORTED = (*FORMATS, JSON_LINES)


@dataclass(frozen=True, slots=True)
class Item:
    """One document to ingest: where it came from ("notes/a.md", "feed.jsonl:3") and its fields."""

    label: str
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Failure:
    """A file or line that was not ingested, and why, in words."""

    label: str
    reason: str


@dataclass(frozen=True, slots=True)
class Found:
    """What the command-line paths name: files to read, in order, and folder files left aside."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def find(paths: Sequence[Path], supported: Sequence[str] = SUPPORTED) -> Found:
    """The files to read under ``paths`` (each file once, in the order given, folders sorted); in
    folders, the files whose extension is in ``supported`` (``claimcheck.shards`` adds Parquet)."""
    found = Found()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)
            continue
        for child in sorted(path.rglob("*")):
            if any(part.startswith(".") for part in child.relative_to(path).parts) or not child.is_file():
                continue
            if child.suffix.lower() in supported:
                add(child)
            else:
                found.skipped.append(child)
    return found


def expected(files: Sequence[Path]) -> int:
    """How many documents ``files`` hold, for a progress bar: one per file, one per non-blank line
    of a JSON Lines file (an unreadable file counts one: it ends as one failure)."""
    total = 0
    for path in files:
        if path.suffix.lower() != JSON_LINES:
            total += 1
            continue
        try:
            with path.open("rb") as lines:
                total += sum(1 for line in lines if line.strip())
        except OSError:
            total += 1
    return total


def read(files: Sequence[Path]) -> Iterator[Item | Failure]:
    """Each file's documents, or a failure for the file (or line) that cannot be read."""
    for path in files:
        suffix = path.suffix.lower()
        if suffix == JSON_LINES:
            yield from _json_lines(path)
        elif suffix in FORMATS:
            yield document_file(path, FORMATS[suffix])
        else:
            supported = ", ".join(SUPPORTED)
            yield Failure(str(path), f"unsupported file type {path.suffix or '(none)'!r}: use {supported}")


def document_file(path: Path, format_: str | None) -> Item | Failure:
    """A document file (.txt .md .html): its text, its id (the file name without extension)."""
    try:
        text = _utf8(path.read_bytes())
    except (OSError, UnicodeDecodeError) as error:
        return Failure(str(path), why(error))
    fields: dict[str, Any] = {"text": text, "id": path.stem}
    if format_ is not None:
        fields["format"] = format_
    return Item(str(path), fields)


def _json_lines(path: Path) -> Iterator[Item | Failure]:
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Failure(str(path), why(error))
        return
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.strip():
            yield json_line(f"{path}:{number}", raw)


def json_line(label: str, raw: bytes) -> Item | Failure:
    """One non-blank line of a JSON Lines file: its document's fields, or why it cannot be read
    (also how ``claimcheck.cluster`` reads the lines of its pieces of a file)."""
    try:
        _utf8(raw)  # a line of another encoding is named as such, not as bad JSON
        fields = msgspec.json.decode(raw)
    except UnicodeDecodeError as error:
        return Failure(label, why(error))
    except msgspec.DecodeError as error:
        return Failure(label, f"not valid JSON: {error}")
    if not isinstance(fields, dict):
        kind = _JSON_KINDS.get(type(fields), type(fields).__name__)
        return Failure(label, f"a line must be a JSON object with a 'text' field, not {kind}")
    return Item(label, fields)


_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true/false",
    type(None): "null",
}


def _utf8(data: bytes) -> str:
    return data.decode("utf-8")


def why(error: OSError | UnicodeDecodeError) -> str:
    """A read error in words (the byte and offset of a UTF-8 error)."""
    if isinstance(error, UnicodeDecodeError):
        return f"not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})"
    return error.strerror or str(error)
