"""The admission line: fair between users, answers first, bounded, N at once, places told."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from core.errors import Busy
from core.llm.admission import Abandoned, Admission, Claim, Kind

WAIT_S = 30.0
"""Bound on waiting for a thread that must get somewhere (it takes microseconds)."""


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


class Caller:
    """A thread that claims a turn, notes when it got it, and holds it until let go."""

    def __init__(self, admission: Admission, name: str, claim: Claim, order: list[str]) -> None:
        self.told: list[int] = []
        self.inside = threading.Event()
        self.leave = threading.Event()
        self.error: BaseException | None = None
        self._admission, self._name, self._claim, self._order = admission, name, claim, order
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, *, hold: bool = False) -> Caller:
        if not hold:
            self.leave.set()
        waiting = self._admission.waiting()
        self._thread.start()
        _until(lambda: self._admission.waiting() > waiting or self.inside.is_set())
        return self

    def join(self) -> None:
        self._thread.join(WAIT_S)
        assert not self._thread.is_alive()
        assert self.error is None

    def _run(self) -> None:
        try:
            with self._admission.turn(self._claim, self.told.append):
                self._order.append(self._name)
                self.inside.set()
                self.leave.wait(WAIT_S)
        except BaseException as exc:
            self.error = exc


def test_one_users_single_claim_waits_behind_at_most_one_of_another_users_ten() -> None:
    admission = Admission()
    order: list[str] = []
    with admission.turn(Claim(None)):  # the model is busy while the line forms
        callers = [Caller(admission, f"a{i}", Claim(1), order).start() for i in range(10)]
        callers.append(Caller(admission, "b", Claim(2), order).start())
    for caller in callers:
        caller.join()
    assert order.index("b") <= 1
    assert [name for name in order if name != "b"] == [f"a{i}" for i in range(10)]


def test_arrival_order_alone_would_serve_the_single_claim_last() -> None:
    """The test above can fail: one user's claims are served in arrival order."""
    admission = Admission()
    order: list[str] = []
    with admission.turn(Claim(None)):
        callers = [Caller(admission, f"a{i}", Claim(1), order).start() for i in range(10)]
        callers.append(Caller(admission, "late a", Claim(1), order).start())
    for caller in callers:
        caller.join()
    assert order[-1] == "late a"


def test_a_heavy_claim_gathers_credit_while_cheap_ones_pass() -> None:
    """Fair in tokens: a claim three times as costly waits for three cheap ones."""
    admission = Admission()
    order: list[str] = []
    with admission.turn(Claim(None)):
        callers = [Caller(admission, f"a{i}", Claim(1, cost=100), order).start() for i in range(4)]
        callers.append(Caller(admission, "b", Claim(2, cost=300), order).start())
    for caller in callers:
        caller.join()
    assert order == ["a0", "a1", "a2", "b", "a3"]


def test_interactive_claims_go_before_background_ones() -> None:
    admission = Admission()
    order: list[str] = []
    with admission.turn(Claim(None)):
        summary = Caller(admission, "summary", Claim(1, Kind.BACKGROUND), order).start()
        answer = Caller(admission, "answer", Claim(2), order).start()
    summary.join()
    answer.join()
    assert order == ["answer", "summary"]


def test_a_full_line_refuses_an_answer_with_a_time_to_retry() -> None:
    admission = Admission(queue_limit=2, typical_s=4.0)
    order: list[str] = []
    with admission.turn(Claim(None)):
        waiting = [Caller(admission, f"a{i}", Claim(1), order).start() for i in range(2)]
        with pytest.raises(Busy) as refused, admission.turn(Claim(2)):
            pytest.fail("admitted past a full line")
        with pytest.raises(Busy):
            admission.check(Claim(3))
        background = Caller(admission, "digest", Claim(2, Kind.BACKGROUND), order).start()
        assert admission.waiting() == 3  # background work is never refused
    for caller in [*waiting, background]:
        caller.join()
    assert refused.value.retry_after_s == 12  # (2 waiting + 1 running) × 4 s
    assert "12" in refused.value.user_message("en")
    assert "12" in refused.value.user_message("ru")
    assert refused.value.user_message("ru") != refused.value.user_message("en")
    assert order == ["a0", "a1", "digest"]


def test_capacity_two_runs_two_generations_at_once() -> None:
    admission = Admission(capacity=2)
    order: list[str] = []
    first = Caller(admission, "first", Claim(1), order).start(hold=True)
    second = Caller(admission, "second", Claim(2), order).start(hold=True)
    assert first.inside.wait(WAIT_S)
    assert second.inside.wait(WAIT_S)
    assert (admission.running(), admission.waiting()) == (2, 0)
    third = Caller(admission, "third", Claim(3), order).start(hold=True)
    assert (admission.running(), admission.waiting()) == (2, 1)
    assert not third.inside.is_set()
    second.leave.set()
    assert third.inside.wait(WAIT_S)
    assert admission.running() == 2
    first.leave.set()
    third.leave.set()
    for caller in (first, second, third):
        caller.join()
    assert third.told == [1]


def test_growing_the_capacity_admits_a_waiting_claim_at_once() -> None:
    """More endpoint slots configured while the server runs serve the line at once."""
    admission = Admission(capacity=1)
    order: list[str] = []
    first = Caller(admission, "first", Claim(1), order).start(hold=True)
    assert first.inside.wait(WAIT_S)
    second = Caller(admission, "second", Claim(2), order).start(hold=True)
    assert not second.inside.wait(0.2)
    admission.resize(2)
    assert second.inside.wait(WAIT_S)
    assert admission.running() == 2
    first.leave.set()
    second.leave.set()
    for caller in (first, second):
        caller.join()


def test_a_waiting_caller_is_told_each_new_place() -> None:
    """Place 1 is next; a newcomer from another user moves ahead of a second claim."""
    admission = Admission()
    order: list[str] = []
    blocker = Caller(admission, "blocker", Claim(None), order).start(hold=True)
    a0 = Caller(admission, "a0", Claim(1), order).start(hold=True)
    a1 = Caller(admission, "a1", Claim(1), order).start(hold=True)
    _until(lambda: a1.told == [2])
    b = Caller(admission, "b", Claim(2), order).start(hold=True)
    _until(lambda: a1.told == [2, 3])
    assert (a0.told, b.told) == ([1], [2])
    blocker.leave.set()
    assert a0.inside.wait(WAIT_S)
    _until(lambda: b.told == [2, 1] and a1.told == [2, 3, 2])
    a0.leave.set()
    assert b.inside.wait(WAIT_S)
    _until(lambda: a1.told == [2, 3, 2, 1])
    b.leave.set()
    a1.leave.set()
    for caller in (blocker, a0, a1, b):
        caller.join()
    assert blocker.told == []  # admitted at once: never told a place
    assert order == ["blocker", "a0", "b", "a1"]


def test_a_caller_whose_stop_is_set_leaves_the_line() -> None:
    admission = Admission(check_s=0.01)
    stop = threading.Event()
    left: list[BaseException] = []

    def wait_in_line() -> None:
        try:
            with admission.turn(Claim(1), stop=stop):
                pytest.fail("admitted after its stop")
        except Abandoned as exc:
            left.append(exc)

    with admission.turn(Claim(None)):
        thread = threading.Thread(target=wait_in_line, daemon=True)
        thread.start()
        _until(lambda: admission.waiting() == 1)
        stop.set()
        thread.join(WAIT_S)
        assert admission.waiting() == 0
    assert len(left) == 1


def test_a_caller_interrupted_while_waiting_leaves_no_claim_behind() -> None:
    admission = Admission()
    order: list[str] = []

    def broken(position: int) -> None:
        raise RuntimeError(f"told {position}")

    failed: list[BaseException] = []

    def wait_in_line() -> None:
        try:
            with admission.turn(Claim(1), broken):
                pytest.fail("admitted after failing")
        except RuntimeError as exc:
            failed.append(exc)

    with admission.turn(Claim(None)):
        thread = threading.Thread(target=wait_in_line, daemon=True)
        thread.start()
        thread.join(WAIT_S)
        assert admission.waiting() == 0
    next_one = Caller(admission, "next", Claim(2), order).start()
    next_one.join()
    assert order == ["next"]
    assert [str(e) for e in failed] == ["told 1"]
    assert admission.running() == 0
