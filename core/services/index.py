"""The search index, opened on first use: the embedder, the vector table and the retriever.

Opening costs seconds (loading the embedder), so it waits for the first search or ingest
(or `warm_up`). On opening, the vector table is reconciled with the database: a crash
between writing vectors and committing their rows leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.search.embedder import Embedder, create_embedder
from core.search.reranker import CrossEncoder, find_reranker, load_reranker
from core.search.retriever import Retriever
from core.settings import default_cache_dir, free_cores
from core.store.reconcile import ReconcileReport, reconcile
from core.store.rotation import rotation_matrix
from core.store.vectors import VectorStore

if TYPE_CHECKING:
    from core.services.context import Context

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OpenIndex:
    """The parts of an open index."""

    embedder: Embedder
    vectors: VectorStore
    retriever: Retriever


class Index:
    """Opens the index once, and again after its files were replaced (a renewed secret)."""

    def __init__(self, ctx: Context, embedder: Embedder | None = None) -> None:
        self._ctx = ctx
        self._embedder = embedder
        self._open: OpenIndex | None = None
        self._lock = threading.Lock()
        self.last_reconcile = ReconcileReport()
        """What the last opening found and repaired (for status screens and tests)."""

    @property
    def embedder(self) -> Embedder | None:
        """The embedder if it is loaded (None before first use, unless one was given)."""
        return self._embedder

    def open(self) -> OpenIndex:
        """The index, opening it now if needed."""
        with self._lock:
            if self._open is None:
                self._open = self._load()
            return self._open

    @contextmanager
    def replacing(self) -> Iterator[None]:
        """Hold the index while its files are replaced; it reopens on the next use.

        Searches starting meanwhile wait, then open what the replacement left.
        """
        with self._lock:
            try:
                yield
            finally:
                self._open = None  # the embedder stays loaded

    def _load(self) -> OpenIndex:
        ctx = self._ctx
        settings = ctx.settings
        if self._embedder is None:
            threads = settings.embed_threads or free_cores()
            self._embedder = create_embedder(
                settings.embedder, _cache_dir(settings.data_dir), threads, settings.models_dirs
            )
        embedder = self._embedder
        vectors = VectorStore(
            settings.vectors_dir,
            embedder.name,
            embedder.dim,
            rotation_matrix(ctx.secret, embedder.dim),
            ctx.library.vector_generation(),
        )
        self.last_reconcile = reconcile(ctx.library, vectors, ctx.blobs, embedder.name)
        retriever = Retriever(ctx.library, vectors, embedder, settings.fusion, self._reranker())
        return OpenIndex(embedder, vectors, retriever)

    def _reranker(self) -> CrossEncoder | None:
        """The cross-encoder provisioned under models/reranker, if any (else skipped)."""
        settings = self._ctx.settings
        if not settings.rerank:
            return None
        folder = find_reranker(settings.models_dirs)
        if folder is None:
            return None
        log.info("reranking with the cross-encoder in %s", folder)
        return load_reranker(folder, settings.embed_threads or free_cores())


def _cache_dir(data_dir: Path) -> Path:
    """The user's cache folder, shared by every data folder; the data folder's own if unwritable."""
    shared = default_cache_dir()
    try:
        shared.mkdir(parents=True, exist_ok=True)
        if os.access(shared, os.W_OK):
            return shared
    except OSError:
        pass
    return data_dir / "cache"
