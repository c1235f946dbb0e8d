"""First run, login, registration and the admin's approval, through the real dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from core import Engine, Session
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.views.admin import AdminView
from desktop.views.login import LOGIN, REGISTER, LoginDialog
from tests.identity import PASSWORD, admin_session
from tests.ui.conftest import WAIT_MS


def _context(engine: Engine, language: Language, tmp_path: Path) -> Context:
    return Context(engine, Tasks(), language, Prefs(tmp_path / "prefs"))


def test_first_run_creates_the_admin_and_hands_over_the_recovery_code(
    qtbot: QtBot, ui_engine: Engine, language: Language, tmp_path: Path
) -> None:
    ctx = _context(ui_engine, language, tmp_path)
    dialog = LoginDialog(ctx, first_run=ui_engine.identity.needs_setup())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.setup_user, "anna")
    qtbot.keyClicks(dialog.setup_password, PASSWORD)
    qtbot.keyClicks(dialog.setup_repeat, PASSWORD)
    codes: list[str] = []
    dialog.recovery_code.connect(codes.append)
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.setup_button, Qt.MouseButton.LeftButton)
    code, session = codes[0], blocker.args[0]
    assert len(code.split("-")) == 8
    assert isinstance(session, Session)
    assert session.user.username == "anna"
    assert not ui_engine.identity.needs_setup()


def test_wrong_password_is_said_inline_and_nothing_opens(
    qtbot: QtBot, ui_engine: Engine, language: Language, tmp_path: Path
) -> None:
    admin_session(ui_engine)
    ctx = _context(ui_engine, language, tmp_path)
    dialog = LoginDialog(ctx, first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.login_user.setText("admin")
    qtbot.keyClicks(dialog.login_password, "wrong password")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.login_message.isVisible()
    assert "password" in dialog.login_message.text().lower()
    assert dialog.login_password.text() == ""
    assert dialog.result() == 0


def test_registered_user_logs_in_after_the_admin_approves_in_the_admin_view(
    qtbot: QtBot, ui_engine: Engine, language: Language, tmp_path: Path
) -> None:
    admin = admin_session(ui_engine)
    ctx = _context(ui_engine, language, tmp_path)
    dialog = LoginDialog(ctx, first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.to_register, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == REGISTER
    dialog.reg_user.setText("вера")  # QTest types ASCII only
    qtbot.keyClicks(dialog.reg_password, PASSWORD)
    qtbot.keyClicks(dialog.reg_repeat, PASSWORD)
    qtbot.mouseClick(dialog.reg_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == LOGIN, timeout=WAIT_MS)
    assert "approve" in dialog.login_message.text()

    qtbot.keyClicks(dialog.login_password, PASSWORD)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=WAIT_MS)
    assert dialog.result() == 0, "a pending account must not log in"

    admin_ctx = _context(ui_engine, language, tmp_path)
    admin_ctx.session = admin
    view = AdminView(admin_ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.users.rowCount() == 2, timeout=WAIT_MS)
    row = next(r for r in range(view.users.rowCount()) if view.users.index(r, 0).data() == "вера")
    view.user_table.selectRow(row)
    qtbot.mouseClick(view.user_buttons["approve"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(u.username == "вера" and u.status.value == "active" for u in view.users.rows()),
        timeout=WAIT_MS,
    )

    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(dialog.login_password, PASSWORD)
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].user.username == "вера"


def test_desktop_ini_keeps_no_username_after_a_login(
    qtbot: QtBot, ui_engine: Engine, language: Language, tmp_path: Path
) -> None:
    admin_session(ui_engine)
    ctx = _context(ui_engine, language, tmp_path)
    ctx.prefs.theme = "dark"
    dialog = LoginDialog(ctx, first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login_user, "admin")
    qtbot.keyClicks(dialog.login_password, PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    ctx.prefs.sync()
    ini = (tmp_path / "prefs" / "desktop.ini").read_text(encoding="utf-8")
    assert "theme=dark" in ini
    assert "admin" not in ini


def test_a_username_kept_by_an_earlier_version_is_removed_and_not_shown(
    qtbot: QtBot, ui_engine: Engine, language: Language, tmp_path: Path
) -> None:
    admin_session(ui_engine)
    ini = tmp_path / "prefs" / "desktop.ini"
    ini.parent.mkdir()
    ini.write_text("[General]\nlast_user=admin\ntheme=dark\n", encoding="utf-8")
    ctx = _context(ui_engine, language, tmp_path)
    dialog = LoginDialog(ctx, first_run=False)
    qtbot.addWidget(dialog)
    assert dialog.login_user.text() == ""
    text = ini.read_text(encoding="utf-8")
    assert "admin" not in text
    assert "theme=dark" in text
