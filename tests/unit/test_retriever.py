"""Score fusion helpers of the retriever."""

from core.search.fusion import _normalised, fuse
from core.search.retriever import Scored, _diversify
from core.settings import Fusion
from core.types import Hit, Location


def hit(cid: int, doc: int, score: float) -> Scored:
    return Scored(Hit(cid, doc, f"d{doc}", f"d{doc}", "t", Location(), 0, 0, 0.0), score)


def test_normalise_maps_to_unit_range_and_handles_ties() -> None:
    assert _normalised({1: 2.0, 2: 4.0, 3: 3.0}, "minmax") == {1: 0.0, 2: 1.0, 3: 0.5}
    assert _normalised({1: 5.0, 2: 5.0}, "minmax") == {1: 1.0, 2: 1.0}
    assert _normalised({1: 2.0, 2: 4.0}, "max") == {1: 0.5, 2: 1.0}
    assert _normalised({}, "minmax") == {}


def test_fusion_recipes() -> None:
    keyword, vector = {1: 10.0, 2: 8.0, 4: 1.0}, {2: 0.9, 3: 0.8}
    weighted = fuse(keyword, vector, Fusion(keyword_weight=0.5))
    assert weighted[2] > weighted[1] > weighted[3]  # found by both wins
    rrf = fuse(keyword, vector, Fusion("rrf", rrf_k=60))
    assert rrf[2] == 1 / 62 + 1 / 61
    assert fuse(keyword, vector, Fusion("vector")) == vector
    assert set(fuse(keyword, vector, Fusion("keyword"))) == {1, 2, 4}


def test_diversify_lets_another_document_in_before_a_third_chunk_of_one() -> None:
    hits = [hit(1, 1, 1.0), hit(2, 1, 0.98), hit(3, 1, 0.97), hit(4, 2, 0.8)]
    assert [s.hit.chunk_id for s in _diversify(hits, 3)] == [1, 2, 4]


def test_diversify_keeps_order_when_documents_differ() -> None:
    hits = [hit(1, 1, 0.9), hit(2, 2, 0.8), hit(3, 3, 0.7)]
    assert [s.hit.chunk_id for s in _diversify(hits, 10)] == [1, 2, 3]
