"""`konspekt watch | maintenance | backup | restore`: folders followed, upkeep, backups."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from pathlib import Path

from rich.table import Table

from cli.accounts import show_recovery_code
from cli.console import console, when
from cli.context import CliError, Context, secret
from cli.text import N_, t, tn
from core import (
    Engine,
    MaintenanceResult,
    PassphraseRequired,
    Restored,
    Settings,
    WatchedFolder,
)


def _state(folder: WatchedFolder, lang: str) -> str:
    text = t(f"watch_state_{folder.state.value}", lang)
    if folder.error_key:
        text += ": " + folder.error(lang)
    return text


def _watch_table(folders: list[WatchedFolder], lang: str) -> Table:
    table = Table()
    for col in (
        N_("col_watch_id"),
        N_("col_watch_kb"),
        N_("col_watch_path"),
        N_("col_watch_state"),
        N_("col_watch_scanned"),
        N_("col_watch_changes"),
    ):
        table.add_column(t(col, lang))
    for f in folders:
        changes = t("watch_changes", lang, indexed=f.indexed, removed=f.removed, failed=f.failed)
        live = " ●" if f.live else ""
        table.add_row(str(f.id), f.kb, f.path, _state(f, lang) + live, when(f.scanned_at), changes)
    return table


def cmd_watch(ctx: Context) -> int:
    """Watch [list|add PATH [--kb KB]|remove ID|scan [ID]|run]."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    if args.action == "add":
        if not args.target:
            raise CliError(t("watch_path_needed", lang))
        folder = engine.watches.add(ctx.session, Path(args.target), args.kb)
        console.print(t("watch_added", lang, path=folder.path, kb=folder.kb))
        folders = engine.watches.scan(ctx.session, folder.id)
    elif args.action == "remove":
        engine.watches.remove(ctx.session, _number(args.target, lang))
        folders = engine.watches.all(ctx.session)
    elif args.action == "scan":
        folder_id = _number(args.target, lang) if args.target else None
        folders = engine.watches.scan(ctx.session, folder_id)
    elif args.action == "run":
        return _follow(ctx)
    else:
        folders = engine.watches.all(ctx.session, args.kb)
    if not folders:
        console.print(t("watch_none", lang))
        return 0
    console.print(_watch_table(folders, lang))
    return 1 if any(f.error_key for f in folders) and args.action == "scan" else 0


def _follow(ctx: Context) -> int:
    """Run the background jobs in the foreground until Ctrl+C, telling each scan."""
    engine, lang, session = ctx.engine, ctx.lang, ctx.session
    folders = engine.watches.all(session)
    if not folders:
        console.print(t("watch_none", lang))
        return 0
    engine.start_background()
    console.print(tn("watch_following", len(folders), lang))
    seen = {f.id: (f.state, f.scanned_at) for f in folders}
    stop = threading.Event()
    try:
        while not stop.wait(2.0):
            for f in engine.watches.all(session):
                if seen.get(f.id) != (f.state, f.scanned_at):
                    seen[f.id] = (f.state, f.scanned_at)
                    console.print(f"{when(f.scanned_at)}  {f.path}: {_state(f, lang)}")
    except KeyboardInterrupt:
        pass
    finally:
        engine.stop_background()
    return 0


def _number(text: str | None, lang: str) -> int:
    if not (text or "").isdigit():
        raise CliError(t("watch_id_needed", lang))
    return int(text or 0)


def _results(results: list[MaintenanceResult], lang: str) -> int:
    table = Table()
    for col in (
        N_("col_upkeep_task"),
        N_("col_upkeep_when"),
        N_("col_upkeep_seconds"),
        N_("col_upkeep_ok"),
        N_("col_upkeep_detail"),
    ):
        table.add_column(t(col, lang))
    for r in results:
        ok = t("yes", lang) if r.ok else t("no", lang)
        table.add_row(r.task, when(r.started_at), f"{r.seconds:.2f}", ok, r.detail(lang))
    console.print(table)
    return 0 if all(r.ok for r in results) else 1


def cmd_maintenance(ctx: Context) -> int:
    """Maintenance [run|log]."""
    if ctx.args.action == "log":
        return _results(ctx.engine.upkeep.log(ctx.session, ctx.args.limit), ctx.lang)
    return _results(ctx.engine.upkeep.maintain(ctx.session), ctx.lang)


def cmd_backup(ctx: Context) -> int:
    """Backup [list] [--to DIR]."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    if args.action == "list":
        found = engine.upkeep.backups(ctx.session, args.to)
        for path in found:
            console.print(
                f"{when(path.stat().st_mtime)}  {path}  ({path.stat().st_size / 2**20:.1f} MiB)"
            )
        if not found:
            console.print(t("backup_none", lang))
        return 0
    with console.status(t("backup_writing", lang)):
        result = engine.upkeep.backup(ctx.session, args.to)
    if not result.ok:
        raise CliError(t("backup_failed", lang, detail=result.detail(lang)))
    console.print(t("backup_written", lang, detail=result.detail(lang), seconds=result.seconds))
    return 0


def cmd_restore(args: argparse.Namespace, lang: str) -> int:
    """Replace the data with a backup's (needs no login: the key opens it)."""
    asked = {"key_store": args.key_store} if args.key_store else {}
    settings = Settings.load(args.data_dir, **asked)  # a key store IT locked is refused
    file = Path(args.file).expanduser().absolute()
    if not file.is_file():
        raise CliError(t("restore_no_file", lang, path=file))
    code = None
    if args.recovery_code:
        code = secret(t("recovery_prompt", lang), "KONSPEKT_RECOVERY_CODE", lang)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(t("restore_confirm_needed", lang))
        answer = input(t("restore_confirm", lang, path=settings.data_dir, file=file.name))
        if answer.strip().lower() not in ("y", "yes", "д", "да"):
            console.print(t("restore_cancelled", lang))
            return 1

    def restore(passphrase: str | None) -> Restored:
        with console.status(t("restore_running", lang)):
            return Engine.restore(
                settings,
                file,
                recovery_code=code,
                key_store=settings.key_store,
                passphrase=passphrase,
            )

    passphrase = os.environ.get("KONSPEKT_PASSPHRASE")
    try:
        restored = restore(passphrase)
    except PassphraseRequired:
        if passphrase is not None:
            raise
        restored = restore(secret(t("passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang))
    console.print(t("restored", lang, previous=restored.previous))
    if restored.recovery_code:
        show_recovery_code(restored.recovery_code, lang, None)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `watch`, `maintenance`, `backup` and `restore` to the parser."""
    p = sub.add_parser(
        "watch", help="folders a knowledge base follows: list, add, remove, scan, run"
    )
    p.add_argument(
        "action", nargs="?", default="list", choices=["list", "add", "remove", "scan", "run"]
    )
    p.add_argument("target", nargs="?", help="a folder (add) or a watched folder's number")
    p.add_argument("--kb", help="knowledge base (default: your own uploads)")
    p.set_defaults(func=cmd_watch)
    p = sub.add_parser("maintenance", help="compact, optimize and check now, or show the log")
    p.add_argument("action", nargs="?", default="run", choices=["run", "log"])
    p.add_argument("--limit", type=int, default=30)
    p.set_defaults(func=cmd_maintenance)
    p = sub.add_parser("backup", help="write an encrypted backup now, or list the backups")
    p.add_argument("action", nargs="?", default="now", choices=["now", "list"])
    p.add_argument("--to", type=Path, help="backup folder (default: the configured one)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="replace the data with a backup (close the app first)")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--recovery-code",
        action="store_true",
        help="open the backup with the recovery code current when it was made "
        "(asked, or KONSPEKT_RECOVERY_CODE)",
    )
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(standalone=cmd_restore)
