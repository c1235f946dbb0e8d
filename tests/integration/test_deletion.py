"""Deleting a document or a knowledge base leaves neither its original nor its vectors on disk.

Files are ingested together, so the deleted rows share Lance fragments with kept ones
(a delete only marks rows; their bytes stay until the fragment is rewritten).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from core import Engine, Session
from tests.integration.test_vector_rotation import stored_vectors


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def _on_disk(folder: Path, vector: npt.NDArray[np.float32]) -> list[Path]:
    """Files under `folder` holding the vector's exact float32 bytes (any Lance version)."""
    needle = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
    return [p for p in _files(folder) if needle in p.read_bytes()]


def _ingest(engine: Engine, who: Session, folder: Path, kb: str, count: int) -> dict[str, int]:
    """Ingest `count` small notes in one run; file name -> document id."""
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{folder.name}{i:02}.txt").write_text(f"Notes {i} of {folder.name}: item {i}.")
    list(engine.documents.ingest(who, [folder], kb=kb))
    return {d.name: d.id for d in engine.documents.all(who, kb) if d.name.startswith(folder.name)}


def _chunks_of(engine: Engine, who: Session, doc_ids: set[int]) -> set[int]:
    return {
        h.chunk_id
        for h in engine.answers.search(who, "notes", limit=100)
        if h.document_id in doc_ids
    }


def _assert_gone(
    engine: Engine, ids: set[int], vectors: dict[int, npt.NDArray[np.float32]]
) -> None:
    assert ids
    assert not ids & set(stored_vectors(engine.settings.data_dir))
    for chunk_id in ids:  # no file of the table, current or old version, holds them
        assert _on_disk(engine.settings.data_dir / "vectors", vectors[chunk_id]) == []


def _assert_readable(engine: Engine, who: Session, docs: dict[str, int], folder: Path) -> None:
    for name, doc_id in docs.items():
        assert engine.documents.original(who, doc_id) == (name, (folder / name).read_bytes())
    assert len(_chunks_of(engine, who, set(docs.values()))) == len(docs)


def test_deleting_a_document_removes_its_original_and_every_copy_of_its_vectors(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    docs = _ingest(engine, admin, tmp_path / "note", "K", 20)
    doomed = docs.pop("note07.txt")
    ids = _chunks_of(engine, admin, {doomed})
    vectors = stored_vectors(engine.settings.data_dir)
    for chunk_id in ids:  # the scan finds the vector while it is stored
        assert _on_disk(engine.settings.data_dir / "vectors", vectors[chunk_id])
    blobs = _files(engine.settings.data_dir / "blobs")
    engine.documents.delete(admin, doomed)
    assert len(blobs - _files(engine.settings.data_dir / "blobs")) == 1
    _assert_gone(engine, ids, vectors)
    _assert_readable(engine, admin, docs, tmp_path / "note")  # only its own blob went


def test_deleting_a_knowledge_base_removes_its_originals_and_vectors(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    kept = _ingest(engine, admin, tmp_path / "kept", "K", 10)
    gone = _ingest(engine, admin, tmp_path / "gone", "Gone", 10)
    ids = _chunks_of(engine, admin, set(gone.values()))
    vectors = stored_vectors(engine.settings.data_dir)
    blobs = _files(engine.settings.data_dir / "blobs")
    engine.kbs.delete(admin, "Gone")
    assert len(blobs - _files(engine.settings.data_dir / "blobs")) == 10
    _assert_gone(engine, ids, vectors)
    _assert_readable(engine, admin, kept, tmp_path / "kept")
