"""The main window: Chat, Library and (for admins) Administration, with menus and shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import ModelMissing, Role, Source, Summary
from desktop.context import Context
from desktop.safe_text import SafeTextBrowser, plain, tooltip
from desktop.views.admin import AdminView
from desktop.views.chat import ChatView
from desktop.views.library import LibraryView
from desktop.views.lock_screen import LockScreen
from desktop.views.model_choice import ModelChoiceDialog
from desktop.views.settings import SettingsDialog
from desktop.views.shortcuts import KEYS, ShortcutsDialog
from desktop.views.source_viewer import SourceDialog
from desktop.views.summaries import SummariesDialog
from desktop.views.sync_status import SyncStatus
from desktop.views.team_server import TeamServerDialog

CHAT, LIBRARY, ADMIN = range(3)
_SUMMARY_CHECK_MS = 5_000
_SUMMARY_CHECKS = 60
"""How long to keep looking for a summary being written after start (5 minutes)."""
_BANNER_LINES = 8


class MainWindow(QMainWindow):
    """Emits `logout_requested`, `unlock_requested` and `appearance_changed(language, theme)`."""

    logout_requested = Signal()
    unlock_requested = Signal()
    appearance_changed = Signal(str, str)
    demo_model_in_use = Signal()
    """The model that loaded is the small demo (the application may offer real ones)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.chat = ChatView(ctx, self)
        self.library = LibraryView(ctx, self)
        self.library.changed.connect(self.chat.refresh_scope)
        self.chat.source_requested.connect(self.open_source)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.addTab(self.chat, "")
        self.tabs.addTab(self.library, "")
        self.admin: AdminView | None = None
        self.warmed = False
        """The embedder and document readers are loaded (set after `start`)."""
        self._summary_checks = 0
        if ctx.user.user.role is Role.ADMIN:
            self.admin = AdminView(ctx, self)
            self.tabs.addTab(self.admin, "")
        self.tabs.currentChanged.connect(self._on_tabs_changed)
        self.summary_frame = QFrame(self)
        self.summary_frame.setObjectName("lastSummaryFrame")
        self.summary_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = SafeTextBrowser(self.summary_frame)
        self.summary.setObjectName("lastSummary")
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.summary.viewport().setAutoFillBackground(False)
        self.summary_close = QPushButton(self.summary_frame)
        self.summary_close.setObjectName("lastSummaryClose")
        self.summary_close.clicked.connect(self.summary_frame.hide)
        banner = QHBoxLayout(self.summary_frame)
        banner.addWidget(self.summary, 1)
        banner.addWidget(self.summary_close)
        self.summary_frame.setVisible(False)
        self.content = QWidget(self)
        box = QVBoxLayout(self.content)
        box.addWidget(self.summary_frame)
        box.addWidget(self.tabs)
        self.lock_screen = LockScreen(self)
        self.lock_screen.unlock_requested.connect(self.unlock_requested)
        self.lock_screen.logout_requested.connect(self.logout_requested)
        self.locked = False
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.content)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self._build_shortcuts()
        self._build_status()
        self._retranslate()
        geometry = ctx.prefs.state("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = ctx.prefs.state("main/chatSplitter")
        if splitter is not None:
            self.chat.splitter.restoreState(splitter)
            self.chat.sources_button.sync()

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.add_action = QAction(self)
        self.add_action.triggered.connect(self._on_add_action)
        self.summaries_action = QAction(self)
        self.summaries_action.setObjectName("summariesAction")
        self.summaries_action.triggered.connect(self.open_summaries)
        self.team_server_action = QAction(self)
        self.team_server_action.setObjectName("teamServerAction")
        self.team_server_action.triggered.connect(self.open_team_server)
        self.sync_action = QAction(self)
        self.sync_action.setObjectName("syncAction")
        self.sync_action.triggered.connect(self._on_sync_action)
        self.settings_action = QAction(self)
        self.settings_action.setShortcuts([QKeySequence(k) for k in KEYS["settings"]])
        self.settings_action.triggered.connect(self.open_settings)
        self.logout_action = QAction(self)
        self.logout_action.setObjectName("logoutAction")
        self.logout_action.triggered.connect(self.logout_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcuts([QKeySequence(k) for k in KEYS["quit"]])
        self.quit_action.triggered.connect(self.close)
        actions = (
            self.add_action,
            self.team_server_action,
            self.sync_action,
            self.summaries_action,
            self.settings_action,
            self.logout_action,
            self.quit_action,
        )
        for action in actions:
            self.file_menu.addAction(action)
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._on_about_action)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.shortcuts_action.setShortcuts([QKeySequence(k) for k in KEYS["shortcuts"]])
        self.shortcuts_action.triggered.connect(self.open_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)

    def _build_shortcuts(self) -> None:
        self.shortcuts: list[QShortcut] = []

        slots = {
            "new_chat": self._on_new_chat_shortcut,
            "focus_question": lambda: self._in_chat(self.chat.focus_question),
            "send": self._on_send_shortcut,
            "stop": self._on_stop_shortcut,
            "find": self._on_find_shortcut,
            "find_in_chat": lambda: self._in_chat(self.chat.show_find),
            "toggle_sources": lambda: self._in_chat(self.chat.toggle_sources),
            "chat_tab": lambda: self.tabs.setCurrentIndex(CHAT),
            "library_tab": lambda: self.tabs.setCurrentIndex(LIBRARY),
            "admin_tab": lambda: self.tabs.setCurrentIndex(ADMIN),
        }
        for action, slot in slots.items():
            for keys in KEYS[action]:
                self.shortcuts.append(QShortcut(QKeySequence(keys), self, slot))

    def _build_status(self) -> None:
        self.user_label = plain(QLabel(self))
        self.user_label.setObjectName("userLabel")
        self.model_label = plain(QLabel(self))
        self.model_label.setObjectName("modelLabel")
        self.model_progress = QProgressBar(self)
        self.model_progress.setRange(0, 0)
        self.model_progress.setMaximumWidth(8 * self.fontMetrics().height())
        self.model_progress.setVisible(False)
        self.sync = SyncStatus(self.ctx, self)
        self.sync.finished.connect(self._on_team_server_changed)
        self.library.remote_bar.sync_requested.connect(self._on_library_sync_requested)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.sync)
        self.statusBar().addPermanentWidget(self.model_label)
        self.statusBar().addPermanentWidget(self.model_progress)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Konspekt — locked") if self.locked else self.tr("Konspekt"))
        self.tabs.setTabText(CHAT, self.tr("Chat"))
        self.tabs.setTabText(LIBRARY, self.tr("Library"))
        if self.admin is not None:
            self.tabs.setTabText(ADMIN, self.tr("Administration"))
        self.file_menu.setTitle(self.tr("&File"))
        self.add_action.setText(self.tr("&Add documents…"))
        self.settings_action.setText(self.tr("&Settings…"))
        self.team_server_action.setText(self.tr("&Team server…"))
        self.sync_action.setText(self.tr("S&ync with the team server now"))
        self.summaries_action.setText(self.tr("Session &summaries…"))
        self.summary_close.setText(self.tr("Hide"))
        self.logout_action.setText(self.tr("&Log out"))
        self.quit_action.setText(self.tr("&Quit"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        self.about_action.setText(self.tr("&About Konspekt"))
        user = self.ctx.user.user
        role = {
            "admin": self.tr("administrator"),
            "editor": self.tr("editor"),
            "member": self.tr("member"),
        }[user.role.value]
        self.user_label.setText(
            self.tr("{name} ({role})").format(name=user.display_name or user.username, role=role)
        )

    # Start --------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the data of the logged-in user and warm the model in the background."""
        self.chat.refresh()
        self.library.refresh()
        if self.admin is not None:
            self.admin.refresh()
        self.warmed = False
        self.ctx.tasks.run(
            self.ctx.engine.system.warm_up, self._on_warmed_up, self._on_warm_up_failed
        )
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(lambda: engine.memory.welcome_summary(session), self._on_welcome_summary)
        self.load_model()

    def _on_welcome_summary(self, summary: Summary | None) -> None:
        if summary is not None:
            self.summary.show_markdown(self.tr("**Last time:**") + "\n\n" + summary.text)
            self.summary_frame.setVisible(True)
            document = self.summary.document()
            document.setTextWidth(self.summary.viewport().width())
            line = self.fontMetrics().height()
            height = int(document.size().height()) + line // 2
            self.summary.setFixedHeight(min(height, _BANNER_LINES * line))
            return
        # A summary queued before the app closed is written in the background after this
        # start; look again once the queue has moved on.
        self.ctx.tasks.run(self.ctx.engine.memory.pending_jobs, self._on_pending_jobs)

    def _on_pending_jobs(self, pending: int) -> None:
        if pending and self._summary_checks < _SUMMARY_CHECKS:
            self._summary_checks += 1
            QTimer.singleShot(_SUMMARY_CHECK_MS, self._check_welcome_summary)

    @Slot()
    def _check_welcome_summary(self) -> None:
        if self.ctx.session is None:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(lambda: engine.memory.welcome_summary(session), self._on_welcome_summary)

    @Slot()
    def open_summaries(self) -> None:
        """Show the summary history."""
        SummariesDialog(self.ctx, self).open()

    def _on_warmed_up(self, _result: object) -> None:
        self.warmed = True

    def _on_warm_up_failed(self, exc: BaseException) -> None:
        self.warmed = True
        self.ctx.error(self, exc)

    def load_model(self) -> None:
        """Load the language model on a worker (first answers do not wait for it)."""
        self.model_progress.setVisible(True)
        self.model_label.setText(self.tr("Loading the model…"))
        system = self.ctx.engine.system

        def load() -> tuple[object, bool]:
            generator = system.load_model()
            return generator, system.model_choice().is_demo

        self.ctx.tasks.run(load, self._on_model_loaded, self._on_model_failed)

    def _on_model_loaded(self, loaded: tuple[object, bool]) -> None:
        generator, demo = loaded
        self.model_progress.setVisible(False)
        name = getattr(generator, "name", "")
        gpu = self.tr("GPU") if getattr(generator, "gpu_offload", False) else self.tr("CPU")
        text = self.tr("Model: {name} ({device})").format(name=name, device=gpu)
        if demo:
            text = self.tr("Demo model: {name} ({device}) — answers are often wrong").format(
                name=name, device=gpu
            )
        self.model_label.setText(text)
        self.model_label.setToolTip(
            tooltip(self.tr("Settings → Model → Get a model… installs a real one.")) if demo else ""
        )
        self.chat.answers.demo_model = demo
        if demo:
            self.demo_model_in_use.emit()

    @Slot()
    def open_model_choice(self) -> None:
        """Offer the models this computer can run (download, import, or keep the demo)."""
        dialog = ModelChoiceDialog(self.ctx, self)
        dialog.model_changed.connect(self.load_model)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_model_failed(self, exc: BaseException) -> None:
        self.model_progress.setVisible(False)
        self.model_label.setText(self.tr("No model loaded"))
        if isinstance(exc, ModelMissing):
            self.model_label.setToolTip(tooltip(exc.user_message(self.ctx.lang)))
        else:
            self.ctx.error(self, exc)

    # Actions ------------------------------------------------------------------------------
    @Slot(object)
    def open_source(self, source: Source) -> None:
        """Open a cited source at its page."""
        dialog = SourceDialog(self.ctx, source, self)
        dialog.show()

    @Slot()
    def open_settings(self) -> None:
        """Show the settings dialog."""
        dialog = SettingsDialog(self.ctx, self)
        dialog.appearance_changed.connect(self.appearance_changed)
        dialog.model_changed.connect(self.load_model)
        dialog.open()

    @Slot()
    def open_team_server(self) -> TeamServerDialog:
        """Show the dialog that joins (and leaves) team servers."""
        dialog = TeamServerDialog(self.ctx, self)
        dialog.changed.connect(self._on_team_server_changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    @Slot()
    def _on_team_server_changed(self) -> None:
        """Servers joined or left, copies synced: the KB lists and the chat's picker reload."""
        self.library.refresh()
        self.chat.refresh_scope()

    @Slot()
    def _on_sync_action(self) -> None:
        self.sync.start()

    @Slot(str)
    def _on_library_sync_requested(self, kb: str) -> None:
        self.sync.start(kb or None)

    @Slot()
    def _on_add_action(self) -> None:
        self.tabs.setCurrentIndex(LIBRARY)
        self.library.add_files()

    @Slot()
    def _on_about_action(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Konspekt"),
            self.tr(
                "Konspekt answers questions from your documents, offline. Documents, chats and "
                "the search index are stored encrypted on this computer."
            ),
        )

    @Slot()
    def open_shortcuts(self) -> ShortcutsDialog:
        """List the keyboard shortcuts."""
        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _in_chat(self, slot: Callable[[], object]) -> None:
        self.tabs.setCurrentIndex(CHAT)
        slot()

    @Slot()
    def _on_stop_shortcut(self) -> None:
        if not self.chat.hide_find():
            self.chat.stop()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Files or a folder dropped anywhere on the window: indexed for the chat."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and not self.locked:
            event.acceptProposedAction()
            self.tabs.setCurrentIndex(CHAT)
            self.chat.attach(paths)

    @Slot()
    def _on_new_chat_shortcut(self) -> None:
        self.tabs.setCurrentIndex(CHAT)
        self.chat.new_chat()

    @Slot()
    def _on_send_shortcut(self) -> None:
        if self.tabs.currentIndex() == CHAT:
            self.chat.send()

    @Slot()
    def _on_find_shortcut(self) -> None:
        if self.tabs.currentIndex() == LIBRARY:
            self.library.filter.setFocus()
        else:
            self.tabs.setCurrentIndex(CHAT)
            self.chat.search.setFocus()

    @Slot(int)
    def _on_tabs_changed(self, index: int) -> None:
        if index == ADMIN and self.admin is not None:
            self.admin.refresh()

    def set_locked(self, locked: bool) -> None:
        """Show the lock screen instead of all content (menus and shortcuts off), or undo it."""
        self.locked = locked
        self.stack.setCurrentWidget(self.lock_screen if locked else self.content)
        self.menuBar().setEnabled(not locked)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(not locked)
        self._retranslate()

    def save_state(self) -> None:
        """Remember the window geometry and splitter positions."""
        self.ctx.prefs.save_state("main/geometry", self.saveGeometry())
        self.ctx.prefs.save_state("main/chatSplitter", self.chat.splitter.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.chat.stop()
        self.sync.cancel()
        super().closeEvent(event)
