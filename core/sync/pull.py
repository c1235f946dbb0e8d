"""Bring one local copy of a server's knowledge base up to the server's version.

The server keeps a change log per knowledge base (`kb_changes`): each document's latest
change after the copy's version is listed, oldest first, a page at a time. Removals are
applied, then the added and changed documents are fetched in batches — chunks, vectors
(unrotated by the server, rotated here under this computer's secret) and the original —
and written the way an ingest writes them (blob, vectors, then rows in one transaction).
Every copied document records the server's id and version, so a sync cut off anywhere
(kill -9 included) resumes by skipping what it already holds: no duplicates, nothing
fetched twice. The copy's version advances only after a whole page is written.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from core.errors import ServerRefused
from core.ingest.chunking import ChunkDraft
from core.search.embedder import Embedder
from core.store.blobs import BlobStore
from core.store.library import Library, NewDocument
from core.store.replica import MirrorRow, Replica
from core.store.vectors import VectorStore
from core.sync.client import ServerClient
from core.types import SyncProgress, SyncReport, SyncStage

log = logging.getLogger(__name__)

PAGE = 2000
"""Changes listed per request."""
BATCH = 32
"""Documents fetched per request and written per transaction."""


@dataclass(slots=True)
class _Tally:
    added: int = 0
    changed: int = 0
    removed: int = 0
    done: int = 0
    total: int = 0
    re_embedded: bool = False
    blobs: list[str] = field(default_factory=list)


class Pull:
    """One sync of one copy; iterate `run()` for progress."""

    def __init__(
        self,
        client: ServerClient,
        replica: Replica,
        library: Library,
        vectors: VectorStore,
        embedder: Embedder,
        blobs: BlobStore,
    ) -> None:
        self.client, self.replica, self.library = client, replica, library
        self.vectors, self.embedder, self.blobs = vectors, embedder, blobs

    def run(
        self, mirror: MirrorRow, label: str, cancel: threading.Event | None
    ) -> Iterator[SyncProgress]:
        """Yield progress; the last event is FINISHED with the report.

        Raises the client's errors (PermissionDenied/NotFound: no longer readable).
        """
        tally = _Tally()
        received = self.client.bytes_received
        origin = mirror.origin_id
        since = mirror.version
        cancelled = False
        try:
            while True:
                page = self.client.get(f"/api/sync/kbs/{origin}", since=since, limit=PAGE)
                # A new log (another KB by that id), or one behind the copy (the server's
                # data was restored from a backup): what is held is no guide, start over.
                if page["log"] != mirror.log_id or page["version"] < since:
                    self._clear(mirror.kb_id)
                    self.replica.update_mirror(mirror.kb_id, log_id=page["log"], version=0)
                    mirror = self.replica.mirror(mirror.kb_id) or mirror
                    since = 0
                    if page["since"] != 0:
                        continue
                changes = page["changes"]
                held = self.replica.copies(mirror.kb_id)
                gone = [c for c in changes if c["change"] == "removed" and c["document"] in held]
                wanted = [
                    c
                    for c in changes
                    if c["change"] != "removed"
                    and held.get(c["document"], (0, 0))[1] < c["version"]
                ]
                tally.total = tally.done + len(gone) + len(wanted)
                yield SyncProgress(label, SyncStage.LISTED, tally.done, tally.total)
                if gone:
                    doc_ids = [held[c["document"]][0] for c in gone]
                    self.vectors.delete(self.library.remove_documents(doc_ids))
                    tally.removed += len(gone)
                    tally.done += len(gone)
                for start in range(0, len(wanted), BATCH):
                    if cancel is not None and cancel.is_set():
                        cancelled = True
                        break
                    batch = wanted[start : start + BATCH]
                    try:
                        yield from self._fetch(mirror.kb_id, origin, batch, held, label, tally)
                    except (LookupError, TypeError, ValueError) as exc:  # binascii.Error too
                        raise ServerRefused(
                            "server_answer_broken", url=self.client.url, detail=repr(exc)[:200]
                        ) from None
                if cancelled:
                    break
                since = page["version"] if not page["more"] else changes[-1]["version"]
                self.replica.update_mirror(mirror.kb_id, version=since)
                if not page["more"]:
                    break
            if tally.added or tally.changed or tally.removed:
                self.vectors.compact()
                self.vectors.ensure_index()
        finally:
            self.blobs.settle(tally.blobs)
        self.blobs.prune(self.library.blob_ids())
        report = SyncReport(
            label,
            tally.added,
            tally.changed,
            tally.removed,
            self.client.bytes_received - received,
            since,
            tally.re_embedded,
            cancelled=cancelled,
        )
        yield SyncProgress(label, SyncStage.FINISHED, tally.done, tally.done, report=report)

    def _fetch(
        self,
        kb_id: int,
        origin: int,
        batch: list[dict[str, int]],
        held: dict[int, tuple[int, int]],
        label: str,
        tally: _Tally,
    ) -> Iterator[SyncProgress]:
        """Fetch a batch of documents and write them in one transaction."""
        ids = [c["document"] for c in batch]
        answer = self.client.post(f"/api/sync/kbs/{origin}/documents", {"ids": ids})
        same_space = answer["embedder"] == self.embedder.name and answer["dim"] == self.embedder.dim
        docs: list[NewDocument] = []
        vectors: list[npt.NDArray[np.float32]] = []
        for item in answer["documents"]:
            inline = item.get("original")
            original = (
                base64.b64decode(inline)
                if inline
                else self.client.content(f"/api/documents/{item['id']}/original")
            )
            blob_id = self.blobs.put(original)
            tally.blobs.append(blob_id)
            drafts = tuple(ChunkDraft(*c) for c in item["chunks"])
            if same_space:
                vectors.append(_vectors(item["vectors"], len(drafts), answer["dim"]))
            else:
                tally.re_embedded = True
                vectors.append(self.embedder.embed_passages([d.embedding_text for d in drafts]))
            docs.append(
                NewDocument(
                    kb_id,
                    item["source"],
                    item["name"],
                    item["kind"],
                    item["content_hash"],
                    item["size"],
                    item["pages"],
                    self.embedder.name,
                    tuple((0, d) for d in drafts),
                    blob_id,
                    origin=(item["id"], item["version"]),
                )
            )
        reused = [  # the server gave a removed document's id to a new one
            held[d.origin[0]][0]
            for d in docs
            if d.origin[0] in held and self._row_of(d) != held[d.origin[0]][0]
        ]
        if reused:
            self.vectors.delete(self.library.remove_documents(reused))
        if docs:
            self._write(docs, vectors)
        for doc in docs:
            if doc.origin[0] in held:
                tally.changed += 1
            else:
                tally.added += 1
            tally.done += 1
            yield SyncProgress(
                label, SyncStage.DOCUMENT, tally.done, tally.total, document=doc.name
            )

    def _write(self, docs: list[NewDocument], vectors: list[npt.NDArray[np.float32]]) -> None:
        """Vectors first, then the rows in one transaction (the ingest's order)."""
        count = sum(len(d.chunks) for d in docs)
        next_id = self.library.reserve_chunk_ids(count)
        numbered, ids, kb_ids = [], [], []
        for doc in docs:
            chunks = tuple((next_id + i, c) for i, (_, c) in enumerate(doc.chunks))
            next_id += len(chunks)
            numbered.append(replace(doc, chunks=chunks))
            ids += [cid for cid, _ in chunks]
            kb_ids += [doc.kb_id] * len(chunks)
        if ids:
            self.vectors.add(ids, kb_ids, np.concatenate(vectors))
        try:
            replaced = self.library.save_documents(numbered)
        except BaseException:
            self.vectors.delete(ids)
            raise
        self.vectors.delete(replaced)

    def _row_of(self, doc: NewDocument) -> int:
        """The local id of the row `doc` will replace (0: it will be a new row)."""
        record = self.library.document_record(doc.kb_id, doc.source)
        return record.id if record is not None else 0

    def _clear(self, kb_id: int) -> None:
        """Empty the copy (its server made a new log: another knowledge base by that id)."""
        held = [local for local, _ in self.replica.copies(kb_id).values()]
        if held:
            self.vectors.delete(self.library.remove_documents(held))


def _vectors(encoded: str, rows: int, dim: int) -> npt.NDArray[np.float32]:
    """The server's little-endian float32 vectors, shape (rows, dim)."""
    flat = np.frombuffer(base64.b64decode(encoded), dtype="<f4")
    if flat.size != rows * dim:
        raise ValueError(f"{flat.size} numbers for {rows} vectors of {dim}")
    return flat.reshape(rows, dim).astype(np.float32)


def encode_vectors(vectors: npt.NDArray[np.float32]) -> str:
    """Vectors as the server sends them: little-endian float32, base64."""
    return base64.b64encode(np.ascontiguousarray(vectors, dtype="<f4").tobytes()).decode()
