"""Files dropped on the chat: indexed into the user's own uploads, reported in the transcript."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

from core import IngestProgress, IngestStage
from desktop.context import Context
from desktop.tasks import Job
from desktop.views.transcript import Entry, TranscriptView


class ChatAttachments(QObject):
    """Runs one attachment ingest at a time; emits `attached()` when its files are searchable."""

    attached = Signal()

    def __init__(
        self,
        ctx: Context,
        transcript: TranscriptView,
        status: QLabel,
        progress: QProgressBar,
        view: QWidget,
    ) -> None:
        super().__init__(view)
        self.ctx, self.view = ctx, view
        self.transcript, self.status, self.progress = transcript, status, progress
        self.job: Job | None = None

    def attach(self, paths: list[Path]) -> None:
        """Index files into the user's own uploads so the chat can ask about them."""
        if self.job is not None and not self.job.finished:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Attaching {count} file(s)…").format(count=len(paths)))
        self.job = self.ctx.tasks.stream(
            lambda cancel: engine.documents.ingest(session, paths, None, cancel),
            self._on_event,
            lambda _r: self.progress.setVisible(False),
            self._on_failed,
        )

    def cancel(self) -> None:
        """Stop indexing within the current file; files finished before stay attached."""
        if self.job is not None:
            self.job.cancel()

    def _on_event(self, event: IngestProgress) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        if event.stage is IngestStage.FAILED:
            self.transcript.add(Entry("note", event.error(self.ctx.lang)))
        if event.stage is IngestStage.INDEXED:
            name = Path(event.source).name
            self.transcript.add(
                Entry(
                    "note", self.tr("Attached {name}: you can ask about it now.").format(name=name)
                )
            )
        if event.stage is IngestStage.FINISHED:
            self.status.clear()
            self.attached.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.status.clear()
        self.ctx.error(self.view, exc)
