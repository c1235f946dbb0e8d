"""What an empty chat shows: the first steps and a few example questions to start from."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyStateView(QWidget):
    """Emits `example_chosen(question)` when an example is clicked (the chat fills its input)."""

    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.drop_hint = QLabel(self)
        self.drop_hint.setObjectName("dropHint")
        self.drop_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setFrameShape(QFrame.Shape.StyledPanel)
        self.drop_hint.setFrameShadow(QFrame.Shadow.Sunken)
        self.steps = QLabel(self)
        self.steps.setObjectName("emptySteps")
        self.steps.setWordWrap(True)
        self.examples_title = QLabel(self)
        self.examples: list[QPushButton] = []
        for i in range(4):
            button = QPushButton(self)
            button.setObjectName(f"example{i}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _c=False, b=button: self.example_chosen.emit(b.text()))
            self.examples.append(button)
        column = QWidget(self)
        em = self.fontMetrics().height()
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
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.drop_hint.setMinimumHeight(4 * em)
        self._retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

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
