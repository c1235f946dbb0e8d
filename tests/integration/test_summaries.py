"""Session summaries: written after a clear or a logout, shown once at the next login."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core import AnswerStats, Done, Engine, NotFound, Role, Settings, Sources, Token
from core.llm.generator import Generator
from core.memory.chats import Chats
from core.memory.summarize import SUMMARY_TOKENS, SYSTEM_PROMPT
from tests.conftest import REPO
from tests.documents import make_all
from tests.identity import PASSWORD, admin_session, user_session


@pytest.fixture
def talking(settings: Settings, e5, tiny_model: Path) -> Engine:  # type: ignore[no-untyped-def]
    """An engine whose tiny model writes (noise) answers and summaries quickly."""
    return Engine(settings, embedder=e5, generator=Generator(tiny_model, n_ctx=2048, n_threads=1))


def _chat(engine: Engine, session, question: str) -> int:  # type: ignore[no-untyped-def]
    chat = engine.chats.create(session)
    list(engine.answers.ask(session, question, chat=chat.id))
    return chat.id


def test_clearing_a_chat_queues_a_summary_shown_once_at_the_next_login(talking: Engine) -> None:
    with talking as engine:
        admin = admin_session(engine)
        chat = _chat(engine, admin, "When does the archive close?")
        engine.chats.clear(admin, chat)
        assert engine.chats.messages(admin, chat) == []
        assert engine.memory.pending_jobs() == 1
        assert engine.memory.run_pending_jobs() == 1
        assert engine.memory.pending_jobs() == 0
        [summary] = engine.memory.summaries(admin)
        assert summary.reason == "clear"
        assert summary.text
        engine.identity.logout(admin)
        again = engine.identity.login("admin", PASSWORD)
        shown = engine.memory.welcome_summary(again)
        assert shown is not None
        assert shown.id == summary.id
        assert engine.memory.welcome_summary(again) is None, "shown once"


def test_logout_summarizes_what_was_asked_in_that_session_only(talking: Engine) -> None:
    with talking as engine:
        admin = admin_session(engine)
        engine.identity.logout(admin)
        assert engine.memory.pending_jobs() == 0, "nothing asked, nothing to summarize"
        session = engine.identity.login("admin", PASSWORD)
        _chat(engine, session, "Где находится архив?")
        engine.identity.logout(session)
        assert engine.memory.pending_jobs() == 1
        engine.memory.run_pending_jobs()
        [summary] = engine.memory.summaries(engine.identity.login("admin", PASSWORD))
        assert (summary.reason, summary.language) == ("logout", "ru")


def test_summaries_are_private_and_can_be_pinned_and_deleted(talking: Engine) -> None:
    with talking as engine:
        admin = admin_session(engine)
        boris = user_session(engine, admin, "boris", Role.MEMBER)
        engine.chats.clear(boris, _chat(engine, boris, "When does the archive close?"))
        engine.memory.run_pending_jobs()
        [mine] = engine.memory.summaries(boris)
        assert engine.memory.summaries(admin) == []
        with pytest.raises(NotFound):
            engine.memory.delete_summary(admin, mine.id)
        assert engine.memory.pin_summary(boris, mine.id).pinned
        engine.memory.delete_summary(boris, mine.id)
        assert engine.memory.summaries(boris) == []


def test_an_answer_in_progress_goes_first(talking: Engine) -> None:
    with talking as engine:
        admin = admin_session(engine)
        engine.chats.clear(admin, _chat(engine, admin, "When does the archive close?"))
        answer = engine.answers.ask(admin, "And on Fridays?")
        next(e for e in answer if isinstance(e, Token))  # generation is under way
        assert engine.memory.run_pending_jobs() == 0
        assert engine.memory.pending_jobs() == 1
        list(answer)
        assert engine.memory.run_pending_jobs() == 1


def test_the_background_scheduler_writes_queued_summaries(talking: Engine) -> None:
    with talking as engine:
        admin = admin_session(engine)
        engine.chats.clear(admin, _chat(engine, admin, "When does the archive close?"))
        engine.start_background()
        done = threading.Event()
        for _ in range(600):
            if engine.memory.pending_jobs() == 0:
                done.set()
                break
            threading.Event().wait(0.1)
        assert done.is_set()
        assert len(engine.memory.summaries(admin)) == 1


def test_a_crash_after_logout_still_gets_its_summary_at_the_next_start(
    settings: Settings, tiny_model: Path
) -> None:
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.integration.summary_child",
            str(settings.data_dir),
            str(tiny_model),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == -9, child.stderr[-2000:]
    assert "LOGGED OUT 1" in child.stdout
    restarted = Settings.load(settings.data_dir, key_store="file", password_hash_ms=5)
    with Engine(restarted, generator=Generator(tiny_model, n_ctx=2048, n_threads=1)) as engine:
        assert engine.memory.pending_jobs() == 1
        engine.start_background()
        for _ in range(600):
            if engine.memory.pending_jobs() == 0:
                break
            threading.Event().wait(0.1)
        session = engine.identity.login("admin", PASSWORD)
        shown = engine.memory.welcome_summary(session)
        assert shown is not None
        assert shown.reason == "logout"


def test_the_summary_prompt_asks_for_the_conversation_language_within_a_bound() -> None:
    assert "{language}" in SYSTEM_PROMPT
    assert SUMMARY_TOKENS <= 300


def _answer(engine: Engine, session, question: str, chat: int | None = None) -> AnswerStats:  # type: ignore[no-untyped-def]
    events = list(engine.answers.ask(session, question, chat=chat))
    done = events[-1]
    assert isinstance(done, Done)
    return done.stats


def test_pinned_and_recent_summaries_are_offered_to_later_answers(
    talking: Engine, tmp_path: Path
) -> None:
    with talking as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent]))
        assert _answer(engine, admin, "What does the lighthouse keeper count?").memory_notes == 0
        engine.chats.clear(admin, _chat(engine, admin, "When does the archive close?"))
        engine.memory.run_pending_jobs()
        assert len(engine.memory.summaries(admin)) == 1
        assert _answer(engine, admin, "What does the lighthouse keeper count?").memory_notes == 1
        engine.context.settings = engine.settings.with_changes(memory_notes=0)
        assert _answer(engine, admin, "What does the lighthouse keeper count?").memory_notes == 0


QUESTIONS = (
    "What does the lighthouse keeper count?",
    "When does the archive close?",
    "Who keeps the archive's keys?",
    "What does the keeper write down?",
)


def test_a_long_conversation_is_folded_into_a_digest_and_stays_inside_the_context(
    talking: Engine, tmp_path: Path
) -> None:
    with talking as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent]))
        chat = engine.chats.create(admin).id
        budget = engine.system.load_model().n_ctx - engine.settings.max_answer_tokens
        # The random model's answers end where its noise hits the end token: usually two
        # turns overflow the history, now and then (one run in ten) it takes a third.
        for turn, question in enumerate(QUESTIONS):
            done = _answer(engine, admin, question, chat)
            assert done.prompt_tokens <= budget
            if turn:  # the first question and its (cut) answer came along, at least
                assert done.history_turns == 2 if turn == 1 else done.history_turns >= 2
            if engine.memory.pending_jobs():
                break
        assert engine.memory.pending_jobs() == 1, "the random model's long answers overflowed"
        assert engine.memory.run_pending_jobs() == 1
        digest, rest = Chats(engine.context.db).history(admin.user.id, chat)
        assert digest, "the older turns were folded"
        assert len(rest) < 4
        assert not rest or rest[0][1] == "user", "the verbatim part starts with a question"
        done = _answer(engine, admin, "And who keeps the keys?", chat)
        assert done.prompt_tokens <= budget
        engine.chats.clear(admin, chat)
        assert Chats(engine.context.db).history(admin.user.id, chat) == ("", [])


def test_a_follow_up_that_finds_nothing_alone_is_read_with_the_question_before(
    talking: Engine, tmp_path: Path
) -> None:
    with talking as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent]))
        assert not _answer(engine, admin, "Why so?").grounded, "alone it finds nothing"
        chat = engine.chats.create(admin).id
        assert _answer(engine, admin, "When does the archive close on Thursdays?", chat).grounded
        events = list(engine.answers.ask(admin, "Why so?", chat=chat))
        sources = next(e for e in events if isinstance(e, Sources))
        assert any("archive" in s.snippet for s in sources.items)
