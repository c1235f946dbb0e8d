"""One worker thread that runs a step beside the caller's, when it is free."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class Beside:
    """Runs a call on its own thread while the caller does other work, or inline.

    A search embeds its query (native code, the GIL released) while its keyword step
    queries SQLite and LanceDB (also native): on their own threads the two overlap. One
    worker keeps one SQLite read connection (one per thread, see Database.read); while it
    is busy with another search, the call runs inline, so concurrent searches never queue.
    """

    def __init__(self, name: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._free = threading.Semaphore(1)

    def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """`fn(*args, **kwargs)` started on the worker, or done here if it is busy."""
        if not self._free.acquire(blocking=False):
            done: Future[T] = Future()
            try:
                done.set_result(fn(*args, **kwargs))
            except BaseException as error:  # handed to the caller by .result()
                done.set_exception(error)
            return done

        def job() -> T:
            try:
                return fn(*args, **kwargs)
            finally:
                self._free.release()

        return self._pool.submit(job)
