"""The maintenance log: compaction, optimize, integrity checks and backups as they ran."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from core import MaintenanceResult
from desktop.itemmodels.rows import SORT_ROLE, RowsModel
from desktop.safe_text import tooltip

WHEN, TASK, RESULT, SECONDS, DETAIL = range(5)


class MaintenanceTableModel(RowsModel[MaintenanceResult]):
    """When, task, ok / failed, seconds, detail (newest first, as the engine gives them)."""

    def __init__(self, parent: QObject | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.lang = lang

    def headers(self) -> list[str]:
        return [
            self.tr("When"),
            self.tr("Task"),
            self.tr("Result"),
            self.tr("Seconds"),
            self.tr("Detail"),
        ]

    def task_name(self, task: str) -> str:
        """A task as an administrator reads it."""
        names = {
            "vectors": self.tr("Vector index compaction"),
            "database": self.tr("Database optimize"),
            "integrity": self.tr("Integrity check"),
            "files": self.tr("Stored originals cleanup"),
            "backup": self.tr("Encrypted backup"),
        }
        return names.get(task, task)

    def cell(self, row: MaintenanceResult, column: int) -> str:
        if column == WHEN:
            return dt.datetime.fromtimestamp(row.started_at).strftime("%Y-%m-%d %H:%M")
        if column == TASK:
            return self.task_name(row.task)
        if column == RESULT:
            return self.tr("ok") if row.ok else self.tr("FAILED")
        if column == SECONDS:
            return f"{row.seconds:.2f}"
        return row.detail(self.lang)

    def extra(self, row: MaintenanceResult, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == DETAIL:
            return tooltip(row.detail(self.lang))
        if role == Qt.ItemDataRole.ForegroundRole and column == RESULT and not row.ok:
            return QBrush(QColor("#c0392b"))
        if role == SORT_ROLE and column in (WHEN, SECONDS):
            return row.started_at if column == WHEN else row.seconds
        return None
