"""Feedback on answers and the administrators' usage report, on a real encrypted database.

Answers come from the tiny llama.cpp model with the real e5 embedder; the report's
numbers are checked against what was asked, and no question, answer or comment text
reaches the report or its CSV files.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from core import (
    NEW_CHAT,
    ChatStarted,
    Done,
    Engine,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Role,
    Session,
    Settings,
    Sources,
)
from core.analytics.records import AnswerRecord, record
from core.llm.generator import Generator
from core.types import AnswerStats, Location, Source
from tests.documents import make_all
from tests.identity import admin_session, user_session

FOUND = "What does the lighthouse keeper count?"
MISSING = "How do I tune a jet engine?"
COMMENT = "Wrong: the keeper counts ships, see page two"


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


def _ask(engine: Engine, who: Session, question: str, chat: int | None = None) -> tuple[int, int]:
    """Ask in a chat (a new one when None); returns (chat id, the stored answer's id)."""
    events = list(engine.answers.ask(who, question, chat=NEW_CHAT if chat is None else chat))
    if chat is None:
        chat = next(e.chat.id for e in events if isinstance(e, ChatStarted))
    done = events[-1]
    assert isinstance(done, Done)
    return chat, done.message_id


def test_done_names_the_stored_answer_and_feedback_is_kept_with_it(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat, answer = _ask(engine, bob, FOUND)
        stored = engine.chats.messages(bob, chat)[-1]
        assert (stored.id, stored.role, stored.rating) == (answer, "assistant", 0)
        engine.feedback.rate(bob, answer, -1, COMMENT)
        assert engine.chats.messages(bob, chat)[-1].rating == -1
        kept = engine.feedback.get(bob, answer)
        assert kept is not None
        assert (kept.rating, kept.comment) == (-1, COMMENT)
        engine.feedback.rate(bob, answer, 1)  # changeable: the new verdict replaces the old
        kept = engine.feedback.get(bob, answer)
        assert kept is not None
        assert (kept.rating, kept.comment) == (1, "")
        engine.feedback.remove(bob, answer)
        assert engine.feedback.get(bob, answer) is None


def test_feedback_goes_with_its_chat(world: tuple[Engine, Session, Session]) -> None:
    engine, _, bob = world
    with engine:
        chat, answer = _ask(engine, bob, FOUND)
        engine.feedback.rate(bob, answer, -1, COMMENT)
        engine.chats.delete(bob, chat)
        assert engine.context.db.query("SELECT count(*) FROM feedback") == [(0,)]
        with pytest.raises(NotFound):
            engine.feedback.get(bob, answer) or engine.feedback.rate(bob, answer, 1)


def test_feedback_refuses_questions_bad_ratings_and_long_comments(
    world: tuple[Engine, Session, Session],
) -> None:
    engine, _, bob = world
    with engine:
        chat, answer = _ask(engine, bob, FOUND)
        question = engine.chats.messages(bob, chat)[0].id
        with pytest.raises(NotFound) as missing:
            engine.feedback.rate(bob, question, 1)  # a question is not an answer
        assert str(question) in missing.value.user_message("en")
        with pytest.raises(InvalidInput):
            engine.feedback.rate(bob, answer, 0)
        with pytest.raises(InvalidInput) as long:
            engine.feedback.rate(bob, answer, 1, "x" * 2001)
        assert "2000" in long.value.user_message("ru")
        assert engine.feedback.get(bob, answer) is None  # nothing half-stored


def test_feedback_on_others_answers_is_not_found(world: tuple[Engine, Session, Session]) -> None:
    engine, admin, bob = world
    with engine:
        _, answer = _ask(engine, bob, FOUND)
        engine.feedback.rate(bob, answer, -1, COMMENT)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        for other in (mel, admin):  # admins included
            assert engine.feedback.get(other, answer) is None
            with pytest.raises(NotFound):
                engine.feedback.rate(other, answer, 1)
            engine.feedback.remove(other, answer)  # touches nothing of bob's
        kept = engine.feedback.get(bob, answer)
        assert kept is not None
        assert kept.comment == COMMENT


def test_reasking_without_a_passage_leaves_it_out(
    world: tuple[Engine, Session, Session], tmp_path: Path
) -> None:
    engine, _, bob = world
    with engine:
        more = tmp_path / "keeper.txt"
        more.write_text("The lighthouse keeper also counts the ships that pass at night.")
        list(engine.documents.ingest(bob, [more]))
        first = next(e for e in engine.answers.ask(bob, FOUND) if isinstance(e, Sources))
        dropped = frozenset({first.items[0].chunk_id})
        again = next(
            e for e in engine.answers.ask(bob, FOUND, exclude=dropped) if isinstance(e, Sources)
        )
        assert len(first.items) > 1
        assert again.items
        assert dropped.isdisjoint(s.chunk_id for s in again.items)


def test_usage_counts_answers_not_found_feedback_and_speed(
    world: tuple[Engine, Session, Session], tmp_path: Path
) -> None:
    engine, admin, bob = world
    with engine:
        chat, first = _ask(engine, bob, FOUND)
        _, second = _ask(engine, bob, "Which chapter mentions the lighthouse?", chat)
        _ask(engine, bob, MISSING)  # a new chat: no follow-up to lean on
        list(engine.answers.ask(admin, FOUND))  # outside a chat; bob's uploads are not his
        engine.feedback.rate(bob, first, 1)
        engine.feedback.rate(bob, second, -1, COMMENT)
        report = engine.analytics.usage(admin, 7)
        assert (report.questions, report.not_found) == (4, 2)
        assert report.not_found_rate == pytest.approx(0.5)
        assert (report.thumbs_up, report.thumbs_down, report.feedback_ratio) == (1, 1, 0.5)
        assert report.avg_first_token_ms > 0
        assert report.avg_tokens_per_s > 0
        assert [d.count for d in report.per_day][-1] == 4
        assert len(report.per_day) == 7
        assert sum(d.count for d in report.per_day) == 4
        per_user = {u.username: (u.questions, u.not_found, u.thumbs_up) for u in report.per_user}
        assert per_user == {"bob": (3, 1, 1), "admin": (1, 1, 0)}
        assert [(k.name, k.questions) for k in report.per_kb] == [("~bob", 3)]
        assert (report.index.documents, report.index.chunks) == (1, 2)
        assert report.index.database_bytes > 0
        assert report.index.vectors_bytes > 0
        assert report.indexed_per_day[-1].count == 1
        engine.chats.delete(bob, chat)  # the counts outlive the chat; the comment does not
        assert engine.analytics.usage(admin, 7).thumbs_down == 1
        files = engine.analytics.export_csv(admin, tmp_path / "usage", 7)
        text = repr(report) + "".join(f.read_text(encoding="utf-8") for f in files)
        for secret in (FOUND, MISSING, COMMENT, "lighthouse"):
            assert secret not in text


def test_most_and_never_cited_documents_hide_names_an_admin_cannot_read(
    world: tuple[Engine, Session, Session], tmp_path: Path
) -> None:
    engine, admin, bob = world
    with engine:
        (doc,) = engine.documents.all(bob, "~bob")
        source = Source(1, doc.name, doc.source, Location(1, "p. 1", ""), "…", 1, True, 1.0, doc.id)
        uncited = Source(2, doc.name, doc.source, Location(1, "p. 1", ""), "…", 2, False)
        for sources in ((source,), (source, uncited), (uncited,)):
            answer = AnswerRecord(time.time(), bob.user.id, (), AnswerStats(), sources)
            record(engine.context.db, answer)
        report = engine.analytics.usage(admin, 30)
        assert [(d.document_id, d.citations, d.kb_name) for d in report.top_cited] == [
            (doc.id, 2, "~bob")
        ]
        assert report.top_cited[0].name == ""  # bob's private uploads: the admin reads none
        assert report.never_cited == ()
        files = {f.stem: f for f in engine.analytics.export_csv(admin, tmp_path / "csv", 30)}
        rows = list(csv.reader(files["top_cited"].open(encoding="utf-8")))
        assert rows == [
            ["document_id", "document", "knowledge_base", "citations"],
            [str(doc.id), "", "~bob", "2"],
        ]
        summary = dict(csv.reader(files["summary"].open(encoding="utf-8")))
        assert (summary["questions"], summary["not_found"]) == ("3", "0")


def test_members_cannot_read_usage(world: tuple[Engine, Session, Session], tmp_path: Path) -> None:
    engine, _, bob = world
    with engine:
        with pytest.raises(PermissionDenied) as denied:
            engine.analytics.usage(bob)
        assert "member" in denied.value.user_message("en")
        with pytest.raises(PermissionDenied):
            engine.analytics.export_csv(bob, tmp_path / "csv")
        assert not (tmp_path / "csv").exists()


def test_usage_refuses_a_period_out_of_range(world: tuple[Engine, Session, Session]) -> None:
    engine, admin, _ = world
    with engine, pytest.raises(InvalidInput) as bad:
        engine.analytics.usage(admin, 0)
    assert "0" in bad.value.user_message("en")
