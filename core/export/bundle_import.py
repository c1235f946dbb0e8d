"""A bundle into this installation as a new knowledge base: all of it, or nothing.

Originals go into the blob store as they are read (fresh, so no prune takes them);
chunks and vectors are held until the bundle's last byte has been authenticated. Then
one write transaction creates the knowledge base, its documents and chunks (keyword
terms rebuilt) and its audit entry, with the vectors added just before the commit. A
wrong byte, a cancel or any failure leaves no row, no vector and no blob behind.
Vectors made by another embedder than this installation's are re-embedded.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from core.export.bundle_export import settings_columns
from core.export.bundle_format import BundleDamaged, BundleReader
from core.identity import User
from core.ingest.chunking import ChunkDraft
from core.search.embedder import Embedder
from core.security import audit
from core.security.access import PERSONAL_PREFIX
from core.store.assistants import FIELDS, store, validated
from core.store.blobs import BlobStore
from core.store.database import Connection, Database
from core.store.library import Library, NewDocument
from core.store.vectors import VectorStore
from core.types import Assistant, BundleProgress, BundleReport, BundleStage

EMBED_BATCH = 32
"""Chunks re-embedded between two progress events (and cancel checks)."""


@dataclass(frozen=True, slots=True)
class KbTarget:
    """The open stores one import writes into."""

    db: Database
    library: Library
    vectors: VectorStore
    embedder: Embedder
    blobs: BlobStore


@dataclass(slots=True)
class _Read:
    head: dict[str, Any]
    docs: list[NewDocument] = field(default_factory=list)
    vectors: list[npt.NDArray[np.float32]] = field(default_factory=list)
    blobs: list[str] = field(default_factory=list)
    re_embedded: bool = False
    cancelled: bool = False

    @property
    def chunks(self) -> int:
        return sum(len(d.chunks) for d in self.docs)


class _Cancelled(Exception):
    """Raised inside the reading loop when the user stopped the import."""


def read_kb(
    reader: BundleReader,
    target: KbTarget,
    user: User,
    cancel: threading.Event | None = None,
) -> Iterator[BundleProgress]:
    """Import the bundle as a new knowledge base owned by `user` (already checked).

    The last event is FINISHED with the report (its `kb`: the name given here).

    Raises:
        BundleDamaged: a byte was changed or the bundle is cut off; nothing was imported.
    """
    read: _Read | None = None
    try:
        records = reader.records()
        kind, payload = next(records, (b"", b""))
        if kind != b"K":
            raise BundleDamaged("bundle_damaged", path=reader.name)
        read = _Read(_json(payload, reader.name))
        assistant = _assistant(read.head, reader.name)  # refused before any document is read
        try:
            yield from _documents(records, read, target, reader.name, cancel)
        except _Cancelled:
            read.cancelled = True
        if read.cancelled:
            report = BundleReport(str(read.head["name"]), cancelled=True)
            yield BundleProgress(BundleStage.FINISHED, report=report)
            return
        name = _commit(read, target, user, assistant)
    finally:
        if read is not None:
            target.blobs.settle(read.blobs)
        target.blobs.prune(target.library.blob_ids())  # nothing of a failed import stays
    report = BundleReport(name, len(read.docs), read.chunks, read.re_embedded)
    yield BundleProgress(
        BundleStage.FINISHED, done=len(read.docs), total=len(read.docs), report=report
    )


def _documents(
    records: Iterator[tuple[bytes, bytes]],
    read: _Read,
    target: KbTarget,
    path: str,
    cancel: threading.Event | None,
) -> Iterator[BundleProgress]:
    """Read every document record (D, then V and O as announced) up to the end record."""
    embedder = target.embedder
    try:
        total = int(read.head["documents"])
        same_space = (
            read.head["embedder"] == embedder.name and int(read.head["dim"]) == embedder.dim
        )
        for kind, payload in records:
            if kind == b"E":
                if int(_json(payload, path)["documents"]) != len(read.docs):
                    break
                if next(records, None) is None:  # nothing may follow the end record
                    return
                break
            if kind != b"D":
                break
            meta = _json(payload, path)
            drafts = tuple(ChunkDraft(*c) for c in meta["chunks"])
            stored = _expect(records, b"V", path) if meta["vectors"] else None
            original = _expect(records, b"O", path) if meta["original"] else b""
            if stored is not None and same_space:
                vectors = np.frombuffer(stored, dtype="<f4").reshape(len(drafts), embedder.dim)
            else:
                read.re_embedded = True
                vectors = yield from _embed(embedder, drafts, meta["name"], read, total, cancel)
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            blob_id = target.blobs.put(original) if meta["original"] else ""
            if blob_id:
                read.blobs.append(blob_id)
            read.docs.append(
                NewDocument(
                    0,
                    str(meta["source"]),
                    str(meta["name"]),
                    str(meta["kind"]),
                    str(meta["content_hash"]),
                    int(meta["size"]),
                    int(meta["pages"]),
                    embedder.name,
                    tuple((0, d) for d in drafts),
                    blob_id,
                )
            )
            read.vectors.append(np.asarray(vectors, dtype=np.float32))
            yield BundleProgress(BundleStage.DOCUMENT, str(meta["name"]), len(read.docs), total)
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleDamaged("bundle_damaged", path=path) from exc
    raise BundleDamaged("bundle_damaged", path=path)


def _embed(
    embedder: Embedder,
    drafts: tuple[ChunkDraft, ...],
    name: str,
    read: _Read,
    total: int,
    cancel: threading.Event | None,
) -> Generator[BundleProgress, None, npt.NDArray[np.float32]]:
    """Embed a document's chunks here (the bundle's vectors are another embedder's)."""
    texts = [d.embedding_text for d in drafts]
    parts: list[npt.NDArray[np.float32]] = []
    for start in range(0, len(texts), EMBED_BATCH):
        if cancel is not None and cancel.is_set():
            raise _Cancelled
        parts.append(embedder.embed_passages(texts[start : start + EMBED_BATCH]))
        done = start + len(parts[-1])
        yield BundleProgress(
            BundleStage.EMBEDDING, name, len(read.docs), total, chunks=done, file_chunks=len(texts)
        )
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)


def _commit(read: _Read, target: KbTarget, user: User, assistant: Assistant | None) -> str:
    """Create the knowledge base with everything read, in one transaction; its name."""
    first = target.library.reserve_chunk_ids(read.chunks) if read.chunks else 0
    ids = list(range(first, first + read.chunks))
    added = False
    try:
        with target.db.write() as con:
            name = _free_name(con, str(read.head["name"]))
            kb_id = int(
                con.execute(
                    "INSERT INTO knowledge_bases (name, created_at, owner_id, personal) "
                    "VALUES (?, ?, ?, 0) RETURNING id",
                    (name, time.time(), user.id),
                ).fetchone()[0]
            )
            _apply_settings(con, target.db, kb_id, read.head.get("settings") or {})
            if assistant is not None:
                store(con, kb_id, assistant, user.id, time.time())
            docs, next_id = [], first
            for doc in read.docs:
                numbered = tuple((next_id + i, d) for i, (_, d) in enumerate(doc.chunks))
                next_id += len(numbered)
                docs.append(replace(doc, kb_id=kb_id, chunks=numbered))
            if ids:
                target.vectors.add(ids, [kb_id] * len(ids), np.concatenate(read.vectors))
                added = True
            target.library.write_documents(con, docs)
            audit.record(
                con, user, "kb_imported", name, documents=len(docs), re_embedded=read.re_embedded
            )
    except BaseException:
        if added:
            target.vectors.delete(ids)
            target.vectors.compact()
        raise
    target.vectors.compact()
    target.vectors.ensure_index()
    return name


def _free_name(con: Connection, wanted: str) -> str:
    """`wanted`, or 'wanted (2)', 'wanted (3)'… when this installation has that name."""
    base = wanted.strip().lstrip(PERSONAL_PREFIX).strip()[:90] or "Imported"
    taken = {str(r[0]).casefold() for r in con.execute("SELECT name FROM knowledge_bases")}
    name, n = base, 2
    while name.casefold() in taken:
        name, n = f"{base} ({n})", n + 1
    return name


def _apply_settings(con: Connection, db: Database, kb_id: int, values: dict[str, Any]) -> None:
    """Set the bundle's knowledge-base settings that this installation has columns for."""
    known = set(settings_columns(db))
    for column, value in values.items():
        if column in known and isinstance(value, str | int | float | type(None)):
            con.execute(f'UPDATE knowledge_bases SET "{column}" = ? WHERE id = ?', (value, kb_id))


def _assistant(head: dict[str, Any], path: str) -> Assistant | None:
    """The bundle's assistant, checked like one an editor saves (None if it has none)."""
    values = head.get("assistant")
    if values is None:
        return None
    if not isinstance(values, dict) or set(values) != set(FIELDS):
        raise BundleDamaged("bundle_damaged", path=path)
    try:
        return validated(Assistant(str(head["name"]), **values))
    except TypeError:
        raise BundleDamaged("bundle_damaged", path=path) from None


def _expect(records: Iterator[tuple[bytes, bytes]], kind: bytes, path: str) -> bytes:
    found = next(records, None)
    if found is None or found[0] != kind:
        raise BundleDamaged("bundle_damaged", path=path)
    return found[1]


def _json(payload: bytes, path: str) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except ValueError:
        raise BundleDamaged("bundle_damaged", path=path) from None
    if not isinstance(value, dict):
        raise BundleDamaged("bundle_damaged", path=path)
    return value
