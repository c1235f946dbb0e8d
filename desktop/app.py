"""The composition root: Qt application, engine, login, main window; nothing else wires things."""

from __future__ import annotations

import contextlib
import logging
import os
import sys

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from core import (
    Engine,
    KeychainUnavailable,
    KnownError,
    PassphraseRequired,
    PolicyInvalid,
    Role,
    Session,
    SessionEnded,
    SessionLocked,
    Settings,
    system_language,
)
from desktop.context import Context
from desktop.errors import error_text, show_error
from desktop.i18n import I18N_DIR, Language
from desktop.prefs import Prefs
from desktop.session_guard import SessionGuard
from desktop.tasks import Job, Tasks
from desktop.theme import apply_theme
from desktop.views.account import PasswordDialog, RecoveryCodeDialog
from desktop.views.login import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.opening import SHOW_AFTER_MS, OpeningWindow

log = logging.getLogger(__name__)


class Application(QObject):
    """Opens the engine off the UI thread, then runs login → main window → logout cycles."""

    def __init__(self, settings: Settings, prefs: Prefs, language: Language) -> None:
        super().__init__()
        self.settings, self.prefs, self.language = settings, prefs, language
        self.tasks = Tasks(self)
        self.ctx: Context | None = None
        self.window: MainWindow | None = None
        self.login: LoginDialog | None = None
        self.guard: SessionGuard | None = None
        self._recovery_code = ""
        self._passphrase: str | None = None
        self._model_offered = False
        self._recovery_dialog: RecoveryCodeDialog | None = None
        self.opening: OpeningWindow | None = None
        self._opening_job: Job | None = None

    # Opening ------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the encrypted store on a worker; the login dialog follows.

        An opening that takes long (an upgrade of the store) shows `OpeningWindow`, whose
        Quit stops it: the upgrade is rolled back and runs again at the next start.
        """
        settings, passphrase = self.settings, self._passphrase
        if self.opening is None:
            self.opening = OpeningWindow()
            self.opening.stop_requested.connect(self._stop_opening)
        self._opening_job = self.tasks.run_reporting(
            lambda report, cancel: Engine(
                settings, passphrase=passphrase, on_upgrade=report, cancel=cancel
            ),
            self.opening.show_progress,
            self._on_engine_opened,
            self._on_engine_failed,
        )
        QTimer.singleShot(SHOW_AFTER_MS, self._show_opening)

    def _show_opening(self) -> None:
        job = self._opening_job
        if self.opening is not None and job is not None and not job.finished:
            self.opening.show()

    def _stop_opening(self) -> None:
        if self._opening_job is not None and not self._opening_job.finished:
            self._opening_job.cancel()
        else:
            QApplication.exit(0)

    def _opened(self) -> bool:
        """Put the opening window away; False when Quit was asked meanwhile (quitting)."""
        stopping = self.opening is not None and self.opening.stopping
        if self.opening is not None:
            self.opening.hide()
            self.opening.deleteLater()
            self.opening = None
        if stopping:
            QApplication.exit(0)
        return not stopping

    def _on_engine_opened(self, engine: Engine) -> None:
        if not self._opened():
            engine.close()  # Quit came after the upgrade had finished
            return
        engine.start_background()  # summaries queued before a crash are written now
        self.ctx = Context(engine, self.tasks, self.language, self.prefs)
        self.guard = SessionGuard(self.ctx, parent=self)
        self.ctx.on_locked = self.guard.lock
        self.ctx.on_ended = self._on_session_ended
        self.show_login()

    def _on_engine_failed(self, exc: BaseException) -> None:
        if not self._opened():  # Quit stopped it (OpeningStopped) or came too late
            return
        lang = self.language.code
        if isinstance(exc, PassphraseRequired | KeychainUnavailable):
            if isinstance(exc, KeychainUnavailable):
                asked = QMessageBox.question(
                    None,
                    self.tr("Konspekt"),
                    error_text(exc, lang)
                    + "\n\n"
                    + self.tr(
                        "Protect the database key with a passphrase instead? You will type it at every start."  # noqa: E501
                    ),
                )
                if asked != QMessageBox.StandardButton.Yes:
                    QApplication.exit(2)
                    return
                self.settings = self.settings.with_changes(key_store="passphrase")
            text, ok = QInputDialog.getText(
                None,
                self.tr("Konspekt"),
                self.tr("Passphrase of the database key"),
                QLineEdit.EchoMode.Password,
            )
            if not ok:
                QApplication.exit(2)
                return
            self._passphrase = text
            self.start()
            return
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Konspekt"), error_text(exc, lang))
        box.exec()
        QApplication.exit(1)

    # Login cycle --------------------------------------------------------------------------
    def show_login(self) -> None:
        """Show the login (or first-run setup) dialog."""
        assert self.ctx is not None
        self.login = LoginDialog(self.ctx, self.ctx.engine.identity.needs_setup())
        self.login.recovery_code.connect(self._on_login_recovery_code)
        self.login.logged_in.connect(self._on_login_logged_in)
        self.login.rejected.connect(self._on_login_rejected)
        self.login.show()

    @Slot(str)
    def _on_login_recovery_code(self, code: str) -> None:
        self._recovery_code = code

    @Slot()
    def _on_login_rejected(self) -> None:
        if self.window is None:
            QApplication.quit()

    @Slot(object)
    def _on_login_logged_in(self, session: Session) -> None:
        assert self.ctx is not None
        self.ctx.session = session
        if session.user.must_change_password:
            dialog = PasswordDialog(self.ctx)
            dialog.accepted.connect(self._open_main_window)
            dialog.rejected.connect(self._on_session_ended)
            dialog.open()
            return
        self._open_main_window()

    def _open_main_window(self) -> None:
        assert self.ctx is not None
        self.window = MainWindow(self.ctx)
        self.window.logout_requested.connect(self.logout)
        self.window.appearance_changed.connect(self._on_window_appearance_changed)
        self.window.demo_model_in_use.connect(self._on_window_demo_model_in_use)
        self.window.show()
        self.window.start()
        if self.guard is not None:
            self.guard.attach(self.window)
        if self._recovery_code:
            dialog = RecoveryCodeDialog(self._recovery_code, self.window)
            self._recovery_code = ""
            self._recovery_dialog = dialog
            dialog.open()

    @Slot()
    def logout(self) -> None:
        """End the session and go back to the login dialog."""
        assert self.ctx is not None
        session, engine = self.ctx.session, self.ctx.engine
        self._close_window()
        if session is not None:
            self.tasks.run(
                lambda: engine.identity.logout(session),
                lambda _r: self.show_login(),
                lambda _e: self.show_login(),
            )

    def _close_window(self) -> None:
        if self.guard is not None:
            self.guard.detach()
        if self.window is not None:
            self.window.chat.stop()
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.ctx is not None:
            self.ctx.session = None

    def _on_session_ended(self) -> None:
        self._close_window()
        self.show_login()

    @Slot()
    def _on_window_demo_model_in_use(self) -> None:
        """Offer real models to an administrator until they say "the demo for now"."""
        if self.window is None or self.ctx is None or self.prefs.demo_accepted:
            return
        if self.ctx.user.user.role is not Role.ADMIN or self._model_offered:
            return
        self._model_offered = True  # once per run; Settings → Model offers it again
        recovery, self._recovery_dialog = self._recovery_dialog, None
        if recovery is not None and recovery.isVisible():  # the code first, then models
            recovery.finished.connect(self._on_window_demo_model_after_recovery)
            return
        self.window.open_model_choice()

    @Slot(int)
    def _on_window_demo_model_after_recovery(self, _result: int) -> None:
        if self.window is not None:
            self.window.open_model_choice()

    @Slot(str, str)
    def _on_window_appearance_changed(self, language: str, theme: str) -> None:
        self.language.apply(language)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)

    # Closing ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop running work (answers, ingest), wait for it, close the store."""
        if self.window is not None:
            self.window.save_state()
        self.prefs.sync()
        self.tasks.shutdown()
        if self.ctx is not None:
            if self.ctx.session is not None:
                with contextlib.suppress(SessionEnded, SessionLocked):
                    self.ctx.engine.identity.logout(self.ctx.session)
            self.ctx.engine.close()


def create_app(argv: list[str]) -> QApplication:
    """The QApplication with Konspekt's names, high-DPI policy and icon."""
    existing = QApplication.instance()
    if existing is None:  # only before the application exists (Qt warns after)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("Konspekt")
    app.setOrganizationName("Konspekt")
    icon = I18N_DIR.parent / "konspekt.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def refuse_start(exc: KnownError) -> int:
    """Say why Konspekt cannot start, in a box (no window opens); the exit code.

    2 for a policy that cannot be used (as the CLI: IT must correct it), 1 for a setting
    asked against the policy (KONSPEKT_DATA_DIR, --data-dir, KONSPEKT_KEY_STORE).
    """
    box = QMessageBox(QMessageBox.Icon.Critical, "Konspekt", "")
    box.setObjectName("startRefused")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a path may hold anything
    box.setText(error_text(exc, os.environ.get("KONSPEKT_LANG") or system_language()))
    box.exec()  # no window of ours exists yet: the box runs its own loop until read
    return 2 if isinstance(exc, PolicyInvalid) else 1


def main(argv: list[str] | None = None) -> int:
    """Run the desktop application until its last window closes."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(sys.argv if argv is None else argv)
    try:
        settings = Settings.load()
    except KnownError as exc:  # IT's policy unusable, or a locked setting asked otherwise
        return refuse_start(exc)
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    prefs = Prefs(settings.data_dir)
    language = Language()
    language.apply(os.environ.get("KONSPEKT_LANG") or prefs.language)
    apply_theme(app, prefs.theme)
    shell = Application(settings, prefs, language)
    QTimer.singleShot(0, shell.start)
    try:
        return int(app.exec())
    finally:
        shell.shutdown()


__all__ = ["Application", "create_app", "main", "refuse_start", "show_error"]
