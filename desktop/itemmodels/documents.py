"""Documents of one knowledge base with their index status (and live ingest progress)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from core import Document, DocumentStatus
from desktop.itemmodels.rows import SORT_ROLE, RowsModel
from desktop.safe_text import tooltip

NAME, STATUS, CHUNKS, PAGES, KIND = range(5)


class DocumentTableModel(RowsModel[Document]):
    """Name, status (indexed / failed: why / indexing n %), chunks, pages, type."""

    def __init__(self, parent: QObject | None = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.lang = lang
        self._progress: dict[str, int] = {}

    def headers(self) -> list[str]:
        return [
            self.tr("Name"),
            self.tr("Status"),
            self.tr("Chunks"),
            self.tr("Pages"),
            self.tr("Type"),
        ]

    def set_progress(self, source: str, percent: int | None) -> None:
        """Show `source` as being indexed (percent) or clear it (None)."""
        if percent is None:
            self._progress.pop(source, None)
        else:
            self._progress[source] = percent
        for i, doc in enumerate(self._rows):
            if doc.source == source:
                index = self.index(i, STATUS)
                self.dataChanged.emit(index, index)

    def status_text(self, doc: Document) -> str:
        """The status as the user reads it."""
        if doc.source in self._progress:
            return self.tr("indexing {percent} %").format(percent=self._progress[doc.source])
        if doc.status is DocumentStatus.FAILED:
            return self.tr("failed: {reason}").format(reason=doc.error(self.lang, short_name=True))
        return self.tr("indexed")

    def cell(self, row: Document, column: int) -> str:
        if column == NAME:
            return row.name
        if column == STATUS:
            return self.status_text(row)
        if column == CHUNKS:
            return str(row.chunks)
        if column == PAGES:
            return str(row.pages) if row.pages else ""
        return row.kind.upper()

    def extra(self, row: Document, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.source if column == NAME else self.status_text(row))
        failed = row.status is DocumentStatus.FAILED
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS and failed:
            return QBrush(QColor("#c0392b"))
        if role == SORT_ROLE and column in (CHUNKS, PAGES):
            return row.chunks if column == CHUNKS else row.pages
        return None
