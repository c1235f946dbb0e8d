"""Sync: a team server's change log and exports, and a desktop's copies catching up.

On a server, `changes` and `export` serve what a copy needs, only of knowledge bases
the caller may read, vectors unrotated (each side rotates under its own secret). On a
desktop, `run` lists each joined server's knowledge bases (a KB no longer readable there
loses its copy here) and pulls every copy the user keeps (`core.sync.pull`); the
scheduler does the same every `sync_minutes` for every joined server.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import KnownError, NotFound, PermissionDenied, ServerUnreachable
from core.identity import Session
from core.services.context import Context
from core.services.mirrors import Mirrors
from core.store.replica import MirrorRow, RemoteRow
from core.sync.pull import Pull, encode_vectors
from core.types import SyncProgress, SyncReport, SyncStage

log = logging.getLogger(__name__)

EXPORT_MAX = 64
"""Documents one export request may ask for."""
INLINE_ORIGINAL_MAX = 256 * 1024
"""Originals up to this size travel inside the export (a request each cost 60 % of a
sync of small files); larger ones are fetched one by one, never held 64 at a time."""
INLINE_TOTAL_MAX = 8 * 2**20
"""Inline originals per export, at most, in bytes."""
CHANGES_MAX = 5000
"""Changes one listing may return."""


class SyncService:
    """Serving copies (a server) and keeping them (a desktop)."""

    def __init__(self, ctx: Context, mirrors: Mirrors) -> None:
        self._ctx = ctx
        self._replica = ctx.replica
        self._mirrors = mirrors
        self._running = threading.Lock()
        self._cancel = threading.Event()

    # A server's side -----------------------------------------------------------------
    def changes(self, session: Session, kb_id: int, since: int, limit: int) -> dict[str, Any]:
        """Each document's latest change in a readable knowledge base after `since`."""
        user = self._ctx.actor(session)
        kb = self._ctx.access.by_id_for(user, kb_id, write=False)
        limit = max(1, min(limit, CHANGES_MAX))
        version = self._replica.version(kb.id)
        changes = self._replica.changes_since(kb.id, since, limit + 1)
        return {
            "kb": kb.id,
            "name": kb.name,
            "log": self._replica.log_id(kb.id),
            "since": since,
            "version": version,
            "more": len(changes) > limit,
            "changes": [
                {"version": c.version, "document": c.document_id, "change": c.change}
                for c in changes[:limit]
            ],
        }

    def export(self, session: Session, kb_id: int, doc_ids: list[int]) -> dict[str, Any]:
        """Documents of a readable knowledge base with chunks and (unrotated) vectors.

        Documents no longer there are left out; the copy learns of their removal from
        the change log.

        Raises:
            FeatureDisabled: export is turned off here (`Settings.allow_export`): a synced
                copy is the documents leaving this installation.
        """
        self._ctx.settings.require("allow_export")
        user = self._ctx.actor(session)
        kb = self._ctx.access.by_id_for(user, kb_id, write=False)
        index = self._ctx.index.open()
        # indexed by an older embedder: re-indexed soon, and sent then
        found = [
            d
            for d in self._replica.export(kb.id, doc_ids[:EXPORT_MAX])
            if d.embedder == index.embedder.name
        ]
        vectors = index.vectors.vectors_of([c.id for d in found for c in d.chunks])
        documents = []
        inline = 0
        for doc in found:
            if any(c.id not in vectors for c in doc.chunks):
                continue  # being rewritten right now: the log lists it again
            original = None
            small = doc.size <= INLINE_ORIGINAL_MAX and inline + doc.size <= INLINE_TOTAL_MAX
            if doc.blob_id and small:
                original = base64.b64encode(self._ctx.blobs.get(doc.blob_id)).decode()
                inline += doc.size
            documents.append(
                {
                    "id": doc.id,
                    "version": doc.version,
                    **doc.wire(),
                    "vectors": encode_vectors(_stack([vectors[c.id] for c in doc.chunks])),
                    "original": original,
                }
            )
        return {"embedder": index.embedder.name, "dim": index.embedder.dim, "documents": documents}

    # A desktop's side ----------------------------------------------------------------
    def run(
        self, session: Session, kb: str | None = None, cancel: threading.Event | None = None
    ) -> Iterator[SyncProgress]:
        """Sync the user's servers now: every copy they keep, or only `kb`'s.

        A server out of reach is skipped (its copies stay as they are) and reported as
        ServerUnreachable after the others were synced.
        """
        user = self._ctx.actor(session)
        only = self._ctx.access.for_read(user, kb).id if kb is not None else None
        unreachable: KnownError | None = None
        for remote in self._replica.remotes(user.id):
            try:
                yield from self._sync_remote(remote, only, cancel)
            except ServerUnreachable as exc:
                unreachable = exc
        if unreachable is not None:
            raise unreachable

    def start(self) -> None:
        """Sync every joined server every `sync_minutes` (first one minute after start)."""
        self._cancel.clear()
        minutes = self._ctx.settings.sync_minutes
        if minutes > 0:
            self._ctx.scheduler.every("sync", minutes * 60, self._sync_all, first_delay_s=60)

    def stop(self) -> None:
        """A sync under way stops after its current batch."""
        self._cancel.set()

    def _sync_all(self) -> None:
        for remote in self._replica.remotes():
            if self._cancel.is_set():
                return
            try:
                for _ in self._sync_remote(remote, None, self._cancel):
                    pass
            except KnownError as exc:
                log.info("background sync of a team server skipped: %s", exc.key)

    def _sync_remote(
        self, remote: RemoteRow, only: int | None, cancel: threading.Event | None
    ) -> Iterator[SyncProgress]:
        with self._running, self._mirrors.client(remote) as client:
            for name in self._mirrors.reconcile(remote, client.get("/api/kbs")):
                report = SyncReport(name, dropped=True)
                yield SyncProgress(name, SyncStage.FINISHED, report=report)
            for mirror in self._replica.mirrors(remote.id):
                if not mirror.keep_copy or (only is not None and mirror.kb_id != only):
                    continue
                if cancel is not None and cancel.is_set():
                    return
                label = mirror.origin_name
                index = self._ctx.index.open()  # loads the embedder: only when a copy is kept
                pull = Pull(
                    client,
                    self._replica,
                    self._ctx.library,
                    index.vectors,
                    index.embedder,
                    self._ctx.blobs,
                )
                try:
                    with self._ctx.locks.kb(mirror.kb_id):
                        for event in pull.run(mirror, label, cancel):
                            if event.report is not None and not event.report.cancelled:
                                self._replica.update_mirror(
                                    mirror.kb_id, synced_at=self._ctx.clock()
                                )
                            yield event
                except (PermissionDenied, NotFound):  # revoked between listing and pulling
                    yield self._dropped(mirror, label)
            self._replica.set_remote_synced(remote.id, self._ctx.clock())

    def _dropped(self, mirror: MirrorRow, label: str) -> SyncProgress:
        self._mirrors.drop(mirror.kb_id)
        report = SyncReport(label, dropped=True)
        return SyncProgress(label, SyncStage.FINISHED, report=report)


def _stack(rows: list[npt.NDArray[np.float32]]) -> npt.NDArray[np.float32]:
    return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
