"""The sources of the last answer: list, the retrieved passage, open, re-ask without some."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, Signal, Slot
from PySide6.QtWidgets import QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from core import Source
from desktop.itemmodels.rows import ROW_ROLE
from desktop.itemmodels.sources import SourceListModel
from desktop.safe_text import SafeTextBrowser
from desktop.views.forms import make_title
from desktop.views.passage_text import passage_html


class SourcesPanel(QWidget):
    """Emits `open_requested(source)` and `reask_requested()`."""

    open_requested = Signal(object)
    reask_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        self.model = SourceListModel(self)
        self.title = QLabel(self)
        make_title(self.title)
        self.list = QListView(self)
        self.list.setObjectName("sourceList")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.selectionModel().selectionChanged.connect(self._on_list_selection)
        self.list.doubleClicked.connect(self._on_list_double_clicked)
        self.context_title = QLabel(self)
        self.context = SafeTextBrowser(self)
        self.context.setObjectName("contextView")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openSource")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.reask_button = QPushButton(self)
        self.reask_button.setObjectName("reask")
        self.reask_button.clicked.connect(self.reask_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.title,
            self.list,
            self.context_title,
            self.context,
            self.open_button,
            self.reask_button,
        ):
            layout.addWidget(widget)
        self._retranslate()
        self._update_buttons()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Sources"))
        self.list.setAccessibleName(self.tr("Sources of the answer"))
        self.list.setToolTip(
            self.tr("✓ cited in the answer. Untick a passage to leave it out and ask again.")
        )
        self.context_title.setText(self.tr("Retrieved passage"))
        self.context.setAccessibleName(self.tr("Retrieved passage"))
        self.open_button.setText(self.tr("Open at this place"))
        self.reask_button.setText(self.tr("Ask again without unticked passages"))

    def show_sources(self, sources: tuple[Source, ...]) -> None:
        """Show the sources of an answer (empty clears the panel)."""
        self.model.set_rows(sources)
        self.context.clear()
        if sources:
            self.select(next((s.number for s in sources if s.cited), sources[0].number))
        self._update_buttons()

    def select(self, number: int) -> None:
        """Select source [number] and show its passage."""
        for row, source in enumerate(self.model.rows()):
            if source.number == number:
                self.list.setCurrentIndex(self.model.index(row, 0))

    def excluded(self) -> frozenset[int]:
        """Chunk ids of the unticked passages."""
        return self.model.excluded()

    def current(self) -> Source | None:
        """The selected source."""
        index = self.list.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current() is not None)
        self.reask_button.setEnabled(self.model.rowCount() > 0)

    @Slot(QItemSelection, QItemSelection)
    def _on_list_selection(self, _new: QItemSelection, _old: QItemSelection) -> None:
        source = self.current()
        if source is None:
            self.context.clear()
        else:
            place = " · ".join(
                p for p in (source.document, source.location.label, source.location.heading) if p
            )
            body = passage_html(source.snippet, source.document)
            self.context.setHtml(f"<p><b>{html.escape(place)}</b></p>{body}")
        self._update_buttons()

    @Slot(QModelIndex)
    def _on_list_double_clicked(self, index: QModelIndex) -> None:
        source = index.data(ROW_ROLE)
        if source is not None:
            self.open_requested.emit(source)

    @Slot()
    def _on_open_clicked(self) -> None:
        source = self.current()
        if source is not None:
            self.open_requested.emit(source)
