"""Jobs, not connections: long work (an answer, an indexing run) outlives its HTTP request.

A job runs the core's generator on a thread of its own and keeps every event it yields,
numbered from 1, so a client that lost its connection reconnects with `Last-Event-ID`
and misses nothing (LibreChat's resumable streams). A job belongs to the user who
started it; nobody else can read or stop it.

Answers are also tied to someone listening: when no reader has been attached for the
grace period, the job's cancel is set, and the core stops generating inside llama.cpp
before its next token (`orphan_grace_s`). Indexing goes on without a reader.
Finished jobs stay readable for `keep_s`, then are forgotten.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

Produce = Callable[[threading.Event], Iterator[tuple[str, dict[str, Any]]]]
"""Given the job's cancel event, yields (event name, JSON data) pairs."""


class JobMissing(Exception):
    """No job of this kind with this id belongs to the caller (or it expired)."""

    def __init__(self, kind: str, job_id: str) -> None:
        super().__init__(kind, job_id)
        self.kind, self.job_id = kind, job_id


@dataclass(frozen=True, slots=True)
class Event:
    """One numbered event of a job."""

    id: int
    name: str
    data: dict[str, Any]


class Job:
    """A running or finished piece of work and everything it has said so far."""

    def __init__(
        self, owner: int, kind: str, produce: Produce, orphan_grace_s: float | None
    ) -> None:
        self.id = secrets.token_urlsafe(12)
        self.owner = owner
        self.kind = kind
        self.cancel = threading.Event()
        self.finished = threading.Event()
        self.ended_at = 0.0
        self.failure: BaseException | None = None
        self._produce = produce
        self._grace = orphan_grace_s
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._readers = 0
        self._orphaned_at: float | None = None
        self._first = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"konspekt-{kind}", daemon=True)

    # The producing side -------------------------------------------------------------
    def start(self) -> None:
        """Begin the work on its own thread.

        The grace period counts from the last reader's leaving, not from the start: the
        request that started the job attaches its reader only once the job has said its
        first word, which may take a model load.
        """
        self._thread.start()

    def _run(self) -> None:
        try:
            for name, data in self._produce(self.cancel):
                self._add(name, data)
        except BaseException as exc:  # handed to readers as an `error` event
            self.failure = exc
            self._add("error", {"exception": exc})
        finally:
            self.ended_at = time.monotonic()
            self.finished.set()
            self._first.set()
            self._notify()

    def _add(self, name: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._events.append(Event(len(self._events) + 1, name, data))
        self._first.set()
        self._notify()

    def _notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for loop, event in listeners:
            with contextlib.suppress(RuntimeError):  # that reader's loop is closed
                loop.call_soon_threadsafe(event.set)

    def wait_first(self, timeout: float) -> None:
        """Block until the job said something or ended (or `timeout` passed)."""
        self._first.wait(timeout)

    def join(self, timeout: float) -> bool:
        """Wait for the work to end; whether it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # The reading side ----------------------------------------------------------------
    def since(self, after: int) -> list[Event]:
        """Events numbered above `after`."""
        with self._lock:
            return self._events[max(0, after) :]

    def attach(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        """A reader starts listening: `event` is set whenever something new happens."""
        with self._lock:
            self._listeners.add((loop, event))
            self._readers += 1
            self._orphaned_at = None

    def detach(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        """A reader went away (finished, or its connection dropped)."""
        with self._lock:
            self._listeners.discard((loop, event))
            self._readers -= 1
            if self._readers == 0:
                self._orphaned_at = time.monotonic()

    def orphaned_too_long(self, now: float) -> bool:
        """Whether nobody has listened for the grace period (answers only)."""
        with self._lock:
            since = self._orphaned_at
        return self._grace is not None and since is not None and now - since > self._grace


class Jobs:
    """Every live job of the server, looked up by id for their owners only."""

    def __init__(self, keep_s: float = 300.0, sweep_s: float = 0.5) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep_s = keep_s
        self._closed = threading.Event()
        self._sweeper = threading.Thread(
            target=self._sweep_forever, args=(sweep_s,), name="konspekt-jobs", daemon=True
        )
        self._sweeper.start()

    def start(
        self, owner: int, kind: str, produce: Produce, orphan_grace_s: float | None = None
    ) -> Job:
        """Run `produce` as a new job of `owner`."""
        job = Job(owner, kind, produce, orphan_grace_s)
        with self._lock:
            self._jobs[job.id] = job
        job.start()
        return job

    def start_checked(
        self,
        owner: int,
        kind: str,
        produce: Produce,
        orphan_grace_s: float | None = None,
        first_wait_s: float = 2.0,
    ) -> Job:
        """`start`, then wait briefly for its first word: a failure before it is raised here.

        The core checks the session, access, limits and the queue within milliseconds,
        before its first event, so a refusal becomes the HTTP response itself (401, 403,
        404, 429, 503) rather than an event in a stream already answered 200. Work that
        takes longer to say anything (a first token on a slow CPU) streams as usual.
        """
        job = self.start(owner, kind, produce, orphan_grace_s)
        job.wait_first(first_wait_s)
        failure = job.failure
        if failure is not None and len(job.since(0)) == 1:
            with self._lock:
                self._jobs.pop(job.id, None)
            raise failure
        return job

    def get(self, job_id: str, owner: int, kind: str) -> Job | None:
        """The job, if it exists, is of `kind` and belongs to `owner`."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner and job.kind == kind else None

    def owned(self, job_id: str, owner: int, kind: str) -> Job:
        """`get`, or JobMissing (a 404 for the caller: another's job is never revealed)."""
        job = self.get(job_id, owner, kind)
        if job is None:
            raise JobMissing(kind, job_id)
        return job

    def running(self, kind: str) -> int:
        """How many jobs of `kind` are still working."""
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.kind == kind and not j.finished.is_set())

    def _sweep_forever(self, every: float) -> None:
        while not self._closed.wait(every):
            self.sweep(time.monotonic())

    def sweep(self, now: float) -> None:
        """Stop answers nobody listens to any more; forget jobs finished long ago."""
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.finished.is_set():
                if now - job.ended_at > self._keep_s:
                    with self._lock:
                        self._jobs.pop(job.id, None)
            elif job.orphaned_too_long(now) and not job.cancel.is_set():
                log.info("%s %s: no reader for the grace period; stopping it", job.kind, job.id)
                job.cancel.set()

    def close(self, timeout: float = 10.0) -> None:
        """Cancel every job and wait for them (server shutdown)."""
        self._closed.set()
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.cancel.set()
        deadline = time.monotonic() + timeout
        for job in jobs:
            job.join(max(0.0, deadline - time.monotonic()))
