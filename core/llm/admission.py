"""Admission to the model: per-user deficit round robin, answers before background work.

One GPU (or CPU) serves many people. Arrival order alone lets whoever queues ten questions
hold everyone else for ten answers, so each class of work keeps one line per user and the
lines are served by deficit round robin (Shreedhar & Varghese, 1995): every visit to a
user credits the cheapest request waiting at the head of any line, and a user's head
request is admitted once the user's credit covers its cost.

The cost of a claim is what the generation may take of the model: its prompt tokens
plus the most tokens its answer may have. With equal costs this is plain round robin —
one request per user per round, so a user's single question waits behind at most one of
anyone else's; a heavy request gathers credit over several rounds, so the model's time is
shared fairly in tokens rather than in requests.

Interactive claims (answers) are always admitted before background ones (summaries,
digests); the line of interactive claims is bounded, and a claim that finds it full is
refused at once with an estimate of when to try again (`Busy`). `capacity` generations
may run at once: one for a llama.cpp context, N for an endpoint with N parallel slots.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from core.errors import Busy


class Kind(IntEnum):
    """Classes of work: a lower value is always admitted first."""

    INTERACTIVE = 0
    """Someone waits for it: answers."""
    BACKGROUND = 1
    """Nobody waits for it: session summaries, chat digests."""


@dataclass(frozen=True, slots=True)
class Claim:
    """Who asks for the model, for what kind of work, at what cost in tokens."""

    user_id: int | None
    """The user the generation is for (None: the engine itself, or a test)."""
    kind: Kind = Kind.INTERACTIVE
    cost: int = 1
    """Prompt tokens plus the most answer tokens (at least 1)."""


class Abandoned(Exception):
    """The caller's stop was set while it waited: it leaves the line without a turn."""


class _Stop(Protocol):
    def is_set(self) -> bool: ...


class _Ticket:
    """One waiting claim."""

    __slots__ = ("admitted", "claim", "position")

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self.admitted = False
        self.position = 0


class _RoundRobin:
    """Deficit round robin over the users' lines of one class of work."""

    def __init__(self) -> None:
        self.lines: dict[int | None, deque[_Ticket]] = {}
        self.ring: deque[int | None] = deque()
        """Users with waiting claims, in the order they are visited."""
        self.credit: dict[int | None, int] = {}
        self.credited = False
        """Whether the user at the front of the ring has had this visit's credit."""

    def __len__(self) -> int:
        return sum(len(line) for line in self.lines.values())

    def copy(self) -> _RoundRobin:
        """An independent copy of the state, to play the coming order forward."""
        twin = _RoundRobin()
        twin.lines = {user: deque(line) for user, line in self.lines.items()}
        twin.ring, twin.credit, twin.credited = deque(self.ring), dict(self.credit), self.credited
        return twin

    def add(self, ticket: _Ticket) -> None:
        user = ticket.claim.user_id
        if user not in self.lines:
            self.lines[user] = deque()
            self.credit[user] = 0
            self.ring.append(user)
        self.lines[user].append(ticket)

    def remove(self, ticket: _Ticket) -> None:
        user = ticket.claim.user_id
        line = self.lines[user]
        line.remove(ticket)
        if not line:
            self._drop(user)

    def pick(self) -> _Ticket:
        """The next claim to admit (the class must have one).

        Each visit credits the cheapest head cost, so the user holding it is admitted on
        its visit: one pass of the ring at most.
        """
        quantum = min(line[0].claim.cost for line in self.lines.values())
        while True:
            user = self.ring[0]
            if not self.credited:
                self.credit[user] += quantum
                self.credited = True
            line = self.lines[user]
            if line[0].claim.cost <= self.credit[user]:
                ticket = line.popleft()
                self.credit[user] -= ticket.claim.cost
                if not line:
                    self._drop(user)
                return ticket
            self.ring.rotate(-1)
            self.credited = False

    def _drop(self, user: int | None) -> None:
        """The user has nothing waiting: out of the ring, its credit forgotten (as DRR does)."""
        if self.ring[0] == user:
            self.credited = False
        self.ring.remove(user)
        del self.lines[user], self.credit[user]


class Admission:
    """The line in front of the model: who generates next, and how many at once.

    `queue_limit` bounds the interactive claims waiting (not those running); it may be a
    function, read at each claim, so a changed setting applies from the next question.
    Background claims come from the engine's own single worker and are never refused.
    `typical_s` is the estimated length of one turn until real ones have been timed (then
    a moving average); `Busy` estimates the wait from it.
    """

    def __init__(
        self,
        capacity: int = 1,
        queue_limit: int | Callable[[], int] = 32,
        *,
        typical_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        check_s: float = 0.05,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._limit = queue_limit
        self._clock = clock
        self._check_s = check_s
        self._typical_s = typical_s
        self._changed = threading.Condition()
        self._classes = {kind: _RoundRobin() for kind in Kind}
        self._running = 0

    def resize(self, capacity: int) -> None:
        """Serve `capacity` generations at once from now on (the endpoints changed).

        Growing admits waiting claims at once; shrinking lets running ones finish.
        """
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        with self._changed:
            self.capacity = capacity
            self._dispatch()

    @property
    def queue_limit(self) -> int:
        """How many interactive claims may wait at once."""
        return self._limit() if callable(self._limit) else self._limit

    def waiting(self) -> int:
        """How many claims wait for their turn."""
        with self._changed:
            return sum(len(line) for line in self._classes.values())

    def running(self) -> int:
        """How many generations hold a turn now."""
        with self._changed:
            return self._running

    def check(self, claim: Claim) -> None:
        """Raise `Busy` now if `claim` would be refused (before any work is done for it)."""
        with self._changed:
            self._refuse_if_full(claim)

    @contextmanager
    def turn(
        self,
        claim: Claim,
        on_wait: Callable[[int], None] | None = None,
        stop: _Stop | None = None,
    ) -> Iterator[None]:
        """Hold one of the model's turns for one generation.

        Raises `Busy` when the line is full. `on_wait(position)` is called (position 1 =
        next) each time the caller's place changes while it waits, never when it is
        admitted at once; it runs under the admission's lock, so it must only pass the
        number on. Once `stop` is set the caller leaves the line (`Abandoned`), within
        `check_s`.
        """
        self._enter(claim, on_wait, stop)
        started = self._clock()
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                held = self._clock() - started
                self._typical_s = 0.8 * self._typical_s + 0.2 * held
                self._dispatch()

    def _enter(
        self, claim: Claim, on_wait: Callable[[int], None] | None, stop: _Stop | None
    ) -> None:
        ticket = _Ticket(Claim(claim.user_id, claim.kind, max(1, claim.cost)))
        with self._changed:
            self._refuse_if_full(claim)
            self._classes[claim.kind].add(ticket)
            self._dispatch()
            try:
                self._wait(ticket, on_wait, stop)
            except BaseException:  # stopped, or interrupted: never leave a turn behind
                if ticket.admitted:
                    self._running -= 1
                else:
                    self._classes[claim.kind].remove(ticket)
                self._dispatch()
                raise

    def _wait(
        self, ticket: _Ticket, on_wait: Callable[[int], None] | None, stop: _Stop | None
    ) -> None:
        """Wait (holding the lock between wake-ups) until `ticket` is admitted."""
        told = 0
        while not ticket.admitted:
            if stop is not None and stop.is_set():
                raise Abandoned
            if on_wait is not None and ticket.position != told:
                told = ticket.position
                on_wait(told)
            self._changed.wait(self._check_s if stop is not None else None)

    def _refuse_if_full(self, claim: Claim) -> None:
        if claim.kind is not Kind.INTERACTIVE or self._running < self.capacity:
            return
        waiting = len(self._classes[Kind.INTERACTIVE])
        if waiting >= self.queue_limit:
            rounds = (waiting + self._running) / self.capacity
            raise Busy("model_busy", retry_after_s=max(1, math.ceil(rounds * self._typical_s)))

    def _dispatch(self) -> None:
        """Admit claims while turns are free, then tell every waiter its new place."""
        while self._running < self.capacity:
            line = next((line for line in self._classes.values() if len(line)), None)
            if line is None:
                break
            line.pick().admitted = True
            self._running += 1
        position = 0
        for line in self._classes.values():
            ahead = line.copy()
            for _ in range(len(ahead)):
                position += 1
                ahead.pick().position = position
        self._changed.notify_all()
