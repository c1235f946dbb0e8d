"""First run (create the administrator), log in, register: one dialog, three pages."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import Session, SetupResult
from desktop.context import Context
from desktop.errors import error_text
from desktop.views.forms import (
    line_field,
    make_title,
    message_label,
    password_field,
    show_hint,
    show_problem,
)

LOGIN, REGISTER, SETUP = range(3)


class LoginDialog(QDialog):
    """Emits `logged_in(session)`; first run shows the setup page and then the recovery code."""

    logged_in = Signal(object)
    recovery_code = Signal(str)

    def __init__(self, ctx: Context, first_run: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("loginDialog")
        self.setMinimumWidth(420)
        self.pages = QStackedWidget(self)
        self._build_login()
        self._build_register()
        self._build_setup()
        self.title = QLabel(self)
        self.title.setObjectName("loginTitle")
        make_title(self.title, 1.4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages)
        self.pages.setCurrentIndex(SETUP if first_run else LOGIN)
        self._retranslate()

    # Pages ----------------------------------------------------------------------------
    def _build_login(self) -> None:
        page = QWidget(self)
        form = QFormLayout()
        self.login_user = line_field(page, "loginUser")
        self.login_password = password_field(page, "loginPassword")
        self.login_user_label, self.login_password_label = QLabel(page), QLabel(page)
        form.addRow(self.login_user_label, self.login_user)
        form.addRow(self.login_password_label, self.login_password)
        self.login_message = message_label(page, "loginMessage")
        self.login_button = QPushButton(page)
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.to_register = QPushButton(page)
        self.to_register.setObjectName("toRegister")
        self.to_register.setFlat(True)
        self.login_button.clicked.connect(self._on_login_clicked)
        self.login_password.returnPressed.connect(self._on_login_clicked)
        self.to_register.clicked.connect(lambda: self._show(REGISTER))
        buttons = QHBoxLayout()
        buttons.addWidget(self.to_register)
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        box = QVBoxLayout(page)
        box.addLayout(form)
        box.addWidget(self.login_message)
        box.addLayout(buttons)
        self.pages.addWidget(page)

    def _build_register(self) -> None:
        page = QWidget(self)
        form = QFormLayout()
        self.reg_user = line_field(page, "registerUser")
        self.reg_name = line_field(page, "registerName")
        self.reg_password = password_field(page, "registerPassword")
        self.reg_repeat = password_field(page, "registerRepeat")
        self.reg_invite = line_field(page, "registerInvite")
        self.reg_labels = [QLabel(page) for _ in range(5)]
        fields = (self.reg_user, self.reg_name, self.reg_password, self.reg_repeat, self.reg_invite)
        for label, field in zip(self.reg_labels, fields, strict=True):
            form.addRow(label, field)
        self.reg_message = message_label(page, "registerMessage")
        self.reg_button = QPushButton(page)
        self.reg_button.setObjectName("registerButton")
        self.to_login = QPushButton(page)
        self.to_login.setFlat(True)
        self.reg_button.clicked.connect(self._on_register_clicked)
        self.to_login.clicked.connect(lambda: self._show(LOGIN))
        buttons = QHBoxLayout()
        buttons.addWidget(self.to_login)
        buttons.addStretch(1)
        buttons.addWidget(self.reg_button)
        box = QVBoxLayout(page)
        box.addLayout(form)
        box.addWidget(self.reg_message)
        box.addLayout(buttons)
        self.pages.addWidget(page)

    def _build_setup(self) -> None:
        page = QWidget(self)
        self.setup_intro = QLabel(page)
        self.setup_intro.setWordWrap(True)
        form = QFormLayout()
        self.setup_user = line_field(page, "setupUser")
        self.setup_name = line_field(page, "setupName")
        self.setup_password = password_field(page, "setupPassword")
        self.setup_repeat = password_field(page, "setupRepeat")
        self.setup_labels = [QLabel(page) for _ in range(4)]
        fields = (self.setup_user, self.setup_name, self.setup_password, self.setup_repeat)
        for label, field in zip(self.setup_labels, fields, strict=True):
            form.addRow(label, field)
        self.setup_message = message_label(page, "setupMessage")
        self.setup_button = QPushButton(page)
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self._on_setup_clicked)
        box = QVBoxLayout(page)
        box.addWidget(self.setup_intro)
        box.addLayout(form)
        box.addWidget(self.setup_message)
        box.addWidget(self.setup_button)
        self.pages.addWidget(page)

    def _show(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._retranslate()

    # Texts ----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        titles = (self.tr("Log in"), self.tr("Register"), self.tr("Welcome to Konspekt"))
        self.title.setText(titles[self.pages.currentIndex()])
        self.setWindowTitle(self.tr("Konspekt"))
        self.login_user_label.setText(self.tr("Username"))
        self.login_password_label.setText(self.tr("Password"))
        self.login_button.setText(self.tr("Log in"))
        self.to_register.setText(self.tr("Create an account…"))
        texts = (
            self.tr("Username"),
            self.tr("Full name"),
            self.tr("Password"),
            self.tr("Repeat password"),
            self.tr("Invite code (optional)"),
        )
        for label, text in zip(self.reg_labels, texts, strict=True):
            label.setText(text)
        self.reg_button.setText(self.tr("Register"))
        self.to_login.setText(self.tr("I have an account"))
        self.setup_intro.setText(
            self.tr(
                "Nobody uses Konspekt here yet. Create the administrator account; you will see a recovery code next."  # noqa: E501
            )
        )
        setup_texts = (
            self.tr("Username"),
            self.tr("Full name"),
            self.tr("Password"),
            self.tr("Repeat password"),
        )
        for label, text in zip(self.setup_labels, setup_texts, strict=True):
            label.setText(text)
        self.setup_button.setText(self.tr("Create administrator"))
        for field in (self.login_user, self.reg_user, self.setup_user):
            field.setAccessibleName(self.tr("Username"))
        for field in (self.login_password, self.reg_password, self.setup_password):
            field.setAccessibleName(self.tr("Password"))

    def _busy(self, busy: bool) -> None:
        for button in (self.login_button, self.reg_button, self.setup_button):
            button.setEnabled(not busy)

    # Actions --------------------------------------------------------------------------
    @Slot()
    def _on_login_clicked(self) -> None:
        user, password = self.login_user.text().strip(), self.login_password.text()
        if not user or not password:
            show_problem(self.login_message, self.tr("Type your username and password."))
            return
        self._busy(True)
        show_hint(self.login_message, self.tr("Checking…"))
        self.ctx.tasks.run(
            lambda: self.ctx.engine.identity.login(user, password),
            self._on_login_done,
            self._on_login_failed,
        )

    def _on_login_done(self, session: Session) -> None:
        self._busy(False)
        self.login_password.clear()
        self.logged_in.emit(session)
        self.accept()

    def _on_login_failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.login_password.clear()
        show_problem(self.login_message, error_text(exc, self.ctx.lang))

    @Slot()
    def _on_register_clicked(self) -> None:
        if self.reg_password.text() != self.reg_repeat.text():
            show_problem(self.reg_message, self.tr("The two passwords differ."))
            return
        user, name = self.reg_user.text().strip(), self.reg_name.text().strip()
        password, invite = self.reg_password.text(), self.reg_invite.text().strip()
        self._busy(True)
        engine = self.ctx.engine
        self.ctx.tasks.run(
            lambda: engine.identity.register(user, password, name, invite=invite or None),
            self._on_register_done,
            lambda exc: self._problem(self.reg_message, exc),
        )

    def _on_register_done(self, _user: object) -> None:
        self._busy(False)
        name = self.reg_user.text().strip()
        invited = bool(self.reg_invite.text().strip())
        self.login_user.setText(name)
        self._show(LOGIN)
        note = (
            self.tr("Account created. Log in.")
            if invited
            else self.tr("Account created. An administrator must approve it before you can log in.")
        )
        show_hint(self.login_message, note)

    @Slot()
    def _on_setup_clicked(self) -> None:
        if self.setup_password.text() != self.setup_repeat.text():
            show_problem(self.setup_message, self.tr("The two passwords differ."))
            return
        user, name = self.setup_user.text().strip(), self.setup_name.text().strip()
        password = self.setup_password.text()
        self._busy(True)
        show_hint(self.setup_message, self.tr("Creating the account…"))
        self.ctx.tasks.run(
            lambda: self.ctx.engine.identity.setup(user, password, name),
            self._on_setup_done,
            lambda exc: self._problem(self.setup_message, exc),
        )

    def _on_setup_done(self, result: SetupResult) -> None:
        self._busy(False)
        self.recovery_code.emit(result.recovery_code)
        self.logged_in.emit(result.session)
        self.accept()

    def _problem(self, label: QLabel, exc: BaseException) -> None:
        self._busy(False)
        show_problem(label, error_text(exc, self.ctx.lang))
