"""``POST /v1/documents/bulk`` at work: a JSON Lines body read as it arrives, ingested a batch at
a time through the checker's pipeline, one answer line per document sent once it is committed.

Three parts run at once, all on the event loop except the ingest itself:

- the **reader** owns the request's ``receive``: it cuts the body into lines
  (:mod:`api.jsonlines`), decodes and validates each as ``POST /v1/documents`` does, and keeps
  reading until the body ends, however far ingest lags. It must: the connection's body deadline
  (``claimcheck.server``) counts from the headers, and a client that sends its whole body before it
  reads the answer (curl, httpx) would otherwise wait on a server that waits on it. So what is
  held is bounded by the bulk byte limit (``bulk_max_bytes``), not by a window; lines are dropped
  as soon as they are answered. After the body it watches for the client going away.
- the **driver** hands the writer thread one batch per turn (``Runtime.write``): the pipeline
  parses batch n+1 on its own thread while the turn embeds and stores batch n. A turn holds the
  writer for one batch only, so single ``POST``/``DELETE`` requests interleave with a bulk load.
  A batch is what has arrived by the time the writer is free (at most :data:`BATCH_DOCUMENTS`), so
  a slow client gets its answers as it goes and a fast one gets full batches.
- the **answer**: one JSON line per document line, in the order of the body, each sent as soon as
  its document is committed (the same commit as ``POST /v1/documents``: the store, not the index
  file, is the record, so a line once sent survives a crash).

A bad line fails alone (its answer carries the status and ``detail`` a single request would get:
400, 413, 422). A full disk stops the load: the line that met it and every line after it are
answered 507 (503 for a store that turned read-only). A client that disconnects stops it after
the current batch; what was committed stays.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar.exceptions import HTTPException, ServiceUnavailableException
from litestar.types import HTTPDisconnectEvent, Receive

from api.body import decode_strict
from api.errors import InsufficientStorage, NothingToIndex, PayloadTooLarge, error_body
from api.jsonlines import Line, LineSplitter
from api.runtime import Runtime
from api.scheduler import OverloadError
from api.schemas import DocumentRequest
from claimcheck.checker import Checker, IngestPipeline
from claimcheck.requests import NothingToIndexError, Submission
from claimcheck.results import IngestResult
from claimcheck.settings import Settings
from claimcheck.storage import ReadOnlyStore, StorageFull

log = logging.getLogger("claimcheck")

BATCH_DOCUMENTS = 32  # documents per writer turn at most (the pipeline's batch)
# Bytes of one line at most: the document's text as JSON (\\uXXXX escapes) plus the other fields,
# the single-document body limit (api.app).
BYTES_PER_CHAR = 4
LINE_OVERHEAD = 65536
# A batch that cannot get a turn on the writer for this long (its queue full all along) is failed.
TURN_WAIT_SECONDS = 60.0

Answer = dict[str, Any]


@dataclass(eq=False)
class _Entry:
    """One document line: its answer is settled once, by the reader (a bad line) or after its turn."""

    line: int
    answer: asyncio.Future[Answer]
    id: str | None = None
    submission: Submission | None = None


def _failed(entry: _Entry, error: HTTPException) -> Answer:
    return {"line": entry.line, "id": entry.id, "status": "error", "error": error_body(error)}


def _created(entry: _Entry, result: IngestResult) -> Answer:
    return {
        "line": entry.line,
        "id": result.id,
        "status": "created",
        "paragraphs": result.paragraphs,
        "sentences": result.sentences,
    }


def _settle(future: asyncio.Future[Answer], answer: Answer) -> None:
    if not future.done():
        future.set_result(answer)


def _id_in(data: bytes | None) -> str | None:
    """The ``id`` a bad line names, if it names one, so that its answer says which document failed."""
    if data is None:
        return None
    try:
        decoded = msgspec.json.decode(data)
    except Exception:  # not JSON at all (or nested beyond what a request could be): no id
        return None
    value = decoded.get("id") if isinstance(decoded, dict) else None
    return value if isinstance(value, str) and len(value) <= 200 else None


class _StopError(Exception):
    """The load cannot go on: ``error`` answers every line not yet answered."""

    def __init__(self, error: HTTPException) -> None:
        super().__init__(str(error.detail))
        self.error = error


@dataclass(eq=False)
class BulkIngest:
    """One bulk request's work: :meth:`start` it, stream :meth:`answers`, then :meth:`close` it
    (always, once started: it stops the work and gives back the request's slot in
    ``Runtime.bulk_requests``)."""

    receive: Receive
    runtime: Runtime
    checker: Checker
    settings: Settings
    to_submission: Callable[[DocumentRequest], Submission]

    _loop: asyncio.AbstractEventLoop = field(init=False)
    _pipeline: IngestPipeline = field(init=False)
    _splitter: LineSplitter = field(init=False)
    _order: asyncio.Queue[_Entry | None] = field(init=False, default_factory=asyncio.Queue)
    _todo: collections.deque[_Entry] = field(init=False, default_factory=collections.deque)
    _in_flight: collections.deque[_Entry] = field(init=False, default_factory=collections.deque)
    _arrived: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _first: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _gone: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)
    _received: int = 0
    _lines: int = 0  # lines answered or to answer
    _documents: int = 0
    _input_closed: bool = False
    _body_done: bool = False
    _stopping: bool = False
    _stop_error: HTTPException | None = None
    _closed: bool = False
    _slot_released: bool = False

    @property
    def max_line_bytes(self) -> int:
        return self.settings.max_document_chars * BYTES_PER_CHAR + LINE_OVERHEAD

    async def start(self) -> bool:
        """Open the pipeline (``ReadOnlyStore``/``StorageFull`` before anything is read), start
        reading, and wait for the first line: False when the body holds no document at all."""
        self._loop = asyncio.get_running_loop()
        self.runtime.bulk_requests += 1  # given back by close()
        self._pipeline = self.checker.pipeline(refused=self._refused)
        self._splitter = LineSplitter(self.max_line_bytes)
        self._tasks = [self._loop.create_task(self._read()), self._loop.create_task(self._drive())]
        await self._first.wait()
        return self._lines > 0

    async def answers(self) -> AsyncIterator[bytes]:
        """The answer lines, in the body's order, each as soon as it is settled. Before the stream
        ends, the driver has shut the pipeline down and the slot is given back, so a client that
        reads the whole answer and sends its next bulk request at once finds it free (it met a 503
        while the pipeline was still shutting down after the last line)."""
        while (entry := await self._order.get()) is not None:
            yield msgspec.json.encode(await entry.answer) + b"\n"
        if self._tasks:
            await asyncio.gather(self._tasks[1], return_exceptions=True)  # the driver
        self._release_slot()

    async def disconnected(self) -> HTTPDisconnectEvent:
        """What the streaming response listens to instead of ``receive`` (which the reader owns)."""
        await self._gone.wait()
        return {"type": "http.disconnect"}

    async def close(self) -> None:
        """Stop after the current batch (if the answer stopped early) and release everything."""
        if self._closed:
            return
        self._closed = True
        self._stopping = True
        self._arrived.set()
        if self._tasks:
            reader, driver = self._tasks
            await asyncio.gather(driver, return_exceptions=True)
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        self._release_slot()

    def _release_slot(self) -> None:
        """Give back the slot :meth:`start` took (``Runtime.bulk_requests``), once."""
        if not self._slot_released:
            self._slot_released = True
            self.runtime.bulk_requests -= 1

    # -- the reader -----------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            while True:
                message = await self.receive()
                if message["type"] == "http.disconnect":
                    break
                if message["type"] == "http.request" and not self._body_done:
                    more = bool(message.get("more_body", False))
                    self._take(message.get("body", b""), more)
                    if not more:
                        self._body_done = True
                        self._close_input()
        finally:
            self._close_input()
            self._gone.set()
            self._arrived.set()

    def _take(self, chunk: bytes, more: bool) -> None:
        if self._input_closed:
            return  # past a limit: the rest of the body is read and dropped
        allowed = self.settings.bulk_max_bytes - self._received
        self._received += len(chunk)
        over = len(chunk) > allowed
        lines = self._splitter.feed(chunk[:allowed] if over else chunk)
        if not (more or over):
            lines += self._splitter.end()
        for line in lines:
            if self._input_closed:
                return
            self._add(line)
        if over and not self._input_closed:
            number = self._splitter.next_number
            self._refuse_rest(
                number,
                PayloadTooLarge(
                    f"bulk body too large: at most {self.settings.bulk_max_bytes} bytes per request; "
                    f"line {number} and the lines after it were not read"
                ),
            )

    def _add(self, line: Line) -> None:
        if line.blank:
            return
        if self._documents >= self.settings.bulk_max_documents:
            self._refuse_rest(
                line.number,
                PayloadTooLarge(
                    f"too many documents: at most {self.settings.bulk_max_documents} per request; "
                    f"line {line.number} and the lines after it were not read"
                ),
            )
            return
        self._documents += 1
        entry = _Entry(line.number, self._loop.create_future())
        try:
            if line.data is None:
                raise PayloadTooLarge(
                    f"line too long: {line.size} bytes, at most {self.max_line_bytes} (a document's text "
                    f"is at most {self.settings.max_document_chars} characters)"
                )
            data: DocumentRequest = decode_strict(line.data, DocumentRequest, f"line {line.number}")
            entry.id = data.id
            entry.submission = self.to_submission(data)
        except HTTPException as error:
            entry.id = entry.id or _id_in(line.data)
            _settle(entry.answer, _failed(entry, error))
        else:
            if self._stop_error is not None:
                _settle(entry.answer, _failed(entry, self._stop_error))
            else:
                self._todo.append(entry)
                self._arrived.set()
        self._put(entry)

    def _put(self, entry: _Entry) -> None:
        self._lines += 1
        self._order.put_nowait(entry)
        self._first.set()

    def _refuse_rest(self, number: int, error: HTTPException) -> None:
        entry = _Entry(number, self._loop.create_future())
        _settle(entry.answer, _failed(entry, error))
        self._put(entry)
        self._close_input()

    def _close_input(self) -> None:
        if not self._input_closed:
            self._input_closed = True
            self._order.put_nowait(None)
            self._first.set()
            self._arrived.set()

    # -- the driver -----------------------------------------------------------------------------

    async def _drive(self) -> None:
        try:
            while not (self._stopping or self._gone.is_set()):
                if self._todo:
                    count = min(BATCH_DOCUMENTS, len(self._todo))
                    await self._turn([self._todo.popleft() for _ in range(count)])
                elif self._pipeline.pending:
                    await self._turn([])
                elif self._input_closed:
                    break
                else:
                    self._arrived.clear()
                    await self._arrived.wait()
        except _StopError as stop:
            self._stop_error = stop.error
        except Exception:
            log.exception("bulk ingest failed")
            self._stop_error = HTTPException(status_code=500, detail="internal server error")
        finally:
            error = self._stop_error = self._stop_error or ServiceUnavailableException(
                "not ingested: the request stopped before this document's turn"
            )
            for entry in (*self._in_flight, *self._todo):
                _settle(entry.answer, _failed(entry, error))
            self._in_flight.clear()
            self._todo.clear()
            await self._loop.run_in_executor(None, self._pipeline.close)

    async def _turn(self, batch: list[_Entry]) -> None:
        """One writer turn: start parsing ``batch`` and store the batch before it (or, with an
        empty ``batch``, store the one pending)."""
        self._in_flight.extend(batch)
        submissions = [entry.submission for entry in batch if entry.submission is not None]

        def work() -> None:  # on the writer thread
            results = self._pipeline.feed(submissions) if submissions else self._pipeline.flush()
            for result in results:
                entry = self._in_flight.popleft()
                self.runtime.on_ingested(result)
                self._loop.call_soon_threadsafe(_settle, entry.answer, _created(entry, result))

        waited = 0.0
        while True:
            try:
                await self.runtime.write(work)
                return
            except OverloadError as busy:
                if waited >= TURN_WAIT_SECONDS:
                    raise _StopError(ServiceUnavailableException(f"not ingested: {busy}")) from None
                pause = min(float(busy.retry_after), 1.0)
                await asyncio.sleep(pause)
                waited += pause
            except StorageFull as full:
                self._fail_next(InsufficientStorage(str(full)))
                raise _StopError(InsufficientStorage(f"not ingested: the disk is full ({full})")) from None
            except ReadOnlyStore as refusal:
                self._fail_next(ServiceUnavailableException(str(refusal)))
                raise _StopError(ServiceUnavailableException(f"not ingested: {refusal}")) from None

    def _fail_next(self, error: HTTPException) -> None:
        """Answer the document the failed write was for (the first one still in flight)."""
        if self._in_flight:
            entry = self._in_flight.popleft()
            _settle(entry.answer, _failed(entry, error))

    def _refused(self, submission: Submission, error: NothingToIndexError) -> None:
        """The pipeline's word (on the writer thread) that a document had nothing to index."""
        entry = self._in_flight.popleft()
        self._loop.call_soon_threadsafe(_settle, entry.answer, _failed(entry, NothingToIndex(str(error))))
