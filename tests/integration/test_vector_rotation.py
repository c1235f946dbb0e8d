"""Vectors on disk are rotated: none equals its embedding, every cosine between them holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

import core.services.index
from core import Engine, Settings
from core.search.embedder import Embedder
from tests.identity import admin_session

TEXTS = (
    "The lighthouse keeper counts violet pebbles every morning.",
    "Parking permits renew every April at the front desk.",
    "The archive closes at nine on Thursdays.",
    "Договор поставки подписан генеральным директором в пятницу.",
    "The cafeteria serves borscht on Mondays.",
    "Seventeen turnips were misplaced during the zeppelin audit.",
)


def stored_vectors(data_dir: Path) -> dict[int, npt.NDArray[np.float32]]:
    """Chunk id -> vector exactly as the Lance table on disk holds it."""
    import lancedb

    db = lancedb.connect(str(data_dir / "vectors"))
    [name] = db.list_tables().tables
    table = db.open_table(name).to_arrow()
    return {
        int(i): np.asarray(v, dtype=np.float32)
        for i, v in zip(
            table.column("id").to_pylist(), table.column("vector").to_pylist(), strict=True
        )
    }


def rotation_check(
    stored: npt.NDArray[np.float32], embedded: npt.NDArray[np.float32]
) -> tuple[bool, bool]:
    """(no stored row is near its embedding, the cosines between rows are unchanged)."""
    rotated = bool(np.all(np.abs(stored - embedded).max(axis=1) > 0.01))
    same_geometry = bool(np.allclose(stored @ stored.T, embedded @ embedded.T, atol=1e-4))
    return rotated, same_geometry


@pytest.mark.parametrize("matrix", ["secret", "identity"])
def test_stored_vectors_are_rotated(
    matrix: str,
    settings: Settings,
    e5: Embedder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The identity case proves the check would catch vectors stored as embedded."""
    if matrix == "identity":
        monkeypatch.setattr(
            core.services.index,
            "rotation_matrix",
            lambda _secret, dim: np.eye(dim, dtype=np.float32),
        )
    files = []
    for n, text in enumerate(TEXTS):
        files.append(tmp_path / f"note{n}.txt")
        files[-1].write_text(text)
    with Engine(settings, embedder=e5) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, files))
        texts = {h.chunk_id: h.text for h in engine.answers.search(admin, "notes", limit=50)}
        stored = stored_vectors(settings.data_dir)
    assert sorted(texts.values()) == sorted(TEXTS)
    assert set(stored) == set(texts)
    ids = sorted(texts)
    rotated, same_geometry = rotation_check(
        np.stack([stored[i] for i in ids]), e5.embed_passages([texts[i] for i in ids])
    )
    assert same_geometry  # search still works on rotated vectors
    assert rotated is (matrix == "secret")
