"""The model slot: one loaded model, lent to one generation at a time, first come first served.

A llama.cpp context serves one generation at a time. The slot is the queue in front of
it: callers take turns in arrival order (a waiting caller can be told its place), and a
generation runs on the slot's own thread, which hands the text over through a buffer.
So the model is held for exactly as long as llama.cpp works, never for as long as a slow
consumer takes to read: a shell that stops reading an answer — a dropped connection, a
frozen window — does not keep the next caller waiting; the generation finishes into
the buffer (or stops at once when cancelled) and the next turn begins.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator
from collections.abc import Generator as GeneratorOf
from contextlib import contextmanager
from dataclasses import dataclass

from core.llm.generator import Generator, Prompt, Stop


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


class ModelSlot:
    """Loads the model on first use and serves generations one at a time, in order.

    `load` returns the model to serve; it is called (once, under the slot's lock) on the
    first use after start or after `unload`. `generator` is an already loaded model.
    """

    def __init__(self, load: Callable[[], Generator], generator: Generator | None = None) -> None:
        self._load = load
        self._generator = generator
        self._load_lock = threading.Lock()
        self._turns = threading.Condition()
        self._queue: deque[object] = deque()
        self._busy = False

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
        with self._turns:
            return len(self._queue)

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Hold the model for one generation; waits in line behind earlier callers.

        `on_wait(position)` is called (position 1 = next) whenever the caller's place in
        the line changes while it waits, never when the model is free at once; it runs
        under the slot's lock, so it must only pass the number on.
        """
        ticket = object()
        with self._turns:
            self._queue.append(ticket)
            told = 0
            while self._busy or self._queue[0] is not ticket:
                position = self._queue.index(ticket) + (1 if self._busy else 0)
                if on_wait is not None and position != told:
                    told = position
                    on_wait(position)
                self._turns.wait()
            self._queue.popleft()
            self._busy = True
        try:
            yield
        finally:
            with self._turns:
                self._busy = False
                self._turns.notify_all()

    def stream(
        self,
        prompt: Prompt,
        sampling: Sampling,
        cancel: Stop | None = None,
        on_wait: Callable[[int], None] | None = None,
    ) -> GeneratorOf[str, None, None]:
        """Text pieces of one generation, produced on the slot's thread in its turn.

        Setting `cancel` stops llama.cpp before its next token; closing the iterator (or
        dropping it) does the same. A consumer that merely stops reading holds nothing:
        the generation ends into the buffer and frees the model for the next caller.
        """
        generator = self.get()
        closed = threading.Event()
        stop = _Either(cancel, closed)
        pieces: queue.SimpleQueue[object] = queue.SimpleQueue()

        def produce() -> None:
            try:
                with self.turn(on_wait):
                    for piece in generator.stream(
                        prompt,
                        max_tokens=sampling.max_tokens,
                        temperature=sampling.temperature,
                        top_p=sampling.top_p,
                        repeat_penalty=sampling.repeat_penalty,
                        cancel=stop,
                    ):
                        pieces.put(piece)
            except BaseException as exc:  # handed to the consumer, raised there
                pieces.put(exc)
            finally:
                pieces.put(_END)

        worker = threading.Thread(target=produce, name="konspekt-generate", daemon=True)
        worker.start()
        try:
            while (item := pieces.get()) is not _END:
                if isinstance(item, BaseException):
                    raise item
                assert isinstance(item, str)
                yield item
        finally:
            closed.set()  # the producer stops before its next token and frees the turn
