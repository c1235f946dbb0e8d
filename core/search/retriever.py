"""Hybrid retrieval: FTS5 BM25 and LanceDB vectors, fused by weight, diversified by document.

Both queries are restricted to the caller's knowledge bases inside the query itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.search.embedder import Embedder
from core.search.keywords import match_expression
from core.store.library import Library
from core.store.vectors import VectorStore
from core.types import Hit

CANDIDATES = 50
SAME_DOCUMENT_DECAY = 0.85


@dataclass(frozen=True, slots=True)
class Weights:
    """How keyword and vector evidence combine (each list min-max normalised first)."""

    keyword: float = 0.35
    vector: float = 0.65


def _normalise(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    if span <= 1e-9:
        return dict.fromkeys(scores, 1.0)
    return {k: (v - low) / span for k, v in scores.items()}


class Retriever:
    """Finds the chunks that best answer a query within some knowledge bases."""

    def __init__(
        self,
        library: Library,
        vectors: VectorStore,
        embedder: Embedder,
        weights: Weights | None = None,
    ) -> None:
        self.library = library
        self.vectors = vectors
        self.embedder = embedder
        self.weights = weights or Weights()

    def search(self, query: str, kb_ids: list[int], limit: int = 10) -> list[Hit]:
        """The best `limit` chunks, fused, at most a few per document at the top."""
        if not kb_ids or not query.strip():
            return []
        keyword: dict[int, float] = {}
        match = match_expression(query)
        if match:
            keyword = dict(self.library.keyword_search(match, kb_ids, CANDIDATES))
        query_vector = self.embedder.embed_query(query)
        vector = dict(self.vectors.search(query_vector, kb_ids, CANDIDATES))
        missing = [i for i in keyword if i not in vector]
        if missing:
            for chunk_id, stored in self.vectors.vectors_of(missing).items():
                vector[chunk_id] = float(np.dot(stored, query_vector))
        kw_norm, vec_norm = _normalise(keyword), _normalise(vector)
        fused = {
            cid: self.weights.keyword * kw_norm.get(cid, 0.0)
            + self.weights.vector * vec_norm.get(cid, 0.0)
            for cid in set(keyword) | set(vector)
        }
        ranked = sorted(fused, key=lambda c: fused[c], reverse=True)
        rows = self.library.chunk_rows(ranked[: limit * 3], kb_ids)
        hits = [
            Hit(
                cid,
                r.document_id,
                r.document,
                r.source,
                r.text,
                r.location,
                fused[cid],
                keyword.get(cid, 0.0),
                vector.get(cid, 0.0),
            )
            for cid in ranked
            if (r := rows.get(cid)) is not None
        ]
        return _diversify(hits, limit)


def _diversify(hits: list[Hit], limit: int) -> list[Hit]:
    """Greedy re-rank that discounts each further chunk of an already-chosen document."""
    chosen: list[Hit] = []
    per_doc: dict[int, int] = {}
    pool = list(hits)
    while pool and len(chosen) < limit:
        best = max(
            pool, key=lambda h: h.score * SAME_DOCUMENT_DECAY ** per_doc.get(h.document_id, 0)
        )
        pool.remove(best)
        chosen.append(best)
        per_doc[best.document_id] = per_doc.get(best.document_id, 0) + 1
    return chosen
