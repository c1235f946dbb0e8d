"""desktop.tasks: results, errors and streamed events reach the UI thread; cancel is seen."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

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
