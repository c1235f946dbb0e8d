"""The memory part of the Engine facade: session summaries written in the background.

Clearing a chat or logging out queues a summary job in the same transaction (the
conversation goes into the job, inside the encrypted database), so a crash before the job
runs loses nothing: the next start runs it. The scheduler's one worker writes summaries
when no answer is being generated; an answer that starts meanwhile stops the summary,
which is retried later (an interactive answer always goes first).

Answers remember: pinned and recent summaries go into the prompt as marked notes, and a
chat's latest turns go in verbatim while a background job folds older ones into the
chat's rolling digest, so a long conversation never outgrows the model's context.
"""

from __future__ import annotations

import logging
import threading
import time

from core.engine_reading import ReadingOperations
from core.errors import NotFound, SessionEnded
from core.identity import Session
from core.jobs.queue import Job, JobQueue, enqueue, finish
from core.jobs.scheduler import Scheduler
from core.llm.generator import Generator
from core.llm.prompts import Memory
from core.memory.chats import Chats
from core.memory.digest import fold, history_budget, overflow
from core.memory.summaries import Summaries, insert_summary
from core.memory.summarize import summarize
from core.search.language import detect_language
from core.security.sessions import SessionTable
from core.settings import Settings
from core.store.database import Database
from core.types import Summary

log = logging.getLogger(__name__)

SUMMARY_JOB = "summary"
DIGEST_JOB = "digest"
JOB_INTERVAL_S = 30.0
RECENT_DAYS = 14.0
"""Unpinned summaries older than this are not offered to answers."""


class MemoryOperations(ReadingOperations):
    """Mixed into Engine."""

    _db: Database
    _chats: Chats
    _sessions: SessionTable
    settings: Settings
    _generator: Generator | None

    def _init_memory(self) -> None:
        self._summaries = Summaries(self._db)
        self._jobs = JobQueue(self._db)
        self._scheduler = Scheduler()
        self._answering = 0
        self._answering_lock = threading.Lock()
        self._summary_cancel = threading.Event()
        self._stopping = False
        self._jobs_lock = threading.Lock()

    def load_model(self) -> Generator:
        """Provided by Engine (the summary writer uses the loaded model)."""
        raise NotImplementedError

    # Background ---------------------------------------------------------------------------
    def start_background(self) -> None:
        """Start the scheduler: pending jobs (also from before a crash) run now, then every 30 s."""
        self._stopping = False
        self._scheduler.every("memory", JOB_INTERVAL_S, self.run_pending_jobs)
        self._scheduler.start()

    def stop_background(self) -> None:
        """Stop the scheduler, stopping a summary being written (it is retried next start)."""
        with self._answering_lock:
            self._stopping = True
            self._summary_cancel.set()
        self._scheduler.shutdown()

    def pending_jobs(self) -> int:
        """Summary and digest jobs waiting (for status screens and tests)."""
        return self._jobs.count(SUMMARY_JOB) + self._jobs.count(DIGEST_JOB)

    def run_pending_jobs(self) -> int:
        """Write the queued summaries and chat digests now; returns how many were written."""
        written = 0
        with self._jobs_lock:
            for job in self._jobs.pending(SUMMARY_JOB) + self._jobs.pending(DIGEST_JOB):
                if not self._may_summarize():
                    break
                write = self._write_summary if job.kind == SUMMARY_JOB else self._write_digest
                if write(job):
                    written += 1
        return written

    def _may_summarize(self) -> bool:
        """Arm the cancel event unless an answer runs or the engine stops.

        Checked and armed under the same lock `_answer_started` sets it under, so an
        answer starting at any moment after this still stops the summary.
        """
        with self._answering_lock:
            if self._answering or self._stopping:
                return False
            self._summary_cancel.clear()
            return True

    def _answer_started(self) -> None:
        with self._answering_lock:
            self._answering += 1
            self._summary_cancel.set()

    def _answer_ended(self) -> None:
        with self._answering_lock:
            self._answering -= 1

    def _write_summary(self, job: Job) -> bool:
        turns = [(str(r), str(t)) for r, t in job.payload["turns"]]
        language = str(job.payload.get("language") or "en")
        try:
            text = summarize(self.load_model(), turns, language, self._summary_cancel)
        except Exception as exc:
            log.warning("summary job %s failed: %s", job.id, type(exc).__name__)
            self._jobs.failed(job, type(exc).__name__)
            return False
        if self._summary_cancel.is_set():
            return False  # an answer started: try again later
        with self._db.write() as con:
            if text and job.user_id is not None:
                insert_summary(con, job.user_id, str(job.payload["reason"]), language, text)
            finish(con, job)
        return bool(text)

    def _write_digest(self, job: Job) -> bool:
        chat_id = int(job.payload["chat"])
        language = str(job.payload.get("language") or "en")
        assert job.user_id is not None
        try:
            generator = self.load_model()
            digest, messages = self._chats.history(job.user_id, chat_id)
            budget = history_budget(generator.n_ctx, self.settings.max_answer_tokens)
            folding = overflow(messages, budget, generator.count_tokens)
            text = ""
            if folding is not None:
                text = fold(generator, digest, folding.turns, language, self._summary_cancel)
        except NotFound:  # the chat was deleted meanwhile
            with self._db.write() as con:
                finish(con, job)
            return False
        except Exception as exc:
            log.warning("digest job %s failed: %s", job.id, type(exc).__name__)
            self._jobs.failed(job, type(exc).__name__)
            return False
        if self._summary_cancel.is_set():
            return False
        with self._db.write() as con:
            stored = bool(folding and text) and self._chats.set_digest(
                con, job.user_id, chat_id, text, folding.upto if folding else 0
            )
            finish(con, job)
        return stored

    def _memory(self, user_id: int, chat_id: int | None) -> Memory:
        """What an answer is offered besides its sources: notes, digest, latest turns."""
        notes: tuple[tuple[str, str], ...] = ()
        if self.settings.memory_notes > 0:
            found = self._summaries.for_context(user_id, self.settings.memory_notes, RECENT_DAYS)
            notes = tuple(
                (time.strftime("%Y-%m-%d", time.localtime(s.created_at)), s.text) for s in found
            )
        if chat_id is None:
            return Memory(notes)
        digest, messages = self._chats.history(user_id, chat_id)
        return Memory(notes, digest, tuple((role, text) for _, role, text in messages))

    def _digest_if_long(self, user_id: int, chat_id: int, language: str) -> None:
        """Queue folding the chat's older turns once they outgrow the history budget."""
        generator = self._generator
        if generator is None:  # nothing was generated: the model is not even loaded
            return
        _, messages = self._chats.history(user_id, chat_id)
        budget = history_budget(generator.n_ctx, self.settings.max_answer_tokens)
        if overflow(messages, budget, generator.count_tokens) is None:
            return
        if any(j.payload.get("chat") == chat_id for j in self._jobs.pending(DIGEST_JOB)):
            return
        with self._db.write() as con:
            enqueue(con, DIGEST_JOB, user_id, {"chat": chat_id, "language": language})
        if self._scheduler.running:
            self._scheduler.soon("memory-now", self.run_pending_jobs)

    def _queue_summary(
        self, con: object, user_id: int, reason: str, turns: list[tuple[str, str]]
    ) -> None:
        if not any(role == "user" for role, _ in turns):
            return
        questions = " ".join(t for r, t in turns if r == "user")
        payload = {"reason": reason, "language": detect_language(questions), "turns": turns}
        enqueue(con, SUMMARY_JOB, user_id, payload)

    # Operations -------------------------------------------------------------------------
    def clear_chat(self, session: Session, chat_id: int) -> None:
        """Empty one of the user's chats; a summary of it is written in the background."""
        user = self._actor(session)
        self._chats.get(user.id, chat_id)
        with self._db.write() as con:
            turns = self._chats.clear(con, user.id, chat_id)
            self._queue_summary(con, user.id, "clear", turns)
        if self._scheduler.running:
            self._scheduler.soon("memory-now", self.run_pending_jobs)

    def logout(self, session: Session) -> None:
        """End the session; a summary of what was asked in it is written in the background."""
        try:
            user_id = self._sessions.user_of(session.token)
            since = self._sessions.started_at(session.token)
        except SessionEnded:
            return
        turns = self._chats.turns_since(user_id, since)
        if turns:
            with self._db.write() as con:
                self._queue_summary(con, user_id, "logout", turns)
        super().logout(session)
        if self._scheduler.running:
            self._scheduler.soon("memory-now", self.run_pending_jobs)

    def summaries(self, session: Session) -> list[Summary]:
        """The user's summary history, newest first."""
        return self._summaries.all(self._actor(session).id)

    def delete_summary(self, session: Session, summary_id: int) -> None:
        """Forget one of the user's summaries."""
        self._summaries.delete(self._actor(session).id, summary_id)

    def pin_summary(self, session: Session, summary_id: int, pinned: bool = True) -> Summary:
        """Pin or unpin one of the user's summaries."""
        return self._summaries.pin(self._actor(session).id, summary_id, pinned)

    def welcome_summary(self, session: Session) -> Summary | None:
        """The newest summary not shown yet ('Last time: …' after login); shown once."""
        return self._summaries.take_unshown(self._actor(session).id)
