"""Find in the conversation: a box over the transcript, Enter selects the next match."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.views.transcript import TranscriptView


class ChatFindBox(QLineEdit):
    """Hidden until asked for (Ctrl+Shift+F); searches `transcript` from the selection on."""

    def __init__(self, transcript: TranscriptView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.setObjectName("findInChat")
        self.setClearButtonEnabled(True)
        self.setVisible(False)
        self.returnPressed.connect(self.find_next)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setPlaceholderText(self.tr("Find in this chat (Enter: next)"))
        self.setAccessibleName(self.tr("Find in this chat"))

    def open(self) -> None:
        """Show the box with its text selected, ready to type over."""
        self.setVisible(True)
        self.setFocus()
        self.selectAll()

    @Slot()
    def find_next(self) -> bool:
        """Select the next match (from the top after the last); False when there is none."""
        text = self.text()
        if not text:
            return False
        if self.transcript.find(text):
            return True
        self.transcript.moveCursor(QTextCursor.MoveOperation.Start)
        return self.transcript.find(text)
