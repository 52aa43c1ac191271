"""API keys: where they come from, and how a presented key is checked.

Writes change what every fact-checker is shown, so they need a key even on a desk's own network.
Keys come from ``CLAIMCHECK_API_KEYS``; when none is configured, the first start generates one
into ``<data_dir>/api_key`` (mode 0600 in a 0700 directory) and logs the file's path — never the
key, since logs travel further than the data directory. A presented key is compared with every
configured key in constant time (``hmac.compare_digest``), so response timing does not reveal how
much of a guess was right, and clients are told apart by a digest of their key, never the key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("claimcheck")

KEY_FILE = "api_key"
MIN_KEY_CHARS = 16  # a configured key shorter than this is refused at start-up: it can be guessed


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The keys this process accepts."""

    keys: tuple[bytes, ...]
    source: str  # "environment" or the key file's path, for the start-up log and /health-free logs

    def identify(self, presented: str) -> str | None:
        """A stable, non-secret client name for a valid key (rate limits count per key), else None."""
        candidate = presented.encode()
        matched = False
        for key in self.keys:  # no early exit: every key is compared, whatever matches
            matched |= hmac.compare_digest(candidate, key)
        if not matched:
            return None
        return "key:" + hashlib.sha256(candidate).hexdigest()[:16]


def load_keys(configured: tuple[str, ...], data_dir: Path) -> KeyRing:
    """Configured keys, else the data directory's key file, created on first use."""
    if configured:
        short = [k for k in configured if len(k) < MIN_KEY_CHARS]
        if short:
            raise ValueError(f"CLAIMCHECK_API_KEYS: every key needs at least {MIN_KEY_CHARS} characters")
        return KeyRing(tuple(k.encode() for k in configured), "environment")
    path = data_dir / KEY_FILE
    if not path.exists():
        try:
            _create_key_file(path)
        except OSError as exc:  # a read-only data directory: no writes will be taken anyway
            log.warning(
                "no CLAIMCHECK_API_KEYS set and no key file could be written (%s): writes refused", exc
            )
            return KeyRing((), "none")
        log.info("no CLAIMCHECK_API_KEYS set: generated a write key in %s (readable by this user only)", path)
    else:
        log.info("write keys from %s", path)
    keys = tuple(line.strip().encode() for line in path.read_text().splitlines() if line.strip())
    if not keys:
        raise ValueError(f"{path} holds no key: delete it to have one generated, or set CLAIMCHECK_API_KEYS")
    return KeyRing(keys, str(path))


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Written whole to a private temporary name, then linked into place: two workers starting at
    # once cannot both install a key, and neither can read a half-written file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
