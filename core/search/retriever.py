"""Hybrid retrieval: BM25 keyword postings and LanceDB vectors, fused (fusion.py), diversified.

Both queries are restricted to the caller's knowledge bases inside the query itself.
Scores stay inside: hits leave with ranks and cosines only (see `core.types.Hit`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from core.search.embedder import Embedder, Vectors
from core.search.fusion import foreign_ids, fuse, fuse_lists, fuse_lists_by_score
from core.search.language import detect_language, passage_language
from core.search.reranker import RERANK_DEPTH, CrossEncoder
from core.settings import Fusion
from core.store.keywords import query_terms
from core.store.library import ChunkRow, Library
from core.store.vectors import VectorStore
from core.types import Hit

SAME_DOCUMENT_DECAY = 0.85

Translate = Callable[[str, str], str | None]
"""(query, target language 'en'/'ru') -> its translation, or None when there is none."""


def no_translation(query: str, target: str) -> str | None:
    """A `Translate` that never translates (to measure or search without it)."""
    return None


TRANSLATE_SHARE = 0.1
"""A query is translated when at least this share of its candidates is in the other
language: a stray quoted English paragraph in a Russian manual is not worth a generation."""

LANGUAGE_SAMPLE = 600
"""Characters of a chunk read to tell its language (a chunk is ~1,500)."""

KEYWORD_WORKERS = 4
"""Keyword steps of concurrent searches that run at once; each worker thread keeps its own
read connection to the database, so the pool lives as long as the process."""
_KEYWORD_STEPS = ThreadPoolExecutor(KEYWORD_WORKERS, thread_name_prefix="konspekt-keywords")


class Retriever:
    """Finds the chunks that best answer a query within some knowledge bases."""

    def __init__(
        self,
        library: Library,
        vectors: VectorStore,
        embedder: Embedder,
        fusion: Fusion | None = None,
        reranker: CrossEncoder | None = None,
    ) -> None:
        self.library = library
        self.vectors = vectors
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        self.reranker = reranker

    def search(
        self,
        query: str,
        kb_ids: list[int],
        limit: int = 10,
        fusion: Fusion | None = None,
        translate: Translate | None = None,
    ) -> list[Hit]:
        """The best `limit` chunks, fused, at most a few per document at the top.

        With `translate`, a query whose candidates are partly in the other language is
        searched again as `translate(query, that language)` (None: not translated) and the
        two lists are combined as `fusion.translation_fusion` says. Chunk languages are
        read from the candidates' text here: the index records none, and the texts are
        fetched anyway.
        """
        if not kb_ids or not query.strip():
            return []
        fusion = fusion or self.fusion
        language = detect_language(query)
        first = self._candidates(query, language, kb_ids, max(fusion.candidates, limit), fusion)
        rows, fused, query_vector = first.rows, first.fused, first.query_vector
        vector, stored = dict(first.vector), dict(first.stored)
        keyword_rank = {cid: n for n, cid in enumerate(first.keyword, start=1)}
        other = _other_language(language)
        wanted = (
            translate is not None
            and fusion.translation_weight > 0
            and fusion.method not in ("keyword", "vector")
            and _share(first.languages, other) >= TRANSLATE_SHARE
        )
        translation = translate(query, other) if wanted and translate is not None else None
        if translation and translation.strip() and translation.strip() != query.strip():
            second = self._candidates(
                translation, other, kb_ids, max(fusion.candidates, limit), fusion
            )
            lists = [(first.fused, 1.0), (second.fused, fusion.translation_weight)]
            if fusion.translation_fusion == "score":
                fused = fuse_lists_by_score(lists)
            else:
                fused = fuse_lists(lists, fusion.rrf_k)
            rows.update(second.rows)
            stored.update(second.stored)
            for cid in second.fused:
                if cid not in vector and cid in stored:
                    vector[cid] = float(np.dot(stored[cid], query_vector))
            for n, cid in enumerate(second.keyword, start=1):
                keyword_rank.setdefault(cid, n)
        ranked = sorted(fused, key=lambda c: fused[c], reverse=True)
        # Keyword matches come best first; only their order leaves this module.
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
        # Each hit's cosine with this question, from its stored vector: one scale for the
        # question's finds, its translation's and the keyword finds. Every candidate's
        # stored vector came with its query (`nearest`, `vectors_of`).
        return [
            replace(
                h,
                rank=n,
                vector_score=float(np.dot(stored[h.chunk_id], query_vector))
                if h.chunk_id in stored
                else h.vector_score,
            )
            for n, h in enumerate(chosen, start=1)
        ]

    def _candidates(
        self, query: str, language: str, kb_ids: list[int], depth: int, fusion: Fusion
    ) -> Candidates:
        """Keyword and vector candidates of one query, fused with language-aware weights.

        The keyword step (BM25 postings, then the stored vectors of its finds) runs on a worker
        thread while this one embeds the query and asks LanceDB for its neighbours. Both
        mostly wait in native code (SQLite, LanceDB, onnxruntime), so a search takes about
        the longer of the two instead of their sum (docs/retrieval.md, "Search latency").
        """
        words = query_terms(query) if fusion.method != "vector" else []
        keyword_step = (
            _KEYWORD_STEPS.submit(self._keyword_step, words, kb_ids, depth) if words else None
        )
        query_vector = self.embedder.embed_query(query)
        vector: dict[int, float] = {}
        stored: dict[int, Vectors] = {}
        if fusion.method != "keyword":
            for chunk_id, cosine, its_vector in self.vectors.nearest(query_vector, kb_ids, depth):
                vector[chunk_id], stored[chunk_id] = cosine, its_vector
        keyword, keyword_vectors = keyword_step.result() if keyword_step else ({}, {})
        for chunk_id, its_vector in keyword_vectors.items():
            if chunk_id not in stored:  # keyword finds get their true cosine too (fusion, floor)
                stored[chunk_id] = its_vector
                vector[chunk_id] = float(np.dot(its_vector, query_vector))
        rows = self.library.chunk_rows(list(set(keyword) | set(vector)), kb_ids)
        languages = {cid: passage_language(r.text[:LANGUAGE_SAMPLE]) for cid, r in rows.items()}
        fused = fuse(keyword, vector, fusion, foreign_ids(languages, language))
        return Candidates(keyword, vector, fused, rows, languages, query_vector, stored)

    def _keyword_step(
        self, words: list[str], kb_ids: list[int], depth: int
    ) -> tuple[dict[int, float], dict[int, Vectors]]:
        """BM25 scores of the best keyword matches in the KBs, and their stored vectors."""
        keyword = dict(self.library.keyword_search(words, kb_ids, depth))
        return keyword, self.vectors.vectors_of(list(keyword))


def _share(languages: dict[int, str], language: str) -> float:
    return sum(lang == language for lang in languages.values()) / max(1, len(languages))


def _other_language(language: str) -> str:
    return "en" if language == "ru" else "ru"


@dataclass(slots=True)
class Candidates:
    """One query's candidates: scores, fused scores, rows, languages, query and stored vectors."""

    keyword: dict[int, float]
    vector: dict[int, float]
    fused: dict[int, float]
    rows: dict[int, ChunkRow]
    languages: dict[int, str]
    query_vector: Vectors
    stored: dict[int, Vectors]
    """The stored vector of each candidate that has one (for exact cosines)."""


@dataclass(frozen=True, slots=True)
class Scored:
    """A hit with its internal fused score, which never leaves the retriever."""

    hit: Hit
    score: float


def _rerank(reranker: CrossEncoder, query: str, scored: list[Scored]) -> list[Scored]:
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
