"""The keyword index: FTS5's BM25 ranking, exact inside the asked KBs, kept by every write."""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import pytest

from core.ingest.chunking import ChunkDraft
from core.store import postings
from core.store.database import Database
from core.store.keywords import query_terms
from core.store.library import Library, NewDocument
from core.store.migrations import MIGRATIONS

WORDS = (
    "printer network kernel package install договор поставка оплата счёт сервер zeppelin "
    "hangar backup restore mirror release policy audit license archive"
).split()


def _library(tmp_path: Path, key: bytes | None = None) -> Library:
    db = Database(tmp_path / "k.db", key or os.urandom(32))
    with db.write() as con:
        for kb in (1, 2, 3):
            con.execute(
                "INSERT INTO knowledge_bases (id, name, created_at) VALUES (?, ?, 0)",
                (kb, f"kb{kb}"),
            )
    return Library(db)


def _save(library: Library, kb: int, source: str, texts: list[str], heading: str = "") -> None:
    first = library.reserve_chunk_ids(len(texts))
    chunks = tuple(
        (first + i, ChunkDraft(i, text, heading, None, "", 0, len(text), 10))
        for i, text in enumerate(texts)
    )
    library.save_documents([NewDocument(kb, source, source, "txt", source, 1, 1, "e5", chunks)])


def _reference(library: Library, kb_ids: list[int], query: str) -> list[tuple[int, float]]:
    """FTS5's own BM25 over the same chunks (the stdlib's SQLite, nothing shared with the store)."""
    rows = library.db.query("SELECT id, kb_id, heading, text FROM chunks")
    ref = sqlite3.connect(":memory:")
    ref.execute(
        "CREATE VIRTUAL TABLE t USING fts5(terms, tokenize='unicode61 remove_diacritics 0')"
    )
    ref.executemany(
        "INSERT INTO t (rowid, terms) VALUES (?, ?)",
        [(r[0], " ".join(postings.chunk_terms(r[2], r[3]))) for r in rows],
    )
    kb_of = {r[0]: r[1] for r in rows}
    match = " OR ".join(f'"{t}"' for t in query_terms(query))
    found = ref.execute("SELECT rowid, -bm25(t) FROM t WHERE t MATCH ?", (match,)).fetchall()
    return sorted(((i, s) for i, s in found if kb_of[i] in kb_ids), key=lambda p: (-p[1], p[0]))


def _same(found: list[tuple[int, float]], expected: list[tuple[int, float]], limit: int) -> None:
    """The best `limit` scores are FTS5's, each chunk with its own FTS5 score (ties either way)."""
    assert [s for _, s in found] == pytest.approx([s for _, s in expected[:limit]], rel=1e-9)
    score_of = dict(expected)
    assert [s for _, s in found] == pytest.approx([score_of[i] for i, _ in found], rel=1e-9)


def _random_texts(rng: random.Random, n: int) -> list[str]:
    """Texts whose words are common (one in more than half the chunks) to rare, as in prose."""
    vocabulary = WORDS + [f"w{i}" for i in range(300)] + ["the", "of", "и"]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return [" ".join(rng.choices(vocabulary, weights, k=rng.randint(1, 40))) for _ in range(n)]


def test_rankings_and_scores_are_fts5s_through_adds_deletes_and_reindexing(tmp_path: Path) -> None:
    rng = random.Random(3)
    library = _library(tmp_path)
    for d in range(30):
        _save(
            library,
            1 + d % 3,
            f"d{d}",
            _random_texts(rng, rng.randint(1, 12)),
            f"head {WORDS[d % 7]}",
        )
    queries = ["printer network", "договор поставки оплата", "zeppelin", "backup and restore audit"]

    def check() -> None:
        for query in queries:
            for kbs in ([1], [2, 3], [1, 2, 3]):
                for limit in (1, 5, 50):
                    _same(
                        library.keyword_search(query_terms(query), kbs, limit),
                        _reference(library, kbs, query),
                        limit,
                    )

    check()
    doomed = [
        r[0] for r in library.db.query("SELECT id FROM documents WHERE source IN ('d4', 'd7')")
    ]
    library.remove_documents(doomed)
    _save(library, 2, "d9", _random_texts(rng, 9))  # re-indexed: its chunks replaced
    check()
    chunk_ids = {r[0] for r in library.db.query("SELECT id FROM chunks")}
    assert postings.indexed_ids(library.db.read()) == chunk_ids
    library.db.close()


def test_a_small_kb_gets_its_own_best_matches_under_a_big_one(tmp_path: Path) -> None:
    library = _library(tmp_path)
    _save(library, 1, "big", ["zeppelin zeppelin hangar hangar"] * 500)
    _save(library, 2, "small", ["zeppelin hangar at dawn", "a zeppelin", "soup"])
    found = library.keyword_search(query_terms("zeppelin hangar"), [2], 2)
    assert [
        library.db.query("SELECT text FROM chunks WHERE id = ?", (i,))[0][0] for i, _ in found
    ] == [
        "zeppelin hangar at dawn",
        "a zeppelin",
    ]
    assert all(score > 0 for _, score in found)
    big = [r[0] for r in library.db.query("SELECT id FROM chunks WHERE kb_id = 1 ORDER BY id")]
    tied = library.keyword_search(query_terms("zeppelin"), [1], 3)  # 500 equal scores
    assert [cid for cid, _ in tied] == big[:3]
    library.db.close()


def test_nothing_outside_the_asked_kbs_and_nothing_for_no_kb(tmp_path: Path) -> None:
    library = _library(tmp_path)
    _save(library, 1, "a", ["printer network"])
    _save(library, 2, "b", ["kernel"])
    assert library.keyword_search(query_terms("printer"), [2, 3], 5) == []
    assert library.keyword_search(query_terms("printer"), [], 5) == []
    assert library.keyword_search([], [1], 5) == []
    assert library.keyword_search(query_terms("unheard"), [1, 2], 5) == []
    library.db.close()


def _index_state(library: Library) -> tuple[list[tuple[object, ...]], ...]:
    return tuple(
        library.db.query(sql)
        for sql in (
            "SELECT term, kb_id, block, postings FROM keyword_postings ORDER BY term, kb_id, block",
            "SELECT term, chunks FROM keyword_terms ORDER BY term",
            "SELECT name, value FROM counters WHERE name LIKE 'keyword_%' ORDER BY name",
        )
    )


def test_deleting_a_kb_leaves_the_index_its_documents_removal_would(tmp_path: Path) -> None:
    libraries = []
    for copy in ("by-kb", "by-document"):
        rng = random.Random(8)
        library = _library(tmp_path / copy)
        for d in range(24):
            _save(library, 1 + d % 3, f"d{d}", _random_texts(rng, rng.randint(1, 15)), "Глава")
        libraries.append(library)
    by_kb, by_document = libraries
    with by_kb.db.write() as con:
        removed, documents = by_kb.delete_kb(con, 2)
    assert documents == 8
    doomed = [r[0] for r in by_document.db.query("SELECT id FROM documents WHERE kb_id = 2")]
    assert sorted(removed) == sorted(by_document.remove_documents(doomed))
    assert _index_state(by_kb) == _index_state(by_document)
    for query in ("printer network", "договор поставки оплата", "zeppelin"):
        _same(
            by_kb.keyword_search(query_terms(query), [1, 3], 20),
            _reference(by_kb, [1, 3], query),
            20,
        )
    for library in libraries:
        library.db.close()


def test_deleting_everything_leaves_an_empty_index(tmp_path: Path) -> None:
    library = _library(tmp_path)
    _save(library, 1, "a", ["printer network", "printer"])
    _save(library, 2, "b", ["kernel printer"])
    library.remove_documents([r[0] for r in library.db.query("SELECT id FROM documents")])
    for table in ("keyword_postings", "keyword_terms"):
        assert library.db.query(f"SELECT count(*) FROM {table}")[0][0] == 0
    counters = library.db.query("SELECT value FROM counters WHERE name LIKE 'keyword_%'")
    assert [r[0] for r in counters] == [0, 0]
    library.db.close()


def test_m016_indexes_the_chunks_of_an_existing_database(tmp_path: Path) -> None:
    rng, key = random.Random(5), os.urandom(32)
    library = _library(tmp_path, key)
    for d in range(12):
        _save(library, 1 + d % 2, f"d{d}", _random_texts(rng, 30), "Глава")
    query, kbs = "kernel договор install", [1, 2]
    before = library.keyword_search(query_terms(query), kbs, 20)
    assert len(before) == 20
    with library.db.write() as con:  # as the database was before the migration
        con.execute("DROP TABLE keyword_postings")
        con.execute("DROP TABLE keyword_terms")
        con.execute("DELETE FROM counters WHERE name LIKE 'keyword_%'")
        con.execute("DELETE FROM _migrations WHERE name = 'm016_keyword_postings'")
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    library.db.close()
    db = Database(tmp_path / "k.db", key)
    assert Library(db).keyword_search(query_terms(query), kbs, 20) == before
    assert not db.query("SELECT 1 FROM sqlite_master WHERE name = 'chunk_terms'")  # m017
    db.close()
