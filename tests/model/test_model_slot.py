"""The model slot: callers take turns in order, and a reader that stops holds nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.llm.generator import Generator
from core.llm.slot import ModelSlot, Sampling

WAIT_S = 60.0
"""Bound on waiting for a generation that must finish (the tiny model takes milliseconds)."""
GREEDY = Sampling(max_tokens=48, temperature=0.0, top_p=1.0)


@pytest.fixture
def slot(tiny_model: Path) -> ModelSlot:
    return ModelSlot(lambda: Generator(tiny_model, n_ctx=512, n_threads=1))


def _run(work: Callable[[], object]) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_reader_that_stops_reading_holds_the_model_only_until_its_cancel(
    slot: ModelSlot,
) -> None:
    """A frozen window or a lost client: the next caller waits for its cancel, no longer."""
    prompt = slot.get().render([{"role": "user", "content": "Count the lighthouse steps."}])
    reference = "".join(slot.stream(prompt, GREEDY))
    assert reference
    cancel = threading.Event()
    stalled = slot.stream(prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0), cancel)
    next(stalled)  # ...and its reader stops reading
    answered: list[str] = []
    second = _run(lambda: answered.append("".join(slot.stream(prompt, GREEDY))))
    second.join(0.5)
    assert second.is_alive(), "the stalled generation went on without its reader"
    cancel.set()  # the server's grace period ends, or Stop is pressed
    second.join(WAIT_S)
    assert not second.is_alive(), "the next caller waited beyond the stalled reader's cancel"
    assert answered == [reference]
    assert list(stalled) == []  # the stalled reader, back, finds its answer stopped


def test_stop_is_exact_llama_cpp_evaluates_nothing_after_it(slot: ModelSlot) -> None:
    generator = slot.get()
    prompt = generator.render([{"role": "user", "content": "Describe the archive."}])
    cancel = threading.Event()
    stream = slot.stream(prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0), cancel)
    next(stream)
    evaluated = generator.raw.n_tokens
    cancel.set()
    assert list(stream) == []
    assert generator.raw.n_tokens == evaluated


def test_closing_a_stream_stops_its_generation(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Describe the archive."}])
    stream = slot.stream(prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0))
    next(stream)
    stream.close()
    _until(lambda: slot.waiting() == 0)
    assert "".join(slot.stream(prompt, GREEDY))


def test_callers_take_their_turns_in_arrival_order() -> None:
    slot = ModelSlot(lambda: pytest.fail("the turns need no model"))
    order: list[str] = []
    told: dict[str, list[int]] = {"first": [], "second": []}

    def caller(name: str) -> Callable[[], None]:
        def take_turn() -> None:
            with slot.turn(on_wait=told[name].append):
                order.append(name)

        return take_turn

    with slot.turn():  # the model is busy
        first = _run(caller("first"))
        _until(lambda: slot.waiting() == 1)
        second = _run(caller("second"))
        _until(lambda: slot.waiting() == 2)
        assert order == []
    first.join(WAIT_S)
    second.join(WAIT_S)
    assert order == ["first", "second"]
    assert told["first"] == [1]
    assert told["second"] in ([2], [2, 1])  # told its place, and again as it changed
