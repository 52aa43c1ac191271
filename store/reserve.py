"""Room kept aside on the store's disk, so that deleting documents still works once it is full.

SQLite never writes in place: a delete appends the changed pages to the write-ahead log (and FTS5
adds delete markers to its index), so on a disk with no byte left a delete fails just like an
insert, and a store whose WAL files went away at a clean shutdown cannot even be opened for
reading (its shared-memory file needs 32 KiB). The service keeps a reserve file of a fixed size
beside the store; when a delete (or opening the store) fails for lack of space, the reserve is
given up and the operation retried once. The pages a delete frees inside the store are reused by
later writes, so after that first delete, later deletes need little or no new disk space.

Ingests never eat into the reserve: while it cannot be held (the disk has less room than its
size), the store refuses them with ``StorageFull``, so the room stays for deletes. It is taken back,
and ingests resume, as soon as the disk has room for it again.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from store.faults import is_out_of_space

log = logging.getLogger("claimcheck")


class Reserve:
    """A file of ``size`` bytes, really allocated (not sparse), that can be given up when needed."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = path
        self.size = max(0, size)
        self._held = False

    def ensure(self) -> bool:
        """Hold the reserve: True when it is in place (or none is configured), False when the disk
        has no room for it (and no partial file is left).

        Cheap when it is held (one stat, which also notices another worker process sharing the
        data directory releasing it), so the store calls it before every ingest.
        """
        if self.size == 0:
            return True
        if self._held:
            try:
                if self.path.stat().st_size >= self.size:
                    return True
            except FileNotFoundError:
                pass
            self._held = False
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        except OSError as exc:
            log.warning("could not create the space reserve %s: %s", self.path, exc.strerror)
            return False
        try:
            # posix_fallocate allocates every block: a sparse file would reserve nothing.
            os.posix_fallocate(fd, 0, self.size)
        except OSError as exc:
            os.close(fd)
            self.path.unlink(missing_ok=True)
            if not is_out_of_space(exc, self.path.parent):
                log.warning("could not allocate the space reserve %s: %s", self.path, exc.strerror)
            return False
        os.close(fd)
        self._held = True
        log.info("space reserve of %d bytes held at %s", self.size, self.path)
        return True

    def release(self) -> bool:
        """Give the reserve's space back to the filesystem; True if there was any to give."""
        try:
            present = self.path.stat().st_size > 0
            self.path.unlink()
        except FileNotFoundError:
            present = False
        self._held = False
        if present:
            log.warning("disk full: released the space reserve %s to let the store work", self.path)
        return present
