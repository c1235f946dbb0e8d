"""UI responsiveness: the longest event-loop stall while the desktop ingests and answers.

A 5 ms heartbeat runs on the UI thread of the real main window (offscreen) while the
real engine warms up, ingests corpus documents and streams an answer. Baseline: the
same heartbeat with the window idle, in the same run. Goal: ≤ 50 ms stall while
ingesting and answering.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.common import CORPUS, bench_session, bench_settings, scratch
from core import Engine
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.stall import StallMeter
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow

QUESTION = "What tools does Debian provide to manage packages?"


def _pump(app: QApplication, done: Callable[[], bool], limit_s: float = 600) -> None:
    end = time.monotonic() + limit_s
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.001)


def _measure(
    app: QApplication, label: str, start: Callable[[], None], done: Callable[[], bool]
) -> float:
    meter = StallMeter()
    meter.start()
    t0 = time.perf_counter()
    start()
    _pump(app, done)
    meter.stop()
    seconds = time.perf_counter() - t0
    print(
        f"  {label:<28} longest stall {meter.longest_stall_ms:7.1f} ms   "
        f"p99 {meter.percentile_ms(0.99):6.1f} ms   ({meter.beats} beats, {seconds:.1f} s)"
    )
    return meter.longest_stall_ms


def main() -> None:
    """Print stall figures for idle, warm-up, ingest and answer."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    folder = scratch("ui")
    docs = folder / "docs"
    docs.mkdir()
    for path in [
        CORPUS / "debian-faq" / "en" / "debian-faq.en.pdf",
        *sorted((CORPUS / "office").glob("*.docx")),
    ]:
        shutil.copy(path, docs / path.name)
    engine = Engine(bench_settings(folder, n_threads=0))
    language = Language()
    language.apply("en")
    ctx = Context(engine, Tasks(), language, Prefs(folder))
    ctx.session = bench_session(engine)
    window = MainWindow(ctx)
    window.show()
    print("UI responsiveness (offscreen main window, real engine; goal ≤ 50 ms while working)")
    idle = _measure(app, "idle (baseline, 3 s)", lambda: None, _after(3.0))
    _measure(
        app,
        "warm-up + model load",
        window.start,
        lambda: window.warmed and window.model_progress.isHidden(),
    )
    ingest = _measure(
        app,
        f"ingest {len(list(docs.iterdir()))} files",
        lambda: window.library.ingest([docs]),
        lambda: window.library.job is not None and window.library.job.finished,
    )

    def ask() -> None:
        window.chat.question.setPlainText(QUESTION)
        window.chat.send()

    answer = _measure(app, "answer (streamed)", ask, lambda: not window.chat.busy)
    for label, value in (("ingest", ingest), ("answer", answer)):
        ratio = value / max(idle, 0.1)
        print(f"  {label}: {value:.1f} ms longest stall = {ratio:.1f}× the idle loop's")
    window.close()
    ctx.tasks.shutdown()
    engine.close()
    shutil.rmtree(folder, ignore_errors=True)


def _after(seconds: float) -> Callable[[], bool]:
    end = time.monotonic() + seconds
    return lambda: time.monotonic() >= end


if __name__ == "__main__":
    main()
