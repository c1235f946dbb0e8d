"""APScheduler's in-process BackgroundScheduler: the only module that imports apscheduler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


class Scheduler:
    """Runs the engine's periodic jobs on one worker thread; never more than one at a time."""

    def __init__(self) -> None:
        self._scheduler = BackgroundScheduler(
            executors={"default": {"type": "threadpool", "max_workers": 1}},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )

    @property
    def running(self) -> bool:
        """Whether `start` was called and `shutdown` was not."""
        return bool(self._scheduler.running)

    def every(
        self, job_id: str, seconds: float, fn: Callable[[], object], first_delay_s: float = 0.0
    ) -> None:
        """Run `fn` after `first_delay_s`, then every `seconds` (never twice at once)."""
        self._scheduler.add_job(
            fn,
            "interval",
            seconds=seconds,
            id=job_id,
            replace_existing=True,
            next_run_time=datetime.now() + timedelta(seconds=first_delay_s),
        )

    def soon(self, job_id: str, fn: Callable[[], object], delay_s: float = 0.0) -> None:
        """Run `fn` once, `delay_s` from now or when the worker is free.

        Asking again for the same `job_id` before it ran moves it later (debounce).
        """
        when = datetime.now() + timedelta(seconds=delay_s)
        self._scheduler.add_job(fn, "date", run_date=when, id=job_id, replace_existing=True)

    def start(self) -> None:
        """Start the worker thread."""
        if not self._scheduler.running:
            self._scheduler.start()

    def shutdown(self) -> None:
        """Stop; waits for a job that is running to finish."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
