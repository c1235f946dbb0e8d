"""Chats exported to Markdown or PDF, by their owner, when the installation allows export."""

from __future__ import annotations

from pathlib import Path

from core.errors import InvalidInput
from core.export.chat_markdown import chat_markdown
from core.export.chat_parts import ChatExport
from core.export.chat_pdf import chat_pdf
from core.export.files import write_atomic
from core.identity import Session, User
from core.memory.chats import Chats
from core.security import audit
from core.services.context import Context
from core.types import ChatMessage

FORMATS = ("md", "pdf")


class ExportService:
    """One user's chat as a document, with each answer's sources and their passages."""

    def __init__(self, ctx: Context, chats: Chats) -> None:
        self._ctx = ctx
        self._chats = chats

    def render_chat(self, session: Session, chat_id: int, fmt: str, lang: str = "en") -> bytes:
        """The chat as Markdown (UTF-8) or PDF bytes, nothing written (a server's download).

        Raises:
            FeatureDisabled: export is turned off (`Settings.allow_export`).
            NotFound: no such chat of this user (another user's chat is never found).
            InvalidInput: `fmt` is neither 'md' nor 'pdf'.
        """
        self._ctx.settings.require("allow_export")
        if fmt not in FORMATS:
            raise InvalidInput("export_format_unknown", format=fmt)
        user = self._ctx.actor(session)
        chat = self._chats.get(user.id, chat_id)
        messages = tuple(self._chats.messages(user.id, chat_id))
        export = ChatExport(chat, messages, self._passages(user, messages), lang, self._ctx.clock())
        return chat_markdown(export).encode() if fmt == "md" else chat_pdf(export)

    def chat(
        self, session: Session, chat_id: int, path: Path, fmt: str = "md", lang: str = "en"
    ) -> Path:
        """Write the chat to `path` (whole or not at all; see `render_chat`); the path.

        The file is plaintext by design: the user chose to take the chat out. It is
        written next to `path` and renamed, never through a temporary folder.
        """
        data = self.render_chat(session, chat_id, fmt, lang)
        written = write_atomic(path, data)
        user = self._ctx.actor(session)
        with self._ctx.db.write() as con:  # the act, never the chat's text
            audit.record(con, user, "chat_exported", f"chat {chat_id}", format=fmt)
        return written

    def _passages(self, user: User, messages: tuple[ChatMessage, ...]) -> dict[int, str]:
        """The whole text of each cited passage the user can still read (else its snippet)."""
        ids = sorted({s.chunk_id for m in messages for s in m.sources if not s.remote_kb})
        ctx = self._ctx
        rows = ctx.library.chunk_rows(ids, ctx.access.visible_ids(user)) if ids else {}
        return {chunk_id: row.text for chunk_id, row in rows.items()}
