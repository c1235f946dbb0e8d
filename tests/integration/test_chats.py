"""Chats persist per user with their sources, and nobody else — admins included — sees them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import Engine, NotFound, Role, Session, Settings, Token
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
    list(engine.ingest(bob, [make_all(tmp_path / "docs")["pdf"]]))
    return engine, admin, bob


def test_an_answer_is_kept_in_its_chat_with_sources(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat = engine.create_chat(bob)
        answer = "".join(
            e.text
            for e in engine.ask(bob, "What does the lighthouse keeper count?", chat=chat.id)
            if isinstance(e, Token)
        )
        question, reply = engine.chat_messages(bob, chat.id)
        assert (question.role, question.text) == ("user", "What does the lighthouse keeper count?")
        assert (reply.role, reply.text) == ("assistant", answer)
        assert reply.sources[0].snippet.startswith(SENTENCES["pdf1"][:30])
        assert reply.sources[0].location.label == "p. 1"
        (listed,) = engine.chats(bob)
        assert listed.title == "What does the lighthouse keeper count?"  # titled by question
        assert listed.messages == 2


def test_not_found_and_stopped_answers_are_kept_too(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat = engine.create_chat(bob, "Misc")
        list(engine.ask(bob, "How do I tune a jet engine?", chat=chat.id))
        cancel = threading.Event()
        for event in engine.ask(bob, "When does the archive close?", chat=chat.id, cancel=cancel):
            if isinstance(event, Token):
                cancel.set()
        texts = [m.text for m in engine.chat_messages(bob, chat.id)]
        assert texts[1] == "I could not find this in the documents."
        assert len(texts) == 4
        assert texts[3]  # the part generated before Stop
        assert engine.chats(bob)[0].title == "Misc"


def test_chats_are_private_even_to_admins(world: tuple[Engine, Session, Session]) -> None:
    engine, admin, bob = world
    with engine:
        chat = engine.create_chat(bob, "Salary questions")
        list(engine.ask(bob, "When does the archive close?", chat=chat.id))
        assert engine.chats(admin) == []
        for attempt in (
            lambda: engine.chat_messages(admin, chat.id),
            lambda: engine.rename_chat(admin, chat.id, "mine now"),
            lambda: engine.delete_chat(admin, chat.id),
            lambda: list(engine.ask(admin, "When does the archive close?", chat=chat.id)),
        ):
            with pytest.raises(NotFound):
                attempt()
        assert len(engine.chat_messages(bob, chat.id)) == 2  # untouched


def test_rename_search_delete(world: tuple[Engine, Session, Session]) -> None:
    engine, _, bob = world
    with engine:
        first = engine.create_chat(bob, "Budget")
        second = engine.create_chat(bob)
        list(engine.ask(bob, "When does the archive close?", chat=second.id))
        assert [c.id for c in engine.chats(bob, "archive")] == [second.id]  # message text
        assert [c.id for c in engine.chats(bob, "budg")] == [first.id]  # title
        assert engine.chats(bob, "100%") == []  # LIKE wildcards are literal
        assert engine.rename_chat(bob, first.id, "Budget 2027").title == "Budget 2027"
        engine.delete_chat(bob, second.id)
        assert [c.id for c in engine.chats(bob)] == [first.id]
        with pytest.raises(NotFound):
            engine.chat_messages(bob, second.id)
