"""A small vector table is searched in memory, with exactly LanceDB's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import core.store.vectors
from core.store.vectors import VectorStore
from tests.vector_rows import DIM, open_store, unit


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    vectors = open_store(tmp_path / "vectors")
    scales = np.random.default_rng(5).uniform(0.5, 2.0, size=(300, 1)).astype(np.float32)
    vectors.add(list(range(1, 301)), [1] * 200 + [2] * 100, unit(300, 1) * scales)
    vectors.add([301, 302], [3, 3], unit(2, 2))
    return vectors


def no_lancedb_search(store: VectorStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("LanceDB was searched")

    monkeypatch.setattr(store._table, "search", refuse)


@pytest.mark.parametrize("kbs", [[1], [2], [1, 2], [3], [4], [1, 2, 3]])
def test_the_copy_in_memory_finds_what_lancedb_finds(
    store: VectorStore, kbs: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = unit(5, 3)
    with monkeypatch.context() as patch:
        patch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 0)
        reference = open_store(tmp_path / "vectors")  # the same table, searched by LanceDB
        expected = [reference.nearest(q, kbs, 20) for q in queries]
        expected_vectors = reference.vectors_of([5, 250, 301, 999])
    no_lancedb_search(store, monkeypatch)  # from here on, only the copy can answer
    for query, want in zip(queries, expected, strict=True):
        got = store.nearest(query, kbs, 20)
        assert [i for i, _, _ in got] == [i for i, _, _ in want]
        assert np.allclose([c for _, c, _ in got], [c for _, c, _ in want], atol=1e-5)
        for (_, _, vector), (_, _, wanted) in zip(got, want, strict=True):
            assert np.allclose(vector, wanted, atol=1e-5)
    got_vectors = store.vectors_of([5, 250, 301, 999])
    assert got_vectors.keys() == expected_vectors.keys() == {5, 250, 301}
    for key, vector in got_vectors.items():
        assert np.allclose(vector, expected_vectors[key], atol=1e-5)


def test_every_write_is_seen_by_the_next_search(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_lancedb_search(store, monkeypatch)
    probe = unit(1, 9)[0]
    assert store.nearest(probe, [1], 1)[0][0] != 500
    store.add([500], [1], probe[None, :])
    [(found, cosine, vector)] = store.nearest(probe, [1], 1)
    assert (found, round(cosine, 5)) == (500, 1.0)
    assert np.allclose(vector, probe, atol=1e-5)
    assert 500 in store.vectors_of([500])

    store.delete([500])
    assert store.nearest(probe, [1], 1)[0][0] != 500
    assert store.vectors_of([500]) == {}
    store.compact()  # rewrites the files (a sentinel row comes and goes)
    assert store.nearest(probe, [1], 1)[0][0] != 500
    assert len(store.nearest(probe, [1], 1000)) == 200


def test_a_table_past_the_limit_is_searched_by_lancedb(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 302 * DIM * 4 - 1)
    no_lancedb_search(store, monkeypatch)
    with pytest.raises(AssertionError, match="LanceDB was searched"):
        store.nearest(unit(1, 4)[0], [1], 5)


def test_an_add_is_appended_to_the_copy_without_reading_the_table_again(
    store: VectorStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest adds a document at a time while people search: no reload after each add."""
    probe = unit(1, 9)[0]
    store.nearest(probe, [1], 5)  # the copy is loaded here

    def refuse(*_: Any, **__: Any) -> None:
        raise AssertionError("the table was read again")

    with monkeypatch.context() as patch:
        patch.setattr(store._table, "to_arrow", refuse)
        no_lancedb_search(store, patch)
        store.add([600, 601], [2, 4], np.stack([probe, unit(1, 10)[0]]) * 3.0)
        got = store.nearest(probe, [1, 2], 30)
        assert got[0][:2] == (600, pytest.approx(1.0, abs=1e-5))
        assert set(store.vectors_of([600, 601])) == {600, 601}
    reference = open_store(tmp_path / "vectors")
    monkeypatch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 0)
    want = reference.nearest(probe, [1, 2], 30)
    assert [i for i, _, _ in got] == [i for i, _, _ in want]
    assert np.allclose([c for _, c, _ in got], [c for _, c, _ in want], atol=1e-5)
