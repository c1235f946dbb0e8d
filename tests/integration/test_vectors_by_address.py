"""A big table's stored vectors are taken by row address, with exactly LanceDB's answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

import core.store.vectors
from core.store.vectors import VectorStore
from tests.vector_rows import open_store, unit


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> VectorStore:
    monkeypatch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 0)  # LanceDB answers
    vectors = open_store(tmp_path / "vectors")
    vectors.add(list(range(1, 201)), [1] * 200, unit(200, 1))
    vectors.add(list(range(201, 301)), [2] * 100, unit(100, 2) * 3.0)
    return vectors


def asked_by_id(store: VectorStore, monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Record the ids each `id IN (...)` query is asked for (the path without addresses)."""
    asked: list[list[int]] = []
    by_id = store._vectors_of_in_lancedb

    def spy(ids: list[int]) -> dict[int, npt.NDArray[np.float32]]:
        asked.append(list(ids))
        return by_id(ids)

    monkeypatch.setattr(store, "_vectors_of_in_lancedb", spy)
    return asked


def same(got: dict[int, npt.NDArray[np.float32]], want: dict[int, npt.NDArray[np.float32]]) -> None:
    assert got.keys() == want.keys()
    for key, vector in got.items():
        assert np.allclose(vector, want[key], atol=1e-5)


def test_vectors_are_taken_by_address_as_lancedb_finds_them(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [250, 3, 999, 3, 120, 300, 1]
    want = store._vectors_of_in_lancedb(ids)
    assert want.keys() == {250, 3, 120, 300, 1}
    asked = asked_by_id(store, monkeypatch)
    same(store.vectors_of(ids), want)
    assert asked == [[999]]  # only the one the table does not hold
    expected = unit(100, 2)[49] * 3.0  # id 250, unrotated as it was added
    assert np.allclose(store.vectors_of([250])[250], expected, atol=1e-5)


def test_rows_added_later_are_found_by_id_until_the_compaction(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.vectors_of([1])  # the addresses are read here
    store.add([400, 401], [1, 1], unit(2, 7))
    asked = asked_by_id(store, monkeypatch)
    got = store.vectors_of([5, 400, 401])
    assert got.keys() == {5, 400, 401}
    assert np.allclose(got[401], unit(2, 7)[1], atol=1e-5)
    assert asked == [[400, 401]]
    store.compact()
    asked.clear()
    assert store.vectors_of([5, 400, 401]).keys() == {5, 400, 401}
    assert asked == []


def test_a_compaction_moves_the_rows_and_the_addresses_follow(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.vectors_of(list(range(1, 301)))
    store.delete(list(range(1, 150)))
    assert store.vectors_of([10, 160]).keys() == {160}
    store.compact()  # rewrites the fragments: every row moves
    asked = asked_by_id(store, monkeypatch)
    got = store.vectors_of([10, 160, 299])
    assert asked == [[10]]  # deleted: the only one not found by its new address
    same(got, {160: before[160], 299: before[299]})


def test_warming_up_reads_what_the_first_search_needs(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    want = store._vectors_of_in_lancedb([7, 250])
    store.warm_up()

    def refuse(*_: object) -> None:
        raise AssertionError("read at the first search")

    monkeypatch.setattr(store, "_read_rows", refuse)
    asked = asked_by_id(store, monkeypatch)
    assert [i for i, _, _ in store.nearest(unit(1, 3)[0], [1, 2], 5)]
    same(store.vectors_of([7, 250]), want)
    assert asked == []
