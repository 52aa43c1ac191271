"""A throwaway PostgreSQL server for tests and benchmarks: ``initdb`` in a temporary directory,
``pg_ctl start`` on a free loopback port, stopped and removed at the end.

The binaries are Debian's (``apt-get install postgresql``): found with ``pg_config --bindir`` or
under ``/usr/lib/postgresql/*/bin``. PostgreSQL refuses to run as root, so under root (CI
containers) the cluster belongs to the ``postgres`` user the package creates and the commands run
as that user (``runuser``). Only TCP on 127.0.0.1 is served, with ``trust`` authentication: the
server is private to the test run.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed: apt-get install -y postgresql (Debian/Ubuntu)"
SUPERUSER = "claimcheck"


def bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are; None when PostgreSQL is not installed."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
            candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for path in (shutil.which("initdb"),):
        if path:
            candidates.append(Path(path).resolve().parent)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    return None


@dataclass
class PostgresServer:
    bindir: Path
    directory: Path
    port: int
    as_user: str | None

    @property
    def admin_url(self) -> str:
        return self.url("postgres")

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "test") -> str:
        """A new empty database; its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return self.url(name)

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: list[str], as_user: str | None) -> None:
    if as_user is not None:
        command = ["runuser", "-u", as_user, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextmanager
def postgres_server(durable: bool = False) -> Iterator[PostgresServer]:
    """A running server in a fresh temporary cluster. Not ``durable`` (tests): no fsync, which
    PostgreSQL's own test suites also turn off; ``durable`` keeps the defaults (benchmarks)."""
    found = bindir()
    if found is None:
        raise FileNotFoundError(INSTALL_HINT)
    as_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise FileNotFoundError("running as root needs the postgres user the package creates") from exc
        as_user = "postgres"
    directory = Path(tempfile.mkdtemp(prefix="claimcheck-pg-"))
    data = directory / "data"
    if as_user is not None:
        shutil.chown(directory, as_user, as_user)
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='{directory}'"
    options += " -c max_connections=100 -c shared_buffers=128MB"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    server = PostgresServer(found, directory, port, as_user)
    try:
        _run(
            [
                str(found / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            as_user,
        )
        _run(
            [
                str(found / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(directory / "log"),
                "-o",
                options,
                "-w",
                "start",
            ],
            as_user,
        )
        try:
            yield server
        finally:
            _run([str(found / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_user)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
