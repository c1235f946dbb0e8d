"""Who may change documents now: one writer per knowledge base, or one over all of them.

Ingests and deletions lock only their own knowledge base, so one user's long ingest
never holds up another user's work in another knowledge base. What touches every
knowledge base at once (renewing the data secret, a backup's copy of the files,
compaction, pruning stray originals) takes `everything()`, which waits for the running
writers and lets no new one start meanwhile (it is not starved by a stream of ingests).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class KbLocks:
    """Per-knowledge-base write locks under one exclusive lock."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._writing: set[int] = set()
        self._exclusive = False
        self._exclusive_waiting = 0

    @contextmanager
    def kb(self, kb_id: int) -> Iterator[None]:
        """Hold knowledge base `kb_id` for writing (waits for its current writer)."""
        with self._changed:
            while self._exclusive or self._exclusive_waiting or kb_id in self._writing:
                self._changed.wait()
            self._writing.add(kb_id)
        try:
            yield
        finally:
            with self._changed:
                self._writing.discard(kb_id)
                self._changed.notify_all()

    @contextmanager
    def everything(self) -> Iterator[None]:
        """Hold every knowledge base (waits for every current writer to finish)."""
        with self._changed:
            self._exclusive_waiting += 1
            try:
                while self._exclusive or self._writing:
                    self._changed.wait()
            finally:
                self._exclusive_waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._changed:
                self._exclusive = False
                self._changed.notify_all()

    def busy(self, kb_id: int) -> bool:
        """Whether `kb_id` is being written now."""
        with self._changed:
            return kb_id in self._writing or self._exclusive
