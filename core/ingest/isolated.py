"""Parsing in a child process: a reader that crashes or hangs fails one file, never the app.

PDFium, docling and the office readers are native code and big Python libraries fed with
whatever users drop. In the application's own process a segfault would close it and a
runaway parse would hold the interpreter lock, stalling the window. Here a long-lived
child (started on first use, shared by every engine of the process) parses one file at a
time; the parent waits on a pipe without the lock, kills the child past the time limit,
and starts a new one for the next file.

The child is started with "spawn" (no copy of the parent's threads or keys), hardens
itself like the parent (no core dumps that could hold document text) and exits when the
parent goes, even after kill -9, because its pipe closes.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from core.errors import FileRejected
from core.ingest.document import ParseCancelled, ParsedDocument

log = logging.getLogger(__name__)

DEFAULT_TARGET = "core.ingest.parsers:parse_in_child"
"""`module:function` the child calls with (name, data, display), or with None to warm up."""
_START_S = 60.0
"""How long a new child may take to import its readers before it counts as failed."""
_CHECK_S = 0.1
"""How often a wait for the child looks whether the caller has given up on the file."""


def _never() -> bool:
    return False


class IsolatedParser:
    """The parser's interface (`parse`, `warm_up`), run in the shared child process."""

    def __init__(self, timeout_s: Callable[[], float], target: str = DEFAULT_TARGET) -> None:
        self.timeout_s = timeout_s
        self.target = target

    def parse(
        self,
        name: str,
        data: bytes,
        display: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> ParsedDocument:
        """Blocks of the file; FileRejected naming it when it fails, crashes or hangs.

        ParseCancelled when `cancelled()` turns true first: the child is stopped in the
        middle of the file (a new one starts for the next), so a cancel never waits for
        a long parse.
        """
        request = ("parse", name, data, display)
        reply = _worker(self.target).call(request, self.timeout_s(), display, cancelled or _never)
        if reply[0] == "ok":
            document: ParsedDocument = reply[1]
            return document
        if reply[0] == "rejected":
            raise FileRejected(reply[1], **reply[2])
        log.error("the reader failed on a file (kind %s)", reply[1])  # never the file's text
        raise FileRejected("file_unreadable", name=display, detail=f"internal error {reply[1]}")

    def warm_up(self) -> None:
        """Start the child and import its readers now, so the first ingest starts at once.

        Best effort: a child that is slow to warm up is stopped and logged, and the first
        file starts a new one.
        """
        try:
            _worker(self.target).call(("warm",), _START_S, "warm-up")
        except FileRejected as exc:
            log.warning("the readers did not warm up: %s", exc.key)


def serve(conn: Connection, target: str) -> None:
    """The child's loop: parse what arrives, answer with blocks or the reason it failed."""
    from core.security.process import disable_core_dumps

    disable_core_dumps()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    module, _, function = target.partition(":")
    parse: Callable[..., Any] = getattr(importlib.import_module(module), function)
    conn.send(("ready",))  # the readers' imports do not count against a file's time
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        try:
            conn.send(("ok", parse(*request[1:]) if request[0] == "parse" else parse(None)))
        except FileRejected as exc:
            conn.send(("rejected", exc.key, exc.params))
        except Exception as exc:  # a reader's bug: reported by type, never by content
            conn.send(("error", type(exc).__name__))


class _NotStarted(Exception):
    """The child did not report ready in time."""


def _exit_with_parent(parent: int) -> None:
    """Stop even in the middle of a file when the parent has gone (kill -9 included)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


@dataclass
class _Child:
    process: BaseProcess
    conn: Connection


class _Worker:
    """One child for one target, restarted after a crash or a timeout."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.child: _Child | None = None
        self.lock = threading.Lock()

    def call(
        self,
        request: tuple[Any, ...],
        timeout_s: float,
        display: str,
        cancelled: Callable[[], bool] = _never,
    ) -> tuple[Any, ...]:
        while True:  # waits while another run's file is being read
            if cancelled():
                raise ParseCancelled
            if self.lock.acquire(timeout=_CHECK_S):
                break
        try:  # one file at a time: PDFium and docling are not re-entrant anyway
            return self._call(request, timeout_s, display, cancelled)
        finally:
            self.lock.release()

    def _call(
        self,
        request: tuple[Any, ...],
        timeout_s: float,
        display: str,
        cancelled: Callable[[], bool],
    ) -> tuple[Any, ...]:
        try:
            child = self.child or self._start(cancelled)
            child.conn.send(request)
            answered = _wait(child.conn, timeout_s, cancelled)
            reply: tuple[Any, ...] = child.conn.recv() if answered else ()
        except (EOFError, OSError, _NotStarted, ParseCancelled) as exc:
            broken = self.child
            assert broken is not None  # _start() sets it before anything can fail
            if isinstance(exc, ParseCancelled):
                self._stop(broken)
                raise
            reason = "did not start" if isinstance(exc, _NotStarted) else ""
            reason = reason or _exit_reason(broken.process)
            self._stop(broken)
            raise FileRejected("parse_crashed", name=display, detail=reason) from None
        if not answered:
            self._stop(child)
            raise FileRejected("parse_timeout", name=display, seconds=round(timeout_s))
        return reply

    def _start(self, cancelled: Callable[[], bool]) -> _Child:
        context = multiprocessing.get_context("spawn")
        parent, child_end = context.Pipe()
        process = context.Process(
            target=serve, args=(child_end, self.target), name="konspekt-parser", daemon=True
        )
        process.start()
        child_end.close()
        self.child = _Child(process, parent)
        if not _wait(parent, _START_S, cancelled) or parent.recv() != ("ready",):
            raise _NotStarted
        return self.child

    def _stop(self, child: _Child) -> None:
        child.process.kill()
        child.process.join(5)
        child.conn.close()
        self.child = None


def _wait(conn: Connection, timeout_s: float, cancelled: Callable[[], bool]) -> bool:
    """Whether `conn` has an answer within `timeout_s`; ParseCancelled if given up first."""
    deadline = time.monotonic() + timeout_s
    while not conn.poll(max(0.0, min(_CHECK_S, deadline - time.monotonic()))):
        if cancelled():
            raise ParseCancelled
        if time.monotonic() >= deadline:
            return False
    return True


def _exit_reason(process: BaseProcess) -> str:
    process.join(5)
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


_workers: dict[str, _Worker] = {}
_workers_lock = threading.Lock()


def _worker(target: str) -> _Worker:
    with _workers_lock:
        if target not in _workers:
            _workers[target] = _Worker(target)
        return _workers[target]
