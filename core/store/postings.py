"""The keyword index: BM25 over posting blocks kept in SQLCipher, scored with numpy.

FTS5 computed BM25 through its auxiliary-function interface, ~2.5 µs for every chunk
holding a query word: at 1M chunks a three-word question matches 77-101k of them, and
that alone took 200-260 ms ("Where FTS5's time goes", docs/retrieval.md). Here each
(term, knowledge base, block of 4,096 chunk ids) is one row whose blob packs, per chunk,
its id within the block, how often the term occurs and the chunk's length in terms.
A search reads its words' rows for the asked KBs only, and scores every posting at once
in numpy with FTS5's own formula and collection statistics kept beside the rows: the
same ranking as FTS5's `bm25()`, which m017 retired (tests/integration/test_keyword_search.py
compares the two).

Writes happen inside the library's write transaction, so the index and the chunks commit
together; ids are reserved in ascending order, so an ingest appends to the newest
block's row of each of its words. Nothing here is plaintext on disk: the rows live in the
encrypted database like the chunks they come from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from core.store.keywords import terms
from core.store.sql import Connection

BLOCK_BITS = 12
"""A row holds the postings of 4,096 consecutive chunk ids: an ingest rewrites few bytes
per word, and a common word at 1M chunks is a few hundred rows."""
_BLOCK = 1 << BLOCK_BITS
_CAP = 0xFFFF  # counts and lengths are stored as uint16 (chunks hold a few hundred terms)
POSTING = np.dtype([("offset", "<u2"), ("count", "<u2"), ("length", "<u2")])

K1 = 1.2
B = 0.75
"""FTS5's bm25() parameters, so scores and rankings carry over from the index before."""

Chunk = tuple[int, int, Sequence[str]]
"""(chunk id, knowledge base id, its terms in order, repeats included)."""


def chunk_terms(heading: str, text: str) -> list[str]:
    """The terms a chunk is indexed by: its heading path's and its text's, as embedded."""
    return terms(heading) + terms(text)


def add(con: Connection, chunks: Iterable[Chunk]) -> None:
    """Index chunks inside the caller's write transaction."""
    _apply(con, chunks, sign=1)


def remove(con: Connection, chunks: Iterable[Chunk]) -> None:
    """Take chunks out of the index inside the caller's transaction.

    Each chunk comes with the terms it was indexed by (`chunk_terms` of its stored text).
    """
    _apply(con, chunks, sign=-1)


def remove_kb(con: Connection, kb_id: int, chunks: int) -> None:
    """Take a whole KB of `chunks` chunks out of the index without reading its text.

    Inside the caller's transaction. Its rows go by KB. A term's document frequency
    drops by its postings in them (one per chunk holding it: the blobs' sizes, not their
    bytes), the term total by the sum of their counts (a chunk's length is the sum of
    its terms' counts). Re-stemming every chunk and rewriting row by row (`remove`)
    took 3.4 s for a 10k-chunk KB.
    """
    frequency = con.execute(
        "SELECT sum(length(postings)) / ?, term FROM keyword_postings WHERE kb_id = ? "
        "GROUP BY term",
        (POSTING.itemsize, kb_id),
    ).fetchall()
    n_terms = 0
    rows = con.execute("SELECT postings FROM keyword_postings WHERE kb_id = ?", (kb_id,))
    while batch := rows.fetchmany(5000):
        found = np.frombuffer(b"".join(r[0] for r in batch), dtype=POSTING)
        n_terms += int(found["count"].sum(dtype=np.int64))
    con.execute("DELETE FROM keyword_postings WHERE kb_id = ?", (kb_id,))
    con.executemany("UPDATE keyword_terms SET chunks = chunks - ? WHERE term = ?", frequency)
    con.execute("DELETE FROM keyword_terms WHERE chunks <= 0")
    con.executemany(
        "UPDATE counters SET value = max(0, value - ?) WHERE name = ?",
        [(chunks, "keyword_chunks"), (n_terms, "keyword_terms")],
    )


def search(
    con: Connection, words: Sequence[str], kb_ids: Sequence[int], limit: int
) -> list[tuple[int, float]]:
    """(chunk id, BM25 score) of the best `limit` chunks of the KBs holding any of `words`.

    Best first; equal scores by id. `con` is a read connection: the statistics and the
    postings are read in one snapshot.
    """
    words = list(dict.fromkeys(words))
    if not words or not kb_ids or limit <= 0:
        return []
    word_marks, kb_marks = _marks(words), _marks(kb_ids)
    con.execute("BEGIN")
    try:
        n_chunks, n_terms = _totals(con)
        frequency: dict[str, int] = dict(
            con.execute(
                f"SELECT term, chunks FROM keyword_terms WHERE term IN ({word_marks})", words
            ).fetchall()
        )
        rows = con.execute(
            f"SELECT term, block, postings FROM keyword_postings "
            f"WHERE term IN ({word_marks}) AND kb_id IN ({kb_marks})",
            [*words, *kb_ids],
        ).fetchall()
    finally:
        con.execute("COMMIT")
    if not rows or n_chunks <= 0:
        return []
    average = max(n_terms / n_chunks, 1e-9)
    order = {w: i for i, w in enumerate(words)}  # sum per chunk in the query's word order
    rows.sort(key=lambda r: (order[r[0]], r[1]))
    # All rows at once: a numpy call per row cost more than the arithmetic (~560 rows at 1M).
    found = np.frombuffer(b"".join(r[2] for r in rows), dtype=POSTING)
    sizes = np.fromiter((len(r[2]) // POSTING.itemsize for r in rows), np.int64, len(rows))
    row_blocks = np.fromiter((r[1] for r in rows), np.int64, len(rows))
    blocks, row_slots = np.unique(row_blocks, return_inverse=True)
    idf_of = {w: _idf(n_chunks, frequency.get(w, 0)) for w in words}
    idf = np.array([idf_of[r[0]] for r in rows])
    count = found["count"].astype(np.float64)
    length = found["length"].astype(np.float64)
    weights = np.repeat(idf, sizes) * count * (K1 + 1.0)
    weights /= count + K1 * (1.0 - B + B * length / average)
    places = np.repeat(row_slots * _BLOCK, sizes) + found["offset"]
    totals = np.bincount(places, weights=weights, minlength=len(blocks) * _BLOCK)
    # The chunks found, by a mask: a scan of the 8-byte totals for non-zeros took 3 ms
    # at 1M chunks, most of the scoring.
    touched = np.zeros(len(totals), dtype=bool)
    touched[places] = True
    hits = np.flatnonzero(touched)
    scores = totals[hits]
    if len(hits) > limit:  # the best `limit`; at a tie on the cut, the lowest ids
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        above, tied = np.flatnonzero(scores > cut), np.flatnonzero(scores == cut)
        keep = np.concatenate([above, tied[: limit - len(above)]])
        hits, scores = hits[keep], scores[keep]
    ids = blocks[hits >> BLOCK_BITS] * _BLOCK + (hits & (_BLOCK - 1))
    best = sorted(zip(ids.tolist(), scores.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
    return [(int(i), float(s)) for i, s in best]


def indexed_ids(con: Connection) -> set[int]:
    """Every chunk id the index holds (integrity checks; reads the whole index)."""
    ids: set[int] = set()
    for block, blob in con.execute("SELECT block, postings FROM keyword_postings"):
        offsets = np.frombuffer(blob, dtype=POSTING)["offset"].astype(np.int64)
        ids.update((int(block) * _BLOCK + offsets).tolist())
    return ids


def _idf(n_chunks: int, frequency: int) -> float:
    # FTS5's: rare words weigh more; one in more than half the chunks gets a token weight.
    idf = math.log((n_chunks - frequency + 0.5) / (frequency + 0.5))
    return idf if idf > 0 else 1e-6


def _totals(con: Connection) -> tuple[int, int]:
    values: dict[str, int] = dict(
        con.execute(
            "SELECT name, value FROM counters WHERE name IN ('keyword_chunks', 'keyword_terms')"
        ).fetchall()
    )
    return int(values.get("keyword_chunks", 0)), int(values.get("keyword_terms", 0))


def _apply(con: Connection, chunks: Iterable[Chunk], sign: int) -> None:
    ids, kbs, lengths, words = [], [], [], []
    for chunk_id, kb_id, its_words in chunks:
        ids.append(chunk_id)
        kbs.append(kb_id)
        lengths.append(len(its_words))
        words.append(its_words)
    if not ids:
        return
    grouped = _group(np.array(ids, np.int64), np.array(kbs, np.int64), lengths, words)
    if sign > 0:  # appended in SQL: postings need no order, and a row is read only to search
        con.executemany(
            "INSERT INTO keyword_postings (term, kb_id, block, postings) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (term, kb_id, block) DO UPDATE "
            "SET postings = CAST(postings || excluded.postings AS BLOB)",
            [(term, kb, block, rows.tobytes()) for term, kb, block, rows in grouped.rows],
        )
    else:
        _drop(con, grouped.rows)
    con.executemany(
        "INSERT INTO keyword_terms (term, chunks) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET chunks = chunks + excluded.chunks",
        [(term, sign * n) for term, n in grouped.frequency.items()],
    )
    if sign < 0:
        con.execute("DELETE FROM keyword_terms WHERE chunks <= 0")
    con.executemany(
        "UPDATE counters SET value = max(0, value + ?) WHERE name = ?",
        [(sign * len(ids), "keyword_chunks"), (sign * sum(lengths), "keyword_terms")],
    )


@dataclass(slots=True)
class _Grouped:
    rows: list[tuple[str, int, int, np.ndarray]]
    """(term, KB, block, its postings) for every row the chunks touch."""
    frequency: dict[str, int]
    """How many of the chunks hold each term."""


def _group(
    ids: np.ndarray, kbs: np.ndarray, lengths: list[int], words: list[Sequence[str]]
) -> _Grouped:
    """The chunks' postings grouped by row, in numpy (a Python loop per posting took 4 µs)."""
    number: dict[str, int] = {}
    flat = np.fromiter((number.setdefault(w, len(number)) for its in words for w in its), np.int64)
    chunk = np.repeat(np.arange(len(ids)), lengths)
    # One entry per (chunk, term) with its count; sorted by term, then chunk.
    pairs, counts = np.unique(flat * len(ids) + chunk, return_counts=True)
    if not len(pairs):
        return _Grouped([], {})
    term, chunk = pairs // len(ids), pairs % len(ids)
    block = ids[chunk] >> BLOCK_BITS
    postings = np.empty(len(pairs), POSTING)
    postings["offset"] = ids[chunk] & (_BLOCK - 1)
    postings["count"] = np.minimum(counts, _CAP)
    postings["length"] = np.minimum(np.array(lengths, np.int64)[chunk], _CAP)
    # Rows: the runs of equal (term, KB, block) once sorted on them.
    order = np.lexsort((block, kbs[chunk], term))
    term, kb, block, postings = term[order], kbs[chunk][order], block[order], postings[order]
    starts = np.flatnonzero(
        np.concatenate(
            ([True], (term[1:] != term[:-1]) | (kb[1:] != kb[:-1]) | (block[1:] != block[:-1]))
        )
    )
    spelled = list(number)
    rows = [
        (spelled[term[s]], int(kb[s]), int(block[s]), postings[s:e])
        for s, e in zip(starts.tolist(), [*starts[1:].tolist(), len(term)], strict=True)
    ]
    frequency = np.bincount(term, minlength=len(spelled))
    return _Grouped(rows, {spelled[t]: int(n) for t, n in enumerate(frequency.tolist()) if n})


_KEYS_PER_READ = 3000
"""(term, KB, block) keys read per statement (3 variables each, under SQLite's 32,766)."""


def _drop(con: Connection, rows: list[tuple[str, int, int, np.ndarray]]) -> None:
    """Take postings out of their rows, then write back or delete each row they touched.

    Rows are read a few thousand per statement and rewritten in one `executemany`: a
    statement and an `isin` per row cost 0.78 s for 10 documents of 100 chunks at 100k.
    """
    gone = {(term, kb, block): found["offset"] for term, kb, block, found in rows}
    keys = list(gone)
    updates: list[tuple[bytes, int]] = []
    deletes: list[tuple[int]] = []
    for start in range(0, len(keys), _KEYS_PER_READ):
        part = keys[start : start + _KEYS_PER_READ]
        held = con.execute(
            "SELECT p.id, p.term, p.kb_id, p.block, p.postings FROM "
            f"(VALUES {','.join(['(?, ?, ?)'] * len(part))}) AS k "
            "JOIN keyword_postings p "
            "ON p.term = k.column1 AND p.kb_id = k.column2 AND p.block = k.column3",
            [v for key in part for v in key],
        ).fetchall()
        for row_id, term, kb, block, blob in held:
            postings = np.frombuffer(blob, dtype=POSTING)
            dropped = np.zeros(_BLOCK, dtype=bool)
            dropped[gone[(term, kb, block)]] = True
            kept = postings[~dropped[postings["offset"]]]
            if len(kept):
                updates.append((kept.tobytes(), row_id))
            else:
                deletes.append((row_id,))
    con.executemany("UPDATE keyword_postings SET postings = ? WHERE id = ?", updates)
    con.executemany("DELETE FROM keyword_postings WHERE id = ?", deletes)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))
