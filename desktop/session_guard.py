"""Locking the logged-in session: content hidden until the password is typed again."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication, QDialog

from core import SessionEnded, SessionLocked
from desktop.context import Context
from desktop.idle_lock import IdleLock, ScreenLockWatcher
from desktop.views.account import PasswordDialog
from desktop.views.main_window import MainWindow


class SessionGuard(QObject):
    """Locks after `idle` passed without input, when the screen locks, or when the core says so.

    Locking hides the window's content behind its lock screen, closes every other window
    (dialogs show documents, answers and summaries) and locks the session in the core.
    Only the right password shows the content again; cancelling the password dialog
    leaves the lock screen, which offers to try again or to log out.
    """

    def __init__(
        self, ctx: Context, idle: IdleLock | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        minutes = ctx.engine.settings.idle_lock_minutes
        self.idle = idle if idle is not None else IdleLock(minutes * 60, self)
        self.idle.idle.connect(self.lock)
        self.idle.active.connect(self._on_idle_active)
        self.screen = ScreenLockWatcher(self)
        self.screen.screen_locked.connect(self.lock)
        self.follows_screen = self.screen.watch()
        """True where the desktop's screen lock is heard (a D-Bus session bus)."""
        self.window: MainWindow | None = None
        self.unlock_dialog: PasswordDialog | None = None

    def attach(self, window: MainWindow) -> None:
        """Guard `window` (just opened for the logged-in user)."""
        self.window = window
        window.unlock_requested.connect(self.ask_password)
        self.idle.start()

    def detach(self) -> None:
        """Stop guarding (logged out)."""
        self.idle.stop()
        self._close_unlock_dialog()
        self.window = None

    @property
    def locked(self) -> bool:
        """The content is hidden behind the lock screen."""
        return self.window is not None and self.window.locked

    @Slot()
    def lock(self) -> None:
        """Hide all content now, lock the session in the core, then ask for the password."""
        window, session = self.window, self.ctx.session
        if window is None or session is None or window.locked:
            return
        window.set_locked(True)
        for other in QApplication.topLevelWidgets():
            if other is not window and other.isVisible():
                if isinstance(other, QDialog):
                    other.reject()
                other.hide()
        engine = self.ctx.engine
        self.ctx.tasks.run(
            lambda: engine.identity.lock(session),
            lambda _r: self.ask_password(),
            self._on_lock_failed,
        )

    @Slot()
    def _on_idle_active(self) -> None:
        """Tell the core the session is in use (a lock it applied meanwhile shows here)."""
        session = self.ctx.session
        if session is None or self.locked:
            return
        engine = self.ctx.engine
        self.ctx.tasks.run(
            lambda: engine.identity.keep_alive(session), on_error=self._on_keep_alive_failed
        )

    def _on_keep_alive_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SessionLocked):
            self.lock()
        else:
            self._on_lock_failed(exc)

    def _on_lock_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SessionEnded) and self.ctx.on_ended is not None:
            self.ctx.on_ended()
            return
        self.ctx.error(self.window, exc)

    @Slot()
    def ask_password(self) -> None:
        """Open (or raise) the password dialog over the lock screen."""
        if not self.locked or self.window is None:
            return
        if self.unlock_dialog is None:
            self.unlock_dialog = PasswordDialog(self.ctx, unlock=True, parent=self.window)
            self.unlock_dialog.accepted.connect(self._on_unlock_accepted)
            self.unlock_dialog.finished.connect(self._on_unlock_finished)
        self.unlock_dialog.open()

    @Slot()
    def _on_unlock_accepted(self) -> None:
        if self.window is not None:
            self.window.set_locked(False)
        self.idle.reset()

    @Slot()
    def _on_unlock_finished(self) -> None:
        self._close_unlock_dialog()

    def _close_unlock_dialog(self) -> None:
        dialog, self.unlock_dialog = self.unlock_dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()
