"""`konspekt chats …`: your conversations (list, show, rename, clear, delete)."""

from __future__ import annotations

import argparse

from rich.table import Table

from cli.console import console, when
from cli.context import CliError, Context
from cli.text import N_, t


def cmd_chats(ctx: Context) -> int:
    """Chats [list [TEXT]|show ID|rename ID TITLE|clear ID|delete ID]."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    if args.action in ("show", "rename", "clear", "delete"):
        if not (args.arg or "").isdigit():
            raise CliError(t("chat_id_needed", lang))
        chat_id = int(args.arg)
        if args.action == "show":
            for m in engine.chats.messages(session, chat_id):
                style = "bold" if m.role == "user" else ""
                console.print(f"[{when(m.created_at)}] {m.text}", style=style, markup=False)
                for s in m.sources:
                    if s.cited:
                        where = " · ".join(x for x in (s.location.label, s.location.heading) if x)
                        console.print(
                            f"   [{s.number}] {s.document}  {where}", style="dim", markup=False
                        )
            return 0
        if args.action == "rename":
            engine.chats.rename(session, chat_id, " ".join(args.rest))
        elif args.action == "clear":
            engine.chats.clear(session, chat_id)
            engine.memory.run_pending_jobs()  # no background scheduler in a one-shot command
        else:
            engine.chats.delete(session, chat_id)
    table = Table()
    for col in (
        N_("col_chat_id"),
        N_("col_chat_title"),
        N_("col_chat_messages"),
        N_("col_chat_updated"),
    ):
        table.add_column(t(col, lang))
    search = args.arg if args.action == "list" else ""
    for chat in engine.chats.all(session, search or ""):
        table.add_row(str(chat.id), chat.title or "—", str(chat.messages), when(chat.updated_at))
    console.print(table)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `chats` to the parser."""
    p = sub.add_parser(
        "chats", help="your conversations: list, show, rename, clear (keeps a summary), delete"
    )
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "show", "rename", "clear", "delete"],
    )
    p.add_argument("arg", nargs="?", help="search text (list) or chat id")
    p.add_argument("rest", nargs="*", help="the new title (rename)")
    p.set_defaults(func=cmd_chats)
