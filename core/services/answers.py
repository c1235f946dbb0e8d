"""Search, and cited streaming answers, owned end to end by the core.

An answer is: the session checked once; retrieval in the knowledge bases the user may
read under the retrieval policy (`core.search.policy`: "not in the documents" without
asking the model when nothing qualifies); one prompt of memory, history and the best
passages fitted to the context (`core.llm.prompts.fitted`), tokenized once; generation
in the model slot's turn; the grounding check of every [n]. With a chat (or `NEW_CHAT`,
which creates it and announces it first), the turn is kept with its sources and `Done`
names the stored answer (for feedback). Every finished answer leaves one row of figures
without text for the administrators' usage report (`core.analytics.records`).

The limits on the model are enforced here, so every shell gets them: a user over today's
token quota or over the questions-per-minute rate, or a full line in front of the model,
is refused before any work is done; a waiting answer reports its place in line
(`Queued`); each generation's tokens count towards the user's day.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

from core.analytics.records import AnswerRecord, record
from core.i18n import tr
from core.identity import Session, User
from core.llm.admission import Claim, Kind
from core.llm.generator import Generator, Prompt
from core.llm.grounding import checked_sources
from core.llm.prompts import GroundedPrompt, Memory, build_prompt, fitted
from core.llm.slot import Sampling
from core.llm.timing import AnswerTiming
from core.memory.chats import Chats, title_from
from core.search.language import detect_language
from core.search.policy import find_passages
from core.search.retriever import Translate
from core.services.assistants import Generation, generation
from core.services.context import Context
from core.services.knowledge_bases import readable_ids
from core.services.memory import MemoryJobs
from core.services.mirrors import Mirrors
from core.services.translation import QueryTranslator
from core.settings import Fusion, Settings
from core.types import (
    AnswerEvent,
    AnswerStats,
    ChatStarted,
    Done,
    Hit,
    NewChat,
    Queued,
    Source,
    Sources,
    Token,
)

log = logging.getLogger(__name__)


class AnswerService:
    """Ranked passages and grounded answers from the knowledge bases a user may read."""

    def __init__(self, ctx: Context, chats: Chats, memory: MemoryJobs, mirrors: Mirrors) -> None:
        self._ctx = ctx
        self._chats = chats
        self._memory = memory
        self._mirrors = mirrors
        self._translator = QueryTranslator(ctx.settings, ctx.model)

    def search(
        self,
        session: Session,
        query: str,
        kb: str | None = None,
        limit: int = 10,
        *,
        fusion: Fusion | None = None,
        translate: Translate | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Hit]:
        """Ranked chunks for `query` in `kb` (every visible knowledge base when None).

        `fusion` overrides the configured recipe (to compare recipes, as `eval` does);
        `translate` the answer model's translation of the query (`eval` passes cached
        ones, or `no_translation`); by default the loaded answer model translates (a
        search never loads it). `cancel` stops a translation being made.
        """
        user = self._ctx.actor(session)
        kb_ids = readable_ids(self._ctx.access, user, kb)
        own = self._translation(user.id, cancel, load=False)
        return self._ctx.index.open().retriever.search(
            query, kb_ids, limit, fusion, translate or own
        )

    def translate(
        self, session: Session, question: str, target: str, cancel: threading.Event | None = None
    ) -> str | None:
        """The answer model's translation of `question` into `target` ('en'/'ru'), or None.

        The one the search uses (same prompt, same cache); None when translation is off,
        the model cannot translate (the demo), or it failed (logged).
        """
        user = self._ctx.actor(session)
        return self._translator.translate(question, target, cancel, user.id)

    def _translation(
        self, user_id: int, cancel: threading.Event | None, *, load: bool = True
    ) -> Translate:
        """The answer model's translation of a question for `user_id`, stopped by `cancel`.

        Search alone (`load` False) translates only with a model already loaded.
        """

        def translate(query: str, target: str) -> str | None:
            return self._translator.translate(query, target, cancel, user_id, load=load)

        return translate

    def ask(
        self,
        session: Session,
        question: str,
        kb: str | None = None,
        cancel: threading.Event | None = None,
        chat: int | NewChat | None = None,
        exclude: frozenset[int] = frozenset(),
    ) -> Iterator[AnswerEvent]:
        """Answer from the documents: yields Queued…, Token…, then Sources, then Done.

        Raises `QuotaExceeded`, `RateLimited` or `Busy` (all `TryLater`) before anything
        is yielded when the user or the model cannot take the question now (`Busy` also
        later, in the rare case the line filled up during retrieval). While others hold
        the model, `Queued(position)` events tell the place in line.

        Setting `cancel` stops generation inside llama.cpp before the next token. When
        nothing relevant is found the answer says so and the model is not asked. With
        `chat`, the question and the answer (with its sources, also a stopped one) are
        kept in that chat of the user's; `NEW_CHAT` creates the chat first and yields
        ChatStarted with it before anything else. Chunks whose ids are in `exclude` are
        left out of the context (a user re-asking without a passage they judged wrong).
        """
        user = self._ctx.actor(session)
        kb_ids = readable_ids(self._ctx.access, user, kb)
        remote, offline, link = self._mirrors.route(user, kb_ids, question, cancel, exclude, chat)
        if remote is None:  # this computer's model answers: its limits apply
            self._ctx.quotas.check(user.id)
            self._ctx.model.admission.check(Claim(user.id))
            self._ctx.rate_limiter.admit(user.id)
        with self._memory.answering():
            if offline is not None:
                yield offline
            if isinstance(chat, NewChat):
                made = self._chats.create(user.id, title_from(question))
                yield ChatStarted(made)
                chat = made.id
            if chat is not None:
                link(chat)
            memory = self._memory.recall(user.id, chat)
            chosen = kb_ids[0] if kb is not None else None
            gen = generation(self._ctx.access, self._ctx.settings, chosen)
            events = remote or self._answer(user.id, question, kb_ids, cancel, exclude, memory, gen)
            if chat is not None:
                events = self._converse(user, question, chat, events)
            yield from self._recorded(user.id, kb_ids, events)

    def _recorded(
        self, user_id: int, kb_ids: list[int], events: Iterator[AnswerEvent]
    ) -> Iterator[AnswerEvent]:
        """The answer's events; its figures (never its text) are kept when it is done."""
        asked_at = self._ctx.clock()
        sources: tuple[Source, ...] = ()
        for event in events:
            if isinstance(event, Sources):
                sources = event.items
            elif isinstance(event, Done):
                answer = AnswerRecord(
                    asked_at, user_id, tuple(kb_ids), event.stats, sources, event.message_id
                )
                try:
                    record(self._ctx.db, answer)
                except Exception:  # never lose the answer over its bookkeeping
                    log.exception("could not record the answer's figures")
            yield event

    def _converse(
        self, user: User, question: str, chat: int, events: Iterator[AnswerEvent]
    ) -> Iterator[AnswerEvent]:
        """An answer kept in `chat` with the question, its sources, even when stopped."""
        self._chats.add(user.id, chat, "user", question)
        pieces: list[str] = []
        sources: tuple[Source, ...] = ()
        stored = False
        try:
            for event in events:
                if isinstance(event, Token):
                    pieces.append(event.text)
                elif isinstance(event, Sources):
                    sources = event.items
                elif isinstance(event, Done) and pieces:  # kept first, so Done can name it
                    stored = True
                    answer_id = self._chats.add(
                        user.id, chat, "assistant", "".join(pieces), sources
                    )
                    event = replace(event, message_id=answer_id)
                yield event
        finally:
            if pieces and not stored:  # stopped before Done (or failed): what came is kept
                self._chats.add(user.id, chat, "assistant", "".join(pieces), sources)
            if pieces:
                try:
                    self._memory.digest_if_long(user.id, chat, detect_language(question))
                except Exception:  # never lose the answer over its bookkeeping
                    log.exception("could not queue the chat digest")

    def _answer(
        self,
        user_id: int,
        question: str,
        kb_ids: list[int],
        cancel: threading.Event | None,
        exclude: frozenset[int],
        memory: Memory,
        gen: Generation,
    ) -> Iterator[AnswerEvent]:
        settings = self._ctx.settings
        started = time.perf_counter()
        language = detect_language(question)
        index = self._ctx.index.open()
        found = find_passages(
            index.retriever,
            index.embedder,
            question,
            kb_ids,
            gen.passages * 2,
            exclude,
            _previous_question(memory),
            self._translation(user_id, cancel),
        )
        retrieval_ms = (time.perf_counter() - started) * 1000
        if not found.answerable:
            yield Token(tr("not_found", language))
            yield Sources(())
            total_ms = (time.perf_counter() - started) * 1000
            yield Done(AnswerStats(retrieval_ms=retrieval_ms, grounded=False, total_ms=total_ms))
            return
        generator = self._ctx.model.get()
        grounded = GroundedPrompt([], (), 0, 0)

        passages = source_budget(settings, generator, gen.passages)

        def make(budget: int) -> Prompt:
            nonlocal grounded
            hits = found.hits[:passages]
            grounded = build_prompt(
                question, hits, language, budget, generator.count_tokens, memory, gen.instructions
            )
            return generator.render(grounded.messages)

        reserve = gen.answer_tokens
        prompt = fitted(make, generator.n_ctx - reserve, reserve, generator.n_ctx)
        timing = AnswerTiming(started, retrieval_ms)
        sampling = Sampling(reserve, gen.temperature, settings.top_p, settings.repeat_penalty)
        pieces: list[str] = []
        claim = Claim(user_id, Kind.INTERACTIVE, prompt.token_count + reserve)
        stream = self._ctx.model.stream(prompt, sampling, cancel, claim=claim)
        ended = False
        try:
            for piece in stream:
                if isinstance(piece, Queued):
                    yield piece
                    continue
                timing.token()
                pieces.append(piece)
                yield Token(piece)
            ended = True
        finally:
            stream.close()
            if pieces or (ended and not (cancel is not None and cancel.is_set())):
                self._count_usage(user_id, prompt, "".join(pieces), generator)
        answer = "".join(pieces)
        yield checked_sources(answer, grounded.hits, index.embedder)
        stats = timing.stats(
            prompt_tokens=prompt.token_count,
            completion_tokens=generator.count_tokens(answer) if answer else 0,
            model=generator.name,
            cancelled=cancel is not None and cancel.is_set(),
        )
        yield Done(replace(stats, memory_notes=grounded.notes, history_turns=grounded.turns))

    def _count_usage(self, user_id: int, prompt: Prompt, answer: str, generator: Generator) -> None:
        """Add a generation's prompt and answer tokens to the user's day (quotas)."""
        completion = generator.count_tokens(answer) if answer else 0
        self._ctx.quotas.record(user_id, prompt.token_count + completion)


def source_budget(settings: Settings, generator: Generator, sources: int | None = None) -> int:
    """How many passages the prompt may carry: fewer when this process's CPU reads it.

    Prompt reading dominates the wait on a CPU (see core/llm/hardware.py), so without
    GPU offload or answer servers the answer uses min(sources, cpu_sources). `sources`
    is a knowledge base's own number (else the installation's `settings.sources`).
    """
    wanted = settings.sources if sources is None else sources
    on_cpu = not settings.answer_endpoints and not generator.gpu_offload
    return min(wanted, settings.cpu_sources) if on_cpu else wanted


def _previous_question(memory: Memory) -> str:
    """The conversation's last question before this one ('' outside a conversation)."""
    return next((text for role, text in reversed(memory.turns) if role == "user"), "")
