"""`konspekt sync`: keep or drop copies of team servers' knowledge bases and catch up now."""

from __future__ import annotations

import argparse
import threading

from cli.console import console, errors
from cli.context import Context
from cli.documents import ctrl_c_sets
from cli.remote import local_name
from cli.text import t, tn
from core import CertificateChanged, ServerUnreachable, SyncProgress, SyncReport, SyncStage

UNREACHABLE = 2
"""Exit status when a server could not be reached (the others were synced; copies kept)."""
CERTIFICATE_CHANGED = 3
"""Exit status when a server presented another certificate (nothing was sent to it)."""


def cmd_sync(ctx: Context) -> int:
    """Set the keep-copy flags asked for, then sync with a line per document."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    for name in args.keep or ():
        kb = engine.remotes.keep_copy(session, local_name(engine, session, name, lang), True)
        console.print(t("sync_keeping", lang, name=kb.name), markup=False)
    for name in args.drop or ():
        kb = engine.remotes.keep_copy(session, local_name(engine, session, name, lang), False)
        console.print(t("sync_dropping", lang, name=kb.name), markup=False)
    only = local_name(engine, session, args.kb, lang) if args.kb else None
    cancel = threading.Event()
    printer = _ProgressPrinter(lang)
    try:
        with ctrl_c_sets(cancel):
            for event in engine.sync.run(session, kb=only, cancel=cancel):
                printer.show(event)
    except ServerUnreachable as exc:
        errors.print(exc.user_message(lang), style="red", markup=False)
        return UNREACHABLE
    except CertificateChanged as exc:
        errors.print(exc.user_message(lang), style="red", markup=False)
        return CERTIFICATE_CHANGED
    if not printer.reports:
        console.print(t("sync_nothing", lang))
    return 0


class _ProgressPrinter:
    """Plain lines, one per document, so logs and pipes show progress as well as terminals."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.totals: dict[str, int] = {}
        self.reports: list[SyncReport] = []

    def show(self, event: SyncProgress) -> None:
        """Print one event: the count listed, a document copied, or the KB's summary."""
        lang = self.lang
        if event.stage is SyncStage.LISTED:
            self.totals[event.kb] = event.done + event.total
            if event.total:
                console.print(tn("sync_listed", event.total, lang, kb=event.kb), markup=False)
        elif event.stage is SyncStage.DOCUMENT:
            total = self.totals.get(event.kb, event.done)
            line = t(
                "sync_document",
                lang,
                kb=event.kb,
                done=event.done,
                total=total,
                document=event.document,
            )
            console.print(line, markup=False, soft_wrap=True)
        elif event.report is not None:
            self.reports.append(event.report)
            for line in summary(event.report, lang):
                console.print(line, markup=False)


def summary(report: SyncReport, lang: str) -> list[str]:
    """What one knowledge base's sync did, in a line or three."""
    if report.dropped:
        return [t("sync_dropped", lang, kb=report.kb)]
    lines = [
        t(
            "sync_summary",
            lang,
            kb=report.kb,
            added=report.added,
            changed=report.changed,
            removed=report.removed,
            size=size(report.bytes_received, lang),
            version=report.version,
        )
    ]
    if report.re_embedded:
        lines.append(t("sync_re_embedded_cli", lang, kb=report.kb))
    if report.cancelled:
        lines.append(t("sync_cancelled", lang, kb=report.kb))
    return lines


def size(count: int, lang: str) -> str:
    """Bytes as a person reads them: KB below a megabyte, MB above."""
    if count < 1024 * 1024:
        return t("size_kb", lang, n=count / 1024)
    return t("size_mb", lang, n=count / (1024 * 1024))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `sync` to the parser."""
    p = sub.add_parser(
        "sync",
        help="bring the copies of team servers' knowledge bases up to date",
        description="Exit status: 0 done, 2 a server could not be reached (the others were "
        "synced, its copies are kept as they were), 3 a server presented another "
        "certificate (nothing was sent to it), 1 any other problem.",
    )
    p.add_argument("--kb", help="only this knowledge base (its name here or on the server)")
    p.add_argument(
        "--keep", action="append", metavar="NAME", help="keep a copy of NAME on this computer"
    )
    p.add_argument(
        "--drop", action="append", metavar="NAME", help="delete the copy of NAME kept here"
    )
    p.set_defaults(func=cmd_sync)
