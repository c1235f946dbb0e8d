"""Repair the gap a crash can leave between SQLCipher rows and LanceDB vectors."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.store.library import Library
from core.store.vectors import VectorStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What a reconcile pass found and repaired."""

    orphan_vectors: int = 0
    stale_documents: int = 0


def reconcile(library: Library, vectors: VectorStore, embedder: str) -> ReconcileReport:
    """Delete vectors without a chunk row; mark documents with vector-less chunks stale.

    The ingest write order only ever leaves orphan vectors; the second case is a guard
    against outside damage, and stale documents are re-indexed by the next ingest.
    """
    chunk_docs = library.chunk_ids_for_embedder(embedder)
    stored = vectors.all_ids()
    orphans = stored - chunk_docs.keys()
    if orphans:
        vectors.delete(orphans)
        vectors.compact()
    stale = {chunk_docs[c] for c in chunk_docs.keys() - stored}
    if stale:
        library.mark_stale(sorted(stale))
    if orphans or stale:
        log.warning(
            "reconciled index: %d orphan vectors removed, %d documents marked stale",
            len(orphans),
            len(stale),
        )
    return ReconcileReport(len(orphans), len(stale))
