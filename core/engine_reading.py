"""The reading part of the Engine facade: opening a cited source at its page."""

from __future__ import annotations

from core.engine_chats import ChatOperations
from core.errors import InvalidInput
from core.identity import Session
from core.ingest import detect
from core.ingest.pdf import render_page
from core.security.access import AccessControl
from core.store.blobs import BlobStore
from core.store.library import Library
from core.types import PageImage, Passage


class ReadingOperations(ChatOperations):
    """Mixed into Engine. Every read checks the user may read the document's KB."""

    _library: Library
    _blobs: BlobStore
    _access: AccessControl

    def _readable(self, session: Session, document_id: int) -> tuple[str, str, str]:
        user = self._actor(session)
        kb_id, blob_id, name, kind = self._library.document_file(document_id)
        self._access.by_id_for(user, kb_id, write=False)
        return blob_id, name, kind

    def document_file(self, session: Session, document_id: int) -> tuple[str, bytes]:
        """The original file of a document (name, bytes), for opening at a cited page."""
        blob_id, name, _ = self._readable(session, document_id)
        return name, self._blobs.get(blob_id)

    def document_passages(self, session: Session, document_id: int) -> list[Passage]:
        """The document's indexed text, chunk by chunk in reading order."""
        self._readable(session, document_id)
        return [
            Passage(i, loc, text) for i, text, loc in self._library.document_chunks(document_id)
        ]

    def render_page(
        self, session: Session, document_id: int, page: int, width: int = 900
    ) -> PageImage:
        """Page `page` (1-based, clamped) of a PDF document as an RGB image.

        Raises:
            InvalidInput: the document is not a PDF, or the page's shape is degenerate
                (show its passages instead).
        """
        blob_id, name, kind = self._readable(session, document_id)
        if kind != detect.PDF:
            raise InvalidInput("not_pdf", name=name)
        w, h, rgb = render_page(self._blobs.get(blob_id), page, max(64, min(width, 4000)), name)
        return PageImage(max(page, 1), w, h, rgb)
