"""FTS5, the keyword index before core/store/postings.py: the benchmarks' same-run baseline.

m017 dropped the product's FTS5 table. A benchmark store gets one of its own, the same
definition as the product's was (a `_kb` marker term per chunk, '_' a token character),
filled from the stored chunks, so both indexes answer on the same store in the same run.
"""

from __future__ import annotations

import time

from core.store.database import Database
from core.store.keywords import query_terms
from core.store.postings import chunk_terms

TABLE = "bench_fts5"


def kb_token(kb_id: int) -> str:
    """The term that marked a chunk's knowledge base (no stem holds an underscore)."""
    return f"_kb{int(kb_id)}"


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression OR-ing the query's distinct stems, or None if it has none."""
    words = query_terms(query)
    if not words:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in words)


def restrict_to_kbs(match: str, kb_ids: list[int] | tuple[int, ...]) -> str:
    """Limit an FTS5 expression to some knowledge bases, inside the index lookup itself."""
    kbs = " OR ".join(f'"{kb_token(k)}"' for k in kb_ids)
    return f"({match}) AND ({kbs})"


def ensure(db: Database) -> None:
    """Give the store its FTS5 copy of the chunks' terms, unless it has one already."""
    if db.query("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)):
        return
    t0 = time.perf_counter()
    with db.write() as con:
        con.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(terms, content='', contentless_delete=1, "
            "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )
        rows = con.execute("SELECT id, kb_id, heading, text FROM chunks")
        while batch := rows.fetchmany(5000):
            con.executemany(
                f"INSERT INTO {TABLE} (rowid, terms) VALUES (?, ?)",
                [(r[0], " ".join([*chunk_terms(r[2], r[3]), kb_token(r[1])])) for r in batch],
            )
    print(f"  FTS5 baseline index filled in {time.perf_counter() - t0:.0f} s")
