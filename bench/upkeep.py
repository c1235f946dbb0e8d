"""The cost of maintenance and backups on a 100k-chunk index (`--size N` for another size).

After filling, 10 % of the documents are deleted one by one (the churn that leaves
LanceDB versions and deletion files behind), then every maintenance task is timed.
Baselines from the same run: reading every data file once (the I/O floor of an
integrity check) and copying the data parts unencrypted with shutil (the floor of a
backup and of a restore). Last, the periodic rescan of a watched folder of 300 files of
1 MiB that did not change, against the same rescan reading and hashing every file (what
it cost before files were stamped with size and time).
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sys
import time
from pathlib import Path

from bench.common import bench_session, bench_settings, default_embedder, scratch
from bench.search import _fill
from core import Engine
from core.settings import free_cores
from core.store.library import NewDocument

PARTS = ("konspekt.db", "vectors", "blobs")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mib(n: float) -> str:
    return f"{n / 2**20:7.1f} MiB"


def _read_all(folder: Path) -> float:
    t0 = time.perf_counter()
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                while fh.read(1 << 20):
                    pass
    return time.perf_counter() - t0


def _copy_parts(data: Path, target: Path) -> float:
    t0 = time.perf_counter()
    target.mkdir(parents=True)
    for name in PARTS:
        source = data / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return time.perf_counter() - t0


def _churn(engine: Engine, fraction: float = 0.1) -> int:
    """Delete a share of the documents one at a time (versions pile up)."""
    library = engine.context.library  # benchmarks may look under the facade
    vectors = engine.context.index.open().vectors
    rows = engine.context.db.query("SELECT id FROM documents ORDER BY id")
    doomed = [int(r[0]) for r in rows[:: int(1 / fraction)]]
    for doc_id in doomed:
        removed = library.remove_documents([doc_id])
        vectors.delete(removed)
    return len(doomed)


def _rescan(engine: Engine, folder: Path, files: int = 300) -> None:
    """Time an unchanged watched folder's rescan, with and without the stamp shortcut."""
    rng = random.Random(3)
    folder.mkdir()
    library = engine.context.library  # benchmarks may look under the facade
    embedder = engine.context.index.open().embedder
    admin = bench_session(engine)
    kb = engine.kbs.create(admin, "Rescan").id
    docs = []
    for i in range(files):
        path = folder / f"file{i:04}.txt"
        path.write_bytes(rng.randbytes(1 << 19).hex().encode())  # 1 MiB of text
        info = path.stat()
        docs.append(
            NewDocument(
                kb,
                str(path),
                path.name,
                "txt",
                hashlib.sha256(path.read_bytes()).hexdigest(),
                info.st_size,
                0,
                embedder.name,
                (),
                stamp=f"{info.st_size}:{info.st_mtime_ns}",
            )
        )
    library.save_documents(docs)
    watch = engine.watches.add(admin, folder, "Rescan")
    t0 = time.perf_counter()
    [stamped] = engine.watches.scan(admin, watch.id)
    fast = time.perf_counter() - t0
    with engine.context.db.write() as con:
        con.execute("UPDATE documents SET stamp = '' WHERE kb_id = ?", (kb,))
    t0 = time.perf_counter()
    [hashed] = engine.watches.scan(admin, watch.id)
    slow = time.perf_counter() - t0
    assert stamped.indexed == hashed.indexed == 0
    print(
        f"  rescan of an unchanged folder, {files} files of 1 MiB: {fast:.2f} s by size and "
        f"time vs {slow:.2f} s reading and hashing each = {fast / max(slow, 1e-6):.2f}x"
    )


def main() -> None:
    """Print each maintenance task's time on a churned index, with I/O baselines."""
    size = int(sys.argv[sys.argv.index("--size") + 1]) if "--size" in sys.argv else 100_000
    embedder = default_embedder(free_cores())
    folder = scratch("upkeep")
    settings = bench_settings(folder)
    with Engine(settings, embedder=embedder) as engine:
        admin = bench_session(engine)
        t0 = time.perf_counter()
        _fill(engine, size)
        print(f"{size:,} chunks filled in {time.perf_counter() - t0:.0f} s")
        churned = _churn(engine)
        vectors_before = _size(settings.vectors_dir)
        print(f"churn: {churned} documents deleted one by one; vectors {_mib(vectors_before)}")
        floor_read = _read_all(settings.data_dir)
        results = engine.upkeep.maintain(admin)
        for r in results:
            status = "ok" if r.ok else "FAILED"
            print(f"  {r.task:<10} {r.seconds:7.2f} s  {status}  {r.detail()}")
        total = sum(r.seconds for r in results)
        vectors_after = _size(settings.vectors_dir)
        data_size = sum(_size(settings.data_dir / p) for p in PARTS)
        integrity = next(r.seconds for r in results if r.task == "integrity")
        print(f"  maintenance total {total:.2f} s")
        print(
            f"  vectors on disk {_mib(vectors_before)} -> {_mib(vectors_after)} "
            "(old versions dropped; deleted rows leave once Lance rewrites their fragment)"
        )
        print(
            f"  integrity check {integrity:.2f} s vs reading every data file {floor_read:.2f} s "
            f"= {integrity / max(floor_read, 1e-6):.2f}x"
        )
        _rescan(engine, folder / "watched")
        floor_copy = _copy_parts(settings.data_dir, folder / "plain-copy")
        made = engine.upkeep.backup(admin, folder / "backups")
        backup_file = Path(made.value("path"))
        print(
            f"  backup {made.seconds:.2f} s ({_mib(backup_file.stat().st_size)} sealed, data "
            f"{_mib(data_size)}) vs plain copy {floor_copy:.2f} s "
            f"= {made.seconds / max(floor_copy, 1e-6):.2f}x"
        )
    t0 = time.perf_counter()
    Engine.restore(settings, backup_file)
    restore_s = time.perf_counter() - t0
    print(
        f"  restore {restore_s:.2f} s (unseal, verify, swap) vs plain copy {floor_copy:.2f} s "
        f"= {restore_s / max(floor_copy, 1e-6):.2f}x"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
