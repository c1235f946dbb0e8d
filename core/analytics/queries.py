"""The aggregate SQL behind the usage report: counts and averages grouped by day, user, KB.

Reads `answer_stats` (figures without text), `feedback` only through the ratings copied
there, and the documents' metadata. Document names are given only for knowledge bases
the reading administrator may read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path

from core.analytics.report import (
    DayCount,
    DocumentUsage,
    FailedDocument,
    IndexSize,
    KbUsage,
    UsageReport,
    UserUsage,
)
from core.settings import Settings
from core.store.database import Database
from core.store.sql import Row

DAY_S = 86400
TOP_CITED = 20


def period(now: float, days: int) -> tuple[float, float]:
    """[since, until): the last `days` whole UTC days, today included."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return today.timestamp() - (days - 1) * DAY_S, today.timestamp() + DAY_S


def usage(
    db: Database, settings: Settings, readable: Sequence[int], now: float, days: int
) -> UsageReport:
    """The usage report over the last `days` days; `readable`: the reader's KB ids."""
    since, until = period(now, days)
    span = (since, until)
    totals = db.query(
        "SELECT count(*), coalesce(sum(not_found), 0), coalesce(sum(rating = 1), 0), "
        "coalesce(sum(rating = -1), 0), avg(CASE WHEN not_found = 0 AND first_token_ms > 0 "
        "THEN first_token_ms END), avg(CASE WHEN tokens_per_s > 0 THEN tokens_per_s END) "
        "FROM answer_stats WHERE asked_at >= ? AND asked_at < ?",
        span,
    )[0]
    return UsageReport(
        days,
        since,
        until,
        int(totals[0]),
        int(totals[1]),
        int(totals[2]),
        int(totals[3]),
        float(totals[4] or 0.0),
        float(totals[5] or 0.0),
        _per_day(db, "SELECT asked_at FROM answer_stats", "asked_at", since, days),
        _per_user(db, span),
        _per_kb(db, span),
        _cited(db, span, set(readable), top=True),
        _cited(db, span, set(readable), top=False),
        index_size(db, settings),
        _per_day(
            db,
            "SELECT indexed_at FROM documents WHERE status = 'indexed'",
            "indexed_at",
            since,
            days,
        ),
        _failed(db, set(readable)),
    )


def _per_day(
    db: Database, select: str, column: str, since: float, days: int
) -> tuple[DayCount, ...]:
    """Counts per UTC day of the rows `select` gives, zero days included."""
    rows = db.query(
        f"SELECT date({column}, 'unixepoch') AS day, count(*) FROM ({select}) "
        f"WHERE {column} >= ? AND {column} < ? GROUP BY day",
        (since, since + days * DAY_S),
    )
    counts = {str(r[0]): int(r[1]) for r in rows}
    first = dt.datetime.fromtimestamp(since, dt.UTC).date()
    return tuple(
        DayCount(day.isoformat(), counts.get(day.isoformat(), 0))
        for day in (first + dt.timedelta(days=i) for i in range(days))
    )


def _per_user(db: Database, span: tuple[float, float]) -> tuple[UserUsage, ...]:
    rows = db.query(
        "SELECT coalesce(a.user_id, 0), coalesce(u.username, ''), count(*), sum(a.not_found), "
        "sum(a.rating = 1), sum(a.rating = -1) FROM answer_stats a "
        "LEFT JOIN users u ON u.id = a.user_id WHERE a.asked_at >= ? AND a.asked_at < ? "
        "GROUP BY a.user_id ORDER BY count(*) DESC, 2",
        span,
    )
    return tuple(UserUsage(*(r[0], r[1]), *(int(x) for x in r[2:])) for r in rows)


def _per_kb(db: Database, span: tuple[float, float]) -> tuple[KbUsage, ...]:
    rows = db.query(
        "SELECT k.id, k.name, count(a.id) FROM knowledge_bases k "
        "JOIN answer_kbs x ON x.kb_id = k.id JOIN answer_stats a ON a.id = x.answer_id "
        "WHERE a.asked_at >= ? AND a.asked_at < ? GROUP BY k.id ORDER BY 3 DESC, 2",
        span,
    )
    return tuple(KbUsage(int(r[0]), str(r[1]), int(r[2])) for r in rows)


def _cited(
    db: Database, span: tuple[float, float], readable: set[int], *, top: bool
) -> tuple[DocumentUsage, ...]:
    """The most cited documents (top) or the indexed ones never cited (not top)."""
    having, order = (
        ("HAVING n > 0", f"ORDER BY n DESC, d.id LIMIT {TOP_CITED}")
        if top
        else (
            "HAVING n = 0",
            "ORDER BY k.name, d.name",
        )
    )
    rows = db.query(
        "SELECT d.id, d.name, k.name, d.kb_id, (SELECT count(*) FROM answer_citations c "
        "JOIN answer_stats a ON a.id = c.answer_id WHERE c.document_id = d.id "
        "AND a.asked_at >= ? AND a.asked_at < ?) AS n FROM documents d "
        "JOIN knowledge_bases k ON k.id = d.kb_id WHERE d.status = 'indexed' "
        f"GROUP BY d.id {having} {order}",
        span,
    )
    return tuple(
        DocumentUsage(int(r[0]), str(r[1]) if r[3] in readable else "", str(r[2]), int(r[4]))
        for r in rows
    )


def _failed(db: Database, readable: set[int]) -> tuple[FailedDocument, ...]:
    rows = db.query(
        "SELECT d.id, d.name, k.name, d.kb_id, d.error_key, d.indexed_at, d.error_params "
        "FROM documents d JOIN knowledge_bases k ON k.id = d.kb_id "
        "WHERE d.status = 'failed' ORDER BY d.indexed_at DESC"
    )
    return tuple(_failed_document(r, r[3] in readable) for r in rows)


def _failed_document(r: Row, readable: bool) -> FailedDocument:
    """A failed document; its name and the reason's details only where readable."""
    params = tuple(sorted(json.loads(r[6]).items())) if readable else ()
    name = str(r[1]) if readable else ""
    return FailedDocument(int(r[0]), name, str(r[2]), str(r[4]), r[5], params)


def index_size(db: Database, settings: Settings) -> IndexSize:
    """Documents and chunks indexed, and the bytes of the database, vectors and originals."""
    documents, chunks = db.query(
        "SELECT count(*), coalesce(sum(chunk_count), 0) FROM documents WHERE status = 'indexed'"
    )[0]
    database = sum(
        _bytes(settings.db_path.with_name(settings.db_path.name + tail)) for tail in ("", "-wal")
    )
    return IndexSize(
        int(documents),
        int(chunks),
        database,
        _bytes(settings.vectors_dir),
        _bytes(settings.data_dir / "blobs"),
    )


def _bytes(path: Path) -> int:
    """Size of a file, or of every file under a folder (0 when missing)."""
    if not path.is_dir():
        return _file_bytes(path)
    return sum(_file_bytes(Path(top, name)) for top, _, names in os.walk(path) for name in names)


def _file_bytes(path: Path) -> int:
    """A file's size; 0 when it is gone (upkeep may remove files while this counts)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
