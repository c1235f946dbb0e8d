"""One ingest run: walk sources, skip unchanged, parse, chunk, embed, store, remove vanished.

The next files are parsed ahead (ahead.py) while this one is embedded; all else happens
on the ingest thread in file order, so events, failures and writes keep that order.
Write order per batch: the encrypted original (blob) as each file is parsed, then reserve
chunk ids, add vectors to LanceDB, commit rows to SQLCipher, drop the replaced vectors.
A crash at any point leaves at worst vectors or blobs without rows, which `reconcile`
deletes on the next start; a committed document always has its vectors and its blob.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from core.errors import FileRejected
from core.i18n import N_
from core.ingest.ahead import Checked, Job, ParseAhead
from core.ingest.chunking import Chunker
from core.ingest.document import FileParser, ParseCancelled
from core.ingest.pace import Pace
from core.ingest.readable import (
    CHARS_PER_TOKEN,
    CHARS_PER_TOKEN_MAX,
    too_many_tokens,
    unreadable_reason,
)
from core.ingest.sources import Rejected, Root, SourceFile, too_large, walk
from core.search.embedder import Embedder
from core.store.blobs import BlobStore
from core.store.library import Library, NewDocument
from core.store.vectors import VectorStore
from core.types import IngestProgress, IngestReport, IngestStage, Upload

log = logging.getLogger(__name__)

WITHDRAWN = frozenset({"file_link_outside", "file_special", "file_own_data"})
"""Refusals that also remove an indexed version of the source: it should never have
been read (a link planted before the walk refused them, say), so it is not kept."""
BATCH_CHUNKS = 512
BATCH_FILES = 32
EMBED_BATCH = 32
"""Chunks embedded between two progress events (and cancel checks) inside one file."""

_UNREADABLE = {  # unreadable_reason() -> the message that says so
    "repeated": N_("file_unreadable_repeated"),
    "encoded": N_("file_unreadable_encoded"),
    "no_words": N_("file_unreadable_no_words"),
}


@dataclass(slots=True)
class _Prepared:
    doc: NewDocument
    vectors: np.ndarray


@dataclass(slots=True)
class _Tally:
    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    chunks: int = 0
    done: int = 0
    pace: Pace = field(default_factory=lambda: Pace(0))
    batch: list[_Prepared] = field(default_factory=list)
    blobs: list[str] = field(default_factory=list)
    """Originals this run stored, fresh until the run ends (see BlobStore.settle)."""

    def batch_chunks(self) -> int:
        return sum(len(p.doc.chunks) for p in self.batch)


class IngestRun:
    """Ingests paths into one knowledge base; iterate `run()` for progress."""

    def __init__(
        self,
        library: Library,
        vectors: VectorStore,
        embedder: Embedder,
        parser: FileParser,
        chunker: Chunker,
        max_bytes: int,
        blobs: BlobStore,
        max_tokens: int = 1_000_000,
        private: Sequence[Path] = (),
    ) -> None:
        self.library, self.vectors, self.embedder, self.blobs = library, vectors, embedder, blobs
        self.parser, self.chunker, self.max_bytes = parser, chunker, max_bytes
        self.max_tokens = max_tokens
        self.private = tuple(private)
        """Konspekt's own data (data folder, key file, backups): skipped by every walk."""

    def run(
        self, paths: Sequence[Path | Upload], kb_id: int, cancel: threading.Event | None = None
    ) -> Iterator[IngestProgress]:
        """Yield progress events; the last one is FINISHED with the totals.

        Cancel is honoured between files, between embedding batches inside a file and
        in the middle of a parse; files committed before it stay indexed.
        """
        entries = list(walk(paths, self.max_bytes, self.private))
        files = [e for e in entries if isinstance(e, SourceFile | Rejected)]
        roots = [e.prefix for e in entries if isinstance(e, Root)]
        total = len(files)
        tally = _Tally(pace=Pace(sum(e.size for e in files if isinstance(e, SourceFile))))
        ahead = ParseAhead(
            self.parser, lambda i: self._check(files[i], kb_id), total, lambda: _is_set(cancel)
        )
        try:
            yield IngestProgress(IngestStage.SCANNED, total=total)
            for index, entry in enumerate(files):
                if _is_set(cancel):
                    break
                if isinstance(entry, Rejected):
                    if entry.error.key in WITHDRAWN:
                        self._withdraw(tally, kb_id, entry.source)
                    yield self._fail(
                        tally, kb_id, entry.source, entry.source, 0, entry.error, total
                    )
                    continue
                checked = ahead.take(index)
                prepared = yield from self._process(entry, checked, kb_id, tally, total, cancel)
                if prepared is not None:
                    tally.batch.append(prepared)
                if len(tally.batch) >= BATCH_FILES or tally.batch_chunks() >= BATCH_CHUNKS:
                    yield from self._flush(tally, total)
            cancelled = _is_set(cancel)
            yield from self._flush(tally, total)  # files fully embedded are kept, even on cancel
            if not cancelled:
                seen = {e.source for e in files}
                yield from self._remove_vanished(tally, kb_id, roots, seen, total)
            if tally.indexed or tally.removed:  # a rescan that found nothing new costs no rewrite
                self.vectors.compact()
                self.vectors.ensure_index()
        finally:
            ahead.close()  # a cancelled or abandoned run stops the parse under way
            self.blobs.settle(tally.blobs)
        self.blobs.prune(self.library.blob_ids())  # replaced, removed and cancelled files
        report = IngestReport(
            tally.indexed, tally.skipped, tally.failed, tally.removed, tally.chunks, cancelled
        )
        yield IngestProgress(
            IngestStage.FINISHED, done=tally.done, total=total, chunks=tally.chunks, report=report
        )

    def _process(
        self,
        entry: SourceFile,
        checked: Checked,
        kb_id: int,
        tally: _Tally,
        total: int,
        cancel: threading.Event | None,
    ) -> Generator[IngestProgress, None, _Prepared | None]:
        """Parse, chunk and embed one file; returns it ready to store, or None."""
        try:
            doc = self._build(entry, kb_id, checked)
            if doc is None:
                tally.skipped += 1
                tally.done += 1
                tally.pace.drop(entry.size)
                yield IngestProgress(IngestStage.SKIPPED, entry.source, tally.done, total)
                return None
            tally.blobs.append(doc.blob_id)
            drafts = [d for _, d in doc.chunks]
            # Shortest first: each call's texts are of similar length, so the embedder pads
            # little (the file's order is restored below).
            order = sorted(range(len(drafts)), key=lambda i: drafts[i].tokens)
            vectors = np.empty((len(drafts), self.embedder.dim), dtype=np.float32)
            for start in range(0, len(order), EMBED_BATCH):
                if _is_set(cancel):
                    return None
                batch = order[start : start + EMBED_BATCH]
                vectors[batch] = self.embedder.embed_passages(
                    [drafts[i].embedding_text for i in batch]
                )
                embedded = start + len(batch)
                tokens = sum(drafts[i].tokens for i in batch)
                tally.pace.embedded(entry.size, embedded / len(drafts), tokens)
                yield IngestProgress(
                    IngestStage.EMBEDDING,
                    entry.source,
                    tally.done,
                    total,
                    chunks=embedded,
                    file_chunks=len(drafts),
                    tokens_per_second=tally.pace.rate(),
                    seconds_left=tally.pace.seconds_left(),
                )
            tally.pace.file_done(entry.size)
            return _Prepared(doc, vectors)
        except ParseCancelled:
            return None  # the run is cancelled: this file is neither failed nor indexed
        except FileRejected as exc:
            yield self._fail(tally, kb_id, entry.source, entry.name, entry.size, exc, total)
        except Exception as exc:  # a parser bug must not sink the batch
            log.exception("unexpected failure on a file (kind %s)", type(exc).__name__)
            error = FileRejected(
                "file_unreadable", name=entry.source, detail=f"internal error {type(exc).__name__}"
            )
            yield self._fail(tally, kb_id, entry.source, entry.name, entry.size, error, total)
        return None

    def _check(self, entry: SourceFile | Rejected, kb_id: int) -> Job | None:
        """The file read, to be parsed; None when unchanged since last time (or refused)."""
        if isinstance(entry, Rejected):
            return None  # refused by the walk, reported at its turn
        if entry.size > self.max_bytes:
            raise too_large(entry.source, entry.size, self.max_bytes)
        record = self.library.document_record(kb_id, entry.source)
        current = (
            record is not None
            and record.status == "indexed"
            and record.embedder == self.embedder.name
        )
        if current and entry.stamp and record is not None and record.stamp == entry.stamp:
            return None  # same size and time (or zip CRC): not even read
        data = entry.read()
        if len(data) > self.max_bytes:
            raise too_large(entry.source, len(data), self.max_bytes)
        if not data.strip():
            raise FileRejected("file_empty", name=entry.source)
        digest = hashlib.sha256(data).hexdigest()
        if current and record is not None and record.content_hash == digest:
            if entry.stamp != record.stamp:  # touched, not changed: skip the read next time
                self.library.set_stamp(record.id, entry.stamp)
            return None
        return Job(entry.name, entry.source, data, digest)

    def _build(self, entry: SourceFile, kb_id: int, checked: Checked) -> NewDocument | None:
        """The file as chunks awaiting ids, once parsed; None when it is unchanged."""
        if isinstance(checked, Exception):
            raise checked
        if checked is None:
            return None
        data, digest = checked.job.data, checked.job.digest
        parsed = checked.parsed.result()
        reason = unreadable_reason(parsed.blocks)
        if reason:
            raise FileRejected(_UNREADABLE[reason], name=entry.source)
        chars = sum(len(b.text) + sum(map(len, b.rows)) for b in parsed.blocks)
        if chars > self.max_tokens * CHARS_PER_TOKEN_MAX:  # over for sure: not tokenized
            raise too_many_tokens(entry.source, chars // CHARS_PER_TOKEN, self.max_tokens)
        drafts = self.chunker.split(parsed.blocks)
        if not drafts:
            raise FileRejected("file_no_text", name=entry.source)
        tokens = sum(d.tokens for d in drafts)
        if tokens > self.max_tokens:
            raise too_many_tokens(entry.source, tokens, self.max_tokens)
        return NewDocument(
            kb_id,
            entry.source,
            entry.name,
            parsed.kind,
            digest,
            len(data),
            parsed.pages,
            self.embedder.name,
            tuple((0, d) for d in drafts),
            self.blobs.put(data),
            entry.stamp,
        )

    def _flush(self, tally: _Tally, total: int) -> Iterator[IngestProgress]:
        batch, tally.batch = tally.batch, []
        if not batch:
            return
        count = sum(len(p.doc.chunks) for p in batch)
        next_id = self.library.reserve_chunk_ids(count)
        docs, ids, kb_ids = [], [], []
        for p in batch:
            numbered = tuple((next_id + i, d) for i, (_, d) in enumerate(p.doc.chunks))
            next_id += len(numbered)
            docs.append(replace(p.doc, chunks=numbered))
            ids += [cid for cid, _ in numbered]
            kb_ids += [p.doc.kb_id] * len(numbered)
        self.vectors.add(ids, kb_ids, np.concatenate([p.vectors for p in batch]))
        try:
            replaced = self.library.save_documents(docs)
        except BaseException:
            self.vectors.delete(ids)
            raise
        self.vectors.delete(replaced)
        for doc in docs:
            tally.indexed += 1
            tally.done += 1
            tally.chunks += len(doc.chunks)
            yield IngestProgress(
                IngestStage.INDEXED,
                doc.source,
                tally.done,
                total,
                chunks=len(doc.chunks),
                tokens_per_second=tally.pace.rate(),
                seconds_left=tally.pace.seconds_left(),
            )

    def _withdraw(self, tally: _Tally, kb_id: int, source: str) -> None:
        """Remove the indexed version of `source`, if there is one."""
        record = self.library.document_record(kb_id, source)
        if record is not None and record.status == "indexed":
            self.vectors.delete(self.library.remove_documents([record.id]))
            tally.removed += 1

    def _remove_vanished(
        self, tally: _Tally, kb_id: int, roots: list[str], seen: set[str], total: int
    ) -> Iterator[IngestProgress]:
        for prefix in roots:
            gone = {
                s: i for s, i in self.library.sources_under(kb_id, prefix).items() if s not in seen
            }
            if not gone:
                continue
            self.vectors.delete(self.library.remove_documents(list(gone.values())))
            for source in gone:
                tally.removed += 1
                yield IngestProgress(IngestStage.REMOVED, source, tally.done, total)

    def _fail(
        self,
        tally: _Tally,
        kb_id: int,
        source: str,
        name: str,
        size: int,
        error: FileRejected,
        total: int,
    ) -> IngestProgress:
        tally.failed += 1
        tally.done += 1
        tally.pace.drop(size)
        if error.key != "path_missing":  # nothing to list for a path that does not exist
            self.library.save_failure(kb_id, source, name, size, error.key, error.params)
        return IngestProgress(
            IngestStage.FAILED,
            source,
            tally.done,
            total,
            message=str(error),
            error_key=error.key,
            error_params=tuple((k, str(v)) for k, v in error.params.items()),
        )


def _is_set(event: threading.Event | None) -> bool:
    return event is not None and event.is_set()
