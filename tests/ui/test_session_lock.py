"""The idle lock follows a person's input, not the app's own calls; locked means nothing shown."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from core import Engine, SessionLocked, Settings
from core.llm.generator import Generator
from core.search.embedder import Embedder
from desktop.context import Context
from desktop.idle_lock import IdleLock, ScreenLockWatcher
from desktop.session_guard import SessionGuard
from desktop.views.main_window import MainWindow
from desktop.views.watches import WatchDialog
from tests.identity import PASSWORD
from tests.ui.conftest import WAIT_MS

LIMIT_S = 60.0


class Clock:
    """A monotonic clock the test moves by hand (minutes pass without sleeping)."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Guarded:
    window: MainWindow
    guard: SessionGuard
    clock: Clock


@pytest.fixture
def core_clock() -> Clock:
    """The clock the core's session table measures idleness with, moved by hand."""
    return Clock()


@pytest.fixture
def ui_engine(
    settings: Settings, e5: Embedder, demo_generator: Generator, core_clock: Clock
) -> Iterator[Engine]:
    """The desktop tests' engine, its sessions' idle time on `core_clock`."""
    with Engine(settings, embedder=e5, generator=demo_generator, idle_clock=core_clock) as eng:
        yield eng


@pytest.fixture
def guarded(ctx: Context, qtbot: QtBot) -> Iterator[Guarded]:
    """The main window under a guard whose idle check the test runs (the timer never fires)."""
    clock = Clock()
    idle = IdleLock(LIMIT_S, clock=clock, check_ms=24 * 3_600_000)
    guard = SessionGuard(ctx, idle)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    guard.attach(window)
    yield Guarded(window, guard, clock)
    guard.detach()


def shows_content(window: MainWindow) -> bool:
    return window.content.isVisible() or window.chat.transcript.isVisible()


def wait_for_password_dialog(qtbot: QtBot, guard: SessionGuard) -> None:
    qtbot.waitUntil(
        lambda: guard.unlock_dialog is not None and guard.unlock_dialog.isVisible(),
        timeout=WAIT_MS,
    )


def test_a_polling_dialog_does_not_keep_the_session_open(
    qtbot: QtBot, ctx: Context, guarded: Guarded
) -> None:
    kb = ctx.engine.kbs.visible(ctx.user)[0]
    watches = WatchDialog(ctx, kb, guarded.window)
    watches.show()
    for _ in range(5):  # the dialog re-reads its list; nobody touches keyboard or mouse
        guarded.clock.now += LIMIT_S / 4
        watches.refresh()
        qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)
        guarded.guard.idle.check()
    window = guarded.window
    assert window.locked
    assert not shows_content(window)
    assert window.lock_screen.isVisible()
    assert not watches.isVisible(), "dialogs showing content are closed"
    assert window.windowTitle() == "Konspekt — locked"
    assert not window.menuBar().isEnabled()
    wait_for_password_dialog(qtbot, guarded.guard)
    with pytest.raises(SessionLocked):
        ctx.engine.documents.all(ctx.user)


def test_input_resets_the_idle_time(qtbot: QtBot, guarded: Guarded) -> None:
    window, idle, clock = guarded.window, guarded.guard.idle, guarded.clock
    clock.now += LIMIT_S - 5
    qtbot.keyClick(window.chat.question, Qt.Key.Key_A)
    clock.now += LIMIT_S - 5
    idle.check()
    assert not window.locked, "typing a minute ago counts"
    qtbot.mouseMove(window.chat.transcript.viewport())
    clock.now += LIMIT_S - 1
    idle.check()
    assert not window.locked, "moving the mouse counts"
    clock.now += 1
    idle.check()
    assert window.locked


def test_typing_keeps_the_core_session_open(
    qtbot: QtBot, ctx: Context, guarded: Guarded, core_clock: Clock
) -> None:
    """The core locks a session no call used for its own limit; typing is use, too."""
    ctx.engine.context.sessions.idle_seconds = 2 * LIMIT_S
    ctx.engine.identity.keep_alive(ctx.user)
    for _ in range(4):  # four minutes spent typing one long question: no engine call
        core_clock.now += LIMIT_S
        guarded.clock.now += LIMIT_S
        qtbot.keyClick(guarded.window.chat.question, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)
    assert ctx.engine.documents.all(ctx.user) == []
    assert not guarded.window.locked


def test_cancelling_the_password_keeps_the_content_hidden(
    qtbot: QtBot, ctx: Context, guarded: Guarded
) -> None:
    window, guard = guarded.window, guarded.guard
    guard.lock()
    wait_for_password_dialog(qtbot, guard)
    assert guard.unlock_dialog is not None
    guard.unlock_dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert guard.unlock_dialog is None
    assert window.locked
    assert not shows_content(window)
    assert window.lock_screen.isVisible()

    window.lock_screen.unlock_button.click()
    wait_for_password_dialog(qtbot, guard)
    dialog = guard.unlock_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.old, "not the password")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=WAIT_MS)
    assert window.locked
    assert not shows_content(window)


def test_the_right_password_shows_the_content_again(
    qtbot: QtBot, ctx: Context, guarded: Guarded
) -> None:
    window, guard = guarded.window, guarded.guard
    guard.lock()
    wait_for_password_dialog(qtbot, guard)
    dialog = guard.unlock_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.old, PASSWORD)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)
    assert shows_content(window)
    assert window.windowTitle() == "Konspekt"
    assert window.menuBar().isEnabled()
    assert ctx.engine.documents.all(ctx.user) == []


def test_the_screen_lock_locks_the_session(qtbot: QtBot, guarded: Guarded) -> None:
    guarded.guard.screen.screen_locked.emit()
    assert guarded.window.locked
    assert not shows_content(guarded.window)


@pytest.fixture
def session_bus() -> Iterator[str]:
    """A private D-Bus session daemon (the real one, not a stand-in); its address."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed")
    process = subprocess.Popen(
        [daemon, "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    address = process.stdout.readline().strip()
    yield address
    process.terminate()
    process.wait(timeout=30)


def test_a_desktop_screen_lock_is_heard_over_d_bus(qtbot: QtBot, session_bus: str) -> None:
    from PySide6.QtDBus import QDBusConnection, QDBusMessage

    listener = QDBusConnection.connectToBus(session_bus, "konspekt-test-listener")
    sender = QDBusConnection.connectToBus(session_bus, "konspekt-test-sender")
    try:
        watcher = ScreenLockWatcher()
        assert watcher.watch(listener)
        heard: list[bool] = []
        watcher.screen_locked.connect(lambda: heard.append(True))
        for active in (False, True):  # unlocking says nothing; messages arrive in order
            signal = QDBusMessage.createSignal(
                "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged"
            )
            signal.setArguments([active])
            assert sender.send(signal)
        qtbot.waitUntil(lambda: bool(heard), timeout=WAIT_MS)
        assert heard == [True]
    finally:
        QDBusConnection.disconnectFromBus("konspekt-test-listener")
        QDBusConnection.disconnectFromBus("konspekt-test-sender")
