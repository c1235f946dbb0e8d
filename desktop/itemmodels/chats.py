"""The user's chats, most recent first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt

from core import Chat
from desktop.itemmodels.rows import RowsModel


class ChatListModel(RowsModel[Chat]):
    """One column: the chat title; the tooltip says when it was last used."""

    def headers(self) -> list[str]:
        return [self.tr("Chat")]

    def cell(self, row: Chat, column: int) -> str:
        return row.title or self.tr("New chat")

    def extra(self, row: Chat, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            when = QDateTime.fromSecsSinceEpoch(int(row.updated_at)).toString("yyyy-MM-dd HH:mm")
            return self.tr("{count} messages, last {when}").format(count=row.messages, when=when)
        return None

    def row_of(self, chat_id: int) -> int:
        """The row showing chat `chat_id`, or -1."""
        return next((i for i, c in enumerate(self._rows) if c.id == chat_id), -1)
