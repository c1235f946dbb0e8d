"""A lock file that tells a restore whether any Konspekt process has the data folder open.

Every open engine holds a shared lock; a restore needs the exclusive one, so it never
swaps files under a running app. (POSIX `flock`; on Windows the check is skipped.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "konspekt.lock"


class FolderLock:
    """A shared or exclusive hold on a data folder, released by `release` or at exit."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._fh: IO[bytes] | None = None

    def share(self) -> None:
        """Hold the folder as one of possibly many running engines (waits for a restore)."""
        self._take(exclusive=False, wait=True)

    def take_alone(self) -> bool:
        """Hold the folder alone; False at once when anything else has it open."""
        return self._take(exclusive=True, wait=False)

    def _take(self, *, exclusive: bool, wait: bool) -> bool:
        if fcntl is None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+b")
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fh.fileno(), flags | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        """Let go (safe to call twice)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
