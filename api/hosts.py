"""Refuse requests whose ``Host`` is not one of this deployment's names (DNS rebinding).

A page on ``attacker.example`` can point its own DNS name at 127.0.0.1 and then reach a service
on the victim's loopback as if it were same-origin; the one thing it cannot change is the
``Host`` header, which still says ``attacker.example``. So a request is served only when its host
name (port ignored) is allowed: exact names, ``*.example.org`` for a domain's subdomains, or
``*`` for any (the Docker image, where keys protect writes and a proxy fronts the service).

Litestar's own ``AllowedHostsConfig`` compares the header including its port, so
``127.0.0.1:8000`` never matches ``127.0.0.1``, and answers in a different body shape from every
other error; this middleware does neither.
"""

from __future__ import annotations

import json

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseBodyEvent, HTTPResponseStartEvent, Receive, Scope, Send


def host_name(header: str) -> str:
    """``[::1]:8000`` → ``[::1]``; ``Example.org:80`` → ``example.org``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(name: str, allowed: tuple[str, ...]) -> bool:
    for pattern in allowed:
        pattern = pattern.strip().lower()
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def allowed_hosts_middleware(allowed: tuple[str, ...]) -> type:
    """An ASGI middleware class (Litestar builds it with the next app) for the given host names."""

    class AllowedHosts:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.HTTP:
                raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
                name = host_name(raw)
                if not name or not host_allowed(name, allowed):
                    shown = raw[:100] or "none"
                    body = json.dumps(
                        {
                            "status_code": 400,
                            "detail": f"Host {shown!r} is not a name this service answers to "
                            "(CLAIMCHECK_ALLOWED_HOSTS)",
                        }
                    ).encode()
                    start: HTTPResponseStartEvent = {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                    end: HTTPResponseBodyEvent = {
                        "type": "http.response.body",
                        "body": body,
                        "more_body": False,
                    }
                    await send(start)
                    await send(end)
                    return
            await self.app(scope, receive, send)

    return AllowedHosts
