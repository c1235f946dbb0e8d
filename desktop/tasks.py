"""Background work for the UI: the only desktop module that knows about threads.

`run(fn, on_done, on_error)` calls a blocking core method on a pool thread and hands the
result back on the UI thread (like Anki's QueryOp), `run_reporting` one that reports
progress through a callback as it goes; `stream(make, on_event, …)` drains a
core generator (answers, ingest progress) on a pool thread and delivers each event on
the UI thread (like superqt's GeneratorWorker), with a cancel event the generator sees.
A job started without an error handler hands its error to `Tasks.error_display` (the
shell's dialog, wired by the Context), so no failure is dropped unseen.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]


def _ignore(_value: Any) -> None:
    return None


def _call(callback: Callback, value: Any) -> None:
    """Hand a result to the UI; a window closed while its work ran simply gets nothing."""
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc) and "has been deleted" not in str(exc):
            raise  # Qt words it both ways (a deleted widget; a deleted signal's source)
        log.debug("a result arrived for a closed window; dropped")


class _Signals(QObject):
    """Lives on the UI thread; workers emit, the Job's slots run on the UI thread."""

    item = Signal(object)
    done = Signal(object)
    failed = Signal(object)


class Job(QObject):
    """One piece of background work; keep it referenced while it runs (Tasks does)."""

    def __init__(
        self,
        tasks: Tasks,
        on_event: Callback,
        on_done: Callback,
        on_error: Callback | None,
    ) -> None:
        super().__init__(tasks)
        self.cancel_event = threading.Event()
        self.finished = False
        self._tasks = tasks
        self._on_event, self._on_done, self._on_error = on_event, on_done, on_error
        self.signals = _Signals(self)
        self.signals.item.connect(self._deliver_event)
        self.signals.done.connect(self._deliver_done)
        self.signals.failed.connect(self._deliver_error)

    def cancel(self) -> None:
        """Ask the work to stop at its next check (between tokens, within a file)."""
        self.cancel_event.set()

    @Slot(object)
    def _deliver_event(self, value: Any) -> None:
        _call(self._on_event, value)

    @Slot(object)
    def _deliver_done(self, value: Any) -> None:
        self._finish()
        _call(self._on_done, value)

    @Slot(object)
    def _deliver_error(self, exc: Any) -> None:
        self._finish()
        if self._on_error is None:
            self._tasks.report(exc)
        else:
            _call(self._on_error, exc)

    def _finish(self) -> None:
        self.finished = True
        self._tasks.forget(self)


class _Runner(QRunnable):
    def __init__(self, job: Job, work: Callable[[Job], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job, self._work = job, work

    def run(self) -> None:
        signals = self._job.signals
        try:
            result = self._work(self._job)
        except Exception as exc:
            log.debug("background task failed: %s", type(exc).__name__)
            signals.failed.emit(exc)
        else:
            signals.done.emit(result)


class Tasks(QObject):
    """The UI's pool of worker threads; `shutdown` cancels and waits for all of them."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._jobs: set[Job] = set()
        self.error_display: Callback | None = None
        """Shows the error of a job started without `on_error`; the Context sets it."""

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callback = _ignore,
        on_error: Callback | None = None,
    ) -> Job:
        """Call `fn()` on a worker; `on_done(result)` or `on_error(exc)` on the UI thread.

        Without `on_error` the error goes to `error_display`: a caller that has nothing
        better to do with a failure still lets the user see it.
        """
        return self._start(lambda _job: fn(), _ignore, on_done, on_error)

    def run_reporting(
        self,
        fn: Callable[[Callback, threading.Event], Any],
        on_report: Callback,
        on_done: Callback = _ignore,
        on_error: Callback | None = None,
    ) -> Job:
        """Call `fn(report, cancel_event)` on a worker, `on_report(item)` for each report.

        For a blocking core call that takes a progress callback (opening the engine):
        each `report(item)` it makes reaches `on_report` on the UI thread, then
        `on_done(result)` or `on_error(exc)` follows, as with `run`.
        """
        return self._start(
            lambda job: fn(job.signals.item.emit, job.cancel_event), on_report, on_done, on_error
        )

    def stream(
        self,
        make: Callable[[threading.Event], Iterator[Any]],
        on_event: Callback,
        on_done: Callback = _ignore,
        on_error: Callback | None = None,
    ) -> Job:
        """Drain `make(cancel_event)` on a worker, `on_event(item)` for each on the UI thread.

        `on_done(None)` follows the last event (also after a cancel); the generator is
        closed on the worker thread, so its cleanup (saving a stopped answer) runs there.
        """

        def work(job: Job) -> None:
            iterator = make(job.cancel_event)
            try:
                for item in iterator:
                    job.signals.item.emit(item)
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()

        return self._start(work, on_event, on_done, on_error)

    def _start(
        self,
        work: Callable[[Job], Any],
        on_event: Callback,
        on_done: Callback,
        on_error: Callback | None,
    ) -> Job:
        job = Job(self, on_event, on_done, on_error)
        self._jobs.add(job)
        self.busy_changed.emit(True)
        self._pool.start(_Runner(job, work))
        return job

    def report(self, exc: BaseException) -> None:
        """Show the error of a job that has no handler of its own (or log it before a UI exists)."""
        if self.error_display is None:
            log.error("a background task failed with no one to show it", exc_info=exc)
            return
        _call(self.error_display, exc)

    def forget(self, job: Job) -> None:
        """Drop a finished job (called by the job itself)."""
        self._jobs.discard(job)
        if not self._jobs:
            self.busy_changed.emit(False)

    @property
    def running(self) -> int:
        """How many jobs have not finished."""
        return len(self._jobs)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every job and wait for the workers; True when all stopped in time."""
        for job in list(self._jobs):
            job.cancel()
        return bool(self._pool.waitForDone(timeout_ms))
