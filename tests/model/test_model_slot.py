"""The model slot: fair turns, each caller told its place; a reader that stops holds nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.llm.admission import Claim
from core.llm.generator import Generator
from core.llm.slot import ModelSlot, Sampling
from core.types import Queued

WAIT_S = 60.0
"""Bound on waiting for a generation that must finish (the tiny model takes milliseconds)."""
GREEDY = Sampling(max_tokens=48, temperature=0.0, top_p=1.0)
ANYONE = Claim(None)


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
    reference = slot.text(prompt, GREEDY, ANYONE)
    assert reference
    cancel = threading.Event()
    stalled = slot.stream(
        prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0), cancel, claim=ANYONE
    )
    next(stalled)  # ...and its reader stops reading
    answered: list[str] = []
    second = _run(lambda: answered.append(slot.text(prompt, GREEDY, ANYONE)))
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
    stream = slot.stream(
        prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0), cancel, claim=ANYONE
    )
    next(stream)
    evaluated = generator.raw.n_tokens
    cancel.set()
    assert list(stream) == []
    assert generator.raw.n_tokens == evaluated


def test_closing_a_stream_stops_its_generation(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Describe the archive."}])
    stream = slot.stream(prompt, Sampling(max_tokens=400, temperature=0.0, top_p=1.0), claim=ANYONE)
    next(stream)
    stream.close()
    _until(lambda: slot.waiting() == 0)
    assert slot.text(prompt, GREEDY, ANYONE)


def test_callers_take_their_turns_in_arrival_order() -> None:
    slot = ModelSlot(lambda: pytest.fail("the turns need no model"))
    order: list[str] = []
    told: dict[str, list[int]] = {"first": [], "second": []}

    def caller(name: str) -> Callable[[], None]:
        def take_turn() -> None:
            with slot.turn(ANYONE, on_wait=told[name].append):
                order.append(name)

        return take_turn

    with slot.turn(ANYONE):  # the model is busy
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


def test_a_users_one_question_is_admitted_after_at_most_one_of_another_users_ten(
    slot: ModelSlot,
) -> None:
    """Fairness through the real model: admission order, seen as each first token."""
    prompt = slot.get().render([{"role": "user", "content": "Count the lighthouse steps."}])
    sampling = Sampling(max_tokens=4, temperature=0.0, top_p=1.0)
    assert slot.text(prompt, sampling, ANYONE)  # this prompt makes tokens
    cost = prompt.token_count + sampling.max_tokens
    started: list[str] = []  # capacity 1: a first token comes only inside its turn
    told: dict[str, list[int]] = {}

    def ask(name: str, user: int) -> threading.Thread:
        told[name] = []

        def generate() -> None:
            for piece in slot.stream(prompt, sampling, claim=Claim(user, cost=cost)):
                if isinstance(piece, str):
                    started.append(name)
                    break  # closing the stream frees the turn
                told[name].append(piece.position)

        waiting = slot.waiting()
        thread = _run(generate)
        _until(lambda: slot.waiting() == waiting + 1)
        return thread

    with slot.turn(ANYONE):  # the model is busy while the line forms
        threads = [ask(f"a{i}", 1) for i in range(10)]
        threads.append(ask("b", 2))
        _until(lambda: told["b"] == [2])  # placed behind a0 alone, ahead of a1..a9
    for thread in threads:
        thread.join(WAIT_S)
        assert not thread.is_alive()
    assert started.index("b") <= 1
    assert [name for name in started if name != "b"] == [f"a{i}" for i in range(10)]
    assert told["b"] in ([2], [2, 1])


def test_a_waiting_stream_yields_its_place_before_its_text(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Count the lighthouse steps."}])
    pieces: list[object] = []
    with slot.turn(ANYONE):
        second = _run(lambda: pieces.extend(slot.stream(prompt, GREEDY, claim=ANYONE)))
        _until(lambda: slot.waiting() == 1)
        _until(lambda: len(pieces) == 1)
        assert pieces == [Queued(1)]
    second.join(WAIT_S)
    assert "".join(p for p in pieces[1:] if isinstance(p, str)) == slot.text(prompt, GREEDY, ANYONE)
    assert all(isinstance(p, str) for p in pieces[1:])


def test_a_caller_cancelled_while_waiting_leaves_the_line_without_a_turn(slot: ModelSlot) -> None:
    prompt = slot.get().render([{"role": "user", "content": "Count the lighthouse steps."}])
    cancel = threading.Event()
    pieces: list[object] = []
    with slot.turn(ANYONE):
        waiter = _run(lambda: pieces.extend(slot.stream(prompt, GREEDY, cancel, claim=ANYONE)))
        _until(lambda: slot.waiting() == 1)
        cancel.set()
        waiter.join(WAIT_S)
        assert not waiter.is_alive(), "a cancelled caller waited for the model anyway"
        assert slot.waiting() == 0
    assert pieces == [Queued(1)]
