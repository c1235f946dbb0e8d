"""`konspekt remote …` and `konspekt publish`: team servers this computer joins."""

from __future__ import annotations

import argparse
import sys

from rich.table import Table

from cli.console import console, when
from cli.context import CliError, Context, secret, username
from cli.text import N_, t, tn
from core import CertificateChanged, Engine, KnowledgeBase, RemoteKb, ServerIdentity, Session

PASSWORD_ENV = "KONSPEKT_REMOTE_PASSWORD"
"""Scripts give the server account's password here, as KONSPEKT_PASSWORD gives the local one."""


def cmd_remote(ctx: Context) -> int:
    """Remote add|list|remove|kbs."""
    action = ctx.args.action
    if action in ("add", "remove") and not ctx.args.url:
        raise CliError(t("remote_url_needed", ctx.lang, action=action))
    if action == "add":
        return _add(ctx)
    if action == "remove":
        ctx.engine.remotes.disconnect(ctx.session, ctx.args.url)
        console.print(t("remote_removed", ctx.lang, url=ctx.args.url), markup=False)
        return 0
    if action == "kbs":
        return _kbs(ctx)
    return _list(ctx)


def _add(ctx: Context) -> int:
    """Show the certificate, have it trusted, log in on the server, list its KBs."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    session = ctx.session  # the local login first: a wrong local password asks nothing else
    seen = engine.remotes.identify(args.url)
    console.print(t("remote_presents", lang, url=seen.url, fingerprint=seen.fingerprint))
    fingerprint = _trusted(seen, args.fingerprint, lang)
    account = args.user or username(args)
    password = secret(
        t("remote_password_prompt", lang, user=account, url=seen.url), PASSWORD_ENV, lang
    )
    server = engine.remotes.connect(session, seen.url, account, password, fingerprint)
    count = sum(1 for _, r in server_kbs(engine, session) if r.server == server.url)
    console.print(
        tn("remote_joined", count, lang, url=server.url, account=server.account),
        markup=False,
    )
    return 0


def _trusted(seen: ServerIdentity, given: str | None, lang: str) -> str:
    """The fingerprint to pin: the one given (which must be the one presented), or confirmed.

    A mismatch is refused here, before the password is asked; the core would refuse it
    too, before sending anything.
    """
    if given:
        if _hexits(given) != _hexits(seen.fingerprint):
            raise CertificateChanged(
                "server_certificate_changed",
                url=seen.url,
                pinned=given.strip(),
                presented=seen.fingerprint,
            )
        return given
    if seen.pinned:
        console.print(t("remote_already_trusted", lang))
        return seen.fingerprint
    if not sys.stdin.isatty():
        raise CliError(t("remote_trust_needed", lang))
    answer = input(t("remote_trust_prompt", lang))
    if answer.strip().lower() not in ("y", "yes", "д", "да"):
        raise CliError(t("remote_not_trusted", lang))
    return seen.fingerprint


def _hexits(fingerprint: str) -> str:
    """A fingerprint as typed or pasted, reduced to its hex digits (any case, any colons)."""
    return "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")


def _list(ctx: Context) -> int:
    servers = ctx.engine.remotes.servers(ctx.session)
    if not servers:
        console.print(t("remote_none", ctx.lang))
        return 0
    table = Table()
    for col in (
        N_("col_server"),
        N_("col_account"),
        N_("col_fingerprint"),
        N_("col_added"),
        N_("col_synced"),
    ):
        table.add_column(t(col, ctx.lang), overflow="fold", no_wrap=col == "col_server")
    for s in servers:
        table.add_row(s.url, s.account, s.fingerprint, when(s.added_at), when(s.synced_at))
    console.print(table)
    return 0


def _kbs(ctx: Context) -> int:
    """The servers' knowledge bases as listed again now (the last list when out of reach)."""
    ctx.engine.remotes.refresh(ctx.session)
    kbs = server_kbs(ctx.engine, ctx.session)
    if not kbs:
        console.print(t("remote_kbs_none", ctx.lang))
        return 0
    table = Table()
    for col in (
        N_("col_local_name"),
        N_("col_on_server"),
        N_("col_server"),
        N_("col_documents"),
        N_("col_copy"),
        N_("col_synced"),
    ):
        table.add_column(t(col, ctx.lang), overflow="fold", no_wrap=col == "col_server")
    for kb, remote in kbs:
        table.add_row(
            kb.name,
            remote.name,
            remote.server,
            str(kb.documents) if remote.keep_copy else "—",
            t(N_("yes") if remote.keep_copy else N_("no_copy"), ctx.lang),
            when(remote.synced_at),
        )
    console.print(table)
    return 0


def server_kbs(engine: Engine, session: Session) -> list[tuple[KnowledgeBase, RemoteKb]]:
    """The knowledge bases of team servers this user sees, each with its remote side."""
    return [(kb, kb.remote) for kb in engine.kbs.visible(session) if kb.remote is not None]


def local_name(engine: Engine, session: Session, name: str, lang: str) -> str:
    """The local name of a server's knowledge base given by its local or its server name.

    People type the name they see on the server ("Handbook"), the local row is named
    "Handbook (host)"; a name that matches nothing is passed on for the core to refuse.
    """
    kbs = server_kbs(engine, session)
    wanted = name.casefold()
    exact = [kb.name for kb, _ in kbs if kb.name.casefold() == wanted]
    if exact:
        return exact[0]
    by_server_name = [kb.name for kb, remote in kbs if remote.name.casefold() == wanted]
    if len(by_server_name) > 1:
        raise CliError(t("remote_ambiguous", lang, name=name, names=", ".join(by_server_name)))
    return by_server_name[0] if by_server_name else name


def cmd_publish(ctx: Context) -> int:
    """Copy a local knowledge base to a team server, one line per document."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    url = args.server
    if not url:
        joined = [s.url for s in engine.remotes.servers(session)]
        if len(joined) != 1:
            raise CliError(t("remote_server_needed", lang, urls=", ".join(joined) or "—"))
        url = joined[0]
    count = 0
    for name in engine.remotes.publish(session, args.kb, url):
        count += 1
        console.print(t("published", lang, name=name), markup=False)
    console.print(tn("published_all", count, lang, kb=args.kb, url=url), markup=False)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `remote` and `publish` to the parser."""
    p = sub.add_parser("remote", help="team servers: add, list, remove, their knowledge bases")
    p.add_argument("action", nargs="?", default="list", choices=["add", "list", "remove", "kbs"])
    p.add_argument("url", nargs="?", help="the server, https://HOST:PORT (add, remove)")
    p.add_argument("--user", help="your account on the server (default: your login here)")
    p.add_argument(
        "--fingerprint",
        help="the SHA-256 fingerprint the server's certificate must have (no question "
        "asked; its password then comes from a prompt or " + PASSWORD_ENV + ")",
    )
    p.set_defaults(func=cmd_remote)
    p = sub.add_parser("publish", help="copy a local knowledge base to a team server")
    p.add_argument("kb", help="the local knowledge base")
    p.add_argument("--server", help="the team server's address (default: the only one joined)")
    p.set_defaults(func=cmd_publish)
