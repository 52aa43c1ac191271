"""A JSON Lines body cut into lines as its chunks arrive, without ever holding an over-long line.

A bulk body is read while it is still arriving, so lines are cut out of chunks as they come; a
line that outgrows its bound is not kept (a client could otherwise make the server hold a body of
any size as one "line"): the rest of it is skipped up to the next newline and the line is reported
as too long, by number, so that the client is told which one. Lines are numbered from 1 as they
stand in the body, blank ones included, so a client can find each answer's line in its own file.
"""

from __future__ import annotations

from dataclasses import dataclass

MEDIA_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


@dataclass(frozen=True, slots=True)
class Line:
    """Line ``number`` (1-based) of the body; ``data`` is None when it was longer than allowed
    (``size`` then says how long it was)."""

    number: int
    data: bytes | None
    size: int

    @property
    def blank(self) -> bool:
        return self.data is not None and not self.data.strip()


class LineSplitter:
    """Feed chunks, get the complete lines they finish; :meth:`end` gives the last unterminated one."""

    def __init__(self, max_line_bytes: int) -> None:
        self.max_line_bytes = max_line_bytes
        self._buffer = bytearray()
        self._number = 0
        self._skipped: int | None = None  # bytes dropped so far of a line that is too long

    @property
    def next_number(self) -> int:
        """The number the line being read now will have."""
        return self._number + 1

    def feed(self, chunk: bytes) -> list[Line]:
        lines: list[Line] = []
        start = 0
        while (newline := chunk.find(b"\n", start)) != -1:
            lines.append(self._finish(chunk[start:newline]))
            start = newline + 1
        self._take(chunk[start:])
        return lines

    def end(self) -> list[Line]:
        """The last line if the body did not end with a newline."""
        if self._skipped is None and not self._buffer:
            return []
        return [self._finish(b"")]

    def _take(self, part: bytes) -> None:
        if self._skipped is not None:
            self._skipped += len(part)
        elif len(self._buffer) + len(part) > self.max_line_bytes:
            self._skipped = len(self._buffer) + len(part)
            self._buffer.clear()
        else:
            self._buffer += part

    def _finish(self, tail: bytes) -> Line:
        self._take(tail)
        self._number += 1
        if self._skipped is not None:
            line = Line(self._number, None, self._skipped)
            self._skipped = None
        else:
            line = Line(self._number, bytes(self._buffer), len(self._buffer))
            self._buffer.clear()
        return line
