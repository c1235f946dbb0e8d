"""The conversation as rendered Markdown; [n] markers become links to their sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QWidget

from core import Source
from desktop.safe_text import SafeTextBrowser

_CITATION = re.compile(r"\[(\d{1,2})\]")
_RENDER_DELAY_MS = 40
"""Tokens arriving faster than this are drawn together (keeps the UI thread free)."""


@dataclass
class Entry:
    """One message on screen."""

    role: str
    """'user', 'assistant' or 'note' (a line from the application, e.g. an attachment)."""
    text: str
    sources: tuple[Source, ...] = field(default_factory=tuple)
    streaming: bool = False
    message_id: int | None = None
    """The stored message's id (None until the answer is kept in a chat)."""
    rating: int = 0
    """The user's feedback on an answer: 1 (👍), -1 (👎) or 0."""


def linked(text: str, message: int) -> str:
    """Markdown with every [n] turned into a `cite:message:n` link."""
    return _CITATION.sub(lambda m: f"[\\[{m.group(1)}\\]](cite:{message}:{m.group(1)})", text)


def _rating_links(message_id: int, rating: int) -> str:
    """👍 and 👎 links under an answer; the user's current verdict is in bold."""
    up, down = f"[👍](rate:{message_id}:1)", f"[👎](rate:{message_id}:-1)"
    return (
        f"{'**' + up + '**' if rating == 1 else up} {'**' + down + '**' if rating == -1 else down}"
    )


class TranscriptView(SafeTextBrowser):
    """Read-only, loads nothing the text names; emits `citation_clicked(message_index, number)`."""

    citation_clicked = Signal(int, int)
    feedback_requested = Signal(int, int)
    """(message id, 1 or -1): 👍/👎 clicked under a stored answer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.entries: list[Entry] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_RENDER_DELAY_MS)
        self._timer.timeout.connect(self.redraw)
        self.setAccessibleName(self.tr("Conversation"))

    def set_entries(self, entries: list[Entry]) -> None:
        """Show a whole conversation."""
        self.entries = entries
        self.redraw()

    def add(self, entry: Entry) -> int:
        """Append a message; returns its index."""
        self.entries.append(entry)
        self.redraw()
        return len(self.entries) - 1

    def append_text(self, index: int, piece: str) -> None:
        """Stream a piece of text into message `index` (drawn on the next tick)."""
        self.entries[index].text += piece
        if not self._timer.isActive():
            self._timer.start()

    def finish(self, index: int, sources: tuple[Source, ...]) -> None:
        """The answer is complete: attach its sources and draw it now."""
        entry = self.entries[index]
        entry.sources, entry.streaming = sources, False
        self._timer.stop()
        self.redraw()

    def last_answer(self) -> Entry | None:
        """The latest assistant message."""
        return next((e for e in reversed(self.entries) if e.role == "assistant"), None)

    def last_question(self) -> str:
        """The latest question asked."""
        return next((e.text for e in reversed(self.entries) if e.role == "user"), "")

    @Slot()
    def redraw(self) -> None:
        """Redraw the conversation as Markdown and keep the view at the bottom."""
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        parts: list[str] = []
        for i, entry in enumerate(self.entries):
            if entry.role == "note":
                parts.append(f"*{entry.text}*")
                continue
            who = self.tr("You") if entry.role == "user" else self.tr("Konspekt")
            body = entry.text if entry.role == "user" else linked(entry.text, i)
            if entry.streaming:
                body += " ▍"
            elif entry.role == "assistant" and entry.message_id is not None:
                body += "\n\n" + _rating_links(entry.message_id, entry.rating)
            parts.append(f"#### {who}\n\n{body or '…'}")
        self.show_markdown("\n\n---\n\n".join(parts))
        if at_bottom or any(e.streaming for e in self.entries):
            bar.setValue(bar.maximum())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.redraw()
        super().changeEvent(event)

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("cite:"):
            _, message, number = text.split(":")
            self.citation_clicked.emit(int(message), int(number))
        elif text.startswith("rate:"):
            _, message, rating = text.split(":")
            self.feedback_requested.emit(int(message), int(rating))
