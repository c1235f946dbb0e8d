"""What the main window shows while the session is locked: no content, a way back in or out."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.views.forms import make_title


class LockScreen(QWidget):
    """Emits `unlock_requested` and `logout_requested`."""

    unlock_requested = Signal()
    logout_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.title = QLabel(self)
        self.title.setObjectName("lockTitle")
        make_title(self.title, 1.4)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("lockUnlock")
        self.unlock_button.clicked.connect(self.unlock_requested)
        self.logout_button = QPushButton(self)
        self.logout_button.setObjectName("lockLogout")
        self.logout_button.clicked.connect(self.logout_requested)
        for label in (self.title, self.note):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        box = QVBoxLayout(self)
        box.addStretch(1)
        box.addWidget(self.title)
        box.addWidget(self.note)
        box.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.logout_button, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(2)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Konspekt is locked"))
        self.note.setText(self.tr("Nothing is shown until you type your password again."))
        self.unlock_button.setText(self.tr("Unlock…"))
        self.logout_button.setText(self.tr("Log out"))
