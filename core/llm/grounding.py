"""Does the answer stand on its sources? Citation checks after generation.

Every [n] must name a source the model was given; each sentence that cites sources is
compared with them — lexically (shared word stems) and, across languages, semantically
(embedding similarity). A cited source that supports none of its sentences is flagged,
so the UI can mark it instead of lending the answer false authority.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.search.embedder import Embedder
from core.store.keywords import terms
from core.types import Hit, Source, Sources

_CITATION = re.compile(r"\[(\d{1,3})\]")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
SNIPPET_CHARS = 320
LEXICAL_SUPPORT = 0.3
"""Share of a sentence's content stems found in the source that counts as support."""


@dataclass(frozen=True, slots=True)
class CitationCheck:
    """What the checks found for one answer."""

    support: dict[int, float]
    """Source number -> best support over the sentences citing it (0..1)."""
    unknown: tuple[int, ...]
    """Numbers the answer cites that were never given as sources."""


def _sentences(answer: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(answer) if s.strip()]


def lexical_support(sentence: str, source: str) -> float:
    """Share of the sentence's content stems (citations removed) that the source contains."""
    words = set(terms(_CITATION.sub(" ", sentence), drop_stopwords=True))
    if not words:
        return 1.0  # nothing to check: a bare "[1]" or a number
    return len(words & set(terms(source))) / len(words)


def check_citations(
    answer: str,
    sources: Sequence[str],
    similarity: Callable[[list[str], list[str]], np.ndarray] | None = None,
    semantic_floor: float = 0.8,
) -> CitationCheck:
    """Score each cited source against the sentences that cite it.

    `similarity(sentences, passages)` returns a matrix of cosines; it rescues support
    that words cannot show (an answer in another language than its source).
    """
    cited_by: dict[int, list[str]] = {}
    unknown: set[int] = set()
    for sentence in _sentences(answer):
        for number in {int(n) for n in _CITATION.findall(sentence)}:
            if 1 <= number <= len(sources):
                cited_by.setdefault(number, []).append(sentence)
            else:
                unknown.add(number)
    support: dict[int, float] = {}
    weak: list[tuple[int, str]] = []
    for number, sentences in cited_by.items():
        best = max(lexical_support(s, sources[number - 1]) for s in sentences)
        support[number] = best
        if best < LEXICAL_SUPPORT:
            weak += [(number, s) for s in sentences]
    if weak and similarity is not None:
        cosines = similarity([s for _, s in weak], [sources[n - 1] for n, _ in weak])
        for (number, _), cosine in zip(weak, np.diag(cosines), strict=True):
            if cosine >= semantic_floor:
                support[number] = max(support[number], LEXICAL_SUPPORT)
    return CitationCheck(support, tuple(sorted(unknown)))


def checked_sources(answer: str, hits: Sequence[Hit], embedder: Embedder) -> Sources:
    """The numbered sources of a finished answer, with the citation checks applied."""

    def similarity(sentences: list[str], passages: list[str]) -> np.ndarray:
        queries = np.stack([embedder.embed_query(s) for s in sentences])
        return np.asarray(queries @ embedder.embed_passages(passages).T)

    check = check_citations(answer, [h.text for h in hits], similarity, embedder.relevance_floor)
    cited = {int(n) for n in _CITATION.findall(answer)}
    items = tuple(
        Source(
            n,
            h.document,
            h.source,
            h.location,
            h.text[:SNIPPET_CHARS],
            h.chunk_id,
            n in cited,
            check.support.get(n, 1.0),
            h.document_id,
        )
        for n, h in enumerate(hits, start=1)
    )
    return Sources(items, check.unknown)
