"""Vector tables for the VectorStore tests: random unit rows and a store of a small dimension."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.store.rotation import rotation_matrix
from core.store.vectors import VectorStore

DIM = 32


def unit(rows: int, seed: int, dim: int = DIM) -> npt.NDArray[np.float32]:
    """`rows` random vectors of length 1, the same for the same seed."""
    vectors = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    normed: npt.NDArray[np.float32] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normed


def open_store(folder: Path, dim: int = DIM) -> VectorStore:
    """The store of the test embedder in `folder` (the same secret rotation each time)."""
    return VectorStore(folder, "test", dim, rotation_matrix(b"s" * 32, dim))
