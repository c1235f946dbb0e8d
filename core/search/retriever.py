"""Hybrid retrieval: FTS5 BM25 and LanceDB vectors, fused (see fusion.py), diversified.

Both queries are restricted to the caller's knowledge bases inside the query itself.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from core.search.embedder import Embedder
from core.search.fusion import Fusion, fuse
from core.search.keywords import match_expression
from core.search.reranker import RERANK_DEPTH, Reranker
from core.store.library import Library
from core.store.vectors import VectorStore
from core.types import Hit

SAME_DOCUMENT_DECAY = 0.85


class Retriever:
    """Finds the chunks that best answer a query within some knowledge bases."""

    def __init__(
        self,
        library: Library,
        vectors: VectorStore,
        embedder: Embedder,
        fusion: Fusion | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.library = library
        self.vectors = vectors
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        self.reranker = reranker

    def search(
        self, query: str, kb_ids: list[int], limit: int = 10, fusion: Fusion | None = None
    ) -> list[Hit]:
        """The best `limit` chunks, fused, at most a few per document at the top."""
        if not kb_ids or not query.strip():
            return []
        fusion = fusion or self.fusion
        depth = max(fusion.candidates, limit)
        keyword: dict[int, float] = {}
        match = match_expression(query)
        if match and fusion.method != "vector":
            keyword = dict(self.library.keyword_search(match, kb_ids, depth))
        query_vector = self.embedder.embed_query(query)
        vector: dict[int, float] = {}
        if fusion.method != "keyword":
            vector = dict(self.vectors.search(query_vector, kb_ids, depth))
        missing = [i for i in keyword if i not in vector]
        if missing:  # keyword finds get their true cosine too (fusion and relevance floor)
            for chunk_id, stored in self.vectors.vectors_of(missing).items():
                vector[chunk_id] = float(np.dot(stored, query_vector))
        fused = fuse(keyword, vector, fusion)
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
        if self.reranker is not None and hits:
            hits = _rerank(self.reranker, query, hits)
        return _diversify(hits, limit)


def _rerank(reranker: Reranker, query: str, hits: list[Hit]) -> list[Hit]:
    """Re-order the top fused hits by the cross-encoder; the rest keep their order below."""
    head, tail = hits[:RERANK_DEPTH], hits[RERANK_DEPTH:]
    scores = reranker.scores(query, [h.text for h in head])
    # Sigmoid keeps scores in 0..1 above the tail's fused scores' scale; order is what counts.
    ranked = sorted(
        (
            replace(h, score=1.0 + 1.0 / (1.0 + math.exp(-s)))
            for h, s in zip(head, scores, strict=True)
        ),
        key=lambda h: -h.score,
    )
    return ranked + tail


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
