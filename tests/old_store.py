"""A store as a version before m016 left it (no keyword postings): to test its upgrade."""

from __future__ import annotations

from core import Engine, Settings
from core.ingest.chunking import ChunkDraft
from core.store.database import Database
from core.store.keywords import query_terms
from core.store.library import NewDocument
from core.store.migrations import MIGRATIONS
from tests.identity import admin_session

QUERY = "printer kernel договор"
WORDS = "printer network kernel package договор поставка оплата сервер backup mirror".split()


def fill(engine: Engine, chunks: int) -> list[int]:
    """A knowledge base with `chunks` chunks; the KB's id in a list."""
    kb = engine.kbs.create(admin_session(engine), "Manuals")
    library = engine.context.library  # below the facade: the chunks need no embedder here
    per_doc = 40
    for d in range(chunks // per_doc):
        first = library.reserve_chunk_ids(per_doc)
        texts = [
            " ".join(WORDS[(d + i + k) % len(WORDS)] for k in range(6)) for i in range(per_doc)
        ]
        drafts = tuple(
            (first + i, ChunkDraft(i, text, "", None, "", 0, len(text), 10))
            for i, text in enumerate(texts)
        )
        library.save_documents(
            [NewDocument(kb.id, f"d{d}", f"d{d}", "txt", f"d{d}", 1, 1, "e5", drafts)]
        )
    return [kb.id]


def as_before_m016(db: Database) -> None:
    """Take the store back to how a version before m016 left it."""
    with db.write() as con:
        con.execute("DROP TABLE keyword_postings")
        con.execute("DROP TABLE keyword_terms")
        con.execute("DELETE FROM counters WHERE name LIKE 'keyword_%'")
        con.execute("DELETE FROM _migrations WHERE name = 'm016_keyword_postings'")
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")


def old_store(settings: Settings) -> tuple[list[int], list[tuple[int, float]]]:
    """A store as an older version left it: its KB and the keyword results it should give."""
    with Engine(settings) as engine:
        kb_ids = fill(engine, 400)
        before = engine.context.library.keyword_search(query_terms(QUERY), kb_ids, 20)
        as_before_m016(engine.context.db)
    assert len(before) == 20
    return kb_ids, before
