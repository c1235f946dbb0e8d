"""The keyboard shortcuts: one table the window binds and Help → Keyboard shortcuts lists."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

KEYS: dict[str, tuple[str, ...]] = {
    "new_chat": ("Ctrl+N",),
    "focus_question": ("Ctrl+L",),
    "send": ("Ctrl+Return", "Ctrl+Enter"),
    "stop": ("Escape",),
    "find": ("Ctrl+F",),
    "find_in_chat": ("Ctrl+Shift+F",),
    "toggle_sources": ("Ctrl+Shift+S",),
    "chat_tab": ("Ctrl+1",),
    "library_tab": ("Ctrl+2",),
    "admin_tab": ("Ctrl+3",),
    "settings": ("Ctrl+,",),
    "shortcuts": ("F1",),
    "quit": ("Ctrl+Q",),
}
"""Action name → its keys (portable text). Menu actions and window shortcuts take them here."""


def keys_text(action: str) -> str:
    """The keys of `action` as this platform writes them (⌘ on macOS)."""
    return ", ".join(
        QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in KEYS[action]
    )


class ShortcutsDialog(QDialog):
    """Lists every shortcut of `KEYS` with what it does."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.table = QTableWidget(len(KEYS), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        em = self.fontMetrics().height()
        self.resize(42 * em, 34 * em)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def descriptions(self) -> dict[str, str]:
        """What each action of `KEYS` does, in the interface language."""
        return {
            "new_chat": self.tr("Start a new chat"),
            "focus_question": self.tr("Go to the question box"),
            "send": self.tr("Send the question"),
            "stop": self.tr("Stop the answer (or close the find box)"),
            "find": self.tr("Search chats (in the library: filter documents)"),
            "find_in_chat": self.tr("Find text in this chat"),
            "toggle_sources": self.tr("Show or hide the sources panel"),
            "chat_tab": self.tr("Go to Chat"),
            "library_tab": self.tr("Go to Library"),
            "admin_tab": self.tr("Go to Administration (administrators)"),
            "settings": self.tr("Settings"),
            "shortcuts": self.tr("This list of keyboard shortcuts"),
            "quit": self.tr("Quit"),
        }

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        for row, (action, text) in enumerate(self.descriptions().items()):
            self.table.setItem(row, 0, QTableWidgetItem(keys_text(action)))
            self.table.setItem(row, 1, QTableWidgetItem(text))
