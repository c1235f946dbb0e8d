"""Account dialogs: the recovery code shown once, a password change, unlocking an idle lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.context import Context
from desktop.errors import error_text
from desktop.views.forms import message_label, password_field, show_problem


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once; OK is enabled only after the user confirms keeping it."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(self.tr("Recovery code"))
        self.code = code
        intro = QLabel(
            self.tr(
                "This code opens your data if the key in the system keychain is ever lost. "
                "It is shown only now: print it or save it somewhere safe, away from this computer."
            )
        )
        intro.setWordWrap(True)
        shown = QLabel(code)
        shown.setObjectName("recoveryCode")
        shown.setFont(QFont("monospace", 13))
        shown.setTextInteractionFlags(
            shown.textInteractionFlags() | shown.textInteractionFlags().TextSelectableByMouse
        )
        copy = QPushButton(self.tr("Copy"))
        save = QPushButton(self.tr("Save to file…"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(code))
        save.clicked.connect(self._on_save_clicked)
        self.kept = QCheckBox(self.tr("I have stored the recovery code safely"))
        self.kept.setObjectName("recoveryKept")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.kept.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, shown, copy, save, self.kept, self.buttons):
            layout.addWidget(widget)

    @Slot()
    def _on_save_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save recovery code"), "konspekt-recovery.txt"
        )
        if name:
            path = Path(name)
            path.write_text(self.code + "\n", encoding="utf-8")
            path.chmod(0o600)


class PasswordDialog(QDialog):
    """Change the password (required after an admin reset), or unlock an idle-locked session."""

    def __init__(self, ctx: Context, unlock: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.unlock = ctx, unlock
        self.setObjectName("unlockDialog" if unlock else "passwordDialog")
        self.old = password_field(self, "oldPassword")
        self.new = password_field(self, "newPassword")
        self.repeat = password_field(self, "repeatPassword")
        form = QFormLayout()
        if unlock:
            self.setWindowTitle(self.tr("Locked"))
            form.addRow(
                QLabel(
                    self.tr("The session was locked after a pause. Type your password to go on.")
                )
            )
            form.addRow(self.tr("Password"), self.old)
        else:
            self.setWindowTitle(self.tr("Change password"))
            form.addRow(self.tr("Current password"), self.old)
            form.addRow(self.tr("New password"), self.new)
            form.addRow(self.tr("Repeat new password"), self.repeat)
        self.message = message_label(self, "passwordMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    @Slot()
    def _on_ok_clicked(self) -> None:
        engine, session = self.ctx.engine, self.ctx.user
        old, new = self.old.text(), self.new.text()
        if self.unlock:
            work = lambda: engine.identity.unlock(session, old)  # noqa: E731
        else:
            if new != self.repeat.text():
                show_problem(self.message, self.tr("The two passwords differ."))
                return
            work = lambda: engine.identity.change_password(session, old, new)  # noqa: E731
        self.buttons.setEnabled(False)
        self.ctx.tasks.run(work, lambda _r: self.accept(), self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.old.clear()
        show_problem(self.message, error_text(exc, self.ctx.lang))
