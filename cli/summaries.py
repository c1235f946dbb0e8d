"""`konspekt summaries …`: what the model noted at your logouts and cleared chats."""

from __future__ import annotations

import argparse

from rich.table import Table

from cli.console import console, when
from cli.context import CliError, Context
from cli.text import N_, t


def cmd_summaries(ctx: Context) -> int:
    """Summaries [list|show ID|pin ID|unpin ID|delete ID|run]."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    if args.action == "run":
        written = engine.memory.run_pending_jobs()
        console.print(
            t("summaries_written", lang, count=written, left=engine.memory.pending_jobs())
        )
        return 0
    if args.action != "list":
        if not (args.id or "").isdigit():
            raise CliError(t("summary_id_needed", lang))
        summary_id = int(args.id)
        if args.action == "show":
            summary = next(
                (s for s in engine.memory.summaries(session) if s.id == summary_id), None
            )
            if summary is None:
                raise CliError(t("summary_id_needed", lang))
            console.print(f"[{when(summary.created_at)}] {summary.reason}", style="bold")
            console.print(summary.text, markup=False)
            return 0
        if args.action == "delete":
            engine.memory.delete_summary(session, summary_id)
        else:
            engine.memory.pin_summary(session, summary_id, args.action == "pin")
    table = Table()
    for col in (
        N_("col_summary_id"),
        N_("col_summary_when"),
        N_("col_summary_reason"),
        N_("col_summary_text"),
    ):
        table.add_column(t(col, lang))
    for s in engine.memory.summaries(session):
        first = " ".join(s.text.split())[:80]
        table.add_row(str(s.id) + (" *" if s.pinned else ""), when(s.created_at), s.reason, first)
    console.print(table)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `summaries` to the parser."""
    p = sub.add_parser(
        "summaries", help="session summaries: list, show, pin, unpin, delete, run queued ones"
    )
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "show", "pin", "unpin", "delete", "run"],
    )
    p.add_argument("id", nargs="?", help="summary number")
    p.set_defaults(func=cmd_summaries)
