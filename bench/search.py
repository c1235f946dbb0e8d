"""Search latency at 10k and 100k synthetic chunks (1M with `--million`).

`--keep DIR` keeps each filled store under DIR and reuses it on the next run (filling 1M
chunks takes most of an hour on 2 cores).

Each size reports the full hybrid `Engine.search` (query embedding, access check and KB
filter included) and its parts, against the bare baselines in the same run: an
unfiltered LanceDB query and a bare FTS5 MATCH ranked by BM25 on the same store (the
keyword index before core/store/postings.py). The FTS5 keyword step is also timed the
way it ran at the start of issue 17 (the `_kb` marker inside the MATCH), and the
postings for a KB with none of the matches.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench import fts5_baseline
from bench.common import (
    bench_session,
    bench_settings,
    default_embedder,
    percentile,
    scratch,
    summary,
)
from bench.fts5_baseline import TABLE, match_expression, restrict_to_kbs
from bench.search_before import nearest_before, search_before
from core import Engine
from core.ingest.chunking import ChunkDraft
from core.search.embedder import Embedder
from core.settings import free_cores
from core.store.keywords import query_terms
from core.store.library import NewDocument

WORDS = (
    "debian package install kernel network printer contract invoice supplier delivery "
    "договор поставка счёт оплата сеть принтер ядро пакет установка сервер пользователь "
    "license archive mirror release security update backup restore policy audit"
).split()


def _vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    """Pseudo-words with Zipf weights (as in real text); the query words sit at ranks 50-1500."""
    rng = random.Random(7)
    latin, cyrillic = "abcdefghijklmnopqrstuvwxyz", "абвгдежзиклмнопрстуфхцчшщэюя"
    vocab = [
        "".join(rng.choices(cyrillic if i % 3 == 0 else latin, k=rng.randint(4, 10)))
        for i in range(size)
    ]
    for n, word in enumerate(WORDS):
        vocab[50 + n * 40] = word
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(size)]
    return vocab, weights


QUERIES = [
    "how to install a package",
    "договор поставки оплата",
    "kernel network printer",
    "security update policy",
    "счёт поставщика",
    "backup and restore",
    "mirror release",
]


def _fill(engine: Engine, n_chunks: int, per_doc: int = 100) -> None:
    rng = random.Random(1)
    vocab, weights = _vocabulary()
    np_rng = np.random.default_rng(1)
    library = engine.context.library  # benchmarks may look under the facade
    index = engine.context.index.open()
    embedder, vectors = index.embedder, index.vectors
    kb = engine.kbs.create(bench_session(engine), "Bench").id
    for start in range(0, n_chunks, 5000):
        docs, ids, count = [], [], min(5000, n_chunks - start)
        first = library.reserve_chunk_ids(count)
        for d in range(count // per_doc):
            drafts = tuple(
                (
                    first + d * per_doc + i,
                    ChunkDraft(
                        i, " ".join(rng.choices(vocab, weights, k=60)), "", None, "", 0, 0, 80
                    ),
                )
                for i in range(per_doc)
            )
            ids += [cid for cid, _ in drafts]
            docs.append(
                NewDocument(
                    kb,
                    f"doc{start + d * per_doc}",
                    f"doc{d}.txt",
                    "txt",
                    str(start + d),
                    1,
                    0,
                    embedder.name,
                    drafts,
                )
            )
        vec = np_rng.normal(size=(len(ids), embedder.dim)).astype(np.float32)
        vec /= np.linalg.norm(vec, axis=1, keepdims=True)
        vectors.add(ids, [kb] * len(ids), vec)
        library.save_documents(docs)
        if n_chunks >= 500_000 and (start + count) % 100_000 == 0:
            print(f"  {start + count:,} chunks written", flush=True)
    t0 = time.perf_counter()
    vectors.compact()
    vectors.ensure_index()
    print(f"  compaction + index (if >= 50k rows): {time.perf_counter() - t0:.1f} s")


def _time(fn: object, repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        fn(QUERIES[i % len(QUERIES)])  # type: ignore[operator]
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _interleaved(
    first: Callable[[str], object], second: Callable[[str], object], repeats: int
) -> tuple[list[float], list[float]]:
    """Both timed turn about on the same queries, so a busy machine slows both alike."""
    a: list[float] = []
    b: list[float] = []
    for i in range(repeats):
        q = QUERIES[i % len(QUERIES)]
        for fn, out in ((first, a), (second, b)) if i % 2 else ((second, b), (first, a)):
            t0 = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t0) * 1000)
    return a, b


def run(
    size: int, embedder: Embedder, single: Embedder, keep: Path | None = None, repeats: int = 40
) -> None:
    """Fill a store with `size` chunks (or reuse the one kept under `keep`), time the queries.

    `single` is the same model on one thread: a short query gains little from a second
    thread, and on a busy machine threads that wait for each other stall.
    """
    folder = keep / f"search{size}" if keep else scratch(f"search{size}")
    with Engine(bench_settings(folder), embedder=embedder) as engine:
        who = bench_session(engine)
        if any(k.name == "Bench" for k in engine.kbs.visible(who)):
            print(f"{size:>9,} chunks (kept in {folder})")
        else:
            t0 = time.perf_counter()
            _fill(engine, size)
            print(f"{size:>9,} chunks (filled in {time.perf_counter() - t0:.0f} s)")
            who = bench_session(engine)  # a 1M fill outlasts the session's idle lock
        fts5_baseline.ensure(engine.context.db)
        vectors = engine.context.index.open().vectors
        table = vectors._table
        query_vectors = {q: embedder.embed_query(q) for q in QUERIES}
        engine.answers.search(who, QUERIES[0], kb="Bench")  # warm caches
        retriever = engine.context.index.open().retriever
        kb_ids = [k.id for k in engine.kbs.visible(who) if k.name == "Bench"]
        same = sum(
            [h.chunk_id for h in engine.answers.search(who, q, kb="Bench")]
            == search_before(retriever, q, kb_ids)
            for q in QUERIES
        )
        hybrid, before = _interleaved(
            lambda q: engine.answers.search(who, q, kb="Bench"),
            lambda q: search_before(retriever, q, kb_ids),
            repeats,
        )
        embed = _time(lambda q: embedder.embed_query(q), repeats)
        embed_single = _time(lambda q: single.embed_query(q), repeats)
        vec = _time(lambda q: vectors.nearest(query_vectors[q], kb_ids, 50), repeats)
        rotated = {q: vectors._rotation @ v for q, v in query_vectors.items()}
        vec_lancedb = _time(lambda q: vectors._nearest_in_lancedb(rotated[q], kb_ids, 50), repeats)
        vec_filtered = _time(
            lambda q: nearest_before(retriever, query_vectors[q], kb_ids, 50), repeats
        )
        bare_vec = _time(lambda q: table.search(query_vectors[q]).limit(50).to_arrow(), repeats)
        fts = _time(
            lambda q: engine.context.library.keyword_search(query_terms(q), kb_ids, 50),
            repeats,
        )
        bare_fts = _time(
            lambda q: engine.context.db.query(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rank LIMIT 50",
                (match_expression(q),),
            ),
            repeats,
        )
        marker_fts = _time(
            lambda q: engine.context.db.query(
                f"SELECT rowid, -bm25({TABLE}) FROM {TABLE} WHERE {TABLE} MATCH ? "
                "ORDER BY rank LIMIT 50",
                (restrict_to_kbs(match_expression(q) or "", kb_ids),),
            ),
            repeats,
        )
        empty_kb = [k.id for k in engine.kbs.visible(who) if k.name != "Bench"][:1]
        small_fts = _time(
            lambda q: engine.context.library.keyword_search(query_terms(q), empty_kb, 50),
            repeats,
        )
        some = list(range(1, 5001, 100))
        stored = _time(lambda q: vectors.vectors_of(some), repeats)
        stored_lancedb = _time(lambda q: vectors._vectors_of_in_lancedb(some), repeats)
    print(f"  Engine.search (hybrid) {summary(hybrid)}")
    print(f"    the path before, turn about {summary(before)}   same top 10: {same}/{len(QUERIES)}")
    print(f"    query embedding      {summary(embed)}")
    print(f"    ... on one thread    {summary(embed_single)}")
    print(f"    vector, KB-filtered  {summary(vec)}   bare LanceDB {summary(bare_vec)}")
    print(f"    ... always in LanceDB          {summary(vec_lancedb)}")
    print(f"    ... LanceDB, KB filter always (before) {summary(vec_filtered)}")
    print(f"    keyword, KB-filtered {summary(fts)}   bare FTS5    {summary(bare_fts)}")
    print(f"    keyword, _kb in MATCH (before) {summary(marker_fts)}")
    print(f"    keyword, KB with no match      {summary(small_fts)}")
    print(f"    50 stored vectors by id        {summary(stored)}")
    print(f"    ... always in LanceDB (before) {summary(stored_lancedb)}")
    for p in (50, 95):
        parts = sum(percentile(v, p) for v in (embed, bare_vec, bare_fts))
        print(
            f"    p{p}: hybrid / (embed + bare vector + bare FTS) = "
            f"{percentile(hybrid, p) / parts:.2f}x;  keyword KB-filtered / bare FTS5 = "
            f"{percentile(fts, p) / percentile(bare_fts, p):.2f}x (before: "
            f"{percentile(marker_fts, p) / percentile(bare_fts, p):.2f}x)"
        )
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Run the sizes that fit (1M too with --million, alone with --million-only)."""
    embedder, single = default_embedder(free_cores()), default_embedder(1)
    print("\n== search latency ==")
    sizes = [10_000, 100_000] + ([1_000_000] if "--million" in sys.argv else [])
    if "--million-only" in sys.argv:
        sizes = [1_000_000]
    keep = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None
    for size in sizes:
        run(size, embedder, single, keep)


if __name__ == "__main__":
    main()
