"""What an empty chat shows: the first steps and a few example questions to start from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.safe_text import plain
from desktop.views.forms import make_title


class EmptyStateView(QWidget):
    """Emits `example_chosen(question)` when an example is clicked (the chat fills its input)."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        make_title(self.title, 1.5)
        self.drop_hint = QLabel(self)
        self.drop_hint.setObjectName("dropHint")
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setWordWrap(True)
        em = self.fontMetrics().height()
        self.steps = plain(QLabel(self))
        self.steps.setObjectName("emptySteps")
        self.steps.setWordWrap(True)
        self.examples_title = QLabel(self)
        self.examples: list[QPushButton] = []
        for i in range(4):
            button = QPushButton(self)
            button.setObjectName(f"example{i}")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _c=False, b=button: self.example_chosen.emit(b.text()))
            self.examples.append(button)
        column = QWidget(self)
        column.setMaximumWidth(40 * em)
        inner = QVBoxLayout(column)
        inner.setSpacing(em // 2)
        inner.addWidget(self.title)
        inner.addSpacing(em)
        inner.addWidget(self.drop_hint)
        inner.addWidget(self.steps)
        inner.addSpacing(em)
        inner.addWidget(self.examples_title)
        for button in self.examples:
            inner.addWidget(button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._style_drop_zone()
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        if event.type() == QEvent.Type.PaletteChange:
            self._style_drop_zone()
        super().changeEvent(event)

    def _style_drop_zone(self) -> None:
        """A dashed frame between the text's colour and the window's, in either theme."""
        window = self.palette().color(QPalette.ColorRole.Window)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        line = QColor(
            (window.red() + text.red()) // 2,
            (window.green() + text.green()) // 2,
            (window.blue() + text.blue()) // 2,
        )
        em = self.fontMetrics().height()
        self.drop_hint.setStyleSheet(
            f"QLabel#dropHint {{ border: 2px dashed {line.name()};"
            f" border-radius: {em // 2}px; padding: {em}px; }}"
        )

    def _retranslate(self) -> None:
        self.title.setText(self.tr("Ask your documents"))
        self.drop_hint.setText(
            self.tr("Drop a folder or files here to build a knowledge base from them")
        )
        self.steps.setText(
            self.tr(
                "1. Add documents: drop them here, or use Library → Add documents.\n"
                "2. Ask a question below; the answer cites its sources as [1], [2]…\n"
                "3. Hover a number to preview the passage, click it to open the page."
            )
        )
        self.examples_title.setText(self.tr("Try for example:"))
        questions = (
            self.tr("What are the main points of these documents?"),
            self.tr("Summarise the most important deadlines and dates."),
            self.tr("What do the documents say about costs and payments?"),
            self.tr("Which obligations does each party have?"),
        )
        for button, question in zip(self.examples, questions, strict=True):
            button.setText(question)
