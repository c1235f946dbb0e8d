"""The user's summary history: what the model noted at each logout or cleared chat."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import Summary
from desktop.context import Context
from desktop.safe_text import SafeTextBrowser

_ROW = 256


class SummariesDialog(QDialog):
    """List (pinned marked), the selected summary's text, Pin/Unpin and Delete."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("summariesDialog")
        self.setWindowTitle(self.tr("Session summaries"))
        self.resize(760, 480)
        self.list = QListWidget(self)
        self.list.setObjectName("summaryList")
        self.list.currentItemChanged.connect(self._on_list_current)
        self.text = SafeTextBrowser(self)
        self.text.setObjectName("summaryText")
        self.pin = QPushButton(self.tr("Pin"), self)
        self.pin.setObjectName("summaryPin")
        self.pin.clicked.connect(self._on_pin_clicked)
        self.delete = QPushButton(self.tr("Delete"), self)
        self.delete.setObjectName("summaryDelete")
        self.delete.clicked.connect(self._on_delete_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        panes = QHBoxLayout()
        panes.addWidget(self.list, 1)
        panes.addWidget(self.text, 2)
        row = QHBoxLayout()
        row.addWidget(self.pin)
        row.addWidget(self.delete)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(panes)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Reload the history."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.memory.summaries(session),
            self._on_loaded,
            lambda e: self.ctx.error(self, e),
        )

    def _on_loaded(self, summaries: list[Summary]) -> None:
        current = self.current()
        self.list.clear()
        for summary in summaries:
            when = QDateTime.fromSecsSinceEpoch(int(summary.created_at)).toString(
                "yyyy-MM-dd HH:mm"
            )
            reason = self.tr("logout") if summary.reason == "logout" else self.tr("cleared chat")
            item = QListWidgetItem(("📌 " if summary.pinned else "") + f"{when} · {reason}")
            item.setData(_ROW, summary)
            self.list.addItem(item)
            if current is not None and current.id == summary.id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._update()

    def current(self) -> Summary | None:
        """The selected summary."""
        item = self.list.currentItem()
        summary: Summary | None = item.data(_ROW) if item is not None else None
        return summary

    @Slot()
    def _on_list_current(self) -> None:
        summary = self.current()
        self.text.show_markdown(summary.text if summary else "")
        self._update()

    def _update(self) -> None:
        summary = self.current()
        self.pin.setEnabled(summary is not None)
        self.delete.setEnabled(summary is not None)
        self.pin.setText(self.tr("Unpin") if summary and summary.pinned else self.tr("Pin"))

    @Slot()
    def _on_pin_clicked(self) -> None:
        summary = self.current()
        if summary is not None:
            engine, session = self.ctx.engine, self.ctx.user
            self.ctx.tasks.run(
                lambda: engine.memory.pin_summary(session, summary.id, not summary.pinned),
                lambda _s: self.refresh(),
                lambda e: self.ctx.error(self, e),
            )

    @Slot()
    def _on_delete_clicked(self) -> None:
        summary = self.current()
        if summary is not None:
            engine, session = self.ctx.engine, self.ctx.user
            self.ctx.tasks.run(
                lambda: engine.memory.delete_summary(session, summary.id),
                lambda _r: self.refresh(),
                lambda e: self.ctx.error(self, e),
            )
