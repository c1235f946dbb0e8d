"""Chunk vectors in LanceDB: the only module that imports lancedb.

Rows hold a chunk id, its knowledge-base id and the vector — never text. One table
per embedder, so switching embedders never mixes vector spaces. Vectors are stored
rotated by a secret orthogonal matrix (see core.store.rotation); this module applies
it on the way in and to queries, so callers only ever see unrotated vectors.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# Below this many rows an exact scan is fast enough (~100 ms at 100k on 2 cores) and exact.
INDEX_MIN_ROWS = 50_000
SCALAR_INDEX_MIN_ROWS = 1_000
REFINE_FACTOR = 2
"""The ANN index proposes this many times the candidates asked, ranked again by their full
vectors. Its 8-bit quantised distances misorder near neighbours: on clustered vectors
(cosine ~0.9 within a cluster, as embeddings of related passages) it found 0.957 of the
exact top 10 at 60k rows, 1.000 with this; it costs ~3 ms a search at 1M rows."""
RESIDENT_MAX_BYTES = 64 * 2**20
"""Below INDEX_MIN_ROWS, a table whose vectors fit in this many bytes is searched in memory.

An exact scan in LanceDB reads and decodes the table on every query (21-23 ms p50 at 10k
rows on 2 cores, for a 2-3 ms matrix product). A copy in memory, appended to on each add
and reloaded after other writes, gives the same results 7-9x quicker. That is most
installations: 64 MiB is ~43k chunks of e5-small (384 dimensions), ~16k of bge-m3 (1,024)."""


def _table_name(embedder: str) -> str:
    return "chunks_" + re.sub(r"[^A-Za-z0-9_]", "_", embedder)


ROTATED_SUFFIX = "_rotated"
# Every rotated table: its embedder part and the generation of the secret it is under (a
# key rotation renews the secret and copies the vectors into the next generation's table).
_ROTATED_TABLE = re.compile(r"^(chunks_.+?)_rotated(?:_g(\d+))?$")


def _rotated_name(base: str, generation: int) -> str:
    return base + ROTATED_SUFFIX + (f"_g{generation}" if generation else "")


def _rotated_tables(db: Any) -> dict[str, tuple[str, int]]:
    """The rotated tables in a LanceDB folder: name -> (embedder part, generation)."""
    found = {}
    for name in db.list_tables().tables:
        match = _ROTATED_TABLE.match(name)
        if match:
            found[name] = (match.group(1), int(match.group(2) or 0))
    return found


def rerotate(folder: Path, generation: int, turn: Callable[[int], npt.NDArray[np.float32]]) -> int:
    """Copy every table of `generation` into `generation + 1`, vectors turned by `turn(dim)`.

    `turn(dim)` is R_new · R_oldᵀ: the copy holds the same vectors under the new secret's
    rotation. The old tables stay until the new generation is committed (see
    `VectorStore`, which drops other generations when it opens). Returns vectors copied.
    """
    import lancedb
    import pyarrow as pa

    if not folder.exists():
        return 0
    db = lancedb.connect(str(folder))
    tables = _rotated_tables(db)
    copied = 0
    for name, (base, gen) in tables.items():
        if gen != generation:
            continue
        target = _rotated_name(base, generation + 1)
        if target in tables:  # left by a renewal that never committed
            db.drop_table(target)
        table = db.open_table(name).to_arrow()
        column = table.column("vector").combine_chunks()
        dim = column.type.list_size
        stored = column.values.to_numpy(zero_copy_only=False).reshape(-1, dim)
        turned = np.ascontiguousarray(stored @ turn(dim).T, dtype=np.float32)
        vectors = pa.FixedSizeListArray.from_arrays(pa.array(turned.reshape(-1)), dim)
        copy = pa.table(
            {"id": table.column("id"), "kb_id": table.column("kb_id"), "vector": vectors}
        )
        db.create_table(target, data=copy)
        copied += len(copy)
    return copied


SENTINEL_ID = -1
"""A row `compact()` adds for a moment to force deleted rows out of the files."""


@dataclass(frozen=True, slots=True)
class _Resident:
    """One version of a small table, held in memory for exact search (never written to)."""

    ids: npt.NDArray[np.int64]
    kb_ids: npt.NDArray[np.int64]
    rows: npt.NDArray[np.float32]
    """The vectors as stored (rotated), one per row."""
    norms: npt.NDArray[np.float32]
    where: dict[int, int]
    """Chunk id -> row."""


@dataclass(frozen=True, slots=True)
class _Addresses:
    """Where each chunk's row lies in a table searched by LanceDB, for `vectors_of`.

    LanceDB row addresses (fragment, offset) hold through adds and deletes; a compaction
    moves the rows, and an address of a fragment that is gone finds nothing.
    """

    ids: npt.NDArray[np.int64]
    """Chunk ids, sorted."""
    addresses: npt.NDArray[np.uint64]
    """The row address of each of `ids`."""


def _row_norms(rows: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Each row's length, 1 for a zero row (the sentinel's: it is in no knowledge base)."""
    norms: npt.NDArray[np.float32] = np.linalg.norm(rows, axis=1).astype(np.float32)
    norms[norms == 0] = 1.0
    return norms


def _id_list(ids: list[int] | set[int]) -> str:
    return ",".join(str(int(i)) for i in ids)


class VectorStore:
    """The vectors of one embedder."""

    def __init__(
        self,
        folder: Path,
        embedder: str,
        dim: int,
        rotation: npt.NDArray[np.float32],
        generation: int = 0,
    ) -> None:
        # Imported here: lancedb costs seconds at start-up and only indexing needs it.
        import lancedb
        import pyarrow as pa

        self._pa = pa
        folder.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(folder))
        self._name = _rotated_name(_table_name(embedder), generation)
        self._dim = dim
        self._rotation = rotation
        legacy = _table_name(embedder)
        if (folder / f"{legacy}.lance").exists():
            # Unrotated vectors from before rotation existed: drop them; their documents
            # have no vectors now and are re-indexed by the next ingest (see reconcile).
            self._db.drop_table(legacy)
        for name, (_, gen) in _rotated_tables(self._db).items():
            if gen != generation:
                # Under a secret that was renewed (or a renewal that never committed):
                # nothing can read them any more, so their vectors leave the disk.
                self._db.drop_table(name)
        self._lock = threading.Lock()
        self._deleted = False
        schema = pa.schema(
            [
                pa.field("id", pa.int64()),
                pa.field("kb_id", pa.int64()),
                pa.field("vector", pa.list_(pa.float32(), dim)),
            ]
        )
        self._table = self._db.create_table(self._name, schema=schema, exist_ok=True)
        self._resident_lock = threading.Lock()
        self._held: tuple[int, _Resident | None] | None = None
        """(table version, its copy in memory or None when too big), loaded on first use."""
        self._addresses: _Addresses | None = None
        """Row addresses for `vectors_of` once the table is too big to hold; read with the
        KBs (`_read_rows`) on first need, and again by `compact()`, which moves the rows."""
        self._kbs: frozenset[int] | None = None
        """The KBs that may have rows in the table (a superset: grown before each add, kept
        through deletes, read again after a compaction); None until a search needs it."""

    def add(self, ids: list[int], kb_ids: list[int], vectors: npt.NDArray[np.float32]) -> None:
        """Append vectors (one Lance version per call: batch them)."""
        if not ids:
            return
        pa = self._pa
        rotated = np.asarray(vectors, dtype=np.float32) @ self._rotation.T
        flat = pa.array(np.ascontiguousarray(rotated, dtype=np.float32).reshape(-1))
        batch = pa.table(
            {
                "id": pa.array(ids, pa.int64()),
                "kb_id": pa.array(kb_ids, pa.int64()),
                "vector": pa.FixedSizeListArray.from_arrays(flat, self._dim),
            }
        )
        with self._lock:
            if self._kbs is not None:  # before the rows are visible to a search
                self._kbs = self._kbs | frozenset(int(k) for k in kb_ids)
            before = int(self._table.version)
            self._table.add(batch)
            self._carry(before, ids, kb_ids, rotated)

    def _carry(
        self, before: int, ids: list[int], kb_ids: list[int], rotated: npt.NDArray[np.float32]
    ) -> None:
        """Append an add's rows to the copy in memory, if it was the table at `before`.

        Ingest adds a document at a time while people search; reloading the copy after each
        add would read the whole table (135-175 ms at 40k rows) instead of appending.
        Called under the write lock, right after the add.
        """
        held = self._held
        if held is None or held[0] != before or held[1] is None:
            return
        old = held[1]
        if not self._fits(len(old.ids) + len(ids)):
            self._held = None  # the next search decides afresh
            return
        added = np.asarray(rotated, dtype=np.float32).reshape(-1, self._dim)
        where = dict(old.where)
        where.update((int(i), len(old.ids) + n) for n, i in enumerate(ids))
        self._held = (
            int(self._table.version),
            _Resident(
                np.concatenate([old.ids, np.asarray(ids, dtype=np.int64)]),
                np.concatenate([old.kb_ids, np.asarray(kb_ids, dtype=np.int64)]),
                np.concatenate([old.rows, added]),
                np.concatenate([old.norms, _row_norms(added)]),
                where,
            ),
        )

    def delete(self, ids: list[int] | set[int]) -> None:
        """Remove the vectors of these chunk ids."""
        ids = list(ids)
        if not ids:
            return
        with self._lock:
            for start in range(0, len(ids), 5000):
                self._table.delete(f"id IN ({_id_list(ids[start : start + 5000])})")
            self._deleted = True  # their bytes stay in the files until compact()

    def nearest(
        self, vector: npt.NDArray[np.float32], kb_ids: list[int], limit: int
    ) -> list[tuple[int, float, npt.NDArray[np.float32]]]:
        """(chunk id, cosine similarity, stored vector) of the nearest vectors in the KBs.

        Past INDEX_MIN_ROWS the ANN index proposes `REFINE_FACTOR` times the candidates
        and their full vectors, fetched by the same query, rank them exactly. A small
        table is searched in memory (`RESIDENT_MAX_BYTES`), with the same results.
        """
        if not kb_ids:
            return []
        rotated = self._rotation @ np.asarray(vector, dtype=np.float32)
        resident = self._resident()
        if resident is not None:
            return self._nearest_in(resident, rotated, kb_ids, limit)
        return self._nearest_in_lancedb(rotated, kb_ids, limit)

    def _nearest_in_lancedb(
        self, rotated: npt.NDArray[np.float32], kb_ids: list[int], limit: int
    ) -> list[tuple[int, float, npt.NDArray[np.float32]]]:
        builder: Any = self._table.search(rotated)  # untyped chain
        builder = builder.distance_type("cosine").refine_factor(REFINE_FACTOR)
        if not self._covers(kb_ids):
            builder = builder.where(f"kb_id IN ({_id_list(kb_ids)})", prefilter=True)
        result = builder.select(["id", "vector", "_distance"]).limit(limit).to_arrow()
        ids = result.column("id").to_pylist()
        distances = result.column("_distance").to_pylist()
        stored = self._unrotated(result.column("vector"))
        return [
            (int(i), 1.0 - float(d), stored[n])
            for n, (i, d) in enumerate(zip(ids, distances, strict=True))
        ]

    def _covers(self, kb_ids: list[int]) -> bool:
        """Whether every row of the table lies in these KBs, so the KB filter can be left out.

        The common case (one person's KBs, every visible one asked): LanceDB's prefilter
        cost more than the search itself, 37.6 against 14.4 ms p50 at 1M rows. Exact, not
        a guess: `_kbs` holds every KB that has a row. Read on first need (`_read_rows`);
        during a write or a compaction the filter stays instead of waiting.
        """
        kbs = self._kbs
        if kbs is None:
            read = self._rows_read()
            if read is None:
                return False
            kbs = read[0]
        return kbs <= frozenset(kb_ids)

    def warm_up(self) -> None:
        """Read now what the first search would wait for (seconds on a big table).

        A small table is copied into memory. A big one's ANN index is opened by a query
        (1.2 s at 1M rows), and the KBs that have rows and the row addresses are read
        (0.24 s): the first search at 1M then took 50 ms instead of 1.4 s.
        """
        if self._resident() is not None:
            return
        probe = np.zeros(self._dim, dtype=np.float32)
        probe[0] = 1.0
        query: Any = self._table.search(probe)  # untyped chain
        query.distance_type("cosine").select(["id", "_distance"]).limit(1).to_arrow()
        with self._lock:
            if self._kbs is None or self._addresses is None:
                self._read_rows()

    def _nearest_in(
        self,
        resident: _Resident,
        rotated: npt.NDArray[np.float32],
        kb_ids: list[int],
        limit: int,
    ) -> list[tuple[int, float, npt.NDArray[np.float32]]]:
        """`nearest` over the copy in memory: cosine by one matrix product, ties by id."""
        inside = np.flatnonzero(np.isin(resident.kb_ids, np.asarray(kb_ids, dtype=np.int64)))
        if not inside.size or limit <= 0:
            return []
        norm = float(np.linalg.norm(rotated)) or 1.0
        # Every row, then the KBs' ones: a product over the table reads it once, where
        # picking a big KB's rows first would copy them.
        cosines = (resident.rows @ rotated)[inside] / (resident.norms[inside] * norm)
        if inside.size > limit:
            best = np.argpartition(-cosines, limit - 1)[:limit]
            inside, cosines = inside[best], cosines[best]
        order = np.lexsort((resident.ids[inside], -cosines))
        inside, cosines = inside[order], cosines[order]
        stored = resident.rows[inside] @ self._rotation
        return [
            (int(i), float(c), stored[n])
            for n, (i, c) in enumerate(zip(resident.ids[inside], cosines, strict=True))
        ]

    def _resident(self) -> _Resident | None:
        """The table in memory at its current version, or None when it is too big.

        Each copy is tagged with the version its rows were read at (under the write lock),
        so it is never taken for another version: a write in between costs a reload (or,
        for an add, an append: `_carry`), never a stale answer.
        """
        version = int(self._table.version)
        held = self._held
        if held is None or held[0] != version:
            with self._resident_lock:
                held = self._held
                if held is None or held[0] != version:
                    held = self._load_resident()
                    self._held = held
        return held[1]

    def _fits(self, rows: int) -> bool:
        """Whether a table of `rows` rows is searched in memory (no ANN index, small)."""
        return rows < INDEX_MIN_ROWS and rows * self._dim * 4 <= RESIDENT_MAX_BYTES

    def _load_resident(self) -> tuple[int, _Resident | None]:
        with self._lock:  # not during a write, nor while compact() removes old files
            version = int(self._table.version)
            if not self._fits(int(self._table.count_rows())):
                return version, None
            table = self._table.to_arrow()
        ids = np.asarray(table.column("id").to_numpy(), dtype=np.int64)
        column = table.column("vector").combine_chunks()
        values = np.asarray(column.values.to_numpy(zero_copy_only=False), dtype=np.float32)
        stored = np.ascontiguousarray(values.reshape(-1, self._dim))
        return version, _Resident(
            ids,
            np.asarray(table.column("kb_id").to_numpy(), dtype=np.int64),
            stored,
            _row_norms(stored),
            {int(i): n for n, i in enumerate(ids.tolist())},
        )

    def vectors_of(self, ids: list[int]) -> dict[int, npt.NDArray[np.float32]]:
        """The stored vectors of some chunk ids."""
        if not ids:
            return {}
        resident = self._resident()
        if resident is not None:
            rows = [(i, resident.where[i]) for i in dict.fromkeys(ids) if i in resident.where]
            found = resident.rows[[n for _, n in rows]] @ self._rotation
            return {int(i): found[k] for k, (i, _) in enumerate(rows)}
        wanted = list(dict.fromkeys(int(i) for i in ids))
        stored = self._vectors_at_addresses(wanted)
        missing = [i for i in wanted if i not in stored]
        if missing:  # added since the addresses were read (or not in the table)
            stored.update(self._vectors_of_in_lancedb(missing))
        return stored

    def _vectors_at_addresses(self, ids: list[int]) -> dict[int, npt.NDArray[np.float32]]:
        """The vectors of those `ids` whose row addresses are known, taken by address.

        A search's keyword finds are looked up here: at 1M rows a take by address cost
        2.4 ms p50 where an `id IN (...)` query cost 5.1, on the BTree index.
        """
        book = self._addresses
        if book is None:
            read = self._rows_read()
            book = read[1] if read else None
        if book is None or not len(book.ids):
            return {}
        asked = np.asarray(ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(book.ids, asked), len(book.ids) - 1)
        known = book.ids[at] == asked
        if not known.any():
            return {}
        table = (
            self._table.take_row_ids(book.addresses[at[known]].tolist())
            .select(["id", "vector"])
            .to_arrow()
        )
        stored = self._unrotated(table.column("vector"))
        asked_ids = set(ids)
        return {
            int(i): stored[n]
            for n, i in enumerate(table.column("id").to_pylist())
            if i in asked_ids
        }

    def _rows_read(self) -> tuple[frozenset[int], _Addresses] | None:
        """`_read_rows`, unless a write or a compaction holds the table (then None)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            return self._read_rows()
        finally:
            self._lock.release()

    def _read_rows(self) -> tuple[frozenset[int], _Addresses]:
        """Read the KBs that have rows and every row's address, in one scan (under the lock).

        0.24 s at 1M rows, where the two read apart took 0.22 s each.
        """
        table = (
            self._table.search().select(["id", "kb_id"]).with_row_id(True).limit(None).to_arrow()
        )
        ids = np.asarray(table.column("id").to_numpy(), dtype=np.int64)
        order = np.argsort(ids)
        addresses = np.asarray(table.column("_rowid").to_numpy(), dtype=np.uint64)
        self._kbs = frozenset(int(k) for k in np.unique(table.column("kb_id").to_numpy()))
        self._addresses = _Addresses(ids[order], addresses[order])
        return self._kbs, self._addresses

    def _vectors_of_in_lancedb(self, ids: list[int]) -> dict[int, npt.NDArray[np.float32]]:
        table = (
            self._table.search()
            .where(f"id IN ({_id_list(ids)})")
            .select(["id", "vector"])
            .limit(len(ids))
            .to_arrow()
        )
        stored = self._unrotated(table.column("vector"))
        return {int(i): stored[n] for n, i in enumerate(table.column("id").to_pylist())}

    def _unrotated(self, column: Any) -> npt.NDArray[np.float32]:
        """Rows of a vector column as unrotated float32 vectors, one per row."""
        flat = column.combine_chunks() if hasattr(column, "combine_chunks") else column
        if len(flat) == 0:
            return np.zeros((0, self._dim), dtype=np.float32)
        values = flat.flatten().to_numpy(zero_copy_only=False)
        rows = np.asarray(values, dtype=np.float32).reshape(-1, self._dim)
        # Each stored row is R @ v; R is orthogonal, so v = R.T @ row, i.e. row @ R.
        return np.ascontiguousarray(rows @ self._rotation, dtype=np.float32)

    def all_ids(self) -> set[int]:
        """Every chunk id present (for reconciling with the database)."""
        with self._lock:
            table = self._table.search().select(["id"]).limit(None).to_arrow()
        return set(table.column("id").to_pylist())

    def count(self) -> int:
        """Number of vectors."""
        return int(self._table.count_rows())

    def compact(self) -> None:
        """Merge small fragments and drop old versions, so deleted vectors leave the disk."""
        with self._lock, warnings.catch_warnings():
            self._kbs = None  # read again below or at the next search (the sentinel comes and goes)
            # Lance warns that other readers of old versions would break; this process is
            # the table's only user and holds the lock, and old versions still hold the
            # vectors of deleted documents, so they must go.
            warnings.filterwarnings("ignore", message="optimize\\(cleanup_older_than=0\\)")
            if self._deleted:
                self._rewrite_deleted()
            self._table.optimize(cleanup_older_than=timedelta(seconds=0))
            if self._addresses is not None:  # the rows moved: read where they are now, and the KBs
                self._read_rows()

    def _rewrite_deleted(self) -> None:
        """Rewrite the fragments holding deleted rows, so their vectors leave the files.

        A delete only marks rows in a deletion file, and compaction rewrites a lone
        fragment only past 10 % deleted rows. A one-row neighbour fragment (id -1, no
        knowledge base, zero vector) makes it merge, and the merge drops deleted rows.
        A search that skips the KB filter meanwhile never returns it: a zero vector has no
        cosine, and LanceDB leaves such rows out (tests/integration/test_vectors_kb_filter.py).
        """
        pa = self._pa
        sentinel = pa.table(
            {
                "id": pa.array([SENTINEL_ID], pa.int64()),
                "kb_id": pa.array([SENTINEL_ID], pa.int64()),
                "vector": pa.FixedSizeListArray.from_arrays(
                    pa.array(np.zeros(self._dim, dtype=np.float32)), self._dim
                ),
            }
        )
        self._table.add(sentinel)
        self._table.optimize(cleanup_older_than=timedelta(seconds=0))
        self._table.delete(f"id = {SENTINEL_ID}")
        self._deleted = False

    def ensure_index(self) -> None:
        """Create the indexes the table has grown into; each is built once.

        Scalar indexes make the KB filter and id look-ups cheap; the ANN index replaces
        exact search past INDEX_MIN_ROWS. `compact()` folds new rows into existing indexes.
        """
        from lancedb.index import Bitmap, BTree, HnswSq

        rows = self.count()
        with self._lock:
            indexed = {tuple(i.columns) for i in self._table.list_indices()}
            if rows >= SCALAR_INDEX_MIN_ROWS and ("id",) not in indexed:
                self._table.create_index("id", config=BTree(), replace=True)
                self._table.create_index("kb_id", config=Bitmap(), replace=True)
            if rows >= INDEX_MIN_ROWS and ("vector",) not in indexed:
                self._table.create_index(
                    "vector", config=HnswSq(distance_type="cosine"), replace=True
                )
