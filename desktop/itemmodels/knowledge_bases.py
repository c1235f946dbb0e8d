"""Knowledge bases the user can see, with how they are shared (a team server's are marked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core import KnowledgeBase
from desktop.itemmodels.rows import RowsModel
from desktop.kb_marks import kb_icon, kb_server_note, kb_title
from desktop.safe_text import tooltip


class KnowledgeBaseListModel(RowsModel[KnowledgeBase]):
    """Name, documents, sharing; the personal KB reads 'My uploads'."""

    def headers(self) -> list[str]:
        return [self.tr("Knowledge base"), self.tr("Documents"), self.tr("Access")]

    def title(self, kb: KnowledgeBase) -> str:
        """How a KB is named on screen."""
        return kb_title(kb)

    def cell(self, row: KnowledgeBase, column: int) -> str:
        if column == 0:
            return self.title(row)
        if column == 1:
            return str(row.documents)
        sharing = {
            "public": self.tr("public"),
            "shared": self.tr("shared"),
            "private": self.tr("private"),
        }[row.sharing]
        return sharing if row.can_write else self.tr("{sharing}, read only").format(sharing=sharing)

    def extra(self, row: KnowledgeBase, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.remote is not None:
                return tooltip(kb_server_note(row))
            return tooltip(self.tr("Owner: {owner}").format(owner=row.owner or "—"))
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and row.remote is not None:
            return kb_icon(row)
        if role == Qt.ItemDataRole.UserRole + 1 and column == 1:
            return row.documents
        return None

    def row_of(self, name: str) -> int:
        """The row of the KB called `name`, or -1."""
        return next((i for i, k in enumerate(self._rows) if k.name == name), -1)
