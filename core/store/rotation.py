"""A secret orthogonal rotation for stored vectors (defence in depth, not encryption).

Embeddings can be partly inverted back to text by models trained on a public embedder's
space. Vectors are stored multiplied by a random orthogonal matrix derived from a secret
inside the encrypted database: cosine similarities and distances are unchanged, so search
works as before, but an off-the-shelf inversion model sees vectors from an unknown space.
This does not replace disk encryption: someone holding many (text, vector) pairs could
estimate the rotation.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from core.crypto import derive


def rotation_matrix(secret: bytes, dim: int) -> npt.NDArray[np.float32]:
    """The orthogonal dim×dim matrix for `secret` (the same secret gives the same matrix)."""
    seed = int.from_bytes(derive(secret, f"konspekt vector rotation v1 dim={dim}"), "big")
    rng = np.random.Generator(np.random.PCG64(seed))
    q, r = np.linalg.qr(rng.standard_normal((dim, dim)))
    q *= np.sign(np.diag(r))  # makes the factorisation, hence the matrix, unique
    return q.astype(np.float32)
