"""The secret vector rotation keeps similarities and hides the original space."""

import numpy as np

from core.store.rotation import rotation_matrix


def test_rotation_is_orthogonal_and_keeps_cosine() -> None:
    q = rotation_matrix(b"s" * 32, 384)
    assert np.allclose(q @ q.T, np.eye(384), atol=1e-5)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 384)).astype(np.float32)
    assert np.isclose(a @ b, (q @ a) @ (q @ b), rtol=1e-4)
    assert np.isclose(np.linalg.norm(q @ a), np.linalg.norm(a), rtol=1e-5)


def test_rotation_depends_on_the_secret_and_only_on_it() -> None:
    first = rotation_matrix(b"a" * 32, 64)
    assert np.array_equal(first, rotation_matrix(b"a" * 32, 64))
    assert not np.allclose(first, rotation_matrix(b"b" * 32, 64))
    v = np.ones(64, dtype=np.float32) / 8
    assert float((first @ v) @ v) < 0.5  # a rotated vector no longer looks like itself
