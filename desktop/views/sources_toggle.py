"""The Sources button: folds the sources panel into the splitter's edge and opens it again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QSplitter, QToolButton, QWidget

PANEL = 2
"""The sources panel's place in the chat splitter."""


class SourcesToggle(QToolButton):
    """Checked while the panel is open; the splitter (saved in the prefs) keeps its width."""

    def __init__(self, splitter: QSplitter, width: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.splitter = splitter
        self._width = width
        self.setObjectName("toggleSources")
        self.setCheckable(True)
        self.setChecked(True)
        self.toggled.connect(self._on_toggled)
        splitter.splitterMoved.connect(self._on_splitter_moved)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setText(self.tr("Sources"))
        self.setToolTip(self.tr("Show or hide the sources panel (Ctrl+Shift+S)"))

    @Slot(bool)
    def _on_toggled(self, shown: bool) -> None:
        sizes = self.splitter.sizes()
        if shown == (sizes[PANEL] > 0):
            return
        panel = self.splitter.widget(PANEL)
        if shown:
            least = panel.minimumSizeHint().width() if panel is not None else 0
            width = max(self._width, least)
            sizes[PANEL - 1] = max(sizes[PANEL - 1] - width, 1)
            sizes[PANEL] = width
        else:
            self._width = sizes[PANEL]
            sizes[PANEL - 1] += sizes[PANEL]
            sizes[PANEL] = 0
        self.splitter.setSizes(sizes)

    @Slot(int, int)
    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self.sync()

    def sync(self) -> None:
        """Show whether the panel is open (after a drag or a restored splitter state)."""
        shown = self.splitter.sizes()[PANEL] > 0
        if shown != self.isChecked():
            self.blockSignals(True)
            self.setChecked(shown)
            self.blockSignals(False)
