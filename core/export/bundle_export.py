"""A knowledge base into an encrypted bundle: settings, documents, chunks, vectors, originals.

Records, in order: `K` the knowledge base (name, its settings columns, the embedder and
its dimension, counts), then for each indexed document `D` (metadata and chunks), `V`
(its vectors, little-endian float32, unrotated) when this installation's embedder made
them, `O` (the original, decrypted from its blob) when one is kept; last `E` (the count
again, so a bundle cut between records is refused). Keyword terms are not exported:
the importer rebuilds them from the chunks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from core.export.bundle_format import BundleWriter
from core.search.embedder import Embedder
from core.store.assistants import stored
from core.store.blobs import BlobStore
from core.store.database import Database
from core.store.library import Library
from core.store.replica import Replica
from core.store.vectors import VectorStore
from core.types import BundleProgress, BundleReport, BundleStage, DocumentStatus

BATCH = 32
"""Documents read from the database (and their vectors from LanceDB) at a time."""
OWN_COLUMNS = ("id", "name", "created_at", "owner_id", "visibility", "personal")
"""Columns of `knowledge_bases` that belong to this installation; every other column is
the knowledge base's own settings (description, prompt, …) and travels in the bundle."""


@dataclass(frozen=True, slots=True)
class KbSource:
    """The open stores one export reads from."""

    db: Database
    library: Library
    replica: Replica
    vectors: VectorStore
    embedder: Embedder
    blobs: BlobStore


def settings_columns(db: Database) -> list[str]:
    """The columns of `knowledge_bases` that hold a knowledge base's own settings."""
    columns = [str(r[1]) for r in db.query("PRAGMA table_info(knowledge_bases)")]
    return [c for c in columns if c not in OWN_COLUMNS]


def kb_settings(db: Database, kb_id: int) -> dict[str, Any]:
    """The knowledge base's own settings, by column (none until a migration adds some)."""
    columns = settings_columns(db)
    if not columns:
        return {}
    listed = ", ".join(f'"{c}"' for c in columns)
    row = db.query(f"SELECT {listed} FROM knowledge_bases WHERE id = ?", (kb_id,))[0]
    return dict(zip(columns, row, strict=True))


def write_kb(
    out: BinaryIO,
    passphrase: str,
    stores: KbSource,
    kb_id: int,
    name: str,
    cancel: threading.Event | None = None,
) -> Iterator[BundleProgress]:
    """Write knowledge base `kb_id` into `out`; the last event is FINISHED with the report.

    On cancel the report says so and the bundle is left unfinished (the caller drops it).
    """
    doc_ids = [d.id for d in stores.library.documents(kb_id) if d.status is DocumentStatus.INDEXED]
    writer = BundleWriter(out, passphrase)
    embedder = stores.embedder
    writer.json(
        b"K",
        {
            "name": name,
            "settings": kb_settings(stores.db, kb_id),
            "assistant": stored(stores.db, kb_id),
            "embedder": embedder.name,
            "dim": embedder.dim,
            "documents": len(doc_ids),
            "exported_at": time.time(),
        },
    )
    done = chunks = 0
    for start in range(0, len(doc_ids), BATCH):
        if cancel is not None and cancel.is_set():
            report = BundleReport(name, done, chunks, cancelled=True)
            yield BundleProgress(BundleStage.FINISHED, done=done, total=len(doc_ids), report=report)
            return
        found = stores.replica.export(kb_id, doc_ids[start : start + BATCH])
        current = [c.id for d in found if d.embedder == embedder.name for c in d.chunks]
        vectors = stores.vectors.vectors_of(current)
        for doc in found:
            have = doc.embedder == embedder.name and all(c.id in vectors for c in doc.chunks)
            original = stores.blobs.get(doc.blob_id) if doc.blob_id else b""
            writer.json(
                b"D",
                {**doc.wire(), "vectors": have, "original": bool(doc.blob_id)},
            )
            if have:
                stacked = np.stack([vectors[c.id] for c in doc.chunks]).astype("<f4")
                writer.record(b"V", stacked.tobytes())
            if doc.blob_id:
                writer.record(b"O", original)
            done += 1
            chunks += len(doc.chunks)
            yield BundleProgress(BundleStage.DOCUMENT, doc.name, done, len(doc_ids))
    writer.json(b"E", {"documents": done})
    writer.finish()
    report = BundleReport(name, done, chunks)
    yield BundleProgress(BundleStage.FINISHED, done=done, total=len(doc_ids), report=report)
