"""Commands about people and keys: setup, register, passwd, users, groups, audit, key."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from rich.panel import Panel
from rich.table import Table

from cli.console import console, when
from cli.context import Context, secret, username
from cli.text import N_, t, tn
from core import Engine, Role


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a new 0600 file that then replaces `path`.

    Opening `path` itself would keep an existing file's mode (a 0644 file would stay
    readable by everyone, with the code in it) and follow a symlink planted there.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def show_recovery_code(code: str, lang: str, file: Path | None) -> None:
    """Print the recovery code once, boxed, and write it to `file` for escrow if asked."""
    if not code:
        console.print(t("no_recovery_env", lang), style="yellow")
        return
    console.print(
        Panel(
            f"[bold]{code}[/bold]\n\n" + t("recovery_explain", lang),
            title=t("recovery_title", lang),
            expand=False,
        )
    )
    if file is not None:
        _write_private(file, code)
        console.print(t("recovery_written", lang, path=file))


def cmd_setup(ctx: Context) -> int:
    """Create the first administrator (the database and its key on first run)."""
    lang, engine = ctx.lang, ctx.engine
    name = username(ctx.args)
    password = secret(
        t("new_password_for", lang, user=name), "KONSPEKT_PASSWORD", lang, confirm=True
    )
    result = engine.identity.setup(name, password, ctx.args.display_name or "")
    ctx._session = result.session
    console.print(
        t("setup_done", lang, user=name, store=engine.system.status(result.session).key_store)
    )
    show_recovery_code(result.recovery_code, lang, ctx.args.recovery_file)
    return 0


def cmd_register(ctx: Context) -> int:
    """Ask for an account (pending approval unless an invite code is given)."""
    lang = ctx.lang
    name = username(ctx.args)
    password = secret(
        t("new_password_for", lang, user=name), "KONSPEKT_PASSWORD", lang, confirm=True
    )
    user = ctx.engine.identity.register(
        name, password, ctx.args.display_name or "", ctx.args.invite
    )
    console.print(t(f"registered_{user.status.value}", lang, user=user.username))
    return 0


def cmd_passwd(ctx: Context) -> int:
    """Change one's own password."""
    lang = ctx.lang
    name = username(ctx.args)
    old = secret(t("password_prompt", lang, user=name), "KONSPEKT_PASSWORD", lang)
    session = ctx.engine.identity.login(name, old)
    new = secret(t("new_password_prompt", lang), "KONSPEKT_NEW_PASSWORD", lang, confirm=True)
    ctx.engine.identity.change_password(session, old, new)
    console.print(t("password_changed", lang))
    return 0


def cmd_users(ctx: Context) -> int:
    """Users list|approve|role|disable|enable|reset-password|invite."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    action = args.action
    if action == "approve":
        user = engine.accounts.approve_user(session, args.name, Role(args.role))
        console.print(t("user_approved", lang, user=user.username, role=user.role.value))
    elif action == "role":
        user = engine.accounts.set_role(session, args.name, Role(args.role))
        console.print(t("role_set", lang, user=user.username, role=user.role.value))
    elif action in ("disable", "enable"):
        user = engine.accounts.set_user_enabled(session, args.name, action == "enable")
        console.print(t(f"user_{user.status.value}", lang, user=user.username))
    elif action == "reset-password":
        temporary = engine.accounts.reset_password(session, args.name)
        console.print(t("temporary_password", lang, user=args.name, password=temporary))
    elif action == "invite":
        code = engine.accounts.create_invite(session, Role(args.role), args.days)
        console.print(t("invite_code", lang, code=code, role=args.role, days=args.days))
    else:
        table = Table()
        for col in (
            N_("col_user"),
            N_("col_name"),
            N_("col_role"),
            N_("col_state"),
            N_("col_last_login"),
        ):
            table.add_column(t(col, lang))
        for u in engine.accounts.users(session):
            table.add_row(
                u.username,
                u.display_name,
                t(f"role_{u.role.value}", lang),
                t(f"state_{u.status.value}", lang),
                when(u.last_login),
            )
        console.print(table)
    return 0


def cmd_groups(ctx: Context) -> int:
    """Groups list|create|add|remove."""
    engine, args, session = ctx.engine, ctx.args, ctx.session
    if args.action == "create":
        engine.accounts.create_group(session, args.group)
    elif args.action in ("add", "remove"):
        engine.accounts.set_group_member(session, args.group, args.member, args.action == "add")
    table = Table()
    table.add_column(t("col_group", ctx.lang))
    table.add_column(t("col_members", ctx.lang))
    for g in engine.accounts.groups(session):
        table.add_row(g.name, ", ".join(g.members) or "—")
    console.print(table)
    return 0


def cmd_audit(ctx: Context) -> int:
    """Show the newest audit entries, or verify the hash chain."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    if args.verify:
        check = engine.audit.verify(session)
        if check.ok:
            console.print(tn("audit_ok", check.entries, lang, head=check.head))
            return 0
        console.print(t("audit_broken", lang, entry=check.first_bad_id), style="red")
        return 3
    table = Table()
    for col in (
        N_("col_when"),
        N_("col_user"),
        N_("col_action"),
        N_("col_target"),
        N_("col_detail"),
    ):
        table.add_column(t(col, lang), overflow="fold")
    for e in engine.audit.entries(session, args.limit, args.action):
        detail = ", ".join(f"{k}={v}" for k, v in e.detail)
        table.add_row(when(e.at), e.actor, e.action, e.target, detail)
    console.print(table)
    return 0


def cmd_key(ctx: Context) -> int:
    """Key status|rotate."""
    lang = ctx.lang
    if ctx.args.action == "rotate":
        code = ctx.engine.keys.rotate(ctx.session)
        console.print(t("key_rotated", lang))
        show_recovery_code(code, lang, ctx.args.recovery_file)
    else:
        console.print(t("key_store", lang) + f": {ctx.engine.system.status(ctx.session).key_store}")
    return 0


def cmd_key_recover(args: argparse.Namespace, lang: str, settings: object) -> int:
    """Open the data with the recovery code; keep the key in the chosen store again."""
    from core import Settings

    assert isinstance(settings, Settings)
    code = secret(t("recovery_prompt", lang), "KONSPEKT_RECOVERY_CODE", lang)
    passphrase = None
    if args.key_store == "passphrase":
        passphrase = secret(
            t("new_passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang, confirm=True
        )
    new_code = Engine.recover(settings, code, key_store=args.key_store, passphrase=passphrase)
    console.print(t("recovered", lang))
    show_recovery_code(new_code, lang, args.recovery_file)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the account commands to the parser."""
    roles = [r.value for r in Role]
    p = sub.add_parser("setup", help="first run: create the administrator and the key")
    p.add_argument("--display-name")
    p.add_argument("--recovery-file", type=Path, help="also write the recovery code here")
    p.set_defaults(func=cmd_setup, creating=True)
    p = sub.add_parser("register", help="ask for an account (an admin approves it)")
    p.add_argument("--display-name")
    p.add_argument("--invite", help="an invite code from an administrator")
    p.set_defaults(func=cmd_register, anonymous=True)
    p = sub.add_parser("passwd", help="change your password")
    p.set_defaults(func=cmd_passwd, anonymous=True)
    p = sub.add_parser("users", help="accounts (administrators)")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "approve", "role", "disable", "enable", "reset-password", "invite"],
    )
    p.add_argument("name", nargs="?", help="the account")
    p.add_argument("role", nargs="?", default="member", choices=roles)
    p.add_argument("--days", type=float, default=7, help="invite validity")
    p.set_defaults(func=cmd_users)
    p = sub.add_parser("groups", help="groups of users (administrators change them)")
    p.add_argument("action", nargs="?", default="list", choices=["list", "create", "add", "remove"])
    p.add_argument("group", nargs="?")
    p.add_argument("member", nargs="?")
    p.set_defaults(func=cmd_groups)
    p = sub.add_parser("audit", help="the audit log (administrators)")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--action", help="only this action, e.g. login_failed")
    p.add_argument("--verify", action="store_true", help="check the hash chain")
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("key", help="the database key: status, rotate, recover")
    p.add_argument("action", choices=["status", "rotate", "recover"])
    p.add_argument("--recovery-file", type=Path, help="also write the new recovery code here")
    p.set_defaults(func=cmd_key)
