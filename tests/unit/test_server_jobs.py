"""Jobs outlive connections: the grace period, resuming by event id, owners only."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

from server.jobs import Jobs


def _waits_for_cancel(cancel: threading.Event) -> Iterator[tuple[str, dict[str, Any]]]:
    yield ("token", {"text": "a"})
    cancel.wait(30)
    yield ("done", {"cancelled": cancel.is_set()})


def test_an_answer_whose_reader_left_is_cancelled_after_the_grace_period() -> None:
    jobs = Jobs(sweep_s=3600)  # swept by hand below
    job = jobs.start(1, "answer", _waits_for_cancel, orphan_grace_s=30)
    job.wait_first(5)
    jobs.sweep(time.monotonic() + 3600)
    assert not job.cancel.is_set()  # its first reader has not come yet (a model loading)
    loop = asyncio.new_event_loop()
    woken = asyncio.Event()
    job.attach(loop, woken)
    job.detach(loop, woken)  # the connection dropped
    jobs.sweep(time.monotonic() + 10)
    assert not job.cancel.is_set()  # within the grace period
    jobs.sweep(time.monotonic() + 31)
    assert job.cancel.is_set()
    assert job.join(5)
    assert job.since(1)[-1].data == {"cancelled": True}
    jobs.close()
    loop.close()


def test_a_listening_reader_keeps_the_answer_going_and_leaving_restarts_the_clock() -> None:
    jobs = Jobs(sweep_s=3600)
    job = jobs.start(1, "answer", _waits_for_cancel, orphan_grace_s=30)
    loop = asyncio.new_event_loop()
    woken = asyncio.Event()
    job.attach(loop, woken)
    jobs.sweep(time.monotonic() + 3600)
    assert not job.cancel.is_set()
    job.detach(loop, woken)
    jobs.sweep(time.monotonic() + 10)
    assert not job.cancel.is_set()
    jobs.sweep(time.monotonic() + 31)
    assert job.cancel.is_set()
    jobs.close()
    loop.close()


def test_indexing_goes_on_without_a_reader() -> None:
    jobs = Jobs(sweep_s=3600)
    job = jobs.start(1, "ingest", _waits_for_cancel, orphan_grace_s=None)
    jobs.sweep(time.monotonic() + 3600)
    assert not job.cancel.is_set()
    jobs.close()  # shutdown cancels it
    assert job.finished.is_set()


def test_events_resume_after_an_id_and_only_the_owner_finds_the_job() -> None:
    jobs = Jobs(sweep_s=3600)

    def three(cancel: threading.Event) -> Iterator[tuple[str, dict[str, Any]]]:
        for n in range(3):
            yield ("token", {"n": n})

    job = jobs.start(7, "answer", three)
    assert job.join(5)
    assert [e.id for e in job.since(1)] == [2, 3]
    assert jobs.get(job.id, 7, "answer") is job
    assert jobs.get(job.id, 8, "answer") is None
    assert jobs.get(job.id, 7, "ingest") is None
    jobs.close()


def test_finished_jobs_are_forgotten_after_keep_s() -> None:
    jobs = Jobs(keep_s=60, sweep_s=3600)
    job = jobs.start(1, "answer", lambda cancel: iter([("done", {})]))
    assert job.join(5)
    jobs.sweep(time.monotonic() + 30)
    assert jobs.get(job.id, 1, "answer") is job
    jobs.sweep(time.monotonic() + 61)
    assert jobs.get(job.id, 1, "answer") is None
    jobs.close()
