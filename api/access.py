"""Who may call a route, and how often: one guard on every route.

A route says what it is in its ``opt`` under :data:`ACCESS`: ``"write"`` (needs a key),
``"check"`` or ``"read"`` (open unless ``require_read_key``), or ``"probe"`` (``/health``: always
open, never limited, since orchestrators probe it without keys). Routes that say nothing (the
OpenAPI document) are reads.

A request that presents an ``Authorization`` header must present a valid key, even on an open
route: a client whose key is wrong should hear so, not be served silently as anonymous.

Rate limits count per client: a valid key names the client (by a digest, never the key);
without one, the peer address does. Behind a reverse proxy every request shares the proxy's
address, so there the proxy should limit per client instead (README, "Security"). Limits use
the ``limits`` library's moving window in process memory, through its asyncio storage: the
guard is a coroutine, and the threaded storage started a timer thread every few requests
(measured: 188 thread starts in 1,050 checks). Each worker process counts alone.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

from api.keys import KeyRing

ACCESS = "access"
BEARER_SCHEME = "BearerKey"  # the OpenAPI security scheme's name
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="claimcheck"'}

# OpenAPI ``security`` of a route: a key is required, or optional (an open route that still checks
# a key when one is sent).
KEY_REQUIRED: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]
KEY_OPTIONAL: list[dict[str, list[str]]] = [{}, {BEARER_SCHEME: []}]


@dataclass(frozen=True, slots=True)
class RatePolicy:
    """Limits per client and kind of work, parsed once at start-up (a typo fails the start)."""

    anonymous_checks: tuple[RateLimitItem, ...]
    keyed_checks: tuple[RateLimitItem, ...]
    writes: tuple[RateLimitItem, ...]

    @classmethod
    def parse(cls, check_rate: str, keyed_check_rate: str, write_rate: str) -> RatePolicy:
        return cls(
            tuple(parse_many(check_rate)), tuple(parse_many(keyed_check_rate)), tuple(parse_many(write_rate))
        )


class AccessGuard:
    """Authentication, then rate limits; raises 401 or 429 before the body is even read."""

    def __init__(self, keys: KeyRing, policy: RatePolicy, require_read_key: bool) -> None:
        self.keys = keys
        self.policy = policy
        self.require_read_key = require_read_key
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(
        self, connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
    ) -> None:
        # A coroutine: Litestar runs a plain-function guard on a worker thread, one thread hop per
        # request (~0.2 ms on two busy cores), and the limiter's asyncio storage needs the loop.
        access = handler.opt.get(ACCESS, "read")
        if access == "probe":
            return
        key_id = self._authenticate(connection.headers.get("authorization"))
        if key_id is None and (access == "write" or self.require_read_key):
            what = "writes need" if access == "write" else "this service requires"
            raise NotAuthorizedException(
                f"{what} an API key: send 'Authorization: Bearer <key>'", headers=_CHALLENGE
            )
        if access == "write":
            await self._hit(self.policy.writes, "write", key_id or "")
        elif access == "check":
            client = key_id or f"addr:{connection.client.host if connection.client else 'unknown'}"
            await self._hit(
                self.policy.keyed_checks if key_id else self.policy.anonymous_checks, "check", client
            )

    def _authenticate(self, header: str | None) -> str | None:
        """The client's key id, or None when no credentials were sent; 401 for bad ones."""
        if header is None:
            return None
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException(
                "the Authorization header must be 'Bearer <key>'", headers=_CHALLENGE
            )
        key_id = self.keys.identify(token.strip())
        if key_id is None:
            raise NotAuthorizedException("the API key is not valid", headers=_CHALLENGE)
        return key_id

    async def _hit(self, items: tuple[RateLimitItem, ...], kind: str, client: str) -> None:
        # Test every window before counting in any, so a refused request uses up nothing.
        for item in items:
            if not await self._limiter.test(item, kind, client):
                reset = (await self._limiter.get_window_stats(item, kind, client)).reset_time
                wait = max(1, math.ceil(reset - time.time()))
                raise TooManyRequestsException(
                    f"rate limit for {kind}s exceeded ({item}); retry in {wait} s",
                    headers={"Retry-After": str(wait)},
                )
        for item in items:
            await self._limiter.hit(item, kind, client)
