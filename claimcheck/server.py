"""The HTTP server's connection deadlines: a client cannot hold a connection open by sending slowly.

uvicorn closes a keep-alive connection that stays idle after a response, but it sets no deadline on
a connection that never finishes its request: idle new connections, half-sent headers and
half-sent bodies all stayed open past 200 s, so a few hundred slow clients could use up every
connection slot (slowloris). :func:`deadline_protocol` returns uvicorn's h11 protocol with two
deadlines added:

- the request line and headers must arrive within ``header_timeout`` seconds of the connection
  opening, or of the first byte of the next request on a kept-alive connection;
- the body must arrive within ``body_timeout`` seconds of the headers.

A connection that misses one is closed; the application sees the client disconnect. Requests
that arrive in time are untouched, whatever the handler then takes.
"""

from __future__ import annotations

import asyncio
import socket
from functools import cache
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

# Connections served at once per worker; beyond it uvicorn answers 503 at once.
MAX_CONNECTIONS = 512


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the two deadlines, read from the class (or the instance)."""

    header_timeout: float = 10.0
    body_timeout: float = 60.0
    _deadline: asyncio.TimerHandle | None = None
    _phase: str = ""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm("headers", self.header_timeout)

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._arm("headers", self.header_timeout)  # the next request on a kept-alive connection
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Move the deadline along with the peer's side of the request."""
        state = self.conn.their_state
        if state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm("body", self.body_timeout)
        elif state is not h11.IDLE:  # the request is in whole: the handler's time is its own
            self._disarm()

    def _arm(self, phase: str, seconds: float) -> None:
        self._disarm()
        self._phase = phase
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._phase = None, ""

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection whose request %s did not arrive in time", self._phase)
            self.transport.close()


def deadline_protocol(header_timeout: float, body_timeout: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with the two deadlines; pass it as ``uvicorn.Config(http=...)``."""
    return type(
        "DeadlineH11Protocol",
        (DeadlineH11Protocol,),
        {"header_timeout": header_timeout, "body_timeout": body_timeout},
    )


@cache
def _environment_deadlines() -> tuple[float, float]:
    from claimcheck.settings import Settings

    settings = Settings.from_env()
    return settings.header_timeout_seconds, settings.body_timeout_seconds


class EnvironmentDeadlineH11Protocol(DeadlineH11Protocol):
    """The deadlines of ``CLAIMCHECK_HEADER_TIMEOUT`` and ``CLAIMCHECK_BODY_TIMEOUT``, read in the
    process that serves. ``serve`` names this class by its import string (:data:`SERVING_PROTOCOL`):
    uvicorn pickles its config into each spawned worker, and a class made at run time (what
    :func:`deadline_protocol` returns) cannot be pickled, so ``--workers 2`` failed at start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout, self.body_timeout = _environment_deadlines()


SERVING_PROTOCOL = f"{__name__}:{EnvironmentDeadlineH11Protocol.__qualname__}"


class TcpConfig(uvicorn.Config):
    """uvicorn's config, whose shared socket says it is TCP (``claimcheck.startup``: TCP_NODELAY).
    At module level so that it can be pickled into spawned workers."""

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        # socket(fileno=...) detects family, type and protocol from the descriptor itself.
        tcp = socket.socket(fileno=bound.detach())
        tcp.set_inheritable(True)
        return tcp
