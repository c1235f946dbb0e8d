"""File-system events for watched folders: the only module that imports watchdog.

Events only say "something changed under folder N"; what changed is found by the scan
they schedule (the same incremental ingest a periodic rescan runs), so a missed or
coalesced event costs a little delay, never a wrong index.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from core.ingest.sources import is_private, real_path

log = logging.getLogger(__name__)

_IGNORED_PREFIXES = (".", "~$", ".~lock")
"""Hidden files, Office lock files and editors' swap files do not trigger a scan."""


class _Handler(FileSystemEventHandler):
    def __init__(
        self, watch_id: int, on_change: Callable[[int], None], private: tuple[Path, ...]
    ) -> None:
        self.watch_id, self.on_change, self.private = watch_id, on_change, private

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads, including the scan's own
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        names = [Path(p).name for p in paths]
        if names and all(n.startswith(_IGNORED_PREFIXES) for n in names):
            return
        if paths and all(is_private(real_path(Path(p)), self.private) for p in paths):
            return  # Konspekt's own writes: a scan would write again, and so on for ever
        self.on_change(self.watch_id)


class FolderWatcher:
    """Calls `on_change(watch_id)` when anything under a watched folder changes."""

    def __init__(self, on_change: Callable[[int], None], private: Sequence[Path] = ()) -> None:
        """`private`: Konspekt's own data (data folder, key file); changes there are ignored."""
        self._on_change = on_change
        self._private = tuple(real_path(p) for p in private)
        self._observer: BaseObserver | None = None
        self._watches: dict[int, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the observer thread (idempotent)."""
        with self._lock:
            if self._observer is None:
                self._observer = Observer()
                self._observer.daemon = True
                self._observer.start()

    def watch(self, watch_id: int, folder: Path) -> bool:
        """Follow `folder` recursively; False when it cannot be watched (missing, no rights)."""
        with self._lock:
            if self._observer is None or watch_id in self._watches:
                return self._observer is not None
            try:
                handler = _Handler(watch_id, self._on_change, self._private)
                self._watches[watch_id] = self._observer.schedule(
                    handler, str(folder), recursive=True
                )
            except OSError as exc:  # missing folder, inotify limit: the rescan still covers it
                log.warning("cannot watch folder %s: %s", watch_id, exc.strerror or exc)
                return False
            return True

    def unwatch(self, watch_id: int) -> None:
        """Stop following one folder."""
        with self._lock:
            watch = self._watches.pop(watch_id, None)
            if watch is not None and self._observer is not None:
                with contextlib.suppress(KeyError, OSError):  # the folder vanished, watch too
                    self._observer.unschedule(watch)

    def watching(self) -> set[int]:
        """Ids of the folders followed now."""
        with self._lock:
            return set(self._watches)

    def stop(self) -> None:
        """Stop the observer thread and forget every folder."""
        with self._lock:
            observer, self._observer = self._observer, None
            self._watches.clear()
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
