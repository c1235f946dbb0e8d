"""Repair the gap a crash can leave between SQLCipher rows and LanceDB vectors."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.store.blobs import BlobStore
from core.store.library import Library
from core.store.vectors import VectorStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    """What a reconcile pass found and repaired."""

    orphan_vectors: int = 0
    stale_documents: int = 0
    orphan_blobs: int = 0


def reconcile(
    library: Library, vectors: VectorStore, blobs: BlobStore, embedder: str
) -> ReconcileReport:
    """Delete vectors and blobs without a row; mark documents with vector-less chunks stale.

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
    orphan_blobs = blobs.prune(library.blob_ids())
    if orphans or stale or orphan_blobs:
        log.warning(
            "reconciled index: %d orphan vectors and %d orphan blobs removed, "
            "%d documents marked stale",
            len(orphans),
            orphan_blobs,
            len(stale),
        )
    return ReconcileReport(len(orphans), len(stale), orphan_blobs)
