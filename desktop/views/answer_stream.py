"""One answer streamed into the chat: its transcript entry, its sources and its status line.

Kept apart from the chat view so the view only lays out and routes; this owns the running
job, so stopping, finishing and failing an answer are handled in one place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from core import NEW_CHAT, AnswerEvent, ChatStarted, Done, Offline, Queued, Sources, Token
from desktop.context import Context
from desktop.safe_text import tooltip
from desktop.tasks import Job
from desktop.views.sources import SourcesPanel
from desktop.views.transcript import Entry, TranscriptView


class AnswerStream(QObject):
    """Streams `engine.answers.ask` into `transcript`, `sources` and `status`; one answer at a time.

    `notice` is a banner shown while the answer comes from this computer's copy of a team
    server's knowledge base because the server cannot be reached (`Offline`).

    Emits `chat_created(id)` when a question started a new stored chat, and `finished()`
    after each answer ended (done, stopped or failed).
    """

    chat_created = Signal(int)
    finished = Signal()

    def __init__(
        self,
        ctx: Context,
        transcript: TranscriptView,
        sources: SourcesPanel,
        status: QLabel,
        notice: QLabel,
        view: QWidget,
    ) -> None:
        super().__init__(view)
        self.ctx, self.view = ctx, view
        self.transcript, self.sources, self.status = transcript, sources, status
        self.notice = notice
        self.job: Job | None = None
        self._index = -1
        self.demo_model = False
        """The small demo model answers (the window sets it): every status line says so."""

    @property
    def busy(self) -> bool:
        """An answer is being generated."""
        return self.job is not None and not self.job.finished

    def start(
        self, question: str, kb: str | None, chat_id: int | None, exclude: frozenset[int]
    ) -> None:
        """Ask `question` in chat `chat_id` (in a new one, which the core makes, when None)."""
        engine, session = self.ctx.engine, self.ctx.user
        chat = NEW_CHAT if chat_id is None else chat_id
        self.transcript.add(Entry("user", question))
        self._index = self.transcript.add(Entry("assistant", "", streaming=True))
        self.status.setText(self.tr("Searching the documents…"))
        self.notice.setVisible(False)

        def answer(cancel: threading.Event) -> Iterator[AnswerEvent]:
            return engine.answers.ask(session, question, kb, cancel, chat=chat, exclude=exclude)

        self.job = self.ctx.tasks.stream(answer, self._on_event, self._on_done, self._on_failed)

    def cancel(self) -> None:
        """Stop the answer (llama.cpp stops before its next token); what came is kept."""
        if self.job is not None:
            self.job.cancel()

    def _on_event(self, event: AnswerEvent) -> None:
        if isinstance(event, ChatStarted):
            self.chat_created.emit(event.chat.id)
        elif isinstance(event, Offline):  # the server is out of reach; its copy answers
            self.notice.setText(event.message(self.ctx.lang))
            self.notice.setToolTip(tooltip(self.tr("Team server: {url}").format(url=event.server)))
            self.notice.setVisible(True)
        elif isinstance(event, Token):
            if not self.transcript.entries[self._index].text:
                self.status.setText(self.tr("Writing the answer…"))
            self.transcript.append_text(self._index, event.text)
        elif isinstance(event, Sources):
            self.transcript.finish(self._index, event.items)
            self.sources.show_sources(event.items)
        elif isinstance(event, Done):
            if event.message_id:  # kept in the chat: it can be rated now
                self.transcript.identify(self._index, event.message_id)
            text = self.stats_text(event)
            if self.demo_model:
                text = self.tr("Demo model — this answer is likely wrong. ") + text
            self.status.setText(text)
        elif isinstance(event, Queued):  # others' answers hold the model (a shared server)
            self.status.setText(
                self.tr("Waiting for the model: number {position} in the queue…").format(
                    position=event.position
                )
            )

    def stats_text(self, done: Done) -> str:
        """The status line after an answer: time, tokens, speed, recalled notes."""
        s = done.stats
        if not s.grounded:
            return self.tr("Nothing relevant was found; the model was not asked.")
        text = self.tr("{seconds:.1f} s, {tokens} tokens, {rate:.1f} tokens/s").format(
            seconds=s.total_ms / 1000, tokens=s.completion_tokens, rate=s.tokens_per_s
        )
        if s.memory_notes:
            text += self.tr("; remembered {notes} note(s) from earlier sessions").format(
                notes=s.memory_notes
            )
        return self.tr("Stopped. ") + text if s.cancelled else text

    def _on_done(self, _result: object) -> None:
        entry = self.transcript.entries[self._index] if self._index >= 0 else None
        if entry is not None and entry.streaming:
            self.transcript.finish(self._index, entry.sources)
        self.finished.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._on_done(None)
        self.status.clear()
        self.ctx.error(self.view, exc)
