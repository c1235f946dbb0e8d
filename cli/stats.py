"""`konspekt stats [--days N] [--csv DIR]`: usage and quality figures, for administrators."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table

from cli.console import console
from cli.context import Context
from cli.text import N_, t
from core import DocumentUsage, UsageReport, system_language

MIB = 1024 * 1024


def cmd_stats(ctx: Context) -> int:
    """Print the usage report of the last --days days; with --csv, also write its tables."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    if args.csv is not None:
        files = engine.analytics.export_csv(ctx.session, Path(args.csv), args.days)
        console.print(t("stats_csv_written", lang, count=len(files), path=args.csv), markup=False)
        return 0
    report = engine.analytics.usage(ctx.session, args.days)
    _summary(report, lang)
    _tables(report, lang)
    return 0


def _summary(r: UsageReport, lang: str) -> None:
    until = r.per_day[-1].day if r.per_day else ""
    since = r.per_day[0].day if r.per_day else ""
    console.print(t("stats_title", lang, since=since, until=until), style="bold")
    size = r.index
    rows = (
        (N_("stats_questions"), str(r.questions)),
        (
            N_("stats_not_found"),
            t("stats_rate", lang, count=r.not_found, percent=100 * r.not_found_rate),
        ),
        (N_("stats_feedback"), f"{r.thumbs_up} / {r.thumbs_down}"),
        (N_("stats_first_token"), t("stats_ms", lang, ms=r.avg_first_token_ms)),
        (N_("stats_speed"), t("stats_tps", lang, rate=r.avg_tokens_per_s)),
        (
            N_("stats_index"),
            t(
                N_("stats_index_value"),
                lang,
                documents=size.documents,
                chunks=size.chunks,
                db=round(size.database_bytes / MIB, 1),
                vectors=round(size.vectors_bytes / MIB, 1),
                blobs=round(size.blobs_bytes / MIB, 1),
            ),
        ),
    )
    for key, value in rows:
        console.print(f"{t(key, lang)}: {value}", markup=False)


def _table(
    title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], lang: str
) -> None:
    if not rows:
        return
    table = Table(title=t(title, lang), title_justify="left")
    for column in columns:
        table.add_column(t(column, lang))
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _document(d: DocumentUsage, lang: str) -> str:
    return d.name or t("stats_private_document", lang, id=d.document_id)


def _tables(r: UsageReport, lang: str) -> None:
    days = [(d.day, str(d.count)) for d in r.per_day]
    _table(N_("stats_per_day"), (N_("stats_col_day"), N_("stats_questions")), days, lang)
    users = [
        (
            u.username or t("stats_deleted_user", lang),
            str(u.questions),
            str(u.not_found),
            f"{u.thumbs_up} / {u.thumbs_down}",
        )
        for u in r.per_user
    ]
    user_columns = (
        N_("stats_col_user"),
        N_("stats_questions"),
        N_("stats_not_found"),
        N_("stats_feedback"),
    )
    _table(N_("stats_per_user"), user_columns, users, lang)
    kbs = [(k.name, str(k.questions)) for k in r.per_kb]
    _table(N_("stats_per_kb"), (N_("stats_col_kb"), N_("stats_questions")), kbs, lang)
    cited = [(_document(d, lang), d.kb_name, str(d.citations)) for d in r.top_cited]
    columns = (N_("stats_col_document"), N_("stats_col_kb"), N_("stats_col_citations"))
    _table(N_("stats_top_cited"), columns, cited, lang)
    console.print(t("stats_never_cited", lang, count=len(r.never_cited)), markup=False)
    failed = [
        (f.name or t("stats_private_document", lang, id=f.document_id), f.kb_name, f.error(lang))
        for f in r.failed
    ]
    _table(
        N_("stats_failed"),
        (N_("stats_col_document"), N_("stats_col_kb"), N_("stats_col_reason")),
        failed,
        lang,
    )


def _days(text: str) -> int:
    """A positive whole number of days (argparse shows the message on anything else)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(t("stats_days_invalid", system_language()))
    return int(text)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `stats` to the parser."""
    p = sub.add_parser(
        "stats", help="usage and quality over a period (administrators): counts only, no text"
    )
    p.add_argument("--days", type=_days, default=30, help="the last N days, today included")
    p.add_argument("--csv", metavar="DIR", help="write each table as a CSV file into DIR")
    p.set_defaults(func=cmd_stats)
