"""The chat screen around the transcript: empty state, shortcuts, sources panel, drops, size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.theme import apply_theme
from desktop.views.main_window import MainWindow
from desktop.views.shortcuts import KEYS, ShortcutsDialog, keys_text
from desktop.views.transcript import Entry
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def window(ctx: Context, qtbot: QtBot) -> Iterator[MainWindow]:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)


def test_an_empty_chat_teaches_and_an_example_fills_the_question(
    qtbot: QtBot, window: MainWindow
) -> None:
    chat = window.chat
    assert chat.pages.currentWidget() is chat.empty
    assert "Drop a folder" in chat.empty.drop_hint.text()
    example = chat.empty.examples[1]
    qtbot.mouseClick(example, Qt.MouseButton.LeftButton)
    assert chat.question.toPlainText() == example.text()
    assert chat.question.hasFocus() or not window.isActiveWindow()
    chat.transcript.set_entries([Entry("user", "Q")])
    assert chat.pages.currentWidget() is chat.transcript
    chat.new_chat()
    assert chat.pages.currentWidget() is chat.empty


def test_the_examples_speak_russian(window: MainWindow, ctx: Context) -> None:
    ctx.language.apply("ru")
    QApplication.processEvents()
    assert "Перетащите" in window.chat.empty.drop_hint.text()
    assert all(b.text() and b.text().isascii() is False for b in window.chat.empty.examples)


def test_every_shortcut_is_bound_and_listed_in_help(qtbot: QtBot, window: MainWindow) -> None:
    bound = {s.key().toString() for s in window.shortcuts}
    for action in (window.settings_action, window.quit_action, window.shortcuts_action):
        bound |= {k.toString() for k in action.shortcuts()}
    wanted = {QKeySequence(k).toString() for keys in KEYS.values() for k in keys}
    assert wanted <= bound
    dialog = window.open_shortcuts()
    assert isinstance(dialog, ShortcutsDialog)
    table = dialog.table
    listed = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert {keys_text(action) for action in KEYS} == listed
    assert all(table.item(row, 1).text() for row in range(table.rowCount()))
    dialog.close()


def _fire(window: MainWindow, keys: str) -> None:
    shortcut = next(s for s in window.shortcuts if s.key() == QKeySequence(keys))
    shortcut.activated.emit()


def test_shortcuts_toggle_sources_find_and_focus(qtbot: QtBot, window: MainWindow) -> None:
    chat = window.chat
    window.tabs.setCurrentIndex(1)
    _fire(window, "Ctrl+Shift+S")
    assert window.tabs.currentIndex() == 0
    assert chat.splitter.sizes()[2] == 0
    assert not chat.sources_button.isChecked()
    _fire(window, "Ctrl+Shift+S")
    assert chat.splitter.sizes()[2] > 0
    _fire(window, "Ctrl+Shift+F")
    assert chat.find_box.isVisible()
    _fire(window, "Escape")
    assert not chat.find_box.isVisible(), "Esc closes the find box first"
    chat.transcript.set_entries([Entry("user", "alpha"), Entry("assistant", "beta alpha")])
    chat.find_box.setText("alpha")
    assert chat.find_box.find_next()
    assert chat.find_box.find_next()
    assert chat.find_box.find_next(), "after the last match it starts again from the top"
    assert chat.transcript.textCursor().selectedText() == "alpha"


def test_a_folded_sources_panel_stays_folded_next_time(
    qtbot: QtBot, window: MainWindow, ctx: Context
) -> None:
    window.chat.toggle_sources()
    window.save_state()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    assert again.chat.splitter.sizes()[2] == 0
    assert not again.chat.sources_button.isChecked()


def test_a_folder_dropped_on_the_window_goes_to_the_chat(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "memo.txt").write_text("The lighthouse keeper counts ships every night.\n" * 5)
    window.tabs.setCurrentIndex(1)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert window.tabs.currentIndex() == 0
    qtbot.waitUntil(
        lambda: any(
            "memo.txt" in e.text for e in window.chat.transcript.entries if e.role == "note"
        ),
        timeout=WAIT_MS,
    )


def _clipped(root: QWidget) -> list[str]:
    """Visible buttons narrower or lower than their text needs."""
    return [
        f"{b.objectName() or b.text()}: {b.size().toTuple()} < {b.minimumSizeHint().toTuple()}"
        for b in root.findChildren(QAbstractButton)
        if b.isVisible()
        and (b.width() < b.minimumSizeHint().width() or b.height() < b.minimumSizeHint().height())
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_1280_by_800_fits_every_control(window: MainWindow, ctx: Context, lang: str) -> None:
    ctx.language.apply(lang)
    window.chat.transcript.set_entries([Entry("user", "Q"), Entry("assistant", "A " * 200)])
    QApplication.processEvents()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280
    assert hint.height() <= 800
    assert window.size().toTuple() == (1280, 800)
    assert _clipped(window) == []


def test_dark_theme_reaches_the_empty_state_and_the_input(
    qtbot: QtBot, qapp: QApplication, window: MainWindow
) -> None:
    apply_theme(qapp, "dark")
    try:
        QApplication.processEvents()
        for widget in (window.chat.empty, window.chat.question, window.chat.transcript):
            role = widget.backgroundRole()
            assert widget.palette().color(role).lightness() < 80, widget.objectName()
        for title in (window.chat.sources.title, window.chat.empty.title):
            text = title.palette().color(title.foregroundRole())
            assert text.lightness() > 180, f"{title.text()} is readable on dark"
    finally:
        apply_theme(qapp, "light")
