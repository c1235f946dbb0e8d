"""The event loop keeps running while the engine ingests and answers (work is off the UI thread)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.stall import StallMeter
from desktop.views.main_window import MainWindow
from tests.documents import make_all
from tests.ui.conftest import WAIT_MS


def test_event_loop_keeps_beating_through_ingest_and_answer(
    qtbot: QtBot, ctx: Context, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    make_all(tmp_path / "docs")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(
        lambda: window.library.current_kb() is not None and window.warmed, timeout=WAIT_MS
    )
    meter = StallMeter()
    meter.start()
    window.library.ingest([tmp_path / "docs"])
    qtbot.waitUntil(
        lambda: window.library.job is not None and window.library.job.finished, timeout=WAIT_MS
    )
    ingest_beats = meter.beats
    window.chat.question.setPlainText("What does the lighthouse keeper count?")
    window.chat.send()
    qtbot.waitUntil(lambda: not window.chat.busy, timeout=WAIT_MS)
    meter.stop()
    record_property("longest_stall_ms", round(meter.longest_stall_ms, 1))
    print(f"longest event-loop stall {meter.longest_stall_ms:.1f} ms over {meter.beats} beats")
    # Not a timing threshold: a loop blocked by the work would not beat at all meanwhile.
    assert ingest_beats > 10
    assert meter.beats > ingest_beats + 10
    assert window.chat.transcript.last_answer() is not None
