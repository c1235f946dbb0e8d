"""LanceDB's KB filter is left out only when every row of the table lies in the asked KBs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import core.store.vectors
from core.store.vectors import VectorStore
from tests.integration.test_vectors_resident import open_store, unit

VECTORS = unit(120, 11)
KBS = [1] * 60 + [2] * 40 + [3] * 20


def _exact(query: npt.NDArray[np.float32], kbs: list[int], limit: int) -> list[int]:
    inside = [n for n, kb in enumerate(KBS) if kb in kbs]
    cosines = VECTORS[inside] @ query
    return [inside[n] + 1 for n in np.argsort(-cosines, kind="stable")[:limit]]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> VectorStore:
    monkeypatch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 0)  # LanceDB answers
    vectors = open_store(tmp_path / "vectors")
    vectors.add(list(range(1, 61)), KBS[:60], VECTORS[:60])
    vectors.add(list(range(61, 121)), KBS[60:], VECTORS[60:])
    return vectors


def _filtered(store: VectorStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each vector search's KB filter ('' when left out)."""
    seen: list[str] = []
    search = store._table.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        builder: Any = search(*args, **kwargs)
        if not args:  # the scan that reads the table's KBs
            return builder
        where = builder.where

        def recorded(clause: str, **options: Any) -> Any:
            seen[-1] = clause
            return where(clause, **options)

        builder.where = recorded
        seen.append("")
        return builder

    monkeypatch.setattr(store._table, "search", spy)
    return seen


def test_every_kb_asked_gives_the_exact_answer_without_the_filter(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _filtered(store, monkeypatch)
    for n, query in enumerate(unit(4, 12)):
        for kbs in ([1, 2, 3], [3, 2, 1, 7], [1], [2, 3]):
            got = [i for i, _, _ in store.nearest(query, kbs, 15)]
            assert got == _exact(query, kbs, 15), (n, kbs)
    # Every KB of the table asked: no filter; some of them: the filter.
    assert seen == ["", "", "kb_id IN (1)", "kb_id IN (2,3)"] * 4


def test_a_kb_added_later_is_filtered_out_at_once(
    store: VectorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = unit(1, 13)[0]
    store.nearest(probe, [1, 2, 3], 5)  # the table's KBs are known from here on
    store.add([500], [9], probe[None, :])  # another KB's row, nearest to the probe
    assert 500 not in [i for i, _, _ in store.nearest(probe, [1, 2, 3], 5)]
    assert [i for i, _, _ in store.nearest(probe, [1, 2, 3, 9], 1)] == [500]
    store.delete([500])
    store.compact()  # the KBs are read again (and the sentinel row came and went)
    seen = _filtered(store, monkeypatch)
    assert [i for i, _, _ in store.nearest(probe, [1, 2, 3], 5)] == _exact(probe, [1, 2, 3], 5)
    assert seen == [""]


def test_a_compactions_sentinel_row_never_takes_a_slot(store: VectorStore) -> None:
    """A search may skip the filter while `compact()` holds its sentinel row.

    The row has no KB and a zero vector; LanceDB leaves zero vectors out of cosine
    searches, so it is never found (were it found, it would take one of the slots).
    """
    probe = np.zeros(VECTORS.shape[1], dtype=np.float32)
    probe[0] = 1.0
    store.nearest(probe, [1, 2, 3], 5)  # the table's KBs are known: no filter from here on
    # As a search sees the table in the middle of `compact()`: its one-row sentinel fragment.
    store._table.add(
        [{"id": core.store.vectors.SENTINEL_ID, "kb_id": -1, "vector": np.zeros_like(probe)}]
    )
    for query in [probe, *unit(3, 14)]:
        got = [i for i, _, _ in store.nearest(query, [1, 2, 3], 120)]
        assert got == _exact(query, [1, 2, 3], 120)


def test_past_the_index_threshold_the_nearest_are_found_with_exact_cosines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ANN index's quantised distances misorder close neighbours; refined, barely.

    Clustered vectors, as embeddings of related passages are (cosine ~0.9 within a
    cluster). Over five index builds the index alone found 0.944-0.962 of the exact top
    10 of 100 questions, refined (`REFINE_FACTOR`) 0.999-1.000; builds are random, so
    the bar sits between.
    """
    monkeypatch.setattr(core.store.vectors, "RESIDENT_MAX_BYTES", 0)
    monkeypatch.setattr(core.store.vectors, "INDEX_MIN_ROWS", 5000)
    rng = np.random.default_rng(21)
    dim = VECTORS.shape[1]
    centres = rng.normal(size=(30, dim)).astype(np.float32)

    def clustered(rows: int) -> npt.NDArray[np.float32]:
        picked = centres[rng.integers(0, len(centres), rows)]
        vectors = picked + rng.normal(size=(rows, dim)).astype(np.float32) * 0.5
        normed: npt.NDArray[np.float32] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normed

    table, queries = clustered(6000), clustered(100)
    store = open_store(tmp_path / "vectors")
    store.add(list(range(1, 6001)), [1] * 6000, table)
    store.ensure_index()
    assert any(i.index_type == "IvfHnswSq" for i in store._table.list_indices())
    found_of_exact = 0
    for query in queries:
        exact = {int(i) + 1 for i in np.argsort(-(table @ query))[:10]}
        found = store.nearest(query, [1], 10)
        found_of_exact += len(exact & {i for i, _, _ in found})
        cosines = [float(table[i - 1] @ query) for i, _, _ in found]
        assert [c for _, c, _ in found] == pytest.approx(cosines, abs=1e-5)
    assert found_of_exact >= 990  # of 1,000
