"""desktop.tasks: results, errors and streamed events reach the UI thread; cancel is seen.

An error without a handler of its own reaches the user: the error dialog, localized.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from core import KnownError, SessionEnded
from desktop.context import Context
from desktop.tasks import Tasks
from tests.ui.conftest import WAIT_MS


def test_result_and_error_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    tasks = Tasks()
    ui = QThread.currentThread()
    seen: list[tuple[str, object, bool]] = []
    tasks.run(lambda: 41 + 1, lambda r: seen.append(("done", r, QThread.currentThread() is ui)))
    tasks.run(
        lambda: 1 / 0,
        on_error=lambda e: seen.append(("error", type(e).__name__, QThread.currentThread() is ui)),
    )
    qtbot.waitUntil(lambda: len(seen) == 2 and tasks.running == 0, timeout=WAIT_MS)
    assert sorted(seen) == [("done", 42, True), ("error", "ZeroDivisionError", True)]


def test_many_streamed_events_arrive_in_order(qtbot: QtBot) -> None:
    """Also guards the PySide6 pin: 6.12.0 aborted after a few thousand worker emits."""
    tasks = Tasks()
    got: list[int] = []
    done: list[object] = []

    def numbers(_cancel: threading.Event) -> Iterator[int]:
        yield from range(50_000)

    tasks.stream(numbers, got.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert got == list(range(50_000))


def test_cancel_reaches_the_generator_and_its_cleanup_runs(qtbot: QtBot) -> None:
    tasks = Tasks()
    closed = threading.Event()
    release = threading.Event()

    def forever(cancel: threading.Event) -> Iterator[int]:
        try:
            n = 0
            while not cancel.is_set():
                n += 1
                yield n
                release.wait(0.001)
        finally:
            closed.set()

    got: list[int] = []
    done: list[object] = []
    job = tasks.stream(forever, got.append, done.append)
    qtbot.waitUntil(lambda: len(got) > 5, timeout=WAIT_MS)
    job.cancel()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert closed.is_set()
    assert tasks.shutdown()


def _window(qtbot: QtBot) -> QWidget:
    """The open window a dialog belongs to (the app always shows one while logged in)."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def _error_boxes(window: QWidget) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]


def _missing_chat_error(ctx: Context) -> KnownError:
    with pytest.raises(KnownError) as caught:
        ctx.engine.chats.messages(ctx.user, 999_999)
    return caught.value


def test_an_error_without_a_handler_is_shown_to_the_user_in_their_language(
    qtbot: QtBot, ctx: Context
) -> None:
    ctx.language.apply("ru")
    expected = _missing_chat_error(ctx).user_message("ru")
    engine, session = ctx.engine, ctx.user
    window = _window(qtbot)
    ctx.tasks.run(lambda: engine.chats.messages(session, 999_999))
    qtbot.waitUntil(lambda: bool(_error_boxes(window)), timeout=WAIT_MS)
    (box,) = _error_boxes(window)
    assert box.text() == expected
    assert any("а" <= c <= "я" for c in box.text().lower()), "the Russian message"


def test_an_explicit_error_handler_gets_the_error_instead_of_the_dialog(
    qtbot: QtBot, ctx: Context
) -> None:
    expected = _missing_chat_error(ctx).user_message("en")
    engine, session = ctx.engine, ctx.user
    window = _window(qtbot)
    handled: list[str] = []
    ctx.tasks.run(
        lambda: engine.chats.messages(session, 999_999),
        on_error=lambda exc: handled.append(exc.user_message("en")),
    )
    qtbot.waitUntil(lambda: bool(handled) and ctx.tasks.running == 0, timeout=WAIT_MS)
    assert handled == [expected]
    assert not _error_boxes(window)


def test_a_late_task_of_a_closed_session_does_not_end_the_next_one(
    qtbot: QtBot, ctx: Context
) -> None:
    """The welcome summary of a session logged out meanwhile fails with SessionEnded."""
    ended: list[bool] = []
    ctx.on_ended = lambda: ended.append(True)
    engine, old = ctx.engine, ctx.user
    engine.identity.logout(old)
    with pytest.raises(SessionEnded):
        engine.chats.all(old, "")
    window = _window(qtbot)
    ctx.tasks.run(lambda: engine.chats.all(old, ""))
    qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)
    assert ended == []
    assert not _error_boxes(window)


def test_an_error_without_a_handler_or_a_window_is_logged(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = Tasks()
    tasks.run(lambda: 1 / 0)
    qtbot.waitUntil(lambda: tasks.running == 0, timeout=WAIT_MS)
    failed = [r.exc_info[0] for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert failed == [ZeroDivisionError]
