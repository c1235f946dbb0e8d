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
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# Below this many rows an exact scan is fast enough (~100 ms at 100k on 2 cores) and exact.
INDEX_MIN_ROWS = 50_000
SCALAR_INDEX_MIN_ROWS = 1_000


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
            self._table.add(batch)

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

        Past INDEX_MIN_ROWS the similarity is the ANN index's (quantised); the stored
        vector, fetched by the same query, gives the exact one without a second look-up.
        """
        if not kb_ids:
            return []
        rotated = self._rotation @ np.asarray(vector, dtype=np.float32)
        builder: Any = self._table.search(rotated)  # untyped chain
        query = (
            builder.distance_type("cosine")
            .where(f"kb_id IN ({_id_list(kb_ids)})", prefilter=True)
            .select(["id", "vector", "_distance"])
            .limit(limit)
        )
        result = query.to_arrow()
        ids = result.column("id").to_pylist()
        distances = result.column("_distance").to_pylist()
        stored = self._unrotated(result.column("vector"))
        return [
            (int(i), 1.0 - float(d), stored[n])
            for n, (i, d) in enumerate(zip(ids, distances, strict=True))
        ]

    def vectors_of(self, ids: list[int]) -> dict[int, npt.NDArray[np.float32]]:
        """The stored vectors of some chunk ids."""
        if not ids:
            return {}
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
            # Lance warns that other readers of old versions would break; this process is
            # the table's only user and holds the lock, and old versions still hold the
            # vectors of deleted documents, so they must go.
            warnings.filterwarnings("ignore", message="optimize\\(cleanup_older_than=0\\)")
            if self._deleted:
                self._rewrite_deleted()
            self._table.optimize(cleanup_older_than=timedelta(seconds=0))

    def _rewrite_deleted(self) -> None:
        """Rewrite the fragments holding deleted rows, so their vectors leave the files.

        A delete only marks rows in a deletion file, and compaction rewrites a lone
        fragment only past 10 % deleted rows. A one-row neighbour fragment (id -1, no
        knowledge base, zero vector) makes it merge, and the merge drops deleted rows.
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
        from lancedb.index import Bitmap, BTree

        rows = self.count()
        with self._lock:
            indexed = {tuple(i.columns) for i in self._table.list_indices()}
            if rows >= SCALAR_INDEX_MIN_ROWS and ("id",) not in indexed:
                self._table.create_index("id", config=BTree(), replace=True)
                self._table.create_index("kb_id", config=Bitmap(), replace=True)
            if rows >= INDEX_MIN_ROWS and ("vector",) not in indexed:
                self._table.create_index(metric="cosine", index_type="IVF_HNSW_SQ", replace=True)
