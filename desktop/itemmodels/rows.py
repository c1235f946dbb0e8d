"""A read-only table model over a list of frozen rows; subclasses name columns and cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole
"""data(index, ROW_ROLE) returns the row object itself."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""A value that sorts naturally (numbers as numbers)."""


class RowsModel(QAbstractTableModel, Generic[T]):
    """Rows are replaced wholesale with `set_rows` (lists here are small)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    # To implement -------------------------------------------------------------------
    def headers(self) -> list[str]:
        """Translated column titles."""
        raise NotImplementedError

    def cell(self, row: T, column: int) -> str:
        """The text shown for `row` in `column`."""
        raise NotImplementedError

    def extra(self, row: T, column: int, role: int) -> Any:
        """Other roles (tooltips, colours, sort keys); None by default."""
        return None

    # Rows -----------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[T]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        """The rows, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        """The row object at `row`, or None out of range."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def refresh_headers(self) -> None:
        """Re-read the headers (after the language changed)."""
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._rows:
            last = self.index(len(self._rows) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh_headers()
        return super().event(event)

    # QAbstractTableModel ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            value = self.extra(row, index.column(), role)
            return value if value is not None else self.cell(row, index.column())
        return self.extra(row, index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            names = self.headers()
            return names[section] if 0 <= section < len(names) else None
        return None
