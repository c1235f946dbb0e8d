"""The facade of the core: every shell (CLI, desktop, server) talks to an Engine."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from core.errors import ModelMissing
from core.i18n import tr
from core.ingest.chunking import Chunker
from core.ingest.parsers import Parser
from core.ingest.pipeline import IngestRun
from core.llm.catalog import ModelChoice, resolve_model
from core.llm.generator import Generator
from core.llm.prompts import build_prompt, cited_numbers
from core.search.embedder import Embedder, create_embedder
from core.search.language import detect_language
from core.search.retriever import Retriever, Weights
from core.security.keys import resolve_key
from core.settings import Settings, free_cores
from core.store.database import Database
from core.store.library import DEFAULT_KB, Library
from core.store.reconcile import ReconcileReport, reconcile
from core.store.vectors import VectorStore
from core.types import (
    AnswerEvent,
    AnswerStats,
    Document,
    Done,
    EngineStatus,
    Hit,
    IngestProgress,
    KnowledgeBase,
    Source,
    Sources,
    Token,
)

log = logging.getLogger(__name__)
SNIPPET_CHARS = 320


class Engine:
    """Documents in, cited streaming answers out. Thread-safe; one per process."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
    ) -> None:
        """Open (creating on first run) the encrypted store in `settings.data_dir`.

        Raises:
            WrongKey, KeyMissing, DatabaseNewer, DatabaseCorrupt: the store cannot be
                opened; nothing on disk was changed.
        """
        self.settings = settings or Settings.load()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = resolve_key(self.settings.db_path, self.settings.key_file)
        self._db = Database(self.settings.db_path, key)
        self._library = Library(self._db)
        self._embedder = embedder
        self._generator = generator
        self._model: ModelChoice | None = None
        self._vectors: VectorStore | None = None
        self._retriever: Retriever | None = None
        self._index_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._parser = Parser()
        self.last_reconcile = ReconcileReport()

    # Lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        """Release the database and models."""
        self._db.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _index(self) -> tuple[Embedder, VectorStore, Retriever]:
        """Load the embedder and vector table on first use, reconciling them with the DB."""
        with self._index_lock:
            if self._retriever is None:
                if self._embedder is None:
                    threads = self.settings.embed_threads or free_cores()
                    self._embedder = create_embedder(
                        self.settings.embedder, self.settings.data_dir / "cache", threads
                    )
                self._vectors = VectorStore(
                    self.settings.vectors_dir, self._embedder.name, self._embedder.dim
                )
                self.last_reconcile = reconcile(self._library, self._vectors, self._embedder.name)
                weights = Weights(self.settings.keyword_weight, self.settings.vector_weight)
                self._retriever = Retriever(self._library, self._vectors, self._embedder, weights)
            assert self._embedder is not None
            assert self._vectors is not None
            return self._embedder, self._vectors, self._retriever

    def load_model(self) -> Generator:
        """Load the language model now (it is loaded on first `ask` otherwise)."""
        with self._model_lock:
            if self._generator is None:
                choice = self._model = self.model_choice()
                if choice.is_demo:
                    log.info(
                        "%s",
                        tr(
                            "demo_model",
                            "en",
                            name=choice.name,
                            models_dir=self.settings.models_dirs[0],
                        ),
                    )
                threads = self.settings.n_threads or free_cores()
                self._generator = Generator(
                    choice.path, self.settings.n_ctx, threads, self.settings.n_gpu_layers
                )
            return self._generator

    def model_choice(self) -> ModelChoice:
        """The model `ask` uses (or will load), and whether it is the demo fallback."""
        if self._generator is not None:
            return self._model or ModelChoice(self._generator.path, is_demo=False)
        return resolve_model(self.settings)

    # Knowledge bases and documents -----------------------------------------------------
    def knowledge_bases(self) -> list[KnowledgeBase]:
        """Every knowledge base."""
        return self._library.knowledge_bases()

    def create_knowledge_base(self, name: str) -> KnowledgeBase:
        """Create (or return the existing) knowledge base called `name`."""
        return self._library.ensure_kb(name)

    def documents(self, kb: str = DEFAULT_KB) -> list[Document]:
        """Documents of a knowledge base, with status and failure reasons."""
        return self._library.documents(self._library.kb_by_name(kb).id)

    def ingest(
        self,
        paths: list[Path] | list[str],
        kb: str = DEFAULT_KB,
        cancel: threading.Event | None = None,
    ) -> Iterator[IngestProgress]:
        """Index files, folders and zips into `kb`; yields progress, ends with FINISHED.

        Unchanged files are skipped, changed ones re-indexed, files gone from a folder
        or zip that was given are removed. Each bad file fails alone with a reason.
        """
        kb_id = self._library.ensure_kb(kb).id
        embedder, vectors, _ = self._index()
        chunker = Chunker(embedder.count_tokens, self.settings.chunk_tokens)
        run = IngestRun(
            self._library,
            vectors,
            embedder,
            self._parser,
            chunker,
            self.settings.max_file_mb * 2**20,
        )
        with self._ingest_lock:
            yield from run.run([Path(p) for p in paths], kb_id, cancel)

    # Search and answers ----------------------------------------------------------------
    def _kb_ids(self, kb: str | None) -> list[int]:
        if kb is None:
            return [k.id for k in self._library.knowledge_bases()]
        return [self._library.kb_by_name(kb).id]

    def search(self, query: str, kb: str | None = None, limit: int = 10) -> list[Hit]:
        """Ranked chunks for `query` in `kb` (all knowledge bases when None)."""
        kb_ids = self._kb_ids(kb)
        _, _, retriever = self._index()
        return retriever.search(query, kb_ids, limit)

    def ask(
        self, question: str, kb: str | None = None, cancel: threading.Event | None = None
    ) -> Iterator[AnswerEvent]:
        """Answer from the documents: yields Token…, then Sources, then Done.

        Setting `cancel` stops generation inside llama.cpp before the next token. When
        nothing relevant is found the answer says so and the model is not asked.
        """
        started = time.perf_counter()
        language = detect_language(question)
        embedder, _, _ = self._index()
        floor = embedder.relevance_floor
        hits = [
            h
            for h in self.search(question, kb, self.settings.sources * 2)
            if h.vector_score >= floor or h.keyword_score > 0
        ]
        retrieval_ms = (time.perf_counter() - started) * 1000
        if not any(h.vector_score >= floor for h in hits):
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
        grounded = build_prompt(
            question,
            hits[: self.settings.sources],
            language,
            generator.n_ctx - self.settings.max_answer_tokens,
            generator.count_tokens,
        )
        prompt = generator.render(grounded.messages)
        timing = _Timing(started, retrieval_ms)
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
        yield Sources(_numbered_sources(grounded.hits, cited_numbers(answer)))
        yield Done(
            timing.stats(
                prompt_tokens=generator.count_tokens(prompt.text),
                completion_tokens=generator.count_tokens(answer) if answer else 0,
                model=generator.name,
                cancelled=cancel is not None and cancel.is_set(),
            )
        )

    # Status ----------------------------------------------------------------------------
    def status(self) -> EngineStatus:
        """Where the data lives, which models run, how much is indexed."""
        docs, chunks = self._library.totals()
        try:
            choice = self.model_choice()
            model, demo = str(choice.path), choice.is_demo
        except ModelMissing:
            model, demo = "", False
        return EngineStatus(
            str(self.settings.data_dir),
            model,
            demo,
            self.settings.embedder,
            tuple(self._library.knowledge_bases()),
            docs,
            chunks,
        )


def _numbered_sources(hits: tuple[Hit, ...], cited: set[int]) -> tuple[Source, ...]:
    return tuple(
        Source(n, h.document, h.source, h.location, h.text[:SNIPPET_CHARS], h.chunk_id, n in cited)
        for n, h in enumerate(hits, start=1)
    )


class _Timing:
    """Time to first token and decode speed of one answer."""

    def __init__(self, started: float, retrieval_ms: float) -> None:
        self.started, self.retrieval_ms = started, retrieval_ms
        self.first_at = 0.0

    def token(self) -> None:
        if not self.first_at:
            self.first_at = time.perf_counter()

    def stats(
        self, *, prompt_tokens: int, completion_tokens: int, model: str, cancelled: bool
    ) -> AnswerStats:
        now = time.perf_counter()
        first_ms = (self.first_at - self.started) * 1000 if self.first_at else 0.0
        decode_s = now - self.first_at if self.first_at else 0.0
        # Decode speed after the first token; prompt processing is in first_token_ms.
        tps = (completion_tokens - 1) / decode_s if completion_tokens > 1 and decode_s else 0.0
        return AnswerStats(
            retrieval_ms=self.retrieval_ms,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            first_token_ms=first_ms,
            tokens_per_s=tps,
            total_ms=(now - self.started) * 1000,
            model=model,
            cancelled=cancelled,
        )
