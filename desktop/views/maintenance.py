"""Maintenance (admins): the log of scheduled upkeep and backups; run either now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import MaintenanceResult
from desktop.context import Context
from desktop.itemmodels.maintenance import DETAIL, MaintenanceTableModel
from desktop.safe_text import plain


class MaintenancePage(QWidget):
    """One tab of the administration view."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("maintenancePage")
        self.model = MaintenanceTableModel(self, ctx.lang)
        self.table = QTableView(self)
        self.table.setObjectName("maintenanceTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("maintenanceSummary")
        self.summary.setWordWrap(True)
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("maintenanceRun")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.backup_button = QPushButton(self)
        self.backup_button.setObjectName("maintenanceBackup")
        self.backup_button.clicked.connect(self._on_backup_clicked)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.busy.setFixedWidth(200)
        row = QHBoxLayout()
        row.addWidget(self.run_button)
        row.addWidget(self.backup_button)
        row.addWidget(self.busy)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        box.addLayout(row)
        self._retranslate()

    def refresh(self) -> None:
        """Reload the log and the backup folder's contents."""
        engine, session = self.ctx.engine, self.ctx.user

        def load() -> tuple[list[MaintenanceResult], int, str]:
            folder = str(engine.settings.backup_folder)
            return engine.upkeep.log(session), len(engine.upkeep.backups(session)), folder

        self._run(load, self._show)

    def _show(self, loaded: tuple[list[MaintenanceResult], int, str]) -> None:
        log, count, folder = loaded
        self.model.set_rows(log)
        backups = [r for r in log if r.task == "backup" and r.ok]
        problems = [r for r in log[:5] if not r.ok]
        text = self.tr("Backups are written to {folder} ({count} kept there now).").format(
            folder=folder, count=count
        )
        if backups:
            text += " " + self.tr("Last backup: {when}.").format(
                when=self.model.cell(backups[0], 0)
            )
        if problems:
            text += " " + self.tr("The last run had problems: see the red rows.")
        self.summary.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.run_button.setEnabled(not busy)
        self.backup_button.setEnabled(not busy)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def finished(result: Any) -> None:
            self._set_busy(False)
            done(result)

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.ctx.error(self, exc)

        self.ctx.tasks.run(work, finished, failed)

    @Slot()
    def _on_run_clicked(self) -> None:
        engine, session = self.ctx.engine, self.ctx.user
        self._set_busy(True)
        self._run(lambda: engine.upkeep.maintain(session), lambda _r: self.refresh())

    @Slot()
    def _on_backup_clicked(self) -> None:
        engine, session = self.ctx.engine, self.ctx.user
        self._set_busy(True)
        self._run(lambda: engine.upkeep.backup(session), lambda _r: self.refresh())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # An item model gets no LanguageChange of its own: details follow the new
            # language and the header re-reads its titles only when told.
            self.model.lang = self.ctx.lang
            self.model.refresh_headers()
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.run_button.setText(self.tr("Run maintenance now"))
        self.backup_button.setText(self.tr("Back up now"))
        self.table.setAccessibleName(self.tr("Maintenance log"))
        self.busy.setAccessibleName(self.tr("Working"))
