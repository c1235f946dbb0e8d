"""`konspekt`: the command-line shell over core.Engine."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from cli import (
    accounts,
    assistants,
    chats,
    doctor,
    documents,
    evaluation,
    export,
    models,
    remote,
    settings_cmd,
    sharing,
    stats,
    summaries,
    sync,
    upkeep,
)
from cli.console import console, errors
from cli.context import CliError, Context, open_engine
from cli.text import t
from core import Engine, KnownError, PolicyInvalid, Settings, system_language


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="konspekt", description="Ask your documents, offline.")
    parser.add_argument("--data-dir", type=Path, help="data folder (or KONSPEKT_DATA_DIR)")
    parser.add_argument("--lang", choices=("en", "ru"), help="interface language")
    parser.add_argument(
        "-u",
        "--login",
        help="your username (or KONSPEKT_USER; default: "
        "your OS login name); the password comes from a prompt or "
        "KONSPEKT_PASSWORD",
    )
    parser.add_argument(
        "--key-store",
        choices=("auto", "keyring", "passphrase", "env", "file"),
        help="where a new database key is kept (setup, key recover)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("desktop", help="open the desktop window (the default with a display)")
    serve = sub.add_parser("serve", help="run the team server over HTTPS (see docs/server.md)")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default: all)")
    serve.add_argument("--port", type=int, default=8443, help="port (default: 8443)")
    serve.add_argument("--cert", type=Path, help="company certificate (PEM) instead of our own")
    serve.add_argument("--key", type=Path, help="its private key (PEM)")
    documents.register(sub)
    sharing.register(sub)
    chats.register(sub)
    summaries.register(sub)
    upkeep.register(sub)
    accounts.register(sub)
    evaluation.register(sub)
    remote.register(sub)
    sync.register(sub)
    doctor.register(sub)
    settings_cmd.register(sub)
    models.register(sub)
    export.register(sub)
    assistants.register(sub)
    stats.register(sub)
    return parser


def _welcome(settings: Settings, lang: str) -> int:
    """First start: nothing exists yet; say how to begin (and create nothing)."""
    console.print("[bold]Konspekt[/bold]\n" + t("data_dir", lang) + f": {settings.data_dir}\n")
    console.print(t("welcome", lang))
    if Engine.keychain() is None:
        console.print(t("welcome_no_keychain", lang), style="yellow")
    return 0


def display_missing() -> str:
    """Why no window can open here ('' when a graphical session exists)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return ""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return "DISPLAY / WAYLAND_DISPLAY not set"


def _desktop(args: argparse.Namespace) -> int:
    """Open the Qt window (imported only now: the commands never load Qt)."""
    if args.data_dir:
        os.environ["KONSPEKT_DATA_DIR"] = str(args.data_dir)
    if args.key_store:
        os.environ["KONSPEKT_KEY_STORE"] = args.key_store
    if args.lang:
        os.environ["KONSPEKT_LANG"] = args.lang
    from desktop.app import main as desktop_main

    return desktop_main(sys.argv[:1])


def _serve(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    """Run the team server (imported only now: other commands never load FastAPI)."""
    from server.serve import serve

    return serve(settings, lang, args.host, args.port, args.cert, args.key)


def _run(args: argparse.Namespace, lang: str) -> int:
    if args.command == "desktop" or (args.command is None and not display_missing()):
        return _desktop(args)
    if args.command is None:
        console.print(t("no_display", lang, reason=display_missing()), style="dim")
    standalone = getattr(args, "standalone", None)
    if standalone is not None:  # needs no login; loads its own settings (doctor reports a
        return int(standalone(args, lang))  # malformed policy instead of stopping on it)
    overrides = {"key_store": args.key_store} if args.key_store else {}
    settings = Settings.load(args.data_dir, **overrides)
    func = getattr(args, "func", documents.cmd_status)
    if args.command == "serve":
        return _serve(args, lang, settings)
    if args.command == "key" and args.action == "recover":
        args.key_store = args.key_store or "auto"
        return accounts.cmd_key_recover(args, lang, settings)
    creating = bool(getattr(args, "creating", False))
    if not creating and not Engine.data_exists(settings):
        return _welcome(settings, lang)
    with open_engine(settings, lang, creating=creating) as engine:
        if engine.identity.needs_setup() and not creating:
            console.print(t("not_set_up", lang))
            return 0 if func is documents.cmd_status else 1
        return int(func(Context(args, lang, engine)))


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `konspekt` command."""
    args = build_parser().parse_args(argv)
    lang = args.lang or system_language()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return _run(args, lang)
    except PolicyInvalid as exc:  # IT's intent unreadable: nothing starts (docs/policy.md)
        errors.print(exc.user_message(lang), style="red", markup=False)
        return 2
    except KnownError as exc:
        errors.print(exc.user_message(lang), style="red", markup=False)
        return 1
    except CliError as exc:
        errors.print(str(exc), style="red", markup=False)
        return 1
    except KeyboardInterrupt:
        errors.print(t("interrupted", lang))
        return 130


if __name__ == "__main__":
    sys.exit(main())
