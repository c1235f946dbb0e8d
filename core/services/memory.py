"""Memory: session summaries and chat digests written in the background, offered to answers.

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
from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import NotFound
from core.identity import Session
from core.jobs.queue import Job, JobQueue, enqueue, finish
from core.llm.prompts import Memory
from core.memory.chats import Chats
from core.memory.digest import fold, history_budget, overflow
from core.memory.summaries import Summaries, insert_summary
from core.memory.summarize import summarize
from core.search.language import detect_language
from core.services.context import Context
from core.store.sql import Connection
from core.types import Summary

log = logging.getLogger(__name__)

SUMMARY_JOB = "summary"
DIGEST_JOB = "digest"
JOB_INTERVAL_S = 30.0
RECENT_DAYS = 14.0
"""Unpinned summaries older than this are not offered to answers."""


class MemoryJobs:
    """The background half: queues and writes summaries and digests, yields to answers."""

    def __init__(self, ctx: Context, chats: Chats) -> None:
        self._ctx = ctx
        self._chats = chats
        self.summaries = Summaries(ctx.db)
        self._queue = JobQueue(ctx.db)
        self._answering = 0
        self._answering_lock = threading.Lock()
        self._cancel = threading.Event()
        self._stopping = False
        self._run_lock = threading.Lock()

    # Background ------------------------------------------------------------------------
    def start(self) -> None:
        """Run pending jobs (also from before a crash) now, then every 30 s."""
        self._stopping = False
        self._ctx.scheduler.every("memory", JOB_INTERVAL_S, self.run_pending)

    def stop(self) -> None:
        """Stop a summary being written (it is retried at the next start)."""
        with self._answering_lock:
            self._stopping = True
            self._cancel.set()

    def soon(self) -> None:
        """Write what was just queued as soon as the scheduler's worker is free."""
        if self._ctx.scheduler.running:
            self._ctx.scheduler.soon("memory-now", self.run_pending)

    def pending(self) -> int:
        """Summary and digest jobs waiting."""
        return self._queue.count(SUMMARY_JOB) + self._queue.count(DIGEST_JOB)

    def run_pending(self) -> int:
        """Write the queued summaries and chat digests now; returns how many were written."""
        written = 0
        with self._run_lock:
            for job in self._queue.pending(SUMMARY_JOB) + self._queue.pending(DIGEST_JOB):
                if not self._may_write():
                    break
                write = self._write_summary if job.kind == SUMMARY_JOB else self._write_digest
                if write(job):
                    written += 1
        return written

    @contextmanager
    def answering(self) -> Iterator[None]:
        """An answer is being made: a summary being written stops, none starts meanwhile."""
        with self._answering_lock:
            self._answering += 1
            self._cancel.set()
        try:
            yield
        finally:
            with self._answering_lock:
                self._answering -= 1

    def _may_write(self) -> bool:
        """Arm the cancel event unless an answer runs or the engine stops.

        Checked and armed under the same lock `answering` sets it under, so an answer
        starting at any moment after this still stops the summary.
        """
        with self._answering_lock:
            if self._answering or self._stopping:
                return False
            self._cancel.clear()
            return True

    def _write_summary(self, job: Job) -> bool:
        turns = [(str(r), str(t)) for r, t in job.payload["turns"]]
        language = str(job.payload.get("language") or "en")
        try:
            text = summarize(self._ctx.model, turns, language, self._cancel, job.user_id)
        except Exception as exc:
            log.warning("summary job %s failed", job.id, exc_info=True)
            self._queue.failed(job, type(exc).__name__)
            return False
        if self._cancel.is_set():
            return False  # an answer started: try again later
        with self._ctx.db.write() as con:
            if text and job.user_id is not None:
                insert_summary(con, job.user_id, str(job.payload["reason"]), language, text)
            finish(con, job)
        return bool(text)

    def _write_digest(self, job: Job) -> bool:
        chat_id = int(job.payload["chat"])
        language = str(job.payload.get("language") or "en")
        assert job.user_id is not None
        try:
            generator = self._ctx.model.get()
            digest, messages = self._chats.history(job.user_id, chat_id)
            budget = history_budget(generator.n_ctx, self._ctx.settings.max_answer_tokens)
            folding = overflow(messages, budget, generator.count_tokens)
            text = ""
            if folding is not None:
                text = fold(
                    self._ctx.model, digest, folding.turns, language, self._cancel, job.user_id
                )
        except NotFound:  # the chat was deleted meanwhile
            with self._ctx.db.write() as con:
                finish(con, job)
            return False
        except Exception as exc:
            log.warning("digest job %s failed", job.id, exc_info=True)
            self._queue.failed(job, type(exc).__name__)
            return False
        if self._cancel.is_set():
            return False
        with self._ctx.db.write() as con:
            stored = bool(folding and text) and self._chats.set_digest(
                con, job.user_id, chat_id, text, folding.upto if folding else 0
            )
            finish(con, job)
        return stored

    # What answers and chats ask of memory -------------------------------------------------
    def recall(self, user_id: int, chat_id: int | None) -> Memory:
        """What an answer is offered besides its sources: notes, digest, latest turns."""
        notes: tuple[tuple[str, str], ...] = ()
        wanted = self._ctx.settings.memory_notes
        if wanted > 0:
            found = self.summaries.for_context(user_id, wanted, RECENT_DAYS)
            notes = tuple(
                (time.strftime("%Y-%m-%d", time.localtime(s.created_at)), s.text) for s in found
            )
        if chat_id is None:
            return Memory(notes)
        digest, messages = self._chats.history(user_id, chat_id)
        return Memory(notes, digest, tuple((role, text) for _, role, text in messages))

    def digest_if_long(self, user_id: int, chat_id: int, language: str) -> None:
        """Queue folding the chat's older turns once they outgrow the history budget."""
        generator = self._ctx.model.loaded
        if generator is None:  # nothing was generated: the model is not even loaded
            return
        _, messages = self._chats.history(user_id, chat_id)
        budget = history_budget(generator.n_ctx, self._ctx.settings.max_answer_tokens)
        if overflow(messages, budget, generator.count_tokens) is None:
            return
        if any(j.payload.get("chat") == chat_id for j in self._queue.pending(DIGEST_JOB)):
            return
        with self._ctx.db.write() as con:
            enqueue(con, DIGEST_JOB, user_id, {"chat": chat_id, "language": language})
        self.soon()

    def queue_summary(
        self, con: Connection, user_id: int, reason: str, turns: list[tuple[str, str]]
    ) -> None:
        """Queue a summary of `turns` in the caller's transaction (none without a question)."""
        if not any(role == "user" for role, _ in turns):
            return
        questions = " ".join(t for r, t in turns if r == "user")
        payload = {"reason": reason, "language": detect_language(questions), "turns": turns}
        enqueue(con, SUMMARY_JOB, user_id, payload)

    def session_ended(self, user_id: int, since: float) -> None:
        """A session is logging out: summarize what was asked in it, in the background."""
        turns = self._chats.turns_since(user_id, since)
        if turns:
            with self._ctx.db.write() as con:
                self.queue_summary(con, user_id, "logout", turns)
            self.soon()


class MemoryService:
    """A user's session summaries: the history, pinning, forgetting, 'Last time: …'."""

    def __init__(self, ctx: Context, jobs: MemoryJobs) -> None:
        self._ctx = ctx
        self._jobs = jobs

    def summaries(self, session: Session) -> list[Summary]:
        """The user's summary history, newest first."""
        return self._jobs.summaries.all(self._ctx.actor(session).id)

    def delete_summary(self, session: Session, summary_id: int) -> None:
        """Forget one of the user's summaries."""
        self._jobs.summaries.delete(self._ctx.actor(session).id, summary_id)

    def pin_summary(self, session: Session, summary_id: int, pinned: bool = True) -> Summary:
        """Pin or unpin one of the user's summaries."""
        return self._jobs.summaries.pin(self._ctx.actor(session).id, summary_id, pinned)

    def welcome_summary(self, session: Session) -> Summary | None:
        """The newest summary not shown yet ('Last time: …' after login); shown once."""
        return self._jobs.summaries.take_unshown(self._ctx.actor(session).id)

    def pending_jobs(self) -> int:
        """Summary and digest jobs waiting (for status screens and tests)."""
        return self._jobs.pending()

    def run_pending_jobs(self) -> int:
        """Write the queued summaries and chat digests now; returns how many were written."""
        return self._jobs.run_pending()
