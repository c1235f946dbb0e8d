"""Watched folders: knowledge bases that follow folders on disk.

A knowledge base can follow folders: file-system events schedule a scan of the folder
they came from (a couple of seconds after the last event, so a copy of many files is
one scan), and a periodic rescan catches whatever events missed (network drives, a
folder that came back, changes while the app was closed). A scan is the incremental
ingest of the folder: new and changed files are indexed, deleted ones removed, renamed
ones both; a missing folder is reported, never taken as "every file was deleted".
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.i18n import N_
from core.identity import Session, User, UserStatus
from core.jobs.watcher import FolderWatcher
from core.security import audit
from core.security.access import Permission, allows
from core.services.context import Context
from core.services.ingesting import Ingestor
from core.services.knowledge_bases import writable
from core.store.watches import Watches
from core.types import IngestReport, WatchedFolder

log = logging.getLogger(__name__)

SCAN_DELAY_S = 2.0
"""Quiet time after the last file-system event before its folder is scanned."""


class WatchService:
    """Folders knowledge bases follow: adding, removing, listing and scanning them."""

    def __init__(self, ctx: Context, ingestor: Ingestor) -> None:
        self._ctx = ctx
        self._ingestor = ingestor
        self._watches = Watches(ctx.db)
        self._watcher = FolderWatcher(self._folder_changed, ctx.settings.own_data)
        self._cancel = threading.Event()
        self._dirty: set[int] = set()
        self._dirty_lock = threading.Lock()

    # Background ---------------------------------------------------------------------------
    def start(self) -> None:
        """Follow every watched folder: events now, a full rescan periodically.

        With watched folders turned off (`Settings.allow_watched_folders`) nothing is
        followed; the folders stay listed.
        """
        if not self._ctx.settings.allow_watched_folders:
            return
        self._cancel.clear()
        self._watcher.start()
        for folder in self._watches.all():
            self._watcher.watch(folder.id, Path(folder.path))
        minutes = self._ctx.settings.watch_rescan_minutes
        if minutes > 0:
            self._ctx.scheduler.every("watch-rescan", minutes * 60, self._rescan_all)

    def stop(self) -> None:
        """Stop following folders; a scan under way stops after its current file."""
        self._cancel.set()
        self._watcher.stop()

    def _folder_changed(self, watch_id: int) -> None:
        with self._dirty_lock:
            self._dirty.add(watch_id)
        if self._ctx.scheduler.running:
            self._ctx.scheduler.soon(
                f"watch-{watch_id}", lambda: self._scan(watch_id), delay_s=SCAN_DELAY_S
            )

    def _rescan_all(self) -> None:
        for folder in self._watches.all():
            if self._cancel.is_set():
                return
            self._scan(folder.id)

    def _scan(self, watch_id: int) -> WatchedFolder | None:
        """Scan one folder into its knowledge base as the account that added it."""
        if not self._ctx.settings.allow_watched_folders:
            return None  # turned off since the watcher started: follow nothing more
        try:
            folder = self._watches.get(watch_id)
            owner = self._ctx.accounts.get(self._watches.owner_of(watch_id))
        except NotFound:
            return None  # removed meanwhile
        if owner.status is not UserStatus.ACTIVE:
            self._watches.broken(watch_id, N_("watch_owner_inactive"), {"user": owner.username})
            return self._watches.get(watch_id)
        try:
            kb = self._ctx.access.by_id_for(owner, folder.kb_id, write=True)
        except PermissionDenied:
            self._watches.broken(watch_id, N_("watch_no_access"), {"user": owner.username})
            return self._watches.get(watch_id)
        if kb.personal and not self._ctx.settings.allow_private_uploads:
            return self._watches.get(watch_id)  # feeds private uploads, turned off since
        path = Path(folder.path)
        if not path.is_dir():
            self._watches.broken(watch_id, N_("watch_folder_missing"), {"path": folder.path})
            return self._watches.get(watch_id)
        if self._ctx.scheduler.running and watch_id not in self._watcher.watching():
            self._watcher.watch(watch_id, path)  # the folder is back: follow its events again
        self._watches.scanning(watch_id)
        with self._dirty_lock:
            self._dirty.discard(watch_id)  # events from now on ask for another scan
        report = IngestReport(cancelled=True)
        try:
            events = self._ingestor.run(owner, kb, [path], self._cancel, audit_unchanged=False)
            for event in events:
                if event.report is not None:
                    report = event.report
        except Exception as exc:
            log.exception("scan of watched folder %s failed", watch_id)
            self._watches.broken(watch_id, N_("watch_scan_failed"), {"detail": type(exc).__name__})
            return self._watches.get(watch_id)
        self._watches.scanned(watch_id, report)
        with self._dirty_lock:
            again = watch_id in self._dirty
        if again:  # changed while it was being scanned: a run asked for now would be skipped
            self._folder_changed(watch_id)
        return self._watches.get(watch_id)

    # Operations -------------------------------------------------------------------------
    def add(self, session: Session, path: Path | str, kb: str | None = None) -> WatchedFolder:
        """Make `kb` (the user's own uploads when None) follow a folder and its subfolders.

        The folder is scanned at once when background jobs run (else by `scan`).
        Its files are indexed as the user, who needs write access to the knowledge base.

        Raises:
            FeatureDisabled: watched folders are turned off, or `kb` is None and private
                uploads are.
        """
        settings = self._ctx.settings
        settings.require("allow_watched_folders")
        if kb is None:
            settings.require("allow_private_uploads")
        user = self._ctx.actor(session)
        target = writable(self._ctx.access, user, kb)
        folder = Path(path).expanduser().absolute()
        if not folder.is_dir():
            raise InvalidInput("watch_not_folder", path=str(folder))
        watch_id = self._watches.add(target.id, user.id, str(folder))
        with self._ctx.db.write() as con:
            audit.record(con, user, "watch_added", target.name, path=str(folder))
        if self._ctx.scheduler.running:
            self._watcher.watch(watch_id, folder)
            self._folder_changed(watch_id)
        return self._with_live(self._watches.get(watch_id))

    def remove(self, session: Session, watch_id: int) -> None:
        """Stop following a folder; its documents stay (delete them, or the KB, to drop them)."""
        user = self._ctx.actor(session)
        folder = self._visible_watch(user, watch_id)
        if not allows(user, Permission.DELETE_ANY_KB):
            self._ctx.access.by_id_for(user, folder.kb_id, write=True)
        self._watcher.unwatch(watch_id)
        self._watches.remove(watch_id)
        with self._ctx.db.write() as con:
            audit.record(con, user, "watch_removed", folder.kb, path=folder.path)

    def all(self, session: Session, kb: str | None = None) -> list[WatchedFolder]:
        """Folders followed by the knowledge bases the user can see (or by `kb`)."""
        user = self._ctx.actor(session)
        if kb is None:
            kb_ids = self._ctx.access.visible_ids(user)
        else:
            kb_ids = [self._ctx.access.for_read(user, kb).id]
        return [self._with_live(f) for f in self._watches.all(kb_ids)]

    def scan(self, session: Session, watch_id: int | None = None) -> list[WatchedFolder]:
        """Scan now (one folder, or every folder the user may write into); the new states.

        Raises:
            FeatureDisabled: watched folders are turned off.
        """
        self._ctx.settings.require("allow_watched_folders")
        user = self._ctx.actor(session)
        if watch_id is not None:
            folders = [self._visible_watch(user, watch_id)]
        else:
            folders = self._watches.all(self._ctx.access.visible_ids(user))
        scanned = []
        for folder in folders:
            self._ctx.access.by_id_for(user, folder.kb_id, write=True)
            result = self._scan(folder.id)
            if result is not None:
                scanned.append(self._with_live(result))
        return scanned

    def _visible_watch(self, user: User, watch_id: int) -> WatchedFolder:
        folder = self._watches.get(watch_id)
        if folder.kb_id not in self._ctx.access.visible_ids(user) and not allows(
            user, Permission.DELETE_ANY_KB
        ):
            raise NotFound("watch_missing", id=watch_id)
        return folder

    def _with_live(self, folder: WatchedFolder) -> WatchedFolder:
        return replace(folder, live=folder.id in self._watcher.watching())
