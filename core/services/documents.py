"""Documents of a knowledge base: ingest, list, delete, and read a cited one at its page."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from core.errors import InvalidInput, ServerUnreachable
from core.identity import Session
from core.ingest import detect
from core.ingest.pdf import render_page
from core.security import audit
from core.services.context import Context
from core.services.ingesting import Ingestor
from core.services.knowledge_bases import writable
from core.services.remotes import RemoteService
from core.types import Document, IngestProgress, PageImage, Passage, Upload


class DocumentService:
    """Documents as a user may see and change them.

    Every read checks the user may read the document's knowledge base; every change,
    that they may write it.
    """

    def __init__(self, ctx: Context, ingestor: Ingestor, remotes: RemoteService) -> None:
        self._ctx = ctx
        self._ingestor = ingestor
        self._remotes = remotes

    def ingest(
        self,
        session: Session,
        paths: Sequence[Path | str | Upload],
        kb: str | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[IngestProgress]:
        """Index files, folders and zips into `kb` (the user's own uploads when None).

        `paths` name files on this computer, or carry files sent over the network
        (`Upload`, kept in memory: a server never writes them to disk in plaintext).

        Yields progress, ending with FINISHED. Unchanged files are skipped, changed ones
        re-indexed, files gone from a folder or zip that was given are removed. Each bad
        file fails alone with a reason. A KB that does not exist yet is created for
        editors and admins. Another knowledge base's ingest or delete runs meanwhile.

        Raises:
            FeatureDisabled: `kb` is None and private uploads are turned off.
        """
        user = self._ctx.actor(session)
        if kb is None:
            self._ctx.settings.require("allow_private_uploads")
        target = writable(self._ctx.access, user, kb)
        items = [p if isinstance(p, Upload) else Path(p) for p in paths]
        yield from self._ingestor.run(user, target, items, cancel)

    def all(self, session: Session, kb: str | None = None) -> list[Document]:
        """Documents of a knowledge base (the user's own uploads when None), with status."""
        ctx = self._ctx
        user = ctx.actor(session)
        target = ctx.access.personal(user) if kb is None else ctx.access.for_read(user, kb)
        return ctx.library.documents(target.id)

    def delete(self, session: Session, document_id: int) -> None:
        """Remove a document, its chunks, vectors and stored original."""
        ctx = self._ctx
        user = ctx.actor(session)
        kb_id, _, name, _ = ctx.library.document_file(document_id)
        ctx.access.by_id_for(user, kb_id, write=True)
        with ctx.locks.kb(kb_id):
            removed = ctx.library.remove_documents([document_id])
            vectors = ctx.index.open().vectors
            vectors.delete(removed)
            vectors.compact()
            ctx.blobs.prune(ctx.library.blob_ids())
            with ctx.db.write() as con:
                audit.record(con, user, "document_deleted", name, kb_id=kb_id)

    def original(self, session: Session, document_id: int) -> tuple[str, bytes]:
        """The original file of a document (name, bytes): a team server's download.

        Raises:
            FeatureDisabled: export is turned off (`Settings.allow_export`).
        """
        self._ctx.settings.require("allow_export")
        blob_id, name, _ = self._readable(session, document_id)
        return name, self._ctx.blobs.get(blob_id)

    def passages(self, session: Session, document_id: int, *, remote_kb: int = 0) -> list[Passage]:
        """The document's indexed text, chunk by chunk in reading order.

        With `remote_kb` (a source of a team server's answer, `Source.remote_kb`) the
        document is the server's: read there, or from the copy when it cannot be reached.
        """
        if remote_kb:
            try:
                return self._remotes.passages(session, remote_kb, document_id)
            except ServerUnreachable:
                document_id = self._remotes.copy_of(session, remote_kb, document_id)
        self._readable(session, document_id)
        chunks = self._ctx.library.document_chunks(document_id)
        return [Passage(i, loc, text) for i, text, loc in chunks]

    def render_page(
        self, session: Session, document_id: int, page: int, width: int = 900, *, remote_kb: int = 0
    ) -> PageImage:
        """Page `page` (1-based, clamped) of a PDF document as an RGB image.

        With `remote_kb` the document is a team server's, rendered there (or from the
        copy when the server cannot be reached), as for `passages`.

        Raises:
            InvalidInput: the document is not a PDF, or the page's shape is degenerate
                (show its passages instead).
        """
        if remote_kb:
            try:
                return self._remotes.render_page(session, remote_kb, document_id, page, width)
            except ServerUnreachable:
                document_id = self._remotes.copy_of(session, remote_kb, document_id)
        blob_id, name, kind = self._readable(session, document_id)
        if kind != detect.PDF:
            raise InvalidInput("not_pdf", name=name)
        data = self._ctx.blobs.get(blob_id)
        w, h, rgb = render_page(data, page, max(64, min(width, 4000)), name)
        return PageImage(max(page, 1), w, h, rgb)

    def _readable(self, session: Session, document_id: int) -> tuple[str, str, str]:
        user = self._ctx.actor(session)
        kb_id, blob_id, name, kind = self._ctx.library.document_file(document_id)
        self._ctx.access.by_id_for(user, kb_id, write=False)
        return blob_id, name, kind
