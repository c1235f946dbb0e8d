"""The conversation as cards; [n] markers become chips that preview and open their sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication, QHelpEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QToolTip, QWidget

from core import Source
from desktop.safe_text import SafeTextBrowser, tooltip
from desktop.views.transcript_cards import (
    COPY,
    RATE,
    Card,
    CardColours,
    insert_card,
    insert_link_line,
)

_CITATION = re.compile(r"\[(\d{1,2})\]")
_RENDER_DELAY_MS = 40
"""Tokens arriving faster than this are drawn together (keeps the UI thread free)."""
_LINE_CHARS = 112
"""The widest text column, in average characters: longer lines are hard to read."""
_PREVIEW_CHARS = 280
SHOWN = 60
"""Messages drawn when a chat opens; older ones come in steps of as many on request
(a chat of hundreds of messages would otherwise stall the window for seconds)."""
EARLIER = "earlier:"
CURSOR = " ▍"
"""Shown after the text while an answer is being written."""


@dataclass
class Entry:
    """One message on screen."""

    role: str
    """'user', 'assistant' or 'note' (a line from the application, e.g. an attachment)."""
    text: str
    sources: tuple[Source, ...] = field(default_factory=tuple)
    streaming: bool = False
    message_id: int | None = None
    """The stored message's id (feedback names it); None until the answer is stored."""
    rating: int = 0
    """The user's feedback on an answer: +1, -1 or 0 (none)."""


def linked(text: str, message: int) -> str:
    """Markdown with every [n] turned into a `cite:message:n` link."""
    return _CITATION.sub(lambda m: f"[\\[{m.group(1)}\\]](cite:{message}:{m.group(1)})", text)


def _has_emoji_font() -> bool:
    return any("emoji" in family.lower() for family in QFontDatabase.families())


class TranscriptView(SafeTextBrowser):
    """Read-only, loads nothing the text names.

    Emits `citation_clicked(message_index, number)`, `feedback_requested(message_id, ±1)`
    and `changed(count)` when messages were set or added.
    """

    citation_clicked = Signal(int, int)
    feedback_requested = Signal(int, int)
    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.document().setUndoRedoEnabled(False)
        self.entries: list[Entry] = []
        self._starts: list[int] = []
        """Where each drawn card begins in the document (`_first` on); cards change only
        from one on to the end."""
        self._first = 0
        """The oldest message drawn; those before it wait behind a "show earlier" link."""
        self._colours: tuple[int, CardColours] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(_RENDER_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._emoji = _has_emoji_font()
        self.setAccessibleName(self.tr("Conversation"))

    # Content ------------------------------------------------------------------------------
    def set_entries(self, entries: list[Entry]) -> None:
        """Show a whole conversation."""
        self.entries = entries
        self._first = max(0, len(entries) - SHOWN)
        self.redraw()
        self.changed.emit(len(self.entries))

    def add(self, entry: Entry) -> int:
        """Append a message; returns its index."""
        self.entries.append(entry)
        self._keeping_scroll(lambda: self._append_batched(len(self.entries) - 1))
        self.changed.emit(len(self.entries))
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
        self._redraw_from(index)

    def identify(self, index: int, message_id: int) -> None:
        """Entry `index` is now stored as `message_id` (its feedback links appear)."""
        self.entries[index].message_id = message_id
        self._redraw_from(index)

    def set_rating(self, message_id: int, rating: int) -> None:
        """Show the user's feedback (+1, -1, 0) on the answer stored as `message_id`."""
        for index, entry in enumerate(self.entries):
            if entry.message_id == message_id:
                entry.rating = rating
                self._redraw_from(index)

    def last_answer(self) -> Entry | None:
        """The latest assistant message."""
        return next((e for e in reversed(self.entries) if e.role == "assistant"), None)

    def last_question(self) -> str:
        """The latest question asked."""
        return next((e.text for e in reversed(self.entries) if e.role == "user"), "")

    def preview(self, link: str) -> str:
        """The hover text of a citation link: document, place and the passage's start."""
        parts = link.split(":")
        if len(parts) != 3 or parts[0] != "cite":
            return ""
        index, number = int(parts[1]), int(parts[2])
        if not 0 <= index < len(self.entries):
            return ""
        source = next((s for s in self.entries[index].sources if s.number == number), None)
        if source is None:
            return ""
        place = " · ".join(p for p in (source.document, source.location.label) if p)
        passage = " ".join(source.snippet.split())
        if len(passage) > _PREVIEW_CHARS:
            passage = passage[:_PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"
        hint = self.tr("Click to open the source.")
        return f"[{number}] {place}\n\n{passage}\n\n{hint}"

    # Drawing ------------------------------------------------------------------------------
    @Slot()
    def redraw(self) -> None:
        """Draw every card again (a theme, language or feedback change)."""

        def draw() -> None:
            self.document().clear()
            self._starts = []
            self._fit_column()
            batch = QTextCursor(self.document())
            batch.beginEditBlock()  # one layout pass for the whole chat, not one per edit
            if self._first:
                label = self.tr("Show {count} earlier messages").format(count=self._first)
                insert_link_line(batch, label, EARLIER, self._card_colours())
            for i in range(self._first, len(self.entries)):
                self._append(i)
            batch.endEditBlock()

        self._keeping_scroll(draw)

    def _redraw_from(self, index: int) -> None:
        """Draw cards `index`… again; those above keep their text, selection and place."""
        drawn = index - self._first
        if drawn >= len(self._starts):
            self.redraw()
            return
        if drawn < 0:  # not drawn yet: nothing on screen changes
            return

        def draw() -> None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._starts[drawn])
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.beginEditBlock()
            cursor.removeSelectedText()
            del self._starts[drawn:]
            for i in range(index, len(self.entries)):
                self._append(i)
            cursor.endEditBlock()

        self._keeping_scroll(draw)

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._redraw_from(len(self.entries) - 1)

    def _append_batched(self, index: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._append(index)
        cursor.endEditBlock()

    def _append(self, index: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._starts.append(cursor.position())
        em = float(self.fontMetrics().height())
        insert_card(cursor, self._card(index), self._card_colours(), em)

    def _card_colours(self) -> CardColours:
        key = self.palette().cacheKey()
        if self._colours is None or self._colours[0] != key:
            self._colours = (key, CardColours.of(self.palette()))
        return self._colours[1]

    def show_earlier(self) -> None:
        """Draw up to `SHOWN` more of the older messages, keeping the reader's place."""
        if not self._first:
            return
        shown_before = self._first
        self._first = max(0, self._first - SHOWN)
        self.redraw()
        block = self.document().findBlock(self._starts[shown_before - self._first])
        top = self.document().documentLayout().blockBoundingRect(block).top()
        self.verticalScrollBar().setValue(int(top))

    def _card(self, index: int) -> Card:
        entry = self.entries[index]
        if entry.role == "note":
            return Card("note", "", entry.text)
        if entry.role == "user":
            return Card("user", self.tr("You"), entry.text or "…")
        body = linked(entry.text, index)
        if entry.streaming:
            return Card("assistant", self.tr("Konspekt"), (body + CURSOR) if body else CURSOR)
        return Card("assistant", self.tr("Konspekt"), body or "…", self._footer(index, entry))

    def _footer(self, index: int, entry: Entry) -> tuple[tuple[str, str, bool], ...]:
        links: list[tuple[str, str, bool]] = []
        if entry.message_id is not None:
            up, down = ("👍", "👎") if self._emoji else ("▲", "▼")
            helpful, wrong = self.tr("Helpful"), self.tr("Wrong")
            rate = f"{RATE}{entry.message_id}"
            links.append((f"{up} {helpful}", f"{rate}:1", entry.rating > 0))
            links.append((f"{down} {wrong}", f"{rate}:-1", entry.rating < 0))
        links.append((self.tr("Copy"), f"{COPY}{index}", False))
        return tuple(links)

    def _keeping_scroll(self, change: Callable[[], None]) -> None:
        """Run `change`; stay at the bottom if the view was there, else where the user is."""
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        value = bar.value()
        change()
        bar.setValue(bar.maximum() if at_bottom else value)

    # Events -------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_column()

    def _fit_column(self) -> None:
        """Centre a column of at most `_LINE_CHARS` characters (long lines are hard to read)."""
        widest = self.fontMetrics().averageCharWidth() * _LINE_CHARS
        side = max(0, (self.viewport().width() - widest) // 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if int(fmt.leftMargin()) != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            root.setFrameFormat(fmt)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.PaletteChange):
            self.redraw()
        if event.type() == QEvent.Type.FontChange:
            self._fit_column()
            self.redraw()
        super().changeEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.link_tip(self.anchorAt(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), tooltip(text), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def link_tip(self, link: str) -> str:
        """The tooltip of any link in the transcript (citation, feedback or copy)."""
        if link.startswith(RATE):
            good = link.endswith(":1")
            return self.tr("This answer helped") if good else self.tr("This answer is wrong…")
        if link.startswith(COPY):
            return self.tr("Copy this answer")
        return self.preview(link)

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        parts = text.split(":")
        if text.startswith("cite:") and len(parts) == 3:
            self.citation_clicked.emit(int(parts[1]), int(parts[2]))
        elif text.startswith(RATE) and len(parts) == 3:
            self.feedback_requested.emit(int(parts[1]), int(parts[2]))
        elif text == EARLIER:
            self.show_earlier()
        elif text.startswith(COPY) and len(parts) == 2:
            QGuiApplication.clipboard().setText(self.entries[int(parts[1])].text)
