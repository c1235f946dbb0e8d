"""The administrators' usage page: questions, "not found", feedback, speed and the index.

Aggregate figures only (the core refuses anyone but an administrator and never returns
question or answer text). The report is computed on a worker; charts are drawn in the
palette's colours, so they follow the light and dark themes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import DocumentUsage, UsageReport
from desktop.context import Context
from desktop.safe_text import plain
from desktop.views.usage_chart import BarChartView

PERIODS = (7, 30, 90)
MIB = 1024 * 1024


def _table(parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(parent)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    table.setSortingEnabled(False)
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.DisplayRole, value)  # numbers sort as numbers
            table.setItem(r, c, item)
    table.setSortingEnabled(True)


class UsagePage(QWidget):
    """One tab of the administration view: a period, the figures, charts and tables."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usagePage")
        self.report: UsageReport | None = None
        self.period = QComboBox(self)
        self.period.setObjectName("usagePeriod")
        self.period.currentIndexChanged.connect(self.refresh)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("usageExport")
        self.export_button.clicked.connect(self._on_export_clicked)
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("usageSummary")
        self.summary.setWordWrap(True)
        self.status = plain(QLabel(self))
        self.status.setObjectName("usageStatus")
        self.per_day = BarChartView(False, self)
        self.per_day.setObjectName("usagePerDay")
        self.per_kb = BarChartView(True, self)
        self.per_kb.setObjectName("usagePerKb")
        self.feedback = BarChartView(True, self)
        self.feedback.setObjectName("usageFeedback")
        self.growth = BarChartView(False, self)
        self.growth.setObjectName("usageGrowth")
        self.tables = QTabWidget(self)
        self.top_cited = _table(self, "usageTopCited")
        self.never_cited = _table(self, "usageNeverCited")
        self.failed = _table(self, "usageFailed")
        self.per_user = _table(self, "usagePerUser")
        for table in (self.per_user, self.top_cited, self.never_cited, self.failed):
            self.tables.addTab(table, "")
        self._layout()
        self._retranslate()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        charts = QGridLayout()
        charts.addWidget(self.per_day, 0, 0)
        charts.addWidget(self.per_kb, 0, 1)
        charts.addWidget(self.feedback, 1, 0)
        charts.addWidget(self.growth, 1, 1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addLayout(charts, 3)
        box.addWidget(self.tables, 2)
        box.addWidget(self.status)

    @property
    def days(self) -> int:
        """The chosen period in days."""
        return int(self.period.currentData() or PERIODS[1])

    @Slot()
    def refresh(self) -> None:
        """Compute the report for the chosen period on a worker."""
        engine, session, days = self.ctx.engine, self.ctx.user, self.days
        self.status.setText(self.tr("Counting…"))
        self.ctx.tasks.run(
            lambda: engine.analytics.usage(session, days), self._on_loaded, self._on_failed
        )

    def _on_loaded(self, report: UsageReport) -> None:
        self.report = report
        self.status.clear()
        self._show(report)

    def _on_failed(self, exc: BaseException) -> None:
        self.status.clear()
        self.ctx.error(self, exc)

    def _show(self, r: UsageReport) -> None:
        size = r.index
        self.summary.setText(
            self.tr(
                "{questions} questions; not found {not_found:.0f} %; "
                "rated right {up}, wrong {down}; "
                "first word after {first:.1f} s on average, {rate:.1f} tokens/s; "
                "{documents} documents, {chunks} passages, {mib:.1f} MiB on disk"
            ).format(
                questions=r.questions,
                not_found=100 * r.not_found_rate,
                up=r.thumbs_up,
                down=r.thumbs_down,
                first=r.avg_first_token_ms / 1000,
                rate=r.avg_tokens_per_s,
                documents=size.documents,
                chunks=size.chunks,
                mib=(size.database_bytes + size.vectors_bytes + size.blobs_bytes) / MIB,
            )
        )
        days = [d.day[5:] for d in r.per_day]
        self.per_day.set_data(self.tr("Questions per day"), days, [d.count for d in r.per_day])
        self.per_kb.set_data(
            self.tr("Questions per knowledge base"),
            [k.name for k in r.per_kb],
            [k.questions for k in r.per_kb],
        )
        self.feedback.set_data(
            self.tr("Feedback: {percent:.0f} % rated right").format(percent=100 * r.feedback_ratio),
            [self.tr("Right"), self.tr("Wrong")],
            [r.thumbs_up, r.thumbs_down],
        )
        self.growth.set_data(
            self.tr("Documents indexed per day"),
            [d.day[5:] for d in r.indexed_per_day],
            [d.count for d in r.indexed_per_day],
        )
        self._fill_tables(r)

    def _fill_tables(self, r: UsageReport) -> None:
        kb, document = self.tr("Knowledge base"), self.tr("Document")
        user, deleted = self.tr("User"), self.tr("(deleted account)")
        _fill(
            self.per_user,
            (user, self.tr("Questions"), self.tr("Not found"), self.tr("Right"), self.tr("Wrong")),
            [
                (u.username or deleted, u.questions, u.not_found, u.thumbs_up, u.thumbs_down)
                for u in r.per_user
            ],
        )
        cited = (document, kb, self.tr("Citations"))
        _fill(self.top_cited, cited, [self._document(d) for d in r.top_cited])
        _fill(self.never_cited, cited[:2], [self._document(d)[:2] for d in r.never_cited])
        _fill(
            self.failed,
            (document, kb, self.tr("Reason")),
            [
                (f.name or self._private(f.document_id), f.kb_name, f.error(self.ctx.lang))
                for f in r.failed
            ],
        )

    def _document(self, d: DocumentUsage) -> tuple[str, str, int]:
        return d.name or self._private(d.document_id), d.kb_name, d.citations

    def _private(self, document_id: int) -> str:
        return self.tr("document {id} (a knowledge base you cannot read)").format(id=document_id)

    @Slot()
    def _on_export_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export the usage tables as CSV"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the report's tables as CSV files into `folder` (on a worker)."""
        engine, session, days = self.ctx.engine, self.ctx.user, self.days
        self.ctx.tasks.run(
            lambda: engine.analytics.export_csv(session, folder, days),
            lambda files: self.status.setText(
                self.tr("{count} CSV files written to {path}").format(count=len(files), path=folder)
            ),
            self._on_failed,
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        current = self.period.currentIndex()
        self.period.blockSignals(True)
        self.period.clear()
        for days in PERIODS:
            self.period.addItem(self.tr("Last {days} days").format(days=days), days)
        self.period.setCurrentIndex(current if current >= 0 else 1)
        self.period.blockSignals(False)
        self.period.setAccessibleName(self.tr("Period"))
        self.export_button.setText(self.tr("Export CSV…"))
        titles = (
            self.tr("Per user"),
            self.tr("Most cited"),
            self.tr("Never cited"),
            self.tr("Failed documents"),
        )
        for i, title in enumerate(titles):
            self.tables.setTabText(i, title)
        if self.report is not None:
            self._show(self.report)
