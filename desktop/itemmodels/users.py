"""Accounts for the admin view: approve, roles, reset, disable."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt

from core import User, UserStatus
from desktop.itemmodels.rows import SORT_ROLE, RowsModel


class UserTableModel(RowsModel[User]):
    """Username, name, role, status, last login."""

    def headers(self) -> list[str]:
        return [
            self.tr("Username"),
            self.tr("Name"),
            self.tr("Role"),
            self.tr("Status"),
            self.tr("Last login"),
        ]

    def role_name(self, role: str) -> str:
        """A role as the admin reads it."""
        names = {
            "admin": self.tr("administrator"),
            "editor": self.tr("editor"),
            "member": self.tr("member"),
        }
        return names.get(role, role)

    def status_name(self, status: UserStatus) -> str:
        """An account status as the admin reads it."""
        names = {
            "active": self.tr("active"),
            "pending": self.tr("waiting for approval"),
            "disabled": self.tr("disabled"),
        }
        return names.get(status.value, status.value)

    def cell(self, row: User, column: int) -> str:
        if column == 0:
            return row.username
        if column == 1:
            return row.display_name
        if column == 2:
            return self.role_name(row.role.value)
        if column == 3:
            return self.status_name(row.status)
        if row.last_login is None:
            return self.tr("never")
        return QDateTime.fromSecsSinceEpoch(int(row.last_login)).toString("yyyy-MM-dd HH:mm")

    def extra(self, row: User, column: int, role: int) -> Any:
        if role == SORT_ROLE and column == 4:
            return row.last_login or 0.0
        if role == Qt.ItemDataRole.FontRole and row.status is UserStatus.PENDING:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None
