"""The folders a knowledge base follows: add, remove, scan now, and how each scan went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import KnowledgeBase, WatchedFolder, WatchState
from desktop.context import Context
from desktop.errors import error_text
from desktop.itemmodels.watches import WatchTableModel
from desktop.views.forms import message_label, show_problem

REFRESH_MS = 2000
"""The list is re-read this often while the dialog is open (scans run in the background)."""


class WatchDialog(QDialog):
    """Emits `changed()` when a scan may have changed the knowledge base's documents."""

    changed = Signal()

    def __init__(self, ctx: Context, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kb = ctx, kb
        self.setObjectName("watchDialog")
        self.setWindowTitle(self.tr("Watched folders of “{name}”").format(name=kb.name))
        self.resize(960, 360)
        intro = QLabel(
            self.tr(
                "New, changed and deleted files in these folders (and their subfolders) are "
                "indexed automatically: at once when the system reports a change, and by a "
                "full rescan every few minutes."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.model = WatchTableModel(self, ctx.lang)
        self.table = QTableView(self)
        self.table.setObjectName("watchTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(self.tr("Watched folders"))
        self.buttons = {name: QPushButton(self) for name in ("add", "remove", "scan")}
        self.buttons["add"].setText(self.tr("Add folder…"))
        self.buttons["remove"].setText(self.tr("Stop watching"))
        self.buttons["scan"].setText(self.tr("Scan now"))
        for name, button in self.buttons.items():
            button.setObjectName(f"watch_{name}")
        self.buttons["add"].clicked.connect(self._on_add_clicked)
        self.buttons["remove"].clicked.connect(self._on_remove_clicked)
        self.buttons["scan"].clicked.connect(self._on_scan_clicked)
        self.message = message_label(self, "watchMessage")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        writable = kb.can_write
        for button in self.buttons.values():
            button.setEnabled(writable)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._scanned_at: dict[int, float] = {}
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Closed, or hidden by the session lock: polling would only find a locked session
        # (and, before, went on for ever after the dialog was closed).
        self._timer.stop()
        super().hideEvent(event)

    def _kb_name(self) -> str | None:
        return None if self.kb.personal else self.kb.name

    def _call(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        show_problem(self.message, "")
        self.ctx.tasks.run(
            work, done, lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang))
        )

    @Slot()
    def refresh(self) -> None:
        """Re-read the folders and their states (on a worker)."""
        engine, session, kb = self.ctx.engine, self.ctx.user, self.kb.name
        self.ctx.tasks.run(lambda: engine.watches.all(session, kb), self._show, lambda _exc: None)

    def _show(self, folders: list[WatchedFolder]) -> None:
        self._set_rows(folders)
        scanned = {f.id: f.scanned_at for f in folders}
        if any(self._scanned_at.get(i, t) != t for i, t in scanned.items()):
            self.changed.emit()
        self._scanned_at = scanned

    def _set_rows(self, folders: list[WatchedFolder]) -> None:
        """Show `folders`, keeping the selected one selected."""
        selected = self.selected()
        self.model.set_rows(folders)
        for row, folder in enumerate(folders):
            if selected is not None and folder.id == selected.id:
                self.table.selectRow(row)

    def selected(self) -> WatchedFolder | None:
        """The folder selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @Slot()
    def _on_add_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder to watch"))
        if folder:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        """Follow `folder`; its first scan starts in the background."""
        engine, session, kb = self.ctx.engine, self.ctx.user, self._kb_name()
        self._call(lambda: engine.watches.add(session, folder, kb), lambda _f: self.refresh())

    @Slot()
    def _on_remove_clicked(self) -> None:
        folder = self.selected()
        if folder is None:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self._call(lambda: engine.watches.remove(session, folder.id), lambda _r: self.refresh())

    @Slot()
    def _on_scan_clicked(self) -> None:
        """Scan the selected folder, or all of this knowledge base's when none is selected."""
        selected = self.selected()
        ids = [selected.id] if selected is not None else [f.id for f in self.model.rows()]
        if not ids:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.buttons["scan"].setEnabled(False)
        self._set_rows(
            [replace(f, state=WatchState.SCANNING) if f.id in ids else f for f in self.model.rows()]
        )

        def done(_result: object) -> None:
            self.buttons["scan"].setEnabled(self.kb.can_write)
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.buttons["scan"].setEnabled(self.kb.can_write)
            show_problem(self.message, error_text(exc, self.ctx.lang))

        self.ctx.tasks.run(lambda: [engine.watches.scan(session, i) for i in ids], done, failed)
