"""Score fusion helpers of the retriever."""

from core.search.retriever import _diversify, _normalise
from core.types import Hit, Location


def hit(cid: int, doc: int, score: float) -> Hit:
    return Hit(cid, doc, f"d{doc}", f"d{doc}", "t", Location(), score, 0.0, 0.0)


def test_normalise_maps_to_unit_range_and_handles_ties() -> None:
    assert _normalise({1: 2.0, 2: 4.0, 3: 3.0}) == {1: 0.0, 2: 1.0, 3: 0.5}
    assert _normalise({1: 5.0, 2: 5.0}) == {1: 1.0, 2: 1.0}
    assert _normalise({}) == {}


def test_diversify_lets_another_document_in_before_a_third_chunk_of_one() -> None:
    hits = [hit(1, 1, 1.0), hit(2, 1, 0.98), hit(3, 1, 0.97), hit(4, 2, 0.8)]
    assert [h.chunk_id for h in _diversify(hits, 3)] == [1, 2, 4]


def test_diversify_keeps_order_when_documents_differ() -> None:
    hits = [hit(1, 1, 0.9), hit(2, 2, 0.8), hit(3, 3, 0.7)]
    assert [h.chunk_id for h in _diversify(hits, 10)] == [1, 2, 3]
