"""The audit log for the admin view, newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime

from core import AuditEntry
from desktop.itemmodels.rows import SORT_ROLE, RowsModel


class AuditTableModel(RowsModel[AuditEntry]):
    """Time, user, action, target, details (counts and names, never document text)."""

    def headers(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("User"),
            self.tr("Action"),
            self.tr("Target"),
            self.tr("Details"),
        ]

    def cell(self, row: AuditEntry, column: int) -> str:
        if column == 0:
            return QDateTime.fromSecsSinceEpoch(int(row.at)).toString("yyyy-MM-dd HH:mm:ss")
        if column == 1:
            return row.actor
        if column == 2:
            return row.action.replace("_", " ")
        if column == 3:
            return row.target
        return ", ".join(f"{k}={v}" for k, v in row.detail)

    def extra(self, row: AuditEntry, column: int, role: int) -> Any:
        if role == SORT_ROLE and column == 0:
            return row.at
        return None
