"""The opening window: a long start (a store upgrade) shows how far it is, and Quit stops it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core import Engine, Settings, UpgradeProgress
from core.store import migrations, postings
from desktop.app import Application
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.views.opening import OpeningWindow
from tests.old_store import old_store
from tests.ui.conftest import WAIT_MS


def _visible_opening_windows() -> list[OpeningWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, OpeningWindow) and w.isVisible()
    ]


def test_the_window_says_how_far_the_upgrade_is_and_quit_asks_once(
    qtbot: QtBot, language: Language
) -> None:
    language.apply("ru")
    window = OpeningWindow()
    qtbot.addWidget(window)
    assert not window.isVisible()  # shown by the shell only when opening is slow
    window.show_progress(UpgradeProgress("m016_keyword_postings", 5000, 120000))
    assert window.isVisible()
    assert (window.bar.value(), window.bar.maximum()) == (5000, 120000)
    ru = QLocale(QLocale.Language.Russian)
    assert window.detail.text() == f"{ru.toString(5000)} из {ru.toString(120000)} фрагментов"
    assert "Обновляем ваши данные" in window.message.text()
    asked: list[bool] = []
    window.stop_requested.connect(lambda: asked.append(True))
    window.quit_button.click()
    assert asked == [True]
    assert not window.quit_button.isEnabled()
    assert "Останавливаем" in window.message.text()
    window.show_progress(UpgradeProgress("m016_keyword_postings", 10000, 120000))
    assert window.detail.text() == ""  # a late report does not undo "stopping"
    assert not window.close()  # closing is Quit too: the window stays until opening stops
    assert window.isVisible()
    assert asked == [True]


@pytest.fixture
def slow_upgrade(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A store to upgrade, in batches of 50 chunks, the second held until the test says go."""
    old_store(settings)
    monkeypatch.setattr(migrations, "BATCH", 50)
    real_add, calls, go = postings.add, [0], threading.Event()

    def add(con: object, chunks: object) -> None:
        calls[0] += 1
        if calls[0] == 2:
            assert go.wait(WAIT_MS / 1000)
        real_add(con, chunks)  # type: ignore[arg-type]

    monkeypatch.setattr(postings, "add", add)
    yield go
    go.set()


@pytest.fixture
def shells(language: Language) -> Iterator[Callable[[Settings], Application]]:
    """Makes desktop shells; at the end each is shut down and its login put away."""
    made: list[Application] = []

    def make(settings: Settings) -> Application:
        made.append(Application(settings, Prefs(settings.data_dir), language))
        return made[-1]

    yield make
    for shell in made:
        if shell.login is not None:
            shell.login.hide()  # not close(): a rejected login quits the application
            shell.login.deleteLater()


def test_an_upgrade_shows_its_progress_then_the_login(
    qtbot: QtBot,
    settings: Settings,
    shells: Callable[[Settings], Application],
    slow_upgrade: threading.Event,
) -> None:
    shell = shells(settings)
    shell.start()
    qtbot.waitUntil(lambda: bool(_visible_opening_windows()), timeout=WAIT_MS)
    window = _visible_opening_windows()[0]
    qtbot.waitUntil(lambda: window.bar.value() == 50, timeout=WAIT_MS)
    assert window.bar.maximum() == 400
    slow_upgrade.set()
    qtbot.waitUntil(lambda: shell.login is not None and shell.login.isVisible(), timeout=WAIT_MS)
    assert not _visible_opening_windows()


def test_quit_during_the_upgrade_rolls_it_back_and_leaves(
    qtbot: QtBot,
    settings: Settings,
    shells: Callable[[Settings], Application],
    slow_upgrade: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    shell = shells(settings)
    shell.start()
    qtbot.waitUntil(lambda: bool(_visible_opening_windows()), timeout=WAIT_MS)
    window = _visible_opening_windows()[0]
    qtbot.waitUntil(lambda: window.bar.value() == 50, timeout=WAIT_MS)
    window.quit_button.click()
    slow_upgrade.set()  # the held batch ends; the upgrade stops at the next one
    qtbot.waitUntil(lambda: exits == [0], timeout=WAIT_MS)
    assert shell.ctx is None  # no engine, no login
    assert shell.login is None
    assert not _visible_opening_windows()
    heard: list[UpgradeProgress] = []
    with Engine(settings, on_upgrade=heard.append):  # undone whole: it starts over
        pass
    assert [p.done for p in heard] == list(range(0, 401, 50))


def test_a_quick_start_shows_no_opening_window(
    qtbot: QtBot, settings: Settings, shells: Callable[[Settings], Application]
) -> None:
    shell = shells(settings)
    shell.start()
    qtbot.waitUntil(lambda: shell.login is not None and shell.login.isVisible(), timeout=WAIT_MS)
    assert not _visible_opening_windows()
