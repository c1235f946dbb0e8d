"""How keyword and vector evidence combine into one ranking (tuned on an evaluation set)."""

from __future__ import annotations

import math

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


def fuse(keyword: dict[int, float], vector: dict[int, float], fusion: Fusion) -> dict[int, float]:
    """One score per chunk id, higher is better."""
    if fusion.method == "keyword":
        return _normalised(keyword, "max")
    if fusion.method == "vector":
        return dict(vector)
    if fusion.method == "rrf":
        kw_rank, vec_rank = _ranks(keyword), _ranks(vector)
        return {
            cid: sum(1.0 / (fusion.rrf_k + r[cid]) for r in (kw_rank, vec_rank) if cid in r)
            for cid in set(keyword) | set(vector)
        }
    kw, vec = _normalised(keyword, fusion.normalise), _normalised(vector, fusion.normalise)
    w = fusion.keyword_weight
    return {cid: w * kw.get(cid, 0.0) + (1 - w) * vec.get(cid, 0.0) for cid in set(kw) | set(vec)}


def keyword_share(query_terms: int, matching_terms: int) -> float:
    """Scale for keyword evidence when only part of the query can match (other language)."""
    if query_terms <= 0:
        return 0.0
    return math.sqrt(matching_terms / query_terms)
