"""The status bar's sync with team servers: progress while copies catch up, then what changed."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from core import ServerUnreachable, SyncProgress, SyncReport, SyncStage
from desktop.context import Context
from desktop.errors import error_text
from desktop.safe_text import plain, tooltip
from desktop.tasks import Job


class SyncStatus(QWidget):
    """Runs `engine.sync.run` on a worker, one at a time; Stop ends it after the current batch.

    Emits `finished()` when a sync ended however it ended (lists show new sync times,
    and knowledge bases the server no longer lets this user read are gone).
    """

    finished = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.reports: list[SyncReport] = []
        self._total = 0
        self.label = plain(QLabel(self))
        self.label.setObjectName("syncLabel")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("syncProgress")
        self.progress.setMaximumWidth(160)
        self.stop_button = QPushButton(self.tr("Stop sync"), self)
        self.stop_button.setObjectName("syncStop")
        self.stop_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.progress)
        row.addWidget(self.stop_button)
        self._show_progress(False)

    @property
    def busy(self) -> bool:
        """A sync is running."""
        return self.job is not None and not self.job.finished

    def start(self, kb: str | None = None) -> None:
        """Sync every copy kept on this computer (or only `kb`'s) in the background."""
        if self.busy:
            return
        self.reports = []
        self._show_progress(True)
        self.progress.setRange(0, 0)
        self.label.setToolTip("")
        self.label.setText(self.tr("Syncing with the team server…"))
        engine, session = self.ctx.engine, self.ctx.user
        self.job = self.ctx.tasks.stream(
            lambda cancel: engine.sync.run(session, kb, cancel),
            self._on_event,
            self._on_done,
            self._on_failed,
        )

    @Slot()
    def cancel(self) -> None:
        """Stop after the current batch; the next sync continues where this one stopped."""
        if self.busy and self.job is not None:
            self.job.cancel()
            self.label.setText(self.tr("Stopping the sync…"))

    def _on_event(self, event: SyncProgress) -> None:
        # A listing says how many changes follow (a long log comes in pages); each document
        # event then only counts up, so the total is carried from the last listing.
        if event.stage is SyncStage.LISTED:
            self._total = event.done + event.total
            self.progress.setRange(0, max(self._total, 1))
            self.progress.setValue(event.done)
            self.label.setText(
                self.tr("{kb}: {total} change(s) to fetch").format(kb=event.kb, total=event.total)
            )
        elif event.stage is SyncStage.DOCUMENT:
            self._total = max(self._total, event.done)
            self.progress.setRange(0, max(self._total, 1))
            self.progress.setValue(event.done)
            self.label.setText(
                self.tr("{kb}: {document} ({done} of {total})").format(
                    kb=event.kb, document=event.document, done=event.done, total=self._total
                )
            )
        elif event.report is not None:
            self.reports.append(event.report)

    def _on_done(self, _result: object) -> None:
        self._show_progress(False)
        self.label.setText(self.summary())
        self.finished.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._show_progress(False)
        if isinstance(exc, ServerUnreachable):  # the others were synced: say so, do not block
            reason = error_text(exc, self.ctx.lang)
            self.label.setText(self.summary() + " " + reason if self.reports else reason)
            self.label.setToolTip(tooltip(reason))
        else:
            self.label.setText(self.summary() if self.reports else "")
            self.ctx.error(self.window(), exc)
        self.finished.emit()

    def summary(self) -> str:
        """What the sync did, one clause per knowledge base."""
        if not self.reports:
            return self.tr("Synced: no copy of a server's knowledge base is kept here.")
        return "; ".join(self.report_text(r) for r in self.reports)

    def report_text(self, report: SyncReport) -> str:
        """'Handbook: 3 added, 1 changed, 1 removed', or why the copy went away."""
        if report.dropped:
            return self.tr("{kb}: access revoked on the server, copy removed").format(kb=report.kb)
        text = self.tr("{kb}: {added} added, {changed} changed, {removed} removed").format(
            kb=report.kb, added=report.added, changed=report.changed, removed=report.removed
        )
        if report.re_embedded:
            text += self.tr(" (re-embedded locally: the server uses another embedding model)")
        if report.cancelled:
            text = self.tr("Stopped, continues at the next sync. ") + text
        return text

    def _show_progress(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.stop_button.setVisible(visible)
