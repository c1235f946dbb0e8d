"""The answering part of the Engine facade: search, and cited streaming answers.

An answer is retrieval (hybrid search in the knowledge bases the user may read),
the relevance floor ("not in the documents" without asking the model), a prompt of
memory, history and the best passages within the context, streamed generation, and the
grounding check of every [n]. With a chat, the turn is kept with its sources.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

from core.engine_upkeep import UpkeepOperations
from core.i18n import tr
from core.identity import Session, User
from core.llm.generator import Generator
from core.llm.grounding import checked_sources
from core.llm.prompts import Memory, build_prompt
from core.llm.timing import AnswerTiming
from core.search.embedder import Embedder
from core.search.fusion import Fusion
from core.search.language import detect_language
from core.search.retriever import Retriever
from core.security.access import AccessControl
from core.store.vectors import VectorStore
from core.types import AnswerEvent, AnswerStats, Done, Hit, Source, Sources, Token

log = logging.getLogger(__name__)


class AnswerOperations(UpkeepOperations):
    """Mixed into Engine."""

    _access: AccessControl

    def _index(self) -> tuple[Embedder, VectorStore, Retriever]:
        """Provided by Engine."""
        raise NotImplementedError

    def load_model(self) -> Generator:
        """Provided by Engine."""
        raise NotImplementedError

    def _kb_ids(self, user: User, kb: str | None) -> list[int]:
        """The KBs a query may touch: always from the server-side identity, default deny."""
        if kb is None:
            return self._access.visible_ids(user)
        return [self._access.for_read(user, kb).id]

    def search(
        self,
        session: Session,
        query: str,
        kb: str | None = None,
        limit: int = 10,
        *,
        fusion: Fusion | None = None,
    ) -> list[Hit]:
        """Ranked chunks for `query` in `kb` (every visible knowledge base when None).

        `fusion` overrides the configured recipe (to compare recipes, as `eval` does).
        """
        kb_ids = self._kb_ids(self._actor(session), kb)
        _, _, retriever = self._index()
        return retriever.search(query, kb_ids, limit, fusion)

    def ask(
        self,
        session: Session,
        question: str,
        kb: str | None = None,
        cancel: threading.Event | None = None,
        chat: int | None = None,
        exclude: frozenset[int] = frozenset(),
    ) -> Iterator[AnswerEvent]:
        """Answer from the documents: yields Token…, then Sources, then Done.

        Setting `cancel` stops generation inside llama.cpp before the next token. When
        nothing relevant is found the answer says so and the model is not asked. With
        `chat`, the question and the answer (with its sources, also a stopped one) are
        kept in that chat of the user's. Chunks whose ids are in `exclude` are left out
        of the context (a user re-asking without a passage they judged wrong).
        """
        self._answer_started()
        try:
            yield from self._ask(session, question, kb, cancel, chat, exclude)
        finally:
            self._answer_ended()

    def _ask(
        self,
        session: Session,
        question: str,
        kb: str | None,
        cancel: threading.Event | None,
        chat: int | None,
        exclude: frozenset[int],
    ) -> Iterator[AnswerEvent]:
        user = self._actor(session)
        if chat is None:
            memory = self._memory(user.id, None)
            yield from self._answer(session, question, kb, cancel, exclude, memory)
            return
        memory = self._memory(user.id, chat)
        self._chats.add(user.id, chat, "user", question)
        pieces: list[str] = []
        sources: tuple[Source, ...] = ()
        try:
            for event in self._answer(session, question, kb, cancel, exclude, memory):
                if isinstance(event, Token):
                    pieces.append(event.text)
                elif isinstance(event, Sources):
                    sources = event.items
                yield event
        finally:
            if pieces:
                self._chats.add(user.id, chat, "assistant", "".join(pieces), sources)
                try:
                    self._digest_if_long(user.id, chat, detect_language(question))
                except Exception:  # never lose the answer over its bookkeeping
                    log.exception("could not queue the chat digest")

    def _answer(
        self,
        session: Session,
        question: str,
        kb: str | None,
        cancel: threading.Event | None,
        exclude: frozenset[int] = frozenset(),
        memory: Memory | None = None,
    ) -> Iterator[AnswerEvent]:
        started = time.perf_counter()
        language = detect_language(question)
        embedder, _, _ = self._index()

        def relevant(hit: Hit) -> bool:
            floor = embedder.relevance_floor
            if detect_language(hit.text) != language:
                floor -= embedder.cross_language_margin
            return hit.vector_score >= floor

        def retrieve(query: str) -> list[Hit]:
            limit = self.settings.sources * 2 + len(exclude)
            return [
                h
                for h in self.search(session, query, kb, limit)
                if h.chunk_id not in exclude and (relevant(h) or h.keyword_rank > 0)
            ]

        hits = retrieve(question)
        follows = _previous_question(memory)
        if follows and not any(relevant(h) for h in hits):
            # A follow-up ("and why?") finds nothing alone: read it with the question before.
            hits = retrieve(f"{follows} {question}")
        retrieval_ms = (time.perf_counter() - started) * 1000
        if not any(relevant(h) for h in hits):
            yield Token(tr("not_found", language))
            yield Sources(())
            yield Done(
                AnswerStats(
                    retrieval_ms=retrieval_ms,
                    grounded=False,
                    total_ms=(time.perf_counter() - started) * 1000,
                )
            )
            return
        generator = self.load_model()
        budget = generator.n_ctx - self.settings.max_answer_tokens
        for _ in range(4):  # the parts' token counts are close to, not exactly, the whole's
            grounded = build_prompt(
                question,
                hits[: self.settings.sources],
                language,
                budget,
                generator.count_tokens,
                memory,
            )
            prompt = generator.render(grounded.messages)
            over = prompt.token_count + self.settings.max_answer_tokens
            over -= generator.n_ctx
            if over <= 0:
                break
            budget -= over + 16
        timing = AnswerTiming(started, retrieval_ms)
        pieces: list[str] = []
        stream = generator.stream(
            prompt,
            max_tokens=self.settings.max_answer_tokens,
            temperature=self.settings.temperature,
            top_p=self.settings.top_p,
            repeat_penalty=self.settings.repeat_penalty,
            cancel=cancel,
        )
        try:
            for piece in stream:
                timing.token()
                pieces.append(piece)
                yield Token(piece)
        finally:
            stream.close()
        answer = "".join(pieces)
        yield checked_sources(answer, grounded.hits, embedder)
        stats = timing.stats(
            prompt_tokens=prompt.token_count,
            completion_tokens=generator.count_tokens(answer) if answer else 0,
            model=generator.name,
            cancelled=cancel is not None and cancel.is_set(),
        )
        yield Done(replace(stats, memory_notes=grounded.notes, history_turns=grounded.turns))


def _previous_question(memory: Memory | None) -> str:
    """The conversation's last question before this one ('' outside a conversation)."""
    if memory is None:
        return ""
    return next((text for role, text in reversed(memory.turns) if role == "user"), "")
