"""Renewing the data secret behind the blob key and the vector rotation (at `key rotate`).

The secret lives inside the encrypted database, so a copy of the database taken under a
key that later leaked would still open every original and un-rotate every vector made
after it. Renewal re-encrypts the originals and re-rotates the vectors under a fresh
secret. It is crash-safe: the new blobs and the next vector generation are written beside
the old ones, then one transaction switches the secret, the generation and the blob ids.
Until that commit the old secret stays in force; what the renewal had written is removed
on the next start (orphan blobs by reconcile, other vector generations by VectorStore).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.errors import KnownError
from core.store.blobs import BlobStore
from core.store.library import Library
from core.store.rotation import rotation_matrix
from core.store.vectors import rerotate


@dataclass(frozen=True, slots=True)
class Renewal:
    """What a renewal re-encrypted, and the stores to use from now on."""

    secret: bytes
    blobs: BlobStore
    originals: int
    vectors: int
    unreadable: int
    """Originals that were already missing or damaged: their documents keep no original."""


def renew_data_secret(
    library: Library, blobs: BlobStore, vectors_dir: Path, old_secret: bytes
) -> Renewal:
    """Re-encrypt originals and re-rotate vectors under a new secret; commit it at the end.

    The caller holds the locks that keep ingest and the vector table still.
    """
    new_secret = secrets.token_bytes(32)
    new_blobs = BlobStore(blobs.folder, new_secret)
    renamed: dict[str, str] = {}
    unreadable = 0
    for blob_id in sorted(library.blob_ids()):
        try:
            renamed[blob_id] = new_blobs.put(blobs.get(blob_id))
        except KnownError:
            renamed[blob_id] = ""
            unreadable += 1
    generation = library.vector_generation()

    def turn(dim: int) -> npt.NDArray[np.float32]:
        old, new = rotation_matrix(old_secret, dim), rotation_matrix(new_secret, dim)
        return (new @ old.T).astype(np.float32)

    copied = rerotate(vectors_dir, generation, turn)
    library.renew_data_secret(new_secret, generation + 1, renamed)
    new_blobs.prune(library.blob_ids())  # the old originals: their key is gone
    return Renewal(new_secret, new_blobs, len(renamed) - unreadable, copied, unreadable)
