"""SQL for knowledge bases, documents and chunks (text and keyword terms)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from core.errors import NotFound
from core.store import postings
from core.store.database import Connection, Database, Row
from core.store.navigation import is_navigation
from core.types import Document, DocumentStatus, Location


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What an ingest run needs to know about a stored document."""

    id: int
    content_hash: str
    status: str
    embedder: str
    stamp: str = ""


class _ChunkText(Protocol):
    """What the library stores of a chunk; core.ingest.chunking.ChunkDraft is one.

    Declared here rather than imported so that the store stays below ingest.
    """

    @property
    def ordinal(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def page(self) -> int | None: ...
    @property
    def page_label(self) -> str: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...
    @property
    def tokens(self) -> int: ...
    @property
    def embedding_text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A parsed, chunked, embedded file ready to be written."""

    kb_id: int
    source: str
    name: str
    kind: str
    content_hash: str
    size: int
    pages: int
    embedder: str
    chunks: tuple[tuple[int, _ChunkText], ...]
    blob_id: str = ""
    stamp: str = ""
    origin: tuple[int, int] = (0, 0)
    """(id, version) of the team server's document this is a copy of; (0, 0) if local."""


@dataclass(frozen=True, slots=True)
class ChunkRow:
    """A stored chunk with its document, for search results."""

    id: int
    document_id: int
    document: str
    source: str
    text: str
    location: Location
    navigation: bool = False
    """A table of contents, index, link list or legal notice (see navigation.py)."""


class Library:
    """Reads and writes of the document tables; writes take the database's writer lock."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Knowledge bases -------------------------------------------------------------
    def delete_kb(self, con: Connection, kb_id: int) -> tuple[list[int], int]:
        """Delete a knowledge base's rows inside the caller's write transaction.

        The caller records the audit entry on the same connection, so the deletion and
        its record commit together. Returns the removed chunk ids and the document count.
        """
        documents = con.execute("SELECT count(*) FROM documents WHERE kb_id = ?", (kb_id,))
        n_documents = int(documents.fetchone()[0])
        removed = [r[0] for r in con.execute("SELECT id FROM chunks WHERE kb_id = ?", (kb_id,))]
        postings.remove_kb(con, kb_id, len(removed))
        con.execute("DELETE FROM chunks WHERE kb_id = ?", (kb_id,))
        con.execute("DELETE FROM documents WHERE kb_id = ?", (kb_id,))
        con.execute("DELETE FROM knowledge_bases WHERE id = ?", (kb_id,))
        return removed, n_documents

    # Documents -------------------------------------------------------------------
    def document_record(self, kb_id: int, source: str) -> DocumentRecord | None:
        """The stored state of `source` in the KB, if any."""
        rows = self.db.query(
            "SELECT id, content_hash, status, embedder, stamp FROM documents "
            "WHERE kb_id = ? AND source = ?",
            (kb_id, source),
        )
        return DocumentRecord(*rows[0]) if rows else None

    def set_stamp(self, doc_id: int, stamp: str) -> None:
        """Remember the stamp of a file whose content was found unchanged."""
        with self.db.write() as con:
            con.execute("UPDATE documents SET stamp = ? WHERE id = ?", (stamp, doc_id))

    def documents(self, kb_id: int) -> list[Document]:
        """The documents of a KB, by name."""
        rows = self.db.query(
            "SELECT id, kb_id, source, name, kind, status, chunk_count, pages, error_key, "
            "error_params FROM documents WHERE kb_id = ? ORDER BY name, source",
            (kb_id,),
        )
        return [
            Document(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                DocumentStatus(r[5]),
                r[6],
                r[7],
                r[8],
                tuple(json.loads(r[9]).items()),
            )
            for r in rows
        ]

    def sources_under(self, kb_id: int, prefix: str) -> dict[str, int]:
        """Source -> document id for every document whose source starts with `prefix`."""
        rows = self.db.query(
            "SELECT source, id FROM documents WHERE kb_id = ? AND substr(source, 1, ?) = ?",
            (kb_id, len(prefix), prefix),
        )
        return {r[0]: r[1] for r in rows}

    def reserve_chunk_ids(self, count: int) -> int:
        """Reserve `count` consecutive chunk ids and return the first.

        Reserved ids are never reused, so vectors written before their rows commit
        can always be told apart from live ones.
        """
        with self.db.write() as con:
            (last,) = con.execute(
                "UPDATE counters SET value = value + ? WHERE name = 'chunk_id' RETURNING value",
                (count,),
            ).fetchone()
        return int(last) - count + 1

    def save_documents(self, docs: Sequence[NewDocument]) -> list[int]:
        """Write documents and their chunks in one transaction; return replaced chunk ids.

        A re-indexed document keeps its id; only its chunks are replaced.
        """
        with self.db.write() as con:
            return self.write_documents(con, docs)

    def write_documents(self, con: Connection, docs: Sequence[NewDocument]) -> list[int]:
        """`save_documents` inside the caller's write transaction (an import's one)."""
        replaced: list[int] = []
        now = time.time()
        for doc in docs:
            row = con.execute(
                "SELECT id FROM documents WHERE kb_id = ? AND source = ?",
                (doc.kb_id, doc.source),
            ).fetchone()
            if row:
                replaced += _delete_chunks(con, [row[0]])
            values = (
                doc.kb_id,
                doc.source,
                doc.name,
                doc.kind,
                doc.content_hash,
                doc.size,
                doc.pages,
                len(doc.chunks),
                doc.embedder,
                now,
                doc.blob_id,
                doc.stamp,
                *doc.origin,
            )
            doc_id = con.execute(_UPSERT_INDEXED, values).fetchone()[0]
            _insert_chunks(con, doc_id, doc.kb_id, doc.chunks)
        return replaced

    def save_failure(
        self, kb_id: int, source: str, name: str, size: int, key: str, params: dict[str, Any]
    ) -> None:
        """Record why a file failed, unless an indexed version of it exists (kept as is)."""
        with self.db.write() as con:
            row = con.execute(
                "SELECT status FROM documents WHERE kb_id = ? AND source = ?", (kb_id, source)
            ).fetchone()
            if row and row[0] == DocumentStatus.INDEXED.value:
                return
            values = (kb_id, source, name, size, key, json.dumps(params, default=str), time.time())
            con.execute(_UPSERT_FAILED, values)

    def document_file(self, doc_id: int) -> tuple[int, str, str, str]:
        """(kb id, blob id, file name, kind) of a document, or NotFound."""
        rows = self.db.query(
            "SELECT kb_id, blob_id, name, kind FROM documents WHERE id = ?", (doc_id,)
        )
        if not rows:
            raise NotFound("document_missing", id=doc_id)
        return int(rows[0][0]), str(rows[0][1]), str(rows[0][2]), str(rows[0][3])

    def blob_ids(self) -> set[str]:
        """Every blob a document refers to."""
        return {r[0] for r in self.db.query("SELECT DISTINCT blob_id FROM documents") if r[0]}

    def data_secret(self) -> bytes:
        """The secret behind the vector rotation and the blob key (created by m002)."""
        return bytes.fromhex(
            self.db.query("SELECT value FROM settings WHERE key = 'data_secret'")[0][0]
        )

    def vector_generation(self) -> int:
        """How many times the data secret was renewed: names the vector table it is under."""
        rows = self.db.query("SELECT value FROM settings WHERE key = 'vector_generation'")
        return int(rows[0][0]) if rows else 0

    def renew_data_secret(self, secret: bytes, generation: int, blobs: dict[str, str]) -> None:
        """Switch to a new data secret, all in one transaction.

        Stores the secret, the vector generation copied under it, and each document's new
        blob id (`blobs` maps old -> new; '' for an original that could not be read).
        """
        with self.db.write() as con:
            con.execute("UPDATE settings SET value = ? WHERE key = 'data_secret'", (secret.hex(),))
            con.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES ('vector_generation', ?)",
                (str(generation),),
            )
            for old, new in blobs.items():
                con.execute("UPDATE documents SET blob_id = ? WHERE blob_id = ?", (new, old))

    def set_setting(self, key: str, value: str) -> None:
        """Store an internal value (inside the encrypted database)."""
        with self.db.write() as con:
            con.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def setting(self, key: str) -> str:
        """An internal value ('' if absent)."""
        rows = self.db.query("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else ""

    def pop_setting(self, key: str) -> str:
        """Read and delete an internal value ('' if absent)."""
        with self.db.write() as con:
            row = con.execute("DELETE FROM settings WHERE key = ? RETURNING value", (key,))
            found = row.fetchone()
        return str(found[0]) if found else ""

    def remove_documents(self, doc_ids: Sequence[int]) -> list[int]:
        """Delete documents with their chunks; return the removed chunk ids."""
        with self.db.write() as con:
            removed = _delete_chunks(con, doc_ids)
            con.executemany("DELETE FROM documents WHERE id = ?", [(i,) for i in doc_ids])
        return removed

    # Chunks ----------------------------------------------------------------------
    def chunk_rows(self, ids: Sequence[int], kb_ids: Sequence[int]) -> dict[int, ChunkRow]:
        """Chunks by id, with their document's name and source, if inside `kb_ids`."""
        if not ids or not kb_ids:
            return {}
        marks = ",".join("?" * len(ids))
        kb_marks = ",".join("?" * len(kb_ids))
        rows = self.db.query(
            "SELECT c.id, c.document_id, d.name, d.source, c.text, c.page, c.page_label, "
            "c.heading, c.navigation FROM chunks c JOIN documents d ON d.id = c.document_id "
            f"WHERE c.id IN ({marks}) AND c.kb_id IN ({kb_marks})",  # default deny, twice
            [*ids, *kb_ids],
        )
        return {
            r[0]: ChunkRow(r[0], r[1], r[2], r[3], r[4], Location(r[5], r[6], r[7]), bool(r[8]))
            for r in rows
        }

    def document_chunks(self, doc_id: int) -> list[tuple[int, str, Location]]:
        """(chunk id, text, location) of one document, in reading order."""
        rows = self.db.query(
            "SELECT id, text, page, page_label, heading FROM chunks "
            "WHERE document_id = ? ORDER BY ordinal",
            (doc_id,),
        )
        return [(r[0], r[1], Location(r[2], r[3], r[4])) for r in rows]

    def keyword_search(
        self, words: Sequence[str], kb_ids: Sequence[int], limit: int
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score, higher is better) of the best chunks of the KBs holding a word.

        `words` are stems (`keywords.query_terms`). Only the asked KBs' postings are read,
        so a small KB is never starved by a big one; the scores use the whole index's
        statistics, as FTS5's did before m017 (core/store/postings.py).
        """
        return postings.search(self.db.read(), words, kb_ids, limit)

    def chunk_ids_for_embedder(self, embedder: str) -> dict[int, int]:
        """Chunk id -> document id for chunks whose document was embedded by `embedder`."""
        rows = self.db.query(
            "SELECT c.id, c.document_id FROM chunks c JOIN documents d ON d.id = c.document_id "
            "WHERE d.embedder = ?",
            (embedder,),
        )
        return {r[0]: r[1] for r in rows}

    def mark_stale(self, doc_ids: Sequence[int]) -> None:
        """Force these documents to be re-indexed by the next ingest of their source."""
        with self.db.write() as con:
            con.executemany(
                "UPDATE documents SET content_hash = '' WHERE id = ?", [(i,) for i in doc_ids]
            )

    def chunk_count(self, kb_ids: Sequence[int]) -> int:
        """Chunks inside these knowledge bases."""
        if not kb_ids:
            return 0
        marks = ",".join("?" * len(kb_ids))
        return int(
            self.db.query(f"SELECT count(*) FROM chunks WHERE kb_id IN ({marks})", list(kb_ids))[0][
                0
            ]
        )


_UPSERT_INDEXED = """
    INSERT INTO documents (kb_id, source, name, kind, content_hash, size, status, pages,
                           chunk_count, embedder, indexed_at, blob_id, stamp, origin_id,
                           origin_version)
    VALUES (?, ?, ?, ?, ?, ?, 'indexed', ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (kb_id, source) DO UPDATE SET
        name = excluded.name, kind = excluded.kind, content_hash = excluded.content_hash,
        size = excluded.size, status = 'indexed', error_key = '', error_params = '{}',
        pages = excluded.pages, chunk_count = excluded.chunk_count,
        embedder = excluded.embedder, indexed_at = excluded.indexed_at,
        blob_id = excluded.blob_id, stamp = excluded.stamp,
        origin_id = excluded.origin_id, origin_version = excluded.origin_version
    RETURNING id
"""

_UPSERT_FAILED = """
    INSERT INTO documents (kb_id, source, name, kind, content_hash, size, status, error_key,
                           error_params, indexed_at)
    VALUES (?, ?, ?, '', '', ?, 'failed', ?, ?, ?)
    ON CONFLICT (kb_id, source) DO UPDATE SET
        name = excluded.name, size = excluded.size, status = 'failed', content_hash = '',
        error_key = excluded.error_key, error_params = excluded.error_params,
        indexed_at = excluded.indexed_at
"""


def _delete_chunks(con: Connection, doc_ids: Sequence[int]) -> list[int]:
    rows: list[Row] = []
    for doc_id in doc_ids:
        rows += con.execute(
            "SELECT id, kb_id, heading, text FROM chunks WHERE document_id = ?", (doc_id,)
        ).fetchall()
    ids = [r[0] for r in rows]
    postings.remove(con, [(r[0], r[1], postings.chunk_terms(r[2], r[3])) for r in rows])
    con.executemany("DELETE FROM chunks WHERE id = ?", [(i,) for i in ids])
    return ids


def _insert_chunks(
    con: Connection, doc_id: int, kb_id: int, chunks: tuple[tuple[int, _ChunkText], ...]
) -> None:
    con.executemany(
        "INSERT INTO chunks (id, document_id, kb_id, ordinal, text, heading, page, page_label, "
        "char_start, char_end, tokens, navigation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                cid,
                doc_id,
                kb_id,
                c.ordinal,
                c.text,
                c.heading,
                c.page,
                c.page_label,
                c.char_start,
                c.char_end,
                c.tokens,
                is_navigation(c.text),
            )
            for cid, c in chunks
        ],
    )
    postings.add(con, [(cid, kb_id, postings.chunk_terms(c.heading, c.text)) for cid, c in chunks])
