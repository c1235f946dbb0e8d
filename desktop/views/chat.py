"""The chat screen: conversations, the streamed answer, its sources and context."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import Chat, ChatMessage, KnowledgeBase
from desktop.context import Context
from desktop.itemmodels.chats import ChatListModel
from desktop.itemmodels.rows import ROW_ROLE
from desktop.kb_marks import fill_kb_picker
from desktop.safe_text import ask, plain
from desktop.views.answer_stream import AnswerStream
from desktop.views.chat_attachments import ChatAttachments
from desktop.views.chat_find import ChatFindBox
from desktop.views.empty_state import EmptyStateView
from desktop.views.export_dialogs import ChatExporter
from desktop.views.feedback import open_feedback
from desktop.views.forms import banner_label
from desktop.views.sources import SourcesPanel
from desktop.views.sources_toggle import SourcesToggle
from desktop.views.templates import TemplateButton
from desktop.views.transcript import Entry, TranscriptView


class ChatView(QWidget):
    """Emits `source_requested(source)` when a citation or a source is opened."""

    source_requested = Signal(object)
    answer_finished = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("chatView")
        self.setAcceptDrops(True)
        self.chat_id: int | None = None
        self.chats = ChatListModel(self)
        self._build()
        self.answers = AnswerStream(
            ctx, self.transcript, self.sources, self.status, self.offline, self
        )
        self.answers.chat_created.connect(self._on_answers_chat_created)
        self.answers.finished.connect(self._on_answers_finished)
        self.attachments = ChatAttachments(
            ctx, self.transcript, self.status, self.attach_progress, self
        )
        self.attachments.attached.connect(self.refresh_scope)
        self.exporter = ChatExporter(ctx, self)  # "Export as Markdown/PDF…" in the list's menu
        self._retranslate()

    # Layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("chatSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.refresh_chats())
        self.chat_list = QListView(self)
        self.chat_list.setObjectName("chatList")
        self.chat_list.setModel(self.chats)
        self.chat_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.chat_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chat_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.chat_list.customContextMenuRequested.connect(self._on_chat_list_menu)
        self.chat_list.selectionModel().selectionChanged.connect(self._on_chat_list_selection)
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newChat")
        self.new_button.clicked.connect(self.new_chat)
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        for widget in (self.new_button, self.search, self.chat_list):
            box.addWidget(widget)

        em = self.fontMetrics().height()
        self.transcript = TranscriptView(self)
        self.transcript.citation_clicked.connect(self._on_transcript_citation)
        self.transcript.feedback_requested.connect(self._on_transcript_feedback)
        self.transcript.changed.connect(self._on_transcript_changed)
        self.empty = EmptyStateView(self)
        self.empty.example_chosen.connect(self._on_empty_example_chosen)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("chatPages")
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.transcript)
        self.find_box = ChatFindBox(self.transcript, self)
        self.scope = QComboBox(self)
        self.scope.setObjectName("scope")
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scope.setMinimumContentsLength(18)
        self.question = QPlainTextEdit(self)
        self.question.setObjectName("question")
        self.question.setMaximumHeight(5 * em)
        self.templates_button = TemplateButton(self.ctx, self.question, self)  # `/` and a menu
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("send")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_button = QPushButton(self)
        self.regenerate_button.setObjectName("regenerate")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.status = plain(QLabel(self))
        self.status.setObjectName("chatStatus")
        self.offline = banner_label(self, "offlineBanner")
        self.attach_progress = QProgressBar(self)
        self.attach_progress.setObjectName("attachProgress")
        self.attach_progress.setVisible(False)
        row = QHBoxLayout()
        self.scope_label = QLabel(self)
        row.addWidget(self.scope_label)
        row.addWidget(self.scope, 1)
        row.addWidget(self.templates_button)
        for button in (
            self.regenerate_button,
            self.stop_button,
            self.send_button,
        ):
            row.addWidget(button)
        center = QWidget(self)
        box = QVBoxLayout(center)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.offline)
        box.addWidget(self.find_box)
        box.addWidget(self.pages, 1)
        box.addWidget(self.question)
        box.addLayout(row)
        box.addWidget(self.attach_progress)
        box.addWidget(self.status)

        self.sources = SourcesPanel(self)
        self.sources.open_requested.connect(self.source_requested)
        self.sources.reask_requested.connect(self._on_sources_reask)
        self.splitter = QSplitter(self)
        self.splitter.setObjectName("chatSplitter")
        panes: tuple[tuple[QWidget, int], ...] = ((left, 1), (center, 4), (self.sources, 2))
        for pane, stretch in panes:
            self.splitter.addWidget(pane)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        for i in range(self.splitter.count()):
            self.splitter.setCollapsible(i, i != 1)
        self.splitter.setSizes([14 * em, 48 * em, 20 * em])
        self.sources_button = SourcesToggle(self.splitter, 20 * em, self)
        row.addWidget(self.sources_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.new_button.setText(self.tr("New chat"))
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.search.setPlaceholderText(self.tr("Search chats (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search chats"))
        self.chat_list.setAccessibleName(self.tr("Chats"))
        self.question.setPlaceholderText(
            self.tr("Ask about your documents… (Ctrl+Enter sends; drop files here to attach them)")
        )
        self.question.setAccessibleName(self.tr("Question"))
        self.send_button.setText(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Ctrl+Enter"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Esc"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.scope_label.setText(self.tr("Search in:"))
        self.scope.setAccessibleName(self.tr("Knowledge bases to search"))
        if self.scope.count():
            self.scope.setItemText(0, self.tr("All my knowledge bases"))

    # Data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload chats and the knowledge-base scope (after login or a change elsewhere)."""
        self.refresh_chats()
        self.refresh_scope()

    def refresh_chats(self, select: int | None = None) -> None:
        """Reload the chat list (filtered by the search box), optionally selecting one."""
        engine, session, text = self.ctx.engine, self.ctx.user, self.search.text().strip()
        self.ctx.tasks.run(
            lambda: engine.chats.all(session, text),
            lambda chats: self._on_chats_loaded(chats, select),
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_chats_loaded(self, chats: list[Chat], select: int | None) -> None:
        self.chats.set_rows(chats)
        wanted = select if select is not None else self.chat_id
        row = self.chats.row_of(wanted) if wanted is not None else -1
        if row >= 0:
            self.chat_list.selectionModel().blockSignals(True)
            self.chat_list.setCurrentIndex(self.chats.index(row, 0))
            self.chat_list.selectionModel().blockSignals(False)

    def refresh_scope(self) -> None:
        """Reload the knowledge bases the user can ask in."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.kbs.visible(session),
            self._on_scope_loaded,
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_scope_loaded(self, kbs: list[KnowledgeBase]) -> None:
        fill_kb_picker(self.scope, kbs, self.tr("All my knowledge bases"))

    @Slot(QItemSelection, QItemSelection)
    def _on_chat_list_selection(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self.busy:
            return
        chat: Chat = indexes[0].data(ROW_ROLE)
        self.open_chat(chat.id)

    def open_chat(self, chat_id: int) -> None:
        """Show a stored chat."""
        self.chat_id = chat_id
        self.offline.setVisible(False)
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.chats.messages(session, chat_id),
            self._on_messages_loaded,
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_messages_loaded(self, messages: list[ChatMessage]) -> None:
        entries = [
            Entry(m.role, m.text, m.sources, message_id=m.id, rating=m.rating) for m in messages
        ]
        self.transcript.set_entries(entries)
        last = self.transcript.last_answer()
        self.sources.show_sources(last.sources if last else ())
        self.status.clear()

    @Slot()
    def new_chat(self) -> None:
        """Start an empty conversation (created in storage with the first question)."""
        if self.busy:
            return
        self.chat_id = None
        self.offline.setVisible(False)
        self.chat_list.clearSelection()
        self.transcript.set_entries([])
        self.sources.show_sources(())
        self.status.clear()
        self.question.setFocus()

    # Asking ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """An answer is being generated."""
        return self.answers.busy

    @Slot()
    def send(self) -> None:
        """Ask the typed question."""
        question = self.question.toPlainText().strip()
        if not question or self.busy:
            return
        self.question.clear()
        self.ask(question)

    def ask(self, question: str, exclude: frozenset[int] = frozenset()) -> None:
        """Ask `question` in the current chat (creating it first when there is none)."""
        self._set_busy(True)
        self.answers.start(question, self.scope.currentData(), self.chat_id, exclude)

    @Slot(int)
    def _on_answers_chat_created(self, chat_id: int) -> None:
        self.chat_id = chat_id

    @Slot()
    def _on_answers_finished(self) -> None:
        self._set_busy(False)
        self.refresh_chats(select=self.chat_id)
        self.answer_finished.emit()

    def _set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.regenerate_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.sources.setEnabled(not busy)

    @Slot()
    def stop(self) -> None:
        """Stop the answer being generated and any attaching in progress."""
        self.answers.cancel()
        self.attachments.cancel()

    @Slot()
    def regenerate(self) -> None:
        """Ask the last question again."""
        question = self.transcript.last_question()
        if question and not self.busy:
            self.ask(question)

    @Slot()
    @Slot(int, int)
    def _on_transcript_feedback(self, message_id: int, rating: int) -> None:
        if not self.busy:
            open_feedback(self, self.ctx, self.transcript, message_id, rating, self.ask)

    @Slot()
    def _on_sources_reask(self) -> None:
        question = self.transcript.last_question()
        if question and not self.busy:
            self.ask(question, self.sources.excluded())

    @Slot(int, int)
    def _on_transcript_citation(self, message: int, number: int) -> None:
        entry = self.transcript.entries[message]
        source = next((s for s in entry.sources if s.number == number), None)
        if source is not None:
            self.sources.select(number)
            self.source_requested.emit(source)

    # Screen ---------------------------------------------------------------------------
    @Slot(int)
    def _on_transcript_changed(self, count: int) -> None:
        self.pages.setCurrentWidget(self.transcript if count else self.empty)

    @Slot(str)
    def _on_empty_example_chosen(self, question: str) -> None:
        self.question.setPlainText(question)
        self.question.setFocus()
        self.question.moveCursor(QTextCursor.MoveOperation.End)

    @Slot()
    def focus_question(self) -> None:
        """Put the keyboard in the question box."""
        self.question.setFocus()

    @Slot()
    def show_find(self) -> None:
        """Show the find box over the conversation."""
        self.find_box.open()

    def hide_find(self) -> bool:
        """Hide the find box if it is shown; False when there was nothing to hide."""
        if not self.find_box.isVisible():
            return False
        self.find_box.setVisible(False)
        self.question.setFocus()
        return True

    @Slot()
    def toggle_sources(self) -> None:
        """Show or hide the sources panel (the splitter remembers its width)."""
        self.sources_button.toggle()

    # Chat list menu -------------------------------------------------------------------
    @Slot(QPoint)
    def _on_chat_list_menu(self, pos: QPoint) -> None:
        index = self.chat_list.indexAt(pos)
        chat: Chat | None = index.data(ROW_ROLE) if index.isValid() else None
        if chat is None:
            return
        menu = QMenu(self)
        rename = menu.addAction(self.tr("Rename…"))
        clear = menu.addAction(self.tr("Clear (keep a summary)"))
        delete = menu.addAction(self.tr("Delete"))
        menu.addSeparator()
        self.exporter.add_to(menu, chat)  # its actions act on their own when chosen
        chosen = menu.exec(self.chat_list.viewport().mapToGlobal(pos))
        if chosen is rename:
            self.rename_chat(chat)
        elif chosen is clear:
            self.clear_chat(chat)
        elif chosen is delete:
            self.delete_chat(chat)

    def rename_chat(self, chat: Chat) -> None:
        """Ask for a new title."""
        title, ok = QInputDialog.getText(
            self, self.tr("Rename chat"), self.tr("Title"), text=chat.title
        )
        if ok and title.strip():
            engine, session = self.ctx.engine, self.ctx.user
            self.ctx.tasks.run(
                lambda: engine.chats.rename(session, chat.id, title.strip()),
                lambda _c: self.refresh_chats(),
                lambda exc: self.ctx.error(self, exc),
            )

    def clear_chat(self, chat: Chat) -> None:
        """Empty a chat; the model writes a summary of it in the background."""
        if self.busy:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.chats.clear(session, chat.id),
            lambda _r: self._on_chat_cleared(chat.id),
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_chat_cleared(self, chat_id: int) -> None:
        if chat_id == self.chat_id:
            self.transcript.set_entries([])
            self.sources.show_sources(())
        self.status.setText(self.tr("Chat cleared; a summary of it is being written."))
        self.refresh_chats()

    def delete_chat(self, chat: Chat) -> None:
        """Delete after confirmation."""
        asked = ask(
            self,
            self.tr("Delete chat"),
            self.tr("Delete the chat “{title}” with all its messages?").format(title=chat.title),
        )
        if not asked or self.busy:
            return
        engine, session = self.ctx.engine, self.ctx.user
        if chat.id == self.chat_id:
            self.new_chat()
        self.ctx.tasks.run(
            lambda: engine.chats.delete(session, chat.id),
            lambda _r: self.refresh_chats(),
            lambda exc: self.ctx.error(self, exc),
        )

    # Attachments ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach(paths)

    def attach(self, paths: list[Path]) -> None:
        """Index files into the user's own uploads so the chat can ask about them."""
        self.attachments.attach(paths)
