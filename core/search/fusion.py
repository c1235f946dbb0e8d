"""How keyword and vector evidence combine into one ranking (tuned on an evaluation set).

Two rules make it language-aware (docs/retrieval.md has the figures):
- BM25 scores are comparable only within one language: a chunk in another language than
  the query can match only the few tokens both share (`apt`, `Debian`), so its keyword
  evidence weighs `cross_keyword_weight` instead of `keyword_weight`.
- A question also searched as its translation gives a second list, fused in the other
  language. Its raw scores are on another scale (each list's min-max normalisation ran
  over its own candidates), so the lists are combined by their ranks (`fuse_lists`) or
  by their scores relative to each list's best (`fuse_lists_by_score`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from core.settings import Fusion  # the settings describe one, so it lives there


def _normalised(scores: dict[int, float], how: str) -> dict[int, float]:
    if not scores:
        return {}
    high = max(scores.values())
    if how == "max":
        return {k: v / high if high > 0 else 0.0 for k, v in scores.items()}
    low = min(scores.values())
    span = high - low
    if span <= 1e-9:
        return dict.fromkeys(scores, 1.0)
    return {k: (v - low) / span for k, v in scores.items()}


def _ranks(scores: dict[int, float]) -> dict[int, int]:
    return {cid: i for i, cid in enumerate(sorted(scores, key=lambda c: -scores[c]), start=1)}


def fuse(
    keyword: dict[int, float],
    vector: dict[int, float],
    fusion: Fusion,
    foreign: Collection[int] = frozenset(),
) -> dict[int, float]:
    """One score per chunk id, higher is better.

    `foreign` holds the ids of chunks in another language than the query: their keyword
    evidence counts `cross_keyword_weight / keyword_weight` as much (the vector share
    stays, so a foreign chunk is never lifted above where its meaning puts it).
    """
    if fusion.method == "keyword":
        return _normalised(keyword, "max")
    if fusion.method == "vector":
        return dict(vector)

    def keyword_factor(cid: int) -> float:
        if cid not in foreign:
            return 1.0
        if fusion.keyword_weight <= 0:
            return 0.0
        return fusion.cross_keyword_weight / fusion.keyword_weight

    if fusion.method == "rrf":
        kw_rank, vec_rank = _ranks(keyword), _ranks(vector)
        return {
            cid: keyword_factor(cid) * _rrf(kw_rank.get(cid), fusion.rrf_k)
            + _rrf(vec_rank.get(cid), fusion.rrf_k)
            for cid in set(keyword) | set(vector)
        }
    kw, vec = _normalised(keyword, fusion.normalise), _normalised(vector, fusion.normalise)
    w = fusion.keyword_weight
    return {
        cid: w * keyword_factor(cid) * kw.get(cid, 0.0) + (1 - w) * vec.get(cid, 0.0)
        for cid in set(kw) | set(vec)
    }


def foreign_ids(languages: dict[int, str], language: str) -> set[int]:
    """The chunks whose keyword evidence is across languages for a `language` query.

    Those in another language; all of them when most are: there the odd chunk that reads
    like the query's language (a quoted English paragraph, a code listing in a Russian
    manual) is no better a keyword match than its neighbours.
    """
    foreign = {cid for cid, lang in languages.items() if lang != language}
    return set(languages) if 2 * len(foreign) >= len(languages) else foreign


def _rrf(rank: int | None, k: int) -> float:
    return 0.0 if rank is None else 1.0 / (k + rank)


def fuse_lists(lists: Sequence[tuple[dict[int, float], float]], k: int) -> dict[int, float]:
    """Weighted reciprocal rank fusion of scored lists (list, weight) on unrelated scales.

    Used for a question and its translation: each list was fused on its own, in its own
    language, so only the order within each list means anything.
    """
    fused: dict[int, float] = {}
    for scores, weight in lists:
        for cid, rank in _ranks(scores).items():
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return fused


def fuse_lists_by_score(lists: Sequence[tuple[dict[int, float], float]]) -> dict[int, float]:
    """Weighted sum of scored lists (list, weight), each divided by its best score first.

    Unlike ranks, relative scores keep how far apart the candidates are: a translation
    whose best passage stands out keeps its lead over the original's near-ties.
    """
    fused: dict[int, float] = {}
    for scores, weight in lists:
        best = max(scores.values(), default=0.0)
        if best <= 0:
            continue
        for cid, score in scores.items():
            fused[cid] = fused.get(cid, 0.0) + weight * max(score, 0.0) / best
    return fused
