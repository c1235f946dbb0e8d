"""Keyword search keeps the best matches inside the asked knowledge bases, by either way."""

from __future__ import annotations

import os
from pathlib import Path

from core.store.database import Database
from core.store.keywords import index_text, match_expression
from core.store.library import KEYWORD_OVERFETCH, Library
from core.store.migrations import MIGRATIONS


def _store(tmp_path: Path, chunks: list[tuple[int, int, str]]) -> Library:
    """A real encrypted store holding (chunk id, kb id, text) chunks, one document each."""
    db = Database(tmp_path / "k.db", os.urandom(32))
    with db.write() as con:
        for kb in {kb for _, kb, _ in chunks}:
            con.execute(
                "INSERT INTO knowledge_bases (id, name, created_at) VALUES (?, ?, 0)",
                (kb, f"kb{kb}"),
            )
        for cid, kb, text in chunks:
            con.execute(
                "INSERT INTO documents (id, kb_id, source, name, kind, content_hash, size, "
                "status, indexed_at) VALUES (?, ?, ?, ?, 'txt', 'h', 1, 'indexed', 0)",
                (cid, kb, f"{cid}.txt", f"{cid}.txt"),
            )
            con.execute(
                "INSERT INTO chunks (id, document_id, kb_id, ordinal, text, char_start, "
                "char_end, tokens) VALUES (?, ?, ?, 0, ?, 0, 1, 1)",
                (cid, cid, kb, text),
            )
            con.execute(
                "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", (cid, index_text(text, kb))
            )
    return Library(db)


def test_a_small_kb_gets_its_own_best_matches_under_a_big_one(tmp_path: Path) -> None:
    """The big KB fills the whole over-fetched top of the index: the KB-restricted way runs."""
    limit = 2
    depth = limit * KEYWORD_OVERFETCH
    big = [(i, 1, "zeppelin zeppelin zeppelin hangar hangar") for i in range(1, depth + 6)]
    big += [(100 + i, 1, "soup of the day") for i in range(2 * depth)]  # rarer query words
    small = [(900, 2, "zeppelin hangar at dawn"), (901, 2, "a zeppelin"), (902, 2, "soup")]
    library = _store(tmp_path, big + small)
    match = match_expression("zeppelin hangar")
    assert match is not None
    top = library.db.query(  # the whole index's best `depth` hold none of KB 2
        "SELECT rowid FROM chunk_terms WHERE chunk_terms MATCH ? ORDER BY rank LIMIT ?",
        [match, depth],
    )
    assert {r[0] for r in top} <= {cid for cid, _, _ in big}
    found = library.keyword_search(match, [2], limit)
    assert {cid for cid, _ in found} == {900, 901}
    assert all(score > 0 for _, score in found)
    library.db.close()


def test_a_kb_holding_the_matches_gets_the_index_best_in_order(tmp_path: Path) -> None:
    """The over-fetched top holds enough of the KB: kept in BM25 order, other KBs dropped."""
    chunks = [(1, 1, "printer"), (2, 1, "printer printer network"), (3, 2, "printer printer")]
    chunks += [(10 + i, 1, f"kernel {i}") for i in range(30)]
    library = _store(tmp_path, chunks)
    match = match_expression("printer network")
    assert match is not None
    assert [cid for cid, _ in library.keyword_search(match, [1], 5)] == [2, 1]
    assert [cid for cid, _ in library.keyword_search(match, [1, 2], 5)] == [2, 3, 1]
    assert library.keyword_search(match, [], 5) == []
    library.db.close()


def test_an_index_row_whose_chunk_is_gone_is_never_returned(tmp_path: Path) -> None:
    library = _store(tmp_path, [(1, 1, "backup restore"), (2, 1, "backup")])
    with library.db.write() as con:
        con.execute("DELETE FROM chunks WHERE id = 1")  # the FTS5 row stays behind
    match = match_expression("backup restore")
    assert match is not None
    assert [cid for cid, _ in library.keyword_search(match, [1], 5)] == [2]
    library.db.close()


def test_m015_adds_the_chunk_kb_index_to_an_existing_database(tmp_path: Path) -> None:
    key = os.urandom(32)
    db = Database(tmp_path / "k.db", key)
    with db.write() as con:  # as the database was before the migration
        con.execute("DROP INDEX chunks_kb_of")
        con.execute("DELETE FROM _migrations WHERE name = 'm015_chunk_kb_lookup'")
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    db.close()
    db = Database(tmp_path / "k.db", key)
    indexes = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "chunks_kb_of" in indexes
    db.close()
