"""File → Team server…: check a server's certificate fingerprint, log in to it, leave it.

Nothing is sent to a server before its user has seen the fingerprint of the certificate
it presents and compared it with the one IT gave them: the fingerprint is what makes the
encrypted connection trustworthy (it is pinned at connect and checked on every call).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import AuthenticationFailed, RemoteServer, ServerIdentity
from desktop.context import Context
from desktop.safe_text import ask, plain, tooltip
from desktop.views.forms import line_field, message_label, password_field, show_hint, show_problem

_GROUPS_PER_LINE = 16


def fingerprint_lines(fingerprint: str) -> str:
    """'AB:CD:…' in two lines of 16 bytes, easier to compare by eye than one long line."""
    groups = fingerprint.split(":")
    lines = [groups[i : i + _GROUPS_PER_LINE] for i in range(0, len(groups), _GROUPS_PER_LINE)]
    return "\n".join(":".join(line) for line in lines)


class TeamServerDialog(QDialog):
    """Emits `changed()` after a server was joined or left (the knowledge-base lists reload)."""

    changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.identity: ServerIdentity | None = None
        """What the address in the box presented at the last Check (None: not checked)."""
        self.setObjectName("teamServerDialog")
        self.setWindowTitle(self.tr("Team server"))
        self.setMinimumWidth(620)
        self._build()
        self._show_identity(None)
        self.refresh()

    def _build(self) -> None:
        self.address = line_field(self, "serverAddress")
        self.address.setPlaceholderText("https://konspekt.example.org:8443")
        self.address.textEdited.connect(self._on_address_edited)
        self.address.returnPressed.connect(self.check)
        settings = self.ctx.engine.settings
        self.address.setText(settings.team_server_url)  # IT's server, when it named one
        if settings.locked_by("team_server_url"):
            self.address.setEnabled(False)
            self.address.setToolTip(
                self.tr("Locked by your IT policy ({path})").format(path=settings.policy.source)
            )
        self.check_button = QPushButton(self.tr("Check"), self)
        self.check_button.setObjectName("serverCheck")
        self.check_button.clicked.connect(self.check)
        self.intro = plain(QLabel(self))
        self.intro.setObjectName("serverFingerprintIntro")
        self.fingerprint = plain(QLabel(self))
        self.fingerprint.setObjectName("serverFingerprint")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setBold(True)
        self.fingerprint.setFont(mono)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = message_label(self, "serverFingerprintNote")
        self.username = line_field(self, "serverUser")
        self.password = password_field(self, "serverPassword")
        self.password.returnPressed.connect(self.join)
        self.connect_button = QPushButton(self.tr("Trust this fingerprint and connect"), self)
        self.connect_button.setObjectName("serverConnect")
        self.connect_button.clicked.connect(self.join)
        self.message = message_label(self, "serverMessage")
        self.servers = QListWidget(self)
        self.servers.setObjectName("serverList")
        self.servers.setMaximumHeight(90)
        self.disconnect_button = QPushButton(self.tr("Disconnect"), self)
        self.disconnect_button.setObjectName("serverDisconnect")
        self.disconnect_button.clicked.connect(self.leave)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        check = QGroupBox(self.tr("1. Check the server"), self)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.check_button)
        box = QVBoxLayout(check)
        box.addWidget(QLabel(self.tr("Address the server's administrator gave you:"), check))
        box.addLayout(row)
        box.addWidget(self.intro)
        box.addWidget(self.fingerprint)
        box.addWidget(self.note)
        self.login = QGroupBox(self.tr("2. Log in with your account on the server"), self)
        form = QFormLayout(self.login)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.connect_button)
        joined = QGroupBox(self.tr("Connected servers"), self)
        box = QVBoxLayout(joined)
        box.addWidget(self.servers)
        box.addWidget(self.disconnect_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        for widget in (check, self.login, self.message, joined, buttons):
            layout.addWidget(widget)

    # Checking -----------------------------------------------------------------------
    @Slot()
    def check(self) -> None:
        """Ask the address for its certificate (a TLS handshake, nothing sent) on a worker."""
        url = self.address.text().strip()
        if not url:
            return
        self._show_identity(None)
        show_hint(self.note, self.tr("Asking the server for its certificate…"))
        self.check_button.setEnabled(False)
        engine = self.ctx.engine
        self.ctx.tasks.run(
            lambda: engine.remotes.identify(url), self._on_identified, self._on_check_failed
        )

    def _on_identified(self, identity: ServerIdentity) -> None:
        self.check_button.setEnabled(True)
        self._show_identity(identity)

    def _on_check_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        self._show_identity(None)
        self.ctx.error(self, exc)

    @Slot(str)
    def _on_address_edited(self, _text: str) -> None:
        """A fingerprint shown belongs to the address checked, not to one typed since."""
        if self.identity is not None:
            self._show_identity(None)

    def _show_identity(self, identity: ServerIdentity | None) -> None:
        self.identity = identity
        self.login.setEnabled(identity is not None)
        self.fingerprint.setVisible(identity is not None)
        self.intro.setVisible(identity is not None)
        show_problem(self.message, "")
        if identity is None:
            self.fingerprint.clear()
            show_hint(self.note, "")
            return
        self.fingerprint.setText(fingerprint_lines(identity.fingerprint))
        intro = self.tr("Certificate fingerprint (SHA-256) of {url}:").format(url=identity.url)
        self.intro.setText(intro)
        if identity.pinned:
            text = self.tr(
                "This is the fingerprint already trusted for this server on this computer."
            )
        else:
            text = self.tr(
                "Compare it with the fingerprint IT or the server's administrator gave you. "
                "Connect only if every character matches: a different fingerprint means you "
                "may be talking to another machine pretending to be the server."
            )
        show_hint(self.note, text)
        self.username.setFocus()

    # Joining and leaving ------------------------------------------------------------
    @Slot()
    def join(self) -> None:
        """Log in on the checked server, trusting the fingerprint shown."""
        identity, username = self.identity, self.username.text().strip()
        if identity is None or not username:
            return
        engine, session, password = self.ctx.engine, self.ctx.user, self.password.text()
        self.login.setEnabled(False)
        show_hint(self.message, self.tr("Connecting…"))
        self.ctx.tasks.run(
            lambda: engine.remotes.connect(
                session, identity.url, username, password, identity.fingerprint
            ),
            self._on_connected,
            self._on_connect_failed,
        )

    def _on_connected(self, server: RemoteServer) -> None:
        self.password.clear()
        self.login.setEnabled(True)
        show_hint(
            self.message,
            self.tr(
                "Connected to {url} as {account}. Its knowledge bases are in your lists."
            ).format(url=server.url, account=server.account),
        )
        self.refresh()
        self.changed.emit()

    def _on_connect_failed(self, exc: BaseException) -> None:
        self.login.setEnabled(self.identity is not None)
        if isinstance(exc, AuthenticationFailed):  # the server's login said no
            show_problem(
                self.message,
                self.tr(
                    "The server did not accept this user name and password (or the account "
                    "is disabled or not yet approved there)."
                ),
            )
            return
        show_problem(self.message, "")
        self.ctx.error(self, exc)

    def refresh(self) -> None:
        """Reload the servers this user joined."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.remotes.servers(session),
            self._on_servers_loaded,
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_servers_loaded(self, servers: list[RemoteServer]) -> None:
        self.servers.clear()
        for server in servers:
            item = QListWidgetItem(f"{server.url} — {server.account}")
            item.setData(Qt.ItemDataRole.UserRole, server)
            note = self.tr("Trusted certificate:") + "\n" + fingerprint_lines(server.fingerprint)
            item.setToolTip(tooltip(note))
            self.servers.addItem(item)
        self.disconnect_button.setEnabled(bool(servers))
        if servers:
            self.servers.setCurrentRow(0)

    @Slot()
    def leave(self) -> None:
        """Disconnect from the selected server after confirmation."""
        item = self.servers.currentItem()
        if item is None:
            return
        server: RemoteServer = item.data(Qt.ItemDataRole.UserRole)
        asked = ask(
            self,
            self.tr("Disconnect"),
            self.tr(
                "Disconnect from {url}? Its knowledge bases and their copies are removed from "
                "this computer; nothing changes on the server."
            ).format(url=server.url),
        )
        if not asked:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.remotes.disconnect(session, server.url),
            lambda _r: self._on_left(),
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_left(self) -> None:
        self.refresh()
        self.changed.emit()
