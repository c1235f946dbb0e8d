"""`konspekt kb …`: knowledge bases, their sharing and visibility."""

from __future__ import annotations

import argparse

from rich.table import Table

from cli.console import console, kb_label
from cli.context import CliError, Context
from cli.export import add_bundle_arguments, cmd_kb_bundle
from cli.text import N_, t
from core import Access, Visibility


def cmd_kb(ctx: Context) -> int:
    """Kb list|create|rename|delete|share|unshare|public|private."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    action = args.action
    if action != "list" and not args.name:
        raise CliError(t("kb_name_needed", lang))
    if action in ("export", "import"):  # KB -o FILE / FILE: an encrypted bundle
        return cmd_kb_bundle(ctx)
    if action == "create":
        engine.kbs.create(session, args.name)
    elif action == "rename":
        engine.kbs.rename(session, args.name, args.new_name or "")
    elif action == "delete":
        engine.kbs.delete(session, args.name)
    elif action == "share":
        access = Access.WRITE if args.write else Access.READ
        engine.kbs.share(session, args.name, user=args.user, group=args.group, access=access)
    elif action == "unshare":
        engine.kbs.unshare(session, args.name, user=args.user, group=args.group)
    elif action in ("public", "private"):
        engine.kbs.set_visibility(session, args.name, Visibility(action))
    kbs = engine.kbs.every(session) if args.all else engine.kbs.visible(session)
    table = Table()
    for col in (
        N_("col_kb"),
        N_("col_owner"),
        N_("col_sharing"),
        N_("col_documents"),
        N_("col_access"),
    ):
        table.add_column(t(col, lang))
    for kb in kbs:
        shares = ", ".join(f"{g.name}:{g.access.value}" for g in kb.grants)
        rights = (
            N_("rights_manage")
            if kb.can_manage
            else N_("rights_write")
            if kb.can_write
            else N_("rights_read")
        )
        table.add_row(
            kb_label(kb, lang),
            kb.owner,
            t(f"sharing_{kb.sharing}", lang) + (f" ({shares})" if shares else ""),
            str(kb.documents),
            t(rights, lang),
        )
    console.print(table)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kb` to the parser."""
    p = sub.add_parser("kb", help="knowledge bases: list, create, share, make public…")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=[
            *("list", "create", "rename", "delete", "share", "unshare", "public", "private"),
            *("export", "import"),
        ],
    )
    p.add_argument("name", nargs="?", help="the knowledge base (kb import: the bundle file)")
    p.add_argument("new_name", nargs="?", help="for rename")
    p.add_argument("--user", dest="user", help="share with / unshare from this user")
    p.add_argument("--group", help="share with / unshare from this group")
    p.add_argument("--write", action="store_true", help="let them add and delete documents")
    p.add_argument("--all", action="store_true", help="every knowledge base (administrators)")
    add_bundle_arguments(p)
    p.set_defaults(func=cmd_kb)
