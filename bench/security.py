"""What protection costs: password hashing, blob encryption, vector rotation, key rotation.

Each figure is printed beside a baseline measured in the same run: a plain file write for
blobs, a bare LanceDB table of the same rows (no rotation, no knowledge-base filter) for
the vector store, the target for Argon2id, a plain copy of the same files for the data
secret's renewal at `key rotate`.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

import numpy as np

from bench.common import bench_session, bench_settings, scratch, summary
from core import Engine
from core.security.passwords import Passwords, calibrate
from core.store.blobs import BlobStore
from core.store.library import Library
from core.store.renewal import renew_data_secret
from core.store.rotation import rotation_matrix
from core.store.vectors import VectorStore


def _ms(fn: object, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
    return out


def passwords() -> None:
    """Calibration for the 500 ms target and the resulting verify time."""
    t0 = time.perf_counter()
    cost = calibrate(500)
    took = time.perf_counter() - t0
    hasher = Passwords(cost)
    stored = hasher.hash("correct horse battery")
    times = _ms(lambda: hasher.verify(stored, "correct horse battery"), 5)
    print(
        f"Argon2id: t={cost.time_cost} m={cost.memory_kib // 1024} MiB p={cost.parallelism}, "
        f"calibrated in {took:.1f} s"
    )
    print(f"  verify  {summary(times)}   (target 500 ms, ratio {np.median(times) / 500:.2f}x)")


def blobs() -> None:
    """AES-256-GCM blob writes and reads vs writing the same bytes to a plain file."""
    folder = scratch("blobs")
    data = os.urandom(20 * 2**20)
    store = BlobStore(folder / "blobs", os.urandom(32))
    plain = folder / "plain.bin"

    def write_plain() -> None:
        with open(plain, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

    def put() -> None:
        store.prune(set())
        store.put(data)

    base, enc = _ms(write_plain, 5), _ms(put, 5)
    blob_id = store.put(data)
    read = _ms(lambda: store.get(blob_id), 5)
    mb = len(data) / 2**20
    print(
        f"Blobs ({mb:.0f} MB file): plain write {np.median(base):.0f} ms, encrypted put "
        f"{np.median(enc):.0f} ms ({mb / np.median(enc) * 1000:.0f} MB/s, ratio "
        f"{np.median(enc) / np.median(base):.2f}x), get {np.median(read):.0f} ms"
    )


def _rows(ids: list[int], vectors: np.ndarray) -> Any:
    """The rows Konspekt's store holds (id, knowledge base, vector) as an Arrow table."""
    import pyarrow as pa

    return pa.table(
        {
            "id": pa.array(ids, pa.int64()),
            "kb_id": pa.array([1] * len(ids), pa.int64()),
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(np.ascontiguousarray(vectors).reshape(-1)), vectors.shape[1]
            ),
        }
    )


def rotation() -> None:
    """Konspekt's rotated, KB-filtered vector store vs a bare LanceDB table of the same rows."""
    import lancedb

    folder = scratch("rotation")
    dim, n = 384, 10_000
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    ids = list(range(n))
    q = rotation_matrix(os.urandom(32), dim)
    rotate = _ms(lambda: vectors @ q.T, 5)
    rows = _rows(ids, vectors)
    bare = lancedb.connect(str(folder / "bare")).create_table("bare", schema=rows.schema)
    bare_insert = _ms(lambda: bare.add(rows), 1)
    store = VectorStore(folder / "konspekt", "bench", dim, q)
    insert = _ms(lambda: store.add(ids, [1] * n, vectors), 1)
    query = rng.standard_normal(dim).astype(np.float32)

    def bare_search() -> None:
        bare.search(query).distance_type("cosine").select(["id", "_distance"]).limit(20).to_arrow()

    bare_q = _ms(bare_search, 20)
    rot_q = _ms(lambda: store.search(query, [1], 20), 20)
    print(
        f"Vector rotation: {n:,} vectors rotated in {np.median(rotate):.1f} ms; inserted into "
        f"a bare LanceDB table in {bare_insert[0]:.0f} ms, into Konspekt's store in "
        f"{insert[0]:.0f} ms (ratio {insert[0] / bare_insert[0]:.2f}x)"
    )
    print(
        f"  query bare LanceDB         {summary(bare_q)}\n"
        f"  query rotated + KB filter  {summary(rot_q)}   ratio "
        f"{np.median(rot_q) / np.median(bare_q):.2f}x"
    )


def key_rotation() -> None:
    """PRAGMA rekey of a store holding 20k chunks of text."""
    folder = scratch("rekey")
    with Engine(bench_settings(folder)) as engine:
        who = bench_session(engine)
        with engine.context.db.write() as con:  # benchmarks may look under the facade
            con.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?)",
                [(f"filler{i}", "lorem ipsum dolor sit amet " * 20) for i in range(20_000)],
            )
        size = engine.settings.db_path.stat().st_size / 2**20
        t0 = time.perf_counter()
        engine.keys.rotate(who)
        took = time.perf_counter() - t0
    print(
        f"Key rotation: {size:.0f} MB database re-encrypted in {took:.2f} s "
        f"({size / took:.0f} MB/s)"
    )


def renewal(vectors: int = 100_000, originals: int = 50) -> None:
    """The data secret's renewal: originals re-encrypted, vectors re-rotated into a new table."""
    folder = scratch("renewal")
    dim = 384
    with Engine(bench_settings(folder)) as engine:
        who = bench_session(engine)
        kb = engine.kbs.create(who, "Renewal")
        secret = engine.context.secret  # benchmarks may look under the facade
        store = VectorStore(engine.settings.vectors_dir, "bench", dim, rotation_matrix(secret, dim))
        rng = np.random.default_rng(0)
        for start in range(0, vectors, 25_000):
            ids = list(range(start, start + 25_000))
            store.add(ids, [1] * len(ids), rng.standard_normal((len(ids), dim), np.float32))
        blob_store = BlobStore(engine.settings.data_dir / "blobs", secret)
        library = Library(engine.context.db)
        with engine.context.db.write() as con:
            for i in range(originals):
                blob_id = blob_store.put(os.urandom(1 << 20))
                con.execute(
                    "INSERT INTO documents (kb_id, source, name, kind, size, content_hash, "
                    "status, blob_id, indexed_at) VALUES (?, ?, ?, 'txt', 1, ?, 'indexed', ?, 0)",
                    (kb.id, f"/bench/{i}", f"{i}.txt", f"h{i}", blob_id),
                )
        t0 = time.perf_counter()
        for name in ("blobs", "vectors"):
            shutil.copytree(engine.settings.data_dir / name, folder / f"copy-{name}")
        copied = time.perf_counter() - t0
        t0 = time.perf_counter()
        renew_data_secret(library, blob_store, engine.settings.vectors_dir, secret)
        took = time.perf_counter() - t0
    print(
        f"Data secret renewal: {originals} originals of 1 MB and {vectors:,} vectors in "
        f"{took:.2f} s; a plain copy of the same files {copied:.2f} s (ratio {took / copied:.1f}x)"
    )


def main() -> None:
    """Run every security benchmark."""
    print("== security ==")
    passwords()
    blobs()
    rotation()
    key_rotation()
    renewal()


if __name__ == "__main__":
    main()
