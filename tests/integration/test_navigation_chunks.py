"""Contents pages stay out of the sources while real passages match; alone, they still answer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from core import Engine, Session
from core.store.database import Database
from core.store.migrations import MIGRATIONS

QUESTION = "What is Debian GNU/Linux?"


def _flags(engine: Engine, chunk_ids: list[int]) -> list[int]:
    marks = ",".join("?" * len(chunk_ids))
    rows = engine.context.db.query(
        f"SELECT navigation FROM chunks WHERE id IN ({marks})", list(chunk_ids)
    )
    return [r[0] for r in rows]


def test_contents_give_way_to_passages_and_answer_when_alone(
    engine: Engine, admin: Session, corpus: Path, tmp_path: Path
) -> None:
    faq = corpus / "debian-faq" / "en"
    only_contents = tmp_path / "contents"
    only_contents.mkdir()
    shutil.copy(faq / "index.en.html", only_contents)
    list(engine.documents.ingest(admin, [only_contents], kb="Contents only"))
    # The FAQ's contents name this very question: alone, they are what matches.
    alone = engine.answers.search(admin, QUESTION, kb="Contents only", limit=6)
    assert alone
    assert all(_flags(engine, [h.chunk_id for h in alone]))

    both = tmp_path / "both"
    both.mkdir()
    shutil.copy(faq / "index.en.html", both)
    shutil.copy(faq / "basic-defs.en.html", both)
    list(engine.documents.ingest(admin, [both], kb="FAQ"))
    hits = engine.answers.search(admin, QUESTION, kb="FAQ", limit=6)
    assert len(hits) == 6
    assert not any(_flags(engine, [h.chunk_id for h in hits]))
    assert hits[0].document == "basic-defs.en.html"
    # basic-defs opens with its own contents list: marked, and not among the sources.
    marked = engine.context.db.query(
        "SELECT COUNT(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE d.name = 'basic-defs.en.html' AND c.navigation = 1"
    )[0][0]
    assert marked >= 1


def test_an_older_database_is_marked_when_it_opens(tmp_path: Path) -> None:
    """m014 marks the chunks indexed before it existed, from their stored text."""
    key = os.urandom(32)
    db = Database(tmp_path / "k.db", key)
    contents = "Table of Contents\n\n1. Overview\n\n1.1. Scope\n\n1.2. Terms\n\n2. Setup"
    with db.write() as con:
        con.execute("INSERT INTO knowledge_bases (id, name, created_at) VALUES (1, 'kb', 0)")
        con.execute(
            "INSERT INTO documents (id, kb_id, source, name, kind, content_hash, size, status, "
            "indexed_at) VALUES (1, 1, 'a.txt', 'a.txt', 'txt', 'h', 1, 'indexed', 0)"
        )
        for cid, text in ((1, contents), (2, "The server starts at eight every morning.")):
            con.execute(
                "INSERT INTO chunks (id, document_id, kb_id, ordinal, text, char_start, "
                "char_end, tokens) VALUES (?, 1, 1, ?, ?, 0, 1, 1)",
                (cid, cid, text),
            )
        # As the database was before the migration: no column, no record of it.
        con.execute("ALTER TABLE chunks DROP COLUMN navigation")
        con.execute("DELETE FROM _migrations WHERE name = 'm014_navigation_chunks'")
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    db.close()
    db = Database(tmp_path / "k.db", key)
    assert db.query("SELECT id, navigation FROM chunks ORDER BY id") == [(1, 1), (2, 0)]
    db.close()
