"""A real ``claimcheck serve`` process and a keep-alive HTTP client, for the crash and load tests.

Both tests must exercise what a deployment runs: the CLI's server in its own process (so SIGKILL
kills everything it holds in memory), reached over loopback with a write key. ``Server`` starts it
in its own process group on a free port with the settings a test passes, waits for ``/health``,
and can kill it (SIGKILL, no clean-up) or stop it (SIGTERM: the lifespan saves the index).
``Client`` is one HTTP/1.1 keep-alive connection that never retries on its own: after a write
whose answer never came, only the caller knows whether to treat it as done or not.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The ONNX export of the encoder takes a few seconds; every bench server shares one.
DEFAULT_MODEL_CACHE = Path(tempfile.gettempdir()) / "claimcheck-bench-models"
# Rates far above what two cores can serve: the tests measure the service, not its limiter.
UNLIMITED_RATES = {
    "CLAIMCHECK_CHECK_RATE": "1000000/minute",
    "CLAIMCHECK_KEYED_CHECK_RATE": "1000000/minute",
    "CLAIMCHECK_WRITE_RATE": "1000000/minute",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class Response:
    status: int  # 0: no answer (connection refused, reset or closed before the response)
    body: bytes
    seconds: float
    retry_after: float = 0.0
    error: str = ""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Client:
    """One keep-alive connection to the server; ``key`` goes in ``Authorization`` when given."""

    def __init__(self, port: int, key: str | None = None, timeout: float = 120.0) -> None:
        self.port, self.key, self.timeout = port, key, timeout
        self._conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None) -> Response:
        """Send once; a failed connection is closed and reported as status 0, never retried."""
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self._conn.request(method, path, body=payload, headers=headers)
            answer = self._conn.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Response(0, b"", time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - started
        if answer.will_close:
            self.close()
        retry_after = float(answer.getheader("Retry-After") or 0)
        return Response(answer.status, data, seconds, retry_after)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class Server:
    """``python -m claimcheck.cli serve`` on a free loopback port, in its own process group."""

    def __init__(
        self,
        data_dir: Path,
        log_path: Path,
        key: str | None = None,
        seeds: bool = False,
        model_cache: Path = DEFAULT_MODEL_CACHE,
        env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir, self.log_path = data_dir, log_path
        self.key = key or secrets.token_urlsafe(24)
        self.port = free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "HF_HUB_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "CLAIMCHECK_DATA": str(data_dir),
            "CLAIMCHECK_API_KEYS": self.key,
            "CLAIMCHECK_MODEL_CACHE": str(model_cache),
            **({} if seeds else {"CLAIMCHECK_SEEDS": ""}),
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 300.0) -> float:
        """Start and wait until ``/health`` answers 200; returns the seconds that took."""
        command = [sys.executable, "-m", "claimcheck.cli", "serve", "--host", "127.0.0.1"]
        started = time.perf_counter()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        probe = Client(self.port, timeout=5.0)
        try:
            while time.perf_counter() - started < timeout:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
                if probe.request("GET", "/health").status == 200:
                    return time.perf_counter() - started
                time.sleep(0.1)
        finally:
            probe.close()
        self.kill()
        raise TimeoutError(f"server not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def client(self, timeout: float = 120.0) -> Client:
        """A client that sends the write key."""
        return Client(self.port, self.key, timeout)

    def kill(self) -> None:
        """SIGKILL the whole process group: no lifespan, no index save, no flush."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM and wait; True when the server shut down cleanly (its lifespan saved the index).

        uvicorn re-raises the SIGTERM it caught once shutdown is complete, so a clean exit reads
        as -SIGTERM as well as 0; a server still running after ``timeout`` is killed (False).
        """
        if self.process is None or self.process.poll() is not None:
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout) in (0, -signal.SIGTERM)
        except subprocess.TimeoutExpired:
            self.kill()
            return False

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far, from /proc: with other jobs
        on the machine, CPU per request says what wall-clock latency cannot."""
        if self.process is None:
            return 0.0
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
