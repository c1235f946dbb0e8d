"""The numbered sources of an answer; unchecking one leaves it out of a re-ask."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from core import Source
from desktop.itemmodels.rows import RowsModel
from desktop.safe_text import tooltip


class SourceListModel(RowsModel[Source]):
    """'[n] document · p. 3' with the snippet as tooltip; checkable (in the context or not)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._excluded: set[int] = set()

    def headers(self) -> list[str]:
        return [self.tr("Source")]

    def set_rows(self, rows: Any) -> None:
        self._excluded.clear()
        super().set_rows(rows)

    def cell(self, row: Source, column: int) -> str:
        place = " · ".join(p for p in (row.location.label, row.location.heading) if p)
        mark = " ✓" if row.cited else ""
        weak = "  " + self.tr("(weak support)") if row.weak else ""
        return f"[{row.number}] {row.document}{' · ' + place if place else ''}{mark}{weak}"

    def extra(self, row: Source, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.snippet)
        if role == Qt.ItemDataRole.CheckStateRole:
            excluded = row.chunk_id in self._excluded
            return Qt.CheckState.Unchecked if excluded else Qt.CheckState.Checked
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return row.snippet
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else base

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = (
            Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        )
        if checked:
            self._excluded.discard(row.chunk_id)
        else:
            self._excluded.add(row.chunk_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def excluded(self) -> frozenset[int]:
        """Chunk ids the user unchecked."""
        return frozenset(self._excluded)

    def by_number(self, number: int) -> Source | None:
        """The source numbered `number` ([n] in the answer)."""
        return next((s for s in self._rows if s.number == number), None)
