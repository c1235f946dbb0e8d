"""Chats persist per user with their sources, and nobody else — admins included — sees them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import NEW_CHAT, ChatStarted, Engine, NotFound, Role, Session, Settings, Sources, Token
from core.llm.generator import Generator
from tests.documents import SENTENCES, make_all
from tests.identity import admin_session, user_session


@pytest.fixture
def world(
    settings: Settings, e5: object, tiny_model: Path, tmp_path: Path
) -> tuple[Engine, Session, Session]:
    engine = Engine(
        settings.with_changes(max_answer_tokens=6),
        embedder=e5,  # type: ignore[arg-type]
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )
    admin = admin_session(engine)
    bob = user_session(engine, admin, "bob", Role.MEMBER)
    list(engine.documents.ingest(bob, [make_all(tmp_path / "docs")["pdf"]]))
    return engine, admin, bob


def test_an_answer_is_kept_in_its_chat_with_sources(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat = engine.chats.create(bob)
        answer = "".join(
            e.text
            for e in engine.answers.ask(bob, "What does the lighthouse keeper count?", chat=chat.id)
            if isinstance(e, Token)
        )
        question, reply = engine.chats.messages(bob, chat.id)
        assert (question.role, question.text) == ("user", "What does the lighthouse keeper count?")
        assert (reply.role, reply.text) == ("assistant", answer)
        assert reply.sources[0].snippet.startswith(SENTENCES["pdf1"][:30])
        assert reply.sources[0].location.label == "p. 1"
        (listed,) = engine.chats.all(bob)
        assert listed.title == "What does the lighthouse keeper count?"  # titled by question
        assert listed.messages == 2


def test_asking_in_a_new_chat_creates_it_and_says_so_first(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, admin, bob = world
    with engine:
        events = list(
            engine.answers.ask(bob, "What does the lighthouse keeper count?", chat=NEW_CHAT)
        )
        started = events[0]
        assert isinstance(started, ChatStarted)
        assert started.chat.title == "What does the lighthouse keeper count?"
        assert isinstance(events[1], Token)
        assert isinstance(events[-2], Sources)
        assert events[-2].items
        (listed,) = engine.chats.all(bob)
        assert listed.id == started.chat.id
        answer = "".join(e.text for e in events if isinstance(e, Token))
        texts = [(m.role, m.text) for m in engine.chats.messages(bob, listed.id)]
        assert texts == [("user", "What does the lighthouse keeper count?"), ("assistant", answer)]
        assert engine.chats.all(admin) == []  # made for the asker only
        follow_up = list(engine.answers.ask(bob, "And the archive?", chat=listed.id))
        assert not any(isinstance(e, ChatStarted) for e in follow_up)
        assert len(engine.chats.all(bob)) == 1


def test_not_found_and_stopped_answers_are_kept_too(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat = engine.chats.create(bob, "Misc")
        list(engine.answers.ask(bob, "How do I tune a jet engine?", chat=chat.id))
        cancel = threading.Event()
        for event in engine.answers.ask(
            bob, "When does the archive close?", chat=chat.id, cancel=cancel
        ):
            if isinstance(event, Token):
                cancel.set()
        texts = [m.text for m in engine.chats.messages(bob, chat.id)]
        assert texts[1] == "I could not find this in the documents."
        assert len(texts) == 4
        assert texts[3]  # the part generated before Stop
        assert engine.chats.all(bob)[0].title == "Misc"


def test_chats_are_private_even_to_admins(world: tuple[Engine, Session, Session]) -> None:
    engine, admin, bob = world
    with engine:
        chat = engine.chats.create(bob, "Salary questions")
        list(engine.answers.ask(bob, "When does the archive close?", chat=chat.id))
        assert engine.chats.all(admin) == []
        for attempt in (
            lambda: engine.chats.messages(admin, chat.id),
            lambda: engine.chats.rename(admin, chat.id, "mine now"),
            lambda: engine.chats.delete(admin, chat.id),
            lambda: list(engine.answers.ask(admin, "When does the archive close?", chat=chat.id)),
        ):
            with pytest.raises(NotFound):
                attempt()
        assert len(engine.chats.messages(bob, chat.id)) == 2  # untouched


def test_rename_search_delete(world: tuple[Engine, Session, Session]) -> None:
    engine, _, bob = world
    with engine:
        first = engine.chats.create(bob, "Budget")
        second = engine.chats.create(bob)
        list(engine.answers.ask(bob, "When does the archive close?", chat=second.id))
        assert [c.id for c in engine.chats.all(bob, "archive")] == [second.id]  # message text
        assert [c.id for c in engine.chats.all(bob, "budg")] == [first.id]  # title
        assert engine.chats.all(bob, "100%") == []  # LIKE wildcards are literal
        assert engine.chats.rename(bob, first.id, "Budget 2027").title == "Budget 2027"
        engine.chats.delete(bob, second.id)
        assert [c.id for c in engine.chats.all(bob)] == [first.id]
        with pytest.raises(NotFound):
            engine.chats.messages(bob, second.id)
