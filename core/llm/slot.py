"""The model slot: one loaded model, lent to generations in the order admission decides.

A llama.cpp context serves one generation at a time. The slot puts the admission line
(`core.llm.admission`: fair between users, answers before background work, bounded) in
front of it; a waiting caller is told its place in-band. A generation runs on a thread of
its own that makes the next token only when its reader asks for it — so Stop is exact
(llama.cpp evaluates nothing after the token the reader saw when it stopped) — while it
watches the reader's cancel between tokens. A reader that stops reading without a word
(a frozen window, a lost connection) therefore holds the model only until its cancel is
set (the server's grace period, the window's Stop), never beyond: the generation thread
sees the cancel, lets llama.cpp go, and the next caller's turn begins — whether or not
the reader ever comes back. A cancel set while the caller still waits takes it out of
the line.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from collections.abc import Generator as GeneratorOf
from contextlib import contextmanager
from dataclasses import dataclass

from core.llm.admission import Abandoned, Admission, Claim
from core.llm.generator import Generator, Prompt, Stop
from core.types import Queued


@dataclass(frozen=True, slots=True)
class Sampling:
    """How a generation samples its tokens."""

    max_tokens: int
    temperature: float
    top_p: float
    repeat_penalty: float = 1.0


class _Either:
    """Set as soon as either of two stop signals is."""

    def __init__(self, first: Stop | None, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.second.is_set() or (self.first is not None and self.first.is_set())


_END = object()
CANCEL_CHECK_S = 0.05
"""How often a generation waiting for its reader looks at the reader's cancel."""


class ModelSlot:
    """Loads the model on first use and serves generations in the admission's order.

    `load` returns the model to serve; it is called (once, under the slot's lock) on the
    first use after start or after `unload`. `generator` is an already loaded model.
    `admission` is the line in front of it (one generation at a time by default).
    """

    def __init__(
        self,
        load: Callable[[], Generator],
        generator: Generator | None = None,
        admission: Admission | None = None,
    ) -> None:
        self._load = load
        self._generator = generator
        self._load_lock = threading.Lock()
        self.admission = admission or Admission(check_s=CANCEL_CHECK_S)

    @property
    def loaded(self) -> Generator | None:
        """The model if it is loaded now (None before the first use)."""
        return self._generator

    def get(self) -> Generator:
        """The model, loading it now if needed (seconds to a minute)."""
        with self._load_lock:
            if self._generator is None:
                self._generator = self._load()
            return self._generator

    def unload(self) -> None:
        """Forget the model; the next use loads it again (a generation running keeps its own)."""
        with self._load_lock:
            self._generator = None

    def waiting(self) -> int:
        """How many callers wait for their turn."""
        return self.admission.waiting()

    @contextmanager
    def turn(
        self,
        claim: Claim,
        on_wait: Callable[[int], None] | None = None,
        stop: Stop | None = None,
    ) -> Iterator[None]:
        """Hold the model for one generation, once admission lets `claim` in.

        Raises `Busy` when the line is full. `on_wait(position)` is called (position 1 =
        next) whenever the caller's place in the line changes while it waits, never when
        the model is free at once; it runs under the admission's lock, so it must only
        pass the number on. Setting `stop` while waiting leaves the line (`Abandoned`).
        """
        with self.admission.turn(claim, on_wait, stop):
            yield

    def text(
        self, prompt: Prompt, sampling: Sampling, claim: Claim, cancel: Stop | None = None
    ) -> str:
        """The whole text of one generation (a stopped one: what came before the stop)."""
        pieces = self.stream(prompt, sampling, cancel, claim=claim)
        return "".join(piece for piece in pieces if isinstance(piece, str))

    def stream(
        self,
        prompt: Prompt,
        sampling: Sampling,
        cancel: Stop | None = None,
        *,
        claim: Claim,
    ) -> GeneratorOf[str | Queued, None, None]:
        """Text pieces of one generation, made in `claim`'s turn, one per request.

        While the caller waits it gets `Queued(position)` each time its place changes
        (never when the model is free at once). Raises `Busy` when the line is full.
        Setting `cancel` stops llama.cpp before its next token and frees the model
        within `CANCEL_CHECK_S`, even if the reader never reads again (a caller still
        waiting leaves the line, and the stream ends); closing the iterator (or
        dropping it) does the same.
        """
        generator = self.get()
        closed = threading.Event()
        stop = _Either(cancel, closed)
        wanted = threading.Semaphore(0)
        pieces: queue.SimpleQueue[object] = queue.SimpleQueue()

        def asked() -> bool:
            """Wait until the reader asks for a piece; False once it is to stop."""
            while not wanted.acquire(timeout=CANCEL_CHECK_S):
                if stop.is_set():
                    return False
            return not closed.is_set()

        def told(position: int) -> None:
            pieces.put(Queued(position))

        def produce() -> None:
            try:
                with self.turn(claim, told, stop):
                    made = generator.stream(
                        prompt,
                        max_tokens=sampling.max_tokens,
                        temperature=sampling.temperature,
                        top_p=sampling.top_p,
                        repeat_penalty=sampling.repeat_penalty,
                        cancel=stop,
                    )
                    try:  # the generator checks `stop` itself before each decode
                        while asked() and (piece := next(made, None)) is not None:
                            pieces.put(piece)
                    finally:
                        made.close()
            except Abandoned:
                pass  # stopped while waiting: nothing was generated
            except BaseException as exc:  # handed to the reader, raised there
                pieces.put(exc)
            finally:
                pieces.put(_END)

        threading.Thread(target=produce, name="konspekt-generate", daemon=True).start()
        try:
            wanted.release()
            while (item := pieces.get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                if isinstance(item, Queued):
                    yield item  # no piece was made: the request for one still stands
                    continue
                assert isinstance(item, str)
                yield item
                wanted.release()  # the reader is back for the next piece
        finally:
            closed.set()  # the generation stops before its next token and frees the turn
            wanted.release()
