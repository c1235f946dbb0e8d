"""Knowledge bases leaving as encrypted bundles and arriving from them.

Export: the knowledge base's editors (or owner) when the installation allows export.
Import: whoever may create knowledge bases here; the bundle becomes a new private
knowledge base of theirs ('Name (2)' when the name is taken). Both are audited with
names and counts only; the passphrase is never stored or logged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from core.errors import InvalidInput, KnownError
from core.export.bundle_export import KbSource, write_kb
from core.export.bundle_format import MIN_PASSPHRASE, BundleReader
from core.export.bundle_import import KbTarget, read_kb
from core.export.files import atomic_file
from core.identity import Session
from core.security import audit
from core.security.access import Permission
from core.services.context import Context
from core.types import BundleProgress


class _Stopped(Exception):
    """The export was cancelled: the partial file must go."""

    def __init__(self, event: BundleProgress) -> None:
        self.event = event


class BundleService:
    """Exporting a knowledge base to a bundle file and importing one."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def export(
        self,
        session: Session,
        kb: str,
        path: Path,
        passphrase: str,
        cancel: threading.Event | None = None,
    ) -> Iterator[BundleProgress]:
        """Write knowledge base `kb` to `path`, encrypted under `passphrase`.

        Yields a DOCUMENT event per document; the last event is FINISHED with the
        report. Cancelled, no file is left (`path` keeps what it held before).

        Raises:
            FeatureDisabled: export is turned off (`Settings.allow_export`).
            PermissionDenied: the user may not change `kb` (only its editors export it).
            InvalidInput: the passphrase is too short.
        """
        ctx = self._ctx
        ctx.settings.require("allow_export")
        user = ctx.actor(session)
        target = ctx.access.for_write(user, kb)
        if len(passphrase) < MIN_PASSPHRASE:
            raise InvalidInput("bundle_passphrase_short", chars=MIN_PASSPHRASE)
        index = ctx.index.open()
        stores = KbSource(
            ctx.db, ctx.library, ctx.replica, index.vectors, index.embedder, ctx.blobs
        )
        finished = None
        try:
            with ctx.locks.kb(target.id), atomic_file(path) as fh:
                for event in write_kb(fh, passphrase, stores, target.id, target.name, cancel):
                    if event.report is not None and event.report.cancelled:
                        raise _Stopped(event)
                    if event.report is not None:
                        finished = event
                    else:
                        yield event
        except _Stopped as stop:
            yield stop.event
            return
        if finished is None or finished.report is None:  # write_kb always ends with one
            return
        with ctx.db.write() as con:
            documents = finished.report.documents
            audit.record(con, user, "kb_exported", target.name, documents=documents)
        yield finished

    def import_(
        self,
        session: Session,
        path: Path,
        passphrase: str,
        cancel: threading.Event | None = None,
    ) -> Iterator[BundleProgress]:
        """Import the bundle at `path` as a new knowledge base of the user's.

        The same embedder as the bundle's: its vectors are used as they are; another:
        the chunks are re-embedded here (EMBEDDING events). The last event is FINISHED
        with the report (the name given, e.g. 'Name (2)'). All or nothing: cancelled or
        failed, nothing of the bundle stays.

        Raises:
            FeatureDisabled: export is turned off (`Settings.allow_export`).
            PermissionDenied: the user may not create knowledge bases.
            InvalidInput: wrong passphrase. KnownError: unreadable, damaged or altered,
                not a bundle, or made by a newer Konspekt (the message says which).
        """
        ctx = self._ctx
        ctx.settings.require("allow_export")
        user = ctx.admin(session, Permission.CREATE_KB)
        path = path.expanduser()
        try:
            source = open(path, "rb")  # noqa: SIM115 (closed by the with below)
        except OSError as exc:
            raise KnownError("bundle_unreadable", path=path, detail=exc.strerror or exc) from None
        with source:
            reader = BundleReader(source, passphrase, str(path))
            index = ctx.index.open()
            target = KbTarget(ctx.db, ctx.library, index.vectors, index.embedder, ctx.blobs)
            yield from read_kb(reader, target, user, cancel)
