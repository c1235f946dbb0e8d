"""Feedback on an answer: 👍/👎, a private comment, and asking again without bad passages.

The verdict is stored by the core in the encrypted chat (never logged); the passages the
user unticks are left out of the context of the question asked again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core import Feedback, Source
from desktop.context import Context
from desktop.safe_text import plain
from desktop.views.transcript import Entry, TranscriptView

CHUNK_ROLE = Qt.ItemDataRole.UserRole
COMMENT_CHARS = 2000


def source_line(source: Source) -> str:
    """One passage as a line of the list: number, document, page, the start of its text."""
    place = f", {source.location.label}" if source.location.label else ""
    snippet = " ".join(source.snippet.split())
    if len(snippet) > 200:
        snippet = snippet[:200].rsplit(" ", 1)[0] + "…"
    return f"[{source.number}] {source.document}{place} — {snippet}"


class FeedbackDialog(QDialog):
    """Rates one stored answer; emits `saved(feedback)`, then `reask_requested(excluded)`.

    `excluded` holds the chunk ids of the passages the user unticked.
    """

    saved = Signal(object)
    reask_requested = Signal(object)

    def __init__(
        self, ctx: Context, entry: Entry, rating: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.entry = ctx, entry
        self.message_id = entry.message_id or 0
        """The stored answer (open_feedback opens the dialog only for stored ones)."""
        self.setObjectName("feedbackDialog")
        self.setWindowTitle(self.tr("Feedback on the answer"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._reask = False
        self.right = QRadioButton(self.tr("👍 Right"), self)
        self.right.setObjectName("feedbackRight")
        self.wrong = QRadioButton(self.tr("👎 Wrong"), self)
        self.wrong.setObjectName("feedbackWrong")
        group = QButtonGroup(self)
        group.addButton(self.right)
        group.addButton(self.wrong)
        (self.right if rating > 0 else self.wrong).setChecked(True)
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("feedbackComment")
        self.comment.setPlaceholderText(
            self.tr("What was right or wrong? Optional; only you can read it.")
        )
        self.comment.setAccessibleName(self.tr("Comment"))
        self.comment.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.passages = QListWidget(self)
        self.passages.setObjectName("feedbackPassages")
        self.passages.setAccessibleName(self.tr("Passages the answer was given"))
        self.passages.setWordWrap(True)  # a passage reads whole, without scrolling sideways
        self.passages.setSpacing(3)
        self.passages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for source in entry.sources:
            item = QListWidgetItem(source_line(source))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(CHUNK_ROLE, source.chunk_id)
            self.passages.addItem(item)
        self.status = plain(QLabel(self))
        self.status.setObjectName("feedbackStatus")
        self.status.setWordWrap(True)
        self._buttons()
        self._layout()
        engine, session = ctx.engine, ctx.user
        ctx.tasks.run(lambda: engine.feedback.get(session, self.message_id), self._on_loaded)

    def _buttons(self) -> None:
        self.box = QDialogButtonBox(self)
        self.save_button = self.box.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("feedbackSave")
        self.reask_button = QPushButton(self.tr("Save and ask again without the unticked"), self)
        self.reask_button.setObjectName("feedbackReask")
        self.reask_button.setEnabled(bool(self.entry.sources))
        self.box.addButton(self.reask_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.box.accepted.connect(self.save)
        self.box.rejected.connect(self.reject)
        self.reask_button.clicked.connect(self._on_reask_clicked)

    def _layout(self) -> None:
        verdict = QHBoxLayout()
        verdict.addWidget(self.right)
        verdict.addWidget(self.wrong)
        verdict.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(verdict)
        box.addWidget(self.comment)
        if self.entry.sources:
            hint = plain(QLabel(self.tr("Untick the passages that misled the answer:"), self))
            box.addWidget(hint)
            box.addWidget(self.passages, 1)
        box.addWidget(self.status)
        box.addWidget(self.box)
        self.resize(620, 460)

    def _on_loaded(self, kept: Feedback | None) -> None:
        if kept is not None and not self.comment.toPlainText():
            self.comment.setPlainText(kept.comment)

    @property
    def rating(self) -> int:
        """1 when marked right, -1 when marked wrong."""
        return 1 if self.right.isChecked() else -1

    def excluded(self) -> frozenset[int]:
        """Chunk ids of the unticked passages."""
        items = (self.passages.item(i) for i in range(self.passages.count()))
        return frozenset(
            int(item.data(CHUNK_ROLE))
            for item in items
            if item.checkState() != Qt.CheckState.Checked
        )

    @Slot()
    def _on_reask_clicked(self) -> None:
        self._reask = True
        self.save()

    @Slot()
    def save(self) -> None:
        """Store the verdict and the comment (on a worker), then close."""
        comment = self.comment.toPlainText().strip()
        if len(comment) > COMMENT_CHARS:
            self.status.setText(
                self.tr("The comment is too long: at most {limit} characters.").format(
                    limit=COMMENT_CHARS
                )
            )
            return
        self.box.setEnabled(False)
        engine, session, rating = self.ctx.engine, self.ctx.user, self.rating
        self.ctx.tasks.run(
            lambda: engine.feedback.rate(session, self.message_id, rating, comment),
            self._on_saved,
            self._on_failed,
        )

    def _on_saved(self, feedback: Feedback) -> None:
        self.entry.rating = feedback.rating
        self.saved.emit(feedback)
        if self._reask:
            self.reask_requested.emit(self.excluded())
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.box.setEnabled(True)
        self._reask = False
        self.ctx.error(self, exc)


def open_feedback(
    parent: QWidget,
    ctx: Context,
    transcript: TranscriptView,
    message_id: int,
    rating: int,
    ask: Callable[[str, frozenset[int]], None],
) -> FeedbackDialog | None:
    """Open the dialog for the answer `message_id` of `transcript` (None when not shown).

    A re-ask calls `ask(question, excluded)` with the question that answer replied to.
    """
    at = next((i for i, e in enumerate(transcript.entries) if e.message_id == message_id), None)
    if at is None:
        return None
    entry = transcript.entries[at]
    question = next((e.text for e in reversed(transcript.entries[:at]) if e.role == "user"), "")
    dialog = FeedbackDialog(ctx, entry, rating, parent)
    dialog.saved.connect(lambda feedback: transcript.set_rating(message_id, feedback.rating))
    if question:
        dialog.reask_requested.connect(lambda excluded: ask(question, excluded))
    else:
        dialog.reask_button.setEnabled(False)
    dialog.open()
    return dialog
