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


def test_a_reader_that_stops_reading_does_not_hold_the_model(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Count the lighthouse steps."}])
    reference = "".join(slot.stream(prompt, GREEDY))
    assert reference
    stalled = slot.stream(prompt, GREEDY)
    first = next(stalled)  # ...and its reader stops reading (a frozen window, a lost client)
    answered: list[str] = []
    second = _run(lambda: answered.append("".join(slot.stream(prompt, GREEDY))))
    second.join(WAIT_S)
    assert not second.is_alive(), "the next caller waited for a reader that stopped"
    assert answered == [reference]
    assert first + "".join(stalled) == reference  # the stalled reader loses nothing


def test_cancel_frees_the_model_before_its_next_token(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Describe the archive."}])
    long = Sampling(max_tokens=400, temperature=0.0, top_p=1.0)
    uncancelled = list(slot.stream(prompt, long))
    assert len(uncancelled) > 100
    cancel = threading.Event()
    stalled = slot.stream(prompt, long, cancel)
    next(stalled)
    cancel.set()  # Stop pressed; the reader never reads again
    after = _run(lambda: list(slot.stream(prompt, GREEDY)))
    after.join(WAIT_S)
    assert not after.is_alive()
    assert 1 + len(list(stalled)) < len(uncancelled) // 2  # stopped, not run to its limit


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
    assert told == {"first": [1], "second": [2, 1]}  # places in line, as they change
