"""The window shown while the data opens, when that takes a while: why, how far, and Quit.

Most starts open the store in well under a second and never show it. A store that an
older version wrote is upgraded first (a new keyword index is built from every passage:
~25 s at 100k passages, ~4 minutes at a million on 2 cores); without a window the app
would seem not to have started, and a second click would start it again.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from core import UpgradeProgress

SHOW_AFTER_MS = 800
"""A start quicker than this shows no window at all (an upgrade shows it at once)."""


class OpeningWindow(QWidget):
    """Opening's progress; Quit (or closing the window) asks to stop.

    Emits `stop_requested()` once; the shell stops the opening and quits when it has.
    """

    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog)
        self.setObjectName("openingWindow")
        self.setWindowTitle("Konspekt")
        self.setMinimumWidth(440)
        self.message = QLabel(self.tr("Opening your data…"), self)
        self.message.setObjectName("openingMessage")
        self.message.setWordWrap(True)
        self.detail = QLabel("", self)
        self.detail.setObjectName("openingDetail")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("openingProgress")
        self.bar.setRange(0, 0)  # busy until an upgrade says how far it is
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setObjectName("openingQuit")
        self.quit_button.clicked.connect(self._stop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.detail)
        layout.addWidget(self.quit_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.stopping = False

    def show_progress(self, progress: UpgradeProgress) -> None:
        """An upgrade's step: the window appears at once and says how far it has come."""
        if self.stopping:
            return
        self.message.setText(
            self.tr(
                "Upgrading your data for this version of Konspekt. This happens once and can "
                "take a few minutes for a large library; your documents stay as they are."
            )
        )
        locale = QLocale()
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.detail.setText(
            self.tr("{done} of {total} passages").format(
                done=locale.toString(progress.done), total=locale.toString(progress.total)
            )
        )
        self.show()

    def _stop(self) -> None:
        if self.stopping:
            return
        self.stopping = True
        self.quit_button.setEnabled(False)
        self.bar.setRange(0, 0)
        self.message.setText(
            self.tr("Stopping… An upgrade under way is undone; it starts again next time.")
        )
        self.detail.setText("")
        self.stop_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window is Quit: it stays until the opening has stopped."""
        event.ignore()
        self._stop()
