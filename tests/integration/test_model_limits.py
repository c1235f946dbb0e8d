"""Limits on the model through a real engine: rate, daily token quota, a full line, places."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core import Done, Engine, PermissionDenied, Role, Session, Settings, Token
from core.errors import Busy, QuotaExceeded, RateLimited
from core.llm.admission import Claim
from core.llm.generator import Generator
from core.types import AnswerEvent, Queued
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session

WAIT_S = 60.0
QUESTION = "Where is the vault combination written?"
DAY_S = 24 * 3600.0


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Limits are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_user_over_the_rate_limit_waits_for_the_minute_others_do_not(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    idle = Clock(1000.0)
    with Engine(
        settings.with_changes(rate_limit_per_minute=2), embedder=embedder, idle_clock=idle
    ) as engine:
        admin = admin_session(engine)
        bob = user_session(engine, admin, "bob", Role.MEMBER)
        list(engine.answers.ask(bob, QUESTION))  # nothing to find: the model is not asked
        idle.now += 20
        list(engine.answers.ask(bob, QUESTION))
        idle.now += 10
        with pytest.raises(RateLimited) as refused:
            next(engine.answers.ask(bob, QUESTION))
        assert refused.value.retry_after_s == 30  # the first question leaves the minute then
        assert "30" in refused.value.user_message("ru")
        assert refused.value.user_message("ru") != refused.value.user_message("en")
        list(engine.answers.ask(admin, QUESTION))  # a limit per user
        idle.now += 30
        assert isinstance(list(engine.answers.ask(bob, QUESTION))[-1], Done)


def test_without_a_rate_limit_questions_are_not_counted(
    settings: Settings, embedder: FakeEmbedder
) -> None:
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        assert engine.settings.rate_limit_per_minute == 0
        for _ in range(5):
            assert isinstance(list(engine.answers.ask(admin, QUESTION))[-1], Done)


@pytest.fixture
def world(
    settings: Settings, embedder: FakeEmbedder, tiny_model: Path, tmp_path: Path
) -> tuple[Engine, Session, Session, Clock]:
    wall = Clock(time.time())
    engine = Engine(
        settings.with_changes(max_answer_tokens=4),
        embedder=embedder,
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
        clock=wall,
    )
    admin = admin_session(engine)
    bob = user_session(engine, admin, "bob", Role.MEMBER)
    note = tmp_path / "note.txt"
    note.write_text("The vault combination is written on the blue index card.")
    list(engine.documents.ingest(bob, [note]))
    return engine, admin, bob, wall


def test_each_answer_counts_its_tokens_against_the_users_day(
    world: tuple[Engine, Session, Session, Clock],
) -> None:
    engine, admin, bob, _ = world
    with engine:
        assert engine.accounts.token_usage(bob).used == 0
        done = list(engine.answers.ask(bob, QUESTION))[-1]
        assert isinstance(done, Done)
        assert done.stats.grounded
        spent = done.stats.prompt_tokens + done.stats.completion_tokens
        usage = engine.accounts.token_usage(bob)
        assert (usage.used, usage.limit) == (spent, None)
        assert engine.accounts.token_usage(admin, "bob") == usage
        assert engine.accounts.token_usage(admin).used == 0


def test_a_user_over_the_daily_quota_is_refused_until_the_next_utc_day(
    world: tuple[Engine, Session, Session, Clock],
) -> None:
    engine, admin, bob, wall = world
    with engine:
        engine.accounts.set_token_quota(admin, "bob", 10_000)
        list(engine.answers.ask(bob, QUESTION))
        used = engine.accounts.token_usage(bob).used
        assert used > 0
        usage = engine.accounts.set_token_quota(admin, "bob", used)
        assert (usage.used, usage.limit) == (used, used)
        asking = engine.answers.ask(bob, QUESTION, chat=None)
        with pytest.raises(QuotaExceeded) as refused:
            next(asking)
        assert 0 < refused.value.retry_after_s <= DAY_S
        assert refused.value.user_message("ru") != refused.value.user_message("en")
        assert engine.accounts.token_usage(bob).used == used  # the model was not asked
        wall.now += DAY_S
        assert engine.accounts.token_usage(bob).used == 0
        assert isinstance(list(engine.answers.ask(bob, QUESTION))[-1], Done)
        engine.accounts.set_token_quota(admin, "bob", None)
        assert engine.accounts.token_usage(bob).limit is None
        entries = engine.audit.entries(admin, action="token_quota_set")
        assert [e.target for e in entries] == ["bob", "bob", "bob"]


def test_only_an_admin_sets_quotas_or_reads_another_users_usage(
    world: tuple[Engine, Session, Session, Clock],
) -> None:
    engine, _, bob, _ = world
    with engine:
        with pytest.raises(PermissionDenied):
            engine.accounts.set_token_quota(bob, "bob", 1_000_000)
        with pytest.raises(PermissionDenied):
            engine.accounts.token_usage(bob, "admin")
        assert engine.accounts.token_usage(bob).limit is None


def test_a_waiting_answer_reports_its_place_before_its_first_token(
    world: tuple[Engine, Session, Session, Clock],
) -> None:
    engine, _, bob, _ = world
    events: list[AnswerEvent] = []
    with engine:
        slot = engine.context.model
        with slot.turn(Claim(None)):  # someone else's answer holds the model
            asking = threading.Thread(
                target=lambda: events.extend(engine.answers.ask(bob, QUESTION)), daemon=True
            )
            asking.start()
            _until(lambda: bool(events))
            assert events == [Queued(1)]
        asking.join(WAIT_S)
        assert not asking.is_alive()
    assert isinstance(events[1], Token)
    assert isinstance(events[-1], Done)
    assert not any(isinstance(e, Queued) for e in events[1:])


def test_a_full_line_refuses_a_question_before_it_is_searched(
    world: tuple[Engine, Session, Session, Clock],
) -> None:
    engine, _, bob, _ = world
    with engine:
        engine.context.settings = engine.settings.with_changes(queue_limit=0)
        with engine.context.model.turn(Claim(None)), pytest.raises(Busy) as refused:
            next(engine.answers.ask(bob, QUESTION))
        assert refused.value.retry_after_s >= 1
        assert isinstance(list(engine.answers.ask(bob, QUESTION))[-1], Done)
