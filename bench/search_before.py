"""The hybrid search as it ran before its latency work (issue 17): the same-run baseline.

`Retriever.search` at 43e1da3 (main before this work), reduced to what the benchmark's
queries reach (no translation, no reranker): one step after another, the KB marker
inside the FTS5 MATCH, the stored vectors looked up twice (in LanceDB, as a table of any
size was then), language read by regexes. Its FTS5 index is the benchmark's copy
(fts5_baseline.py): m017 dropped the product's.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from bench.fts5_baseline import TABLE, match_expression, restrict_to_kbs
from core.search.embedder import Vectors
from core.search.fusion import foreign_ids, fuse
from core.search.retriever import LANGUAGE_SAMPLE, Retriever, Scored, _diversify
from core.store.vectors import REFINE_FACTOR
from core.types import Hit

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


def _language(text: str, passage: bool) -> str:
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if passage:
        return "ru" if cyrillic and cyrillic * 4 >= cyrillic + latin else "en"
    return "ru" if cyrillic > latin else "en"


def nearest_before(r: Retriever, query: Vectors, kb_ids: list[int], depth: int) -> dict[int, float]:
    """The old ANN query: ids and distances only, the stored vectors looked up after.

    With today's refinement (`REFINE_FACTOR`), so both paths rank the same candidates:
    on the benchmark's random vectors the index alone finds few of the exact neighbours,
    and the refined and unrefined top 10 would differ for that alone (the refinement's
    own gain is tested in tests/integration/test_vectors_kb_filter.py).
    """
    builder: Any = r.vectors._table.search(r.vectors._rotation @ query)
    result = (
        builder.distance_type("cosine")
        .refine_factor(REFINE_FACTOR)
        .where(f"kb_id IN ({','.join(map(str, kb_ids))})", prefilter=True)
        .select(["id", "_distance"])
        .limit(depth)
        .to_arrow()
    )
    ids, distances = result.column("id").to_pylist(), result.column("_distance").to_pylist()
    return {int(i): 1.0 - float(d) for i, d in zip(ids, distances, strict=True)}


def search_before(r: Retriever, query: str, kb_ids: list[int], limit: int = 10) -> list[int]:
    """The chunk ids the old path returned, found the old way."""
    fusion, depth = r.fusion, max(r.fusion.candidates, limit)
    language = _language(query, passage=False)
    keyword: dict[int, float] = {}
    match = match_expression(query)
    if match:
        rows = r.library.db.query(
            f"SELECT rowid, -bm25({TABLE}) FROM {TABLE} WHERE {TABLE} MATCH ? "
            "ORDER BY rank LIMIT ?",
            [restrict_to_kbs(match, kb_ids), depth],
        )
        keyword = {int(row[0]): float(row[1]) for row in rows}
    query_vector = r.embedder.embed_query(query)
    vector = nearest_before(r, query_vector, kb_ids, depth)
    missing = [i for i in keyword if i not in vector]
    for chunk_id, stored in r.vectors._vectors_of_in_lancedb(missing).items():
        vector[chunk_id] = float(np.dot(stored, query_vector))
    found = r.library.chunk_rows(list(set(keyword) | set(vector)), kb_ids)
    languages = {c: _language(row.text[:LANGUAGE_SAMPLE], passage=True) for c, row in found.items()}
    fused = fuse(keyword, vector, fusion, foreign_ids(languages, language))
    scored = [
        Scored(
            Hit(c, row.document_id, row.document, row.source, row.text, row.location, 0, 0, 0.0),
            fused[c],
        )
        for c in sorted(fused, key=lambda c: fused[c], reverse=True)
        if (row := found.get(c)) is not None
    ]
    scored = [s for s in scored if not found[s.hit.chunk_id].navigation] or scored
    chosen = [s.hit.chunk_id for s in _diversify(scored, limit)]
    exact = r.vectors._vectors_of_in_lancedb(chosen)
    _ = {c: float(np.dot(v, query_vector)) for c, v in exact.items()}
    return chosen
