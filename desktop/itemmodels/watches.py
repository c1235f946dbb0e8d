"""Watched folders with their scan state, for the watched-folders dialog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from core import WatchedFolder, WatchState
from desktop.itemmodels.rows import SORT_ROLE, RowsModel
from desktop.safe_text import tooltip

FOLDER, STATE, SCANNED, CHANGES = range(4)


class WatchTableModel(RowsModel[WatchedFolder]):
    """Folder, state (with the reason when it cannot be scanned), last scan, last changes."""

    def __init__(self, parent: QObject | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.lang = lang

    def headers(self) -> list[str]:
        return [self.tr("Folder"), self.tr("State"), self.tr("Last scan"), self.tr("Last changes")]

    def state_text(self, row: WatchedFolder) -> str:
        """The state as the user reads it."""
        texts = {
            WatchState.WAITING: self.tr("waiting for the first scan"),
            WatchState.SCANNING: self.tr("scanning…"),
            WatchState.OK: self.tr("up to date"),
            WatchState.ERROR: self.tr("not scanned: {reason}"),
        }
        text = texts[row.state].format(reason=row.error(self.lang))
        if row.state is not WatchState.ERROR and row.live:
            text += self.tr(" · following changes")
        return text

    def cell(self, row: WatchedFolder, column: int) -> str:
        if column == FOLDER:
            return row.path
        if column == STATE:
            return self.state_text(row)
        if column == SCANNED:
            if not row.scanned_at:
                return "—"
            return dt.datetime.fromtimestamp(row.scanned_at).strftime("%Y-%m-%d %H:%M")
        return self.tr("{indexed} indexed, {removed} removed, {failed} failed").format(
            indexed=row.indexed, removed=row.removed, failed=row.failed
        )

    def extra(self, row: WatchedFolder, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.cell(row, column))
        error = row.state is WatchState.ERROR
        if role == Qt.ItemDataRole.ForegroundRole and column == STATE and error:
            return QBrush(QColor("#c0392b"))
        if role == SORT_ROLE and column == SCANNED:
            return row.scanned_at
        return None
