"""`konspekt export chat …` and `konspekt kb export|import`: chats and knowledge bases leaving.

A bundle's passphrase is typed without echo (twice when exporting) or read from the first
line of `--passphrase-file`; it never appears in arguments, the environment or logs.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from cli.console import console
from cli.context import CliError, Context
from cli.documents import ctrl_c_sets
from cli.text import t
from core import BundleProgress, BundleReport, BundleStage


def cmd_export(ctx: Context) -> int:
    """Export chat CHAT_ID --format md|pdf -o FILE."""
    args, lang = ctx.args, ctx.lang
    if not str(args.chat_id).isdigit():
        raise CliError(t("chat_id_needed", lang))
    if args.output is None:
        raise CliError(t("export_output_needed", lang))
    path = ctx.engine.exports.chat(ctx.session, int(args.chat_id), args.output, args.format, lang)
    console.print(t("export_chat_written", lang, id=args.chat_id, path=path), markup=False)
    return 0


def cmd_kb_bundle(ctx: Context) -> int:
    """Kb export KB -o FILE | kb import FILE, with a progress bar; Ctrl-C cancels."""
    args, lang, engine = ctx.args, ctx.lang, ctx.engine
    cancel = threading.Event()
    if args.action == "export":
        if args.output is None:
            raise CliError(t("export_output_needed", lang))
        passphrase = _passphrase(args, lang, confirm=True)
        events = engine.bundles.export(ctx.session, args.name, args.output, passphrase, cancel)
        label = t("bundle_exporting", lang)
    else:
        passphrase = _passphrase(args, lang, confirm=False)
        events = engine.bundles.import_(ctx.session, Path(args.name), passphrase, cancel)
        label = t("bundle_importing", lang)
    with ctrl_c_sets(cancel):
        report = _follow(events, label)
    if report is None or report.cancelled:
        console.print(t("bundle_cancelled", lang))
        return 1
    if args.action == "export":
        console.print(
            t(
                "bundle_exported",
                lang,
                kb=report.kb,
                documents=report.documents,
                chunks=report.chunks,
                path=args.output,
            ),
            markup=False,
        )
    else:
        console.print(
            t(
                "bundle_imported",
                lang,
                kb=report.kb,
                documents=report.documents,
                chunks=report.chunks,
            ),
            markup=False,
        )
        if report.re_embedded:
            console.print(t("bundle_re_embedded", lang))
    return 0


def _follow(events: Iterator[BundleProgress], label: str) -> BundleReport | None:
    """Show the events on a progress bar; the final report."""
    report = None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, TextColumn("{task.fields[current]}"), console=console, transient=True
    ) as bar:
        task = bar.add_task(label, total=None, current="")
        for event in events:
            if event.stage is BundleStage.FINISHED:
                report = event.report
                continue
            part = event.chunks / event.file_chunks if event.file_chunks else 0.0
            bar.update(
                task,
                total=event.total or None,
                completed=event.done + part,
                current=event.document[-40:],
            )
    return report


def _passphrase(args: argparse.Namespace, lang: str, *, confirm: bool) -> str:
    """The bundle's passphrase: the file's first line, else typed without echo."""
    if args.passphrase_file is not None:
        try:
            lines = args.passphrase_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            detail = getattr(exc, "strerror", None) or exc
            raise CliError(
                t(
                    "bundle_passphrase_file_unreadable",
                    lang,
                    path=args.passphrase_file,
                    detail=detail,
                )
            ) from None
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise CliError(t("bundle_passphrase_no_tty", lang))
    value = getpass.getpass(t("bundle_passphrase_prompt", lang))
    if confirm and getpass.getpass(t("repeat_prompt", lang)) != value:
        raise CliError(t("secrets_differ", lang))
    return value


def add_bundle_arguments(p: argparse.ArgumentParser) -> None:
    """The options `kb export` and `kb import` take (on the `kb` parser)."""
    p.add_argument("-o", "--output", type=Path, help="kb export: the bundle file to write")
    p.add_argument(
        "--passphrase-file",
        type=Path,
        help="kb export/import: read the bundle's passphrase from this file's first line "
        "(else it is asked for, never echoed)",
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` to the parser."""
    p = sub.add_parser("export", help="export a chat to Markdown or PDF (not encrypted)")
    p.add_argument("what", choices=["chat"])
    p.add_argument("chat_id", help="the chat's id (konspekt chats)")
    p.add_argument("--format", choices=["md", "pdf"], default="md")
    p.add_argument("-o", "--output", type=Path, help="the file to write")
    p.set_defaults(func=cmd_export)
