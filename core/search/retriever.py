"""Hybrid retrieval: FTS5 BM25 and LanceDB vectors, fused (see fusion.py), diversified.

Both queries are restricted to the caller's knowledge bases inside the query itself.
Scores stay inside: hits leave with ranks and cosines only (see `core.types.Hit`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from core.search.embedder import Embedder
from core.search.fusion import fuse
from core.search.reranker import RERANK_DEPTH, Reranker
from core.settings import Fusion
from core.store.keywords import match_expression
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
        if sum(not r.navigation for r in rows.values()) < limit:  # contents pages took the head
            rows.update(self.library.chunk_rows(ranked[limit * 3 :], kb_ids))
        # Keyword matches come best first; only their order leaves this module.
        keyword_rank = {cid: n for n, cid in enumerate(keyword, start=1)}
        scored = [
            Scored(
                Hit(
                    cid,
                    r.document_id,
                    r.document,
                    r.source,
                    r.text,
                    r.location,
                    0,
                    keyword_rank.get(cid, 0),
                    vector.get(cid, 0.0),
                ),
                fused[cid],
            )
            for cid in ranked
            if (r := rows.get(cid)) is not None
        ]
        # Tables of contents and the like name every topic and answer none: they stay out
        # unless nothing else matches.
        scored = [s for s in scored if not rows[s.hit.chunk_id].navigation] or scored
        if self.reranker is not None and scored:
            scored = _rerank(self.reranker, query, scored)
        chosen = [s.hit for s in _diversify(scored, limit)]
        # Exact cosines from the stored vectors: past INDEX_MIN_ROWS the ANN index returns
        # quantised distances whose scale is trained on every knowledge base's vectors.
        exact = self.vectors.vectors_of([h.chunk_id for h in chosen])
        return [
            replace(
                h,
                rank=n,
                vector_score=float(np.dot(exact[h.chunk_id], query_vector))
                if h.chunk_id in exact
                else h.vector_score,
            )
            for n, h in enumerate(chosen, start=1)
        ]


@dataclass(frozen=True, slots=True)
class Scored:
    """A hit with its internal fused score, which never leaves the retriever."""

    hit: Hit
    score: float


def _rerank(reranker: Reranker, query: str, scored: list[Scored]) -> list[Scored]:
    """Re-order the top fused hits by the cross-encoder; the rest keep their order below."""
    head, tail = scored[:RERANK_DEPTH], scored[RERANK_DEPTH:]
    scores = reranker.scores(query, [s.hit.text for s in head])
    # Sigmoid keeps scores in 0..1 above the tail's fused scores' scale; order is what counts.
    ranked = sorted(
        (
            Scored(h.hit, 1.0 + 1.0 / (1.0 + math.exp(-s)))
            for h, s in zip(head, scores, strict=True)
        ),
        key=lambda h: -h.score,
    )
    return ranked + tail


def _diversify(scored: list[Scored], limit: int) -> list[Scored]:
    """Greedy re-rank that discounts each further chunk of an already-chosen document."""
    chosen: list[Scored] = []
    per_doc: dict[int, int] = {}
    pool = list(scored)
    while pool and len(chosen) < limit:
        best = max(
            pool,
            key=lambda s: s.score * SAME_DOCUMENT_DECAY ** per_doc.get(s.hit.document_id, 0),
        )
        pool.remove(best)
        chosen.append(best)
        per_doc[best.hit.document_id] = per_doc.get(best.hit.document_id, 0) + 1
    return chosen
