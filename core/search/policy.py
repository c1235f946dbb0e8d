"""Which passages an answer may use: the relevance policy of answers.

The relevance floor, the cross-language margin, and reading a follow-up question
together with the one before it.

An answer never offers the model a passage that is neither close in meaning (the
embedder's calibrated floor, lowered across languages, where similarities run lower)
nor a keyword match; when nothing qualifies the answer says "not in the documents"
without asking the model at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.search.embedder import Embedder
from core.search.language import detect_language
from core.search.retriever import Retriever, Translate
from core.types import Hit


@dataclass(frozen=True, slots=True)
class Found:
    """Passages for an answer, best first, and whether any is relevant enough to answer."""

    hits: list[Hit]
    answerable: bool


def find_passages(
    retriever: Retriever,
    embedder: Embedder,
    question: str,
    kb_ids: list[int],
    limit: int,
    exclude: frozenset[int] = frozenset(),
    previous: str = "",
    translate: Translate | None = None,
) -> Found:
    """Up to `limit` passages for `question` from `kb_ids`, none of the ids in `exclude`.

    A follow-up ("and why?") that finds nothing relevant alone is searched again read
    together with `previous`, the conversation's question before it. `translate` makes
    the question's translation when the passages may be in the other language.
    """
    language = detect_language(question)

    def relevant(hit: Hit) -> bool:
        floor = embedder.relevance_floor
        if detect_language(hit.text) != language:
            floor -= embedder.cross_language_margin
        return hit.vector_score >= floor

    def retrieve(query: str) -> list[Hit]:
        return [
            h
            for h in retriever.search(query, kb_ids, limit + len(exclude), translate=translate)
            if h.chunk_id not in exclude and (relevant(h) or h.keyword_rank > 0)
        ]

    hits = retrieve(question)
    if previous and not any(relevant(h) for h in hits):
        hits = retrieve(f"{previous} {question}")
    return Found(hits, any(relevant(h) for h in hits))
