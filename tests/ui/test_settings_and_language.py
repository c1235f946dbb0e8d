"""Settings survive a restart; the interface switches language live; translations are whole."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from core import Settings
from desktop.context import Context
from desktop.i18n import I18N_DIR
from desktop.views.main_window import ADMIN, CHAT, LIBRARY, MainWindow
from desktop.views.settings import SettingsDialog
from tests.ui.conftest import WAIT_MS

REPO = Path(__file__).resolve().parents[2]


def test_settings_are_saved_applied_and_shown_again(qtbot: QtBot, ctx: Context) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.temperature.setValue(0.65)
    dialog.max_tokens.setValue(300)
    dialog.n_ctx.setValue(3072)
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    changes: list[tuple[str, str]] = []
    dialog.appearance_changed.connect(lambda lang, theme: changes.append((lang, theme)))
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert changes == [("ru", "system")]
    assert ctx.engine.settings.temperature == 0.65
    assert ctx.prefs.language == "ru"
    reloaded = Settings.load(ctx.engine.settings.data_dir)
    assert (reloaded.temperature, reloaded.max_answer_tokens, reloaded.n_ctx) == (0.65, 300, 3072)
    again = SettingsDialog(ctx)
    qtbot.addWidget(again)
    assert again.temperature.value() == 0.65
    assert again.language.currentData() == "ru"


def test_a_missing_model_file_is_refused_in_plain_words(qtbot: QtBot, ctx: Context) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.model_path.setText("/nowhere/model.gguf")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible()
    assert "/nowhere/model.gguf" in dialog.message.text()
    assert not (ctx.engine.settings.data_dir / "konspekt.toml").exists()


def test_language_switch_retranslates_the_open_window(qtbot: QtBot, ctx: Context) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.tabs.tabText(CHAT) == "Chat"
    ctx.language.apply("ru")
    qtbot.waitUntil(lambda: window.tabs.tabText(CHAT) == "Чат", timeout=WAIT_MS)
    assert window.tabs.tabText(LIBRARY) == "Библиотека"
    assert window.tabs.tabText(ADMIN) == "Администрирование"
    assert window.chat.send_button.text() == "Отправить"
    assert window.library.documents.headerData(0, Qt.Orientation.Horizontal) == "Имя файла"
    ctx.language.apply("en")
    qtbot.waitUntil(lambda: window.tabs.tabText(CHAT) == "Chat", timeout=WAIT_MS)
    assert window.chat.send_button.text() == "Send"


def test_every_string_is_translated_and_the_compiled_file_is_current(tmp_path: Path) -> None:
    ts = I18N_DIR / "konspekt_ru.ts"
    fresh = tmp_path / "konspekt_ru.ts"
    shutil.copy(ts, fresh)
    tools = Path(sys.executable).parent
    sources = sorted(str(p) for p in (REPO / "desktop").rglob("*.py"))
    subprocess.run(
        [str(tools / "pyside6-lupdate"), *sources, "-ts", str(fresh), "-no-obsolete"],
        check=True,
        capture_output=True,
    )
    messages = ET.parse(fresh).getroot().iter("message")
    untranslated = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert untranslated == [], (
        "run `make translations` and translate these in resources/i18n/konspekt_ru.ts"
    )
    qm = tmp_path / "konspekt_ru.qm"
    subprocess.run(
        [str(tools / "pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True
    )
    assert qm.read_bytes() == (I18N_DIR / "konspekt_ru.qm").read_bytes(), "run `make translations`"


def test_only_admins_get_the_administration_tab(qtbot: QtBot, ctx: Context) -> None:
    from core import Role
    from tests.identity import user_session

    ctx.session = user_session(ctx.engine, ctx.user, "boris", Role.MEMBER)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.admin is None
    assert window.tabs.count() == 2


def test_a_member_sees_the_installation_settings_locked_but_keeps_appearance(
    qtbot: QtBot, ctx: Context
) -> None:
    from core import Role
    from tests.identity import user_session

    ctx.session = user_session(ctx.engine, ctx.user, "vera", Role.MEMBER)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.admin_note.isVisible()
    assert not any(w.isEnabled() for w in dialog._installation_widgets())
    assert dialog.language.isEnabled()
    dialog.language.setCurrentIndex(dialog.language.findData("ru"))
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert ctx.prefs.language == "ru"
    assert not (ctx.engine.settings.data_dir / "konspekt.toml").exists()
