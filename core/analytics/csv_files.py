"""The usage report as CSV files, one per table, each written atomically.

Column names are fixed English identifiers (for scripts and spreadsheets); cells that a
spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.analytics.report import DayCount, DocumentUsage, UsageReport

Cell = str | int | float


def write_report(report: UsageReport, folder: Path) -> list[Path]:
    """Write every table of `report` into `folder` (created); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = tables_of(report)
    return [_write(folder / f"{name}.csv", header, rows) for name, (header, rows) in tables.items()]


def tables_of(report: UsageReport) -> dict[str, tuple[Sequence[str], list[Sequence[Cell]]]]:
    """Each CSV file's name, header and rows."""
    r, size = report, report.index
    return {
        "summary": (
            ("measure", "value"),
            [
                ("since", _day(r.since)),
                ("until", _day(r.until - 1)),
                ("questions", r.questions),
                ("not_found", r.not_found),
                ("not_found_rate", round(r.not_found_rate, 4)),
                ("thumbs_up", r.thumbs_up),
                ("thumbs_down", r.thumbs_down),
                ("feedback_ratio", round(r.feedback_ratio, 4)),
                ("avg_first_token_ms", round(r.avg_first_token_ms, 1)),
                ("avg_tokens_per_s", round(r.avg_tokens_per_s, 2)),
                ("documents", size.documents),
                ("chunks", size.chunks),
                ("database_bytes", size.database_bytes),
                ("vectors_bytes", size.vectors_bytes),
                ("blobs_bytes", size.blobs_bytes),
            ],
        ),
        "questions_per_day": _days(r.per_day),
        "indexed_per_day": _days(r.indexed_per_day),
        "questions_per_user": (
            ("user_id", "username", "questions", "not_found", "thumbs_up", "thumbs_down"),
            [
                (u.user_id, u.username, u.questions, u.not_found, u.thumbs_up, u.thumbs_down)
                for u in r.per_user
            ],
        ),
        "questions_per_kb": (
            ("kb_id", "knowledge_base", "questions"),
            [(k.kb_id, k.name, k.questions) for k in r.per_kb],
        ),
        "top_cited": _documents(r.top_cited),
        "never_cited": _documents(r.never_cited),
        "failed_documents": (
            ("document_id", "document", "knowledge_base", "error_key", "indexed_at"),
            [(f.document_id, f.name, f.kb_name, f.error_key, _day(f.indexed_at)) for f in r.failed],
        ),
    }


def _days(days: Iterable[DayCount]) -> tuple[Sequence[str], list[Sequence[Cell]]]:
    return ("day", "count"), [(d.day, d.count) for d in days]


def _documents(docs: Iterable[DocumentUsage]) -> tuple[Sequence[str], list[Sequence[Cell]]]:
    return (
        ("document_id", "document", "knowledge_base", "citations"),
        [(d.document_id, d.name, d.kb_name, d.citations) for d in docs],
    )


def _day(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).date().isoformat()


def _safe(cell: Cell) -> Cell:
    """A text cell a spreadsheet shows as text, not runs as a formula."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Path:
    """One CSV file, replaced in one step (a reader never sees half of it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_safe(c) for c in row] for row in rows)
    part = path.with_name(path.name + ".part")
    try:
        part.write_text(buffer.getvalue(), encoding="utf-8")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    return path
