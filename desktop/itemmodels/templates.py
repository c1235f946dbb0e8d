"""Question templates in a list: name, question and where each is shared."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from core import QuestionTemplate
from desktop.itemmodels.rows import RowsModel
from desktop.safe_text import tooltip


class TemplateListModel(RowsModel[QuestionTemplate]):
    """Columns: name, question, shared with (a KB's name, or "Only me")."""

    def headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Question"), self.tr("Shared with")]

    def cell(self, row: QuestionTemplate, column: int) -> str:
        if column == 0:
            return row.name
        if column == 1:
            return " ".join(row.text.split())
        return row.kb if row.kb is not None else self.tr("Only me")

    def extra(self, row: QuestionTemplate, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.text)
        return None

    def row_of(self, template_id: int) -> int:
        """The row showing template `template_id`, or -1."""
        return next((i for i, t in enumerate(self._rows) if t.id == template_id), -1)
