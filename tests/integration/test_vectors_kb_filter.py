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
