"""What the HTTP layer costs a check, without the checker: the app driven in-process over ASGI.

    .venv/bin/python -m bench.http_overhead [--requests 3000] [--answer FILE] [--profile]

``create_app`` is given a stand-in checker whose ``check_many`` returns a stored answer at once
(``--answer``: a real ``/v1/claims/check`` response body; default: the API's own example), and
the app is called the way an ASGI server calls it (scope, ``receive``, ``send``), so what is timed
is everything a check request costs apart from the check itself and the server's socket work:
the request-id and access-log wrapper, the host middleware, routing, the access guard with its rate
limiter, the strict body decode, the micro-batcher's hand-off to the query thread and back, the
metrics, and the response's encoding. ``GET /health`` and ``GET`` of an unknown path (404) are timed
beside it for scale. ``--profile`` prints the top of a cProfile of the check requests. The access
log goes to stderr as in production: send it to /dev/null.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging.config
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

from api import examples
from claimcheck.checker import Checker, Stats
from claimcheck.results import CheckResult
from claimcheck.settings import Settings


class AnsweringChecker(Checker):
    """Just enough of a ``Checker`` for the check route and ``/health``: one stored answer. A
    subclass, since Litestar checks the type of what a dependency provides on every request."""

    def __init__(self, answer: CheckResult) -> None:  # no models, no store
        self.answer = answer

    def check_many(self, claims: Any, limit: int = 10, filters: Any = None) -> list[CheckResult]:
        return [self.answer for _ in claims]

    def stats(self) -> Any:
        return Stats(1, 1)

    def close(self) -> None:
        pass


def scope(method: str, path: str, body: bytes) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench"), (b"accept", b"*/*")]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "state": {},
    }


async def call(app: Any, method: str, path: str, body: bytes = b"") -> int:
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope(method, path, body), receive, send)
    return status


async def timed(
    app: Any, method: str, path: str, body: bytes, n: int, expect: int
) -> tuple[list[float], float]:
    """Wall seconds of each of ``n`` requests, and the process's CPU seconds per request (all its
    threads: the figure to trust on a busy machine)."""
    for _ in range(min(50, n)):
        status = await call(app, method, path, body)
        assert status == expect, f"{method} {path}: {status}, not {expect}"
    out = []
    cpu = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        await call(app, method, path, body)
        out.append(time.perf_counter() - t0)
    return out, (time.process_time() - cpu) / n


def summary(label: str, figures: tuple[list[float], float]) -> str:
    seconds, cpu = figures
    us = sorted(1e6 * s for s in seconds)
    p50, mean = us[len(us) // 2], sum(us) / len(us)
    return f"{label:32s} p50 {p50:6.0f} µs   mean {mean:6.0f} µs   CPU {1e6 * cpu:6.0f} µs"


async def run(args: argparse.Namespace) -> None:
    from api.app import create_app
    from claimcheck.logs import logging_config

    logging.config.dictConfig(logging_config("info"))  # the access log as served: JSON lines, stderr

    raw = Path(args.answer).read_bytes() if args.answer else json.dumps(examples.CHECK_RESULT).encode()
    answer = msgspec.json.decode(raw, type=CheckResult)
    with tempfile.TemporaryDirectory(prefix="claimcheck-http-overhead-") as data:
        settings = Settings(
            data_dir=Path(data),
            seeds_dir=None,
            api_keys=("x" * 32,),
            check_rate="1000000/minute",
            keyed_check_rate="1000000/minute",
        )
        app = create_app(settings=settings, checker=AnsweringChecker(answer))
        body = json.dumps({"claim": answer.claim or "a claim", "limit": 10}).encode()
        # No lifespan: with a checker given it loads nothing, and the runtime's threads are started
        # by create_app already.
        check = await timed(app, "POST", "/v1/claims/check", body, args.requests, 200)
        health = await timed(app, "GET", "/health", b"", args.requests, 200)
        missing = await timed(app, "GET", "/nothing-here", b"", args.requests, 404)
        print(f"answer: {len(msgspec.json.encode(answer))} bytes of JSON; {args.requests} requests each")
        print(summary("POST /v1/claims/check (stub)", check))
        print(summary("GET /health", health))
        print(summary("GET /nothing-here (404)", missing))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            await timed(app, "POST", "/v1/claims/check", body, args.requests, 200)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--answer", help="a /v1/claims/check response body to answer with")
    parser.add_argument("--profile", action="store_true")
    asyncio.run(run(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
