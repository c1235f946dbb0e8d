"""`konspekt` commands: ingest, ask, search, status, kb, docs."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cli.text import t
from core import (
    DEFAULT_KB,
    Done,
    Engine,
    IngestStage,
    KnownError,
    Settings,
    Sources,
    Token,
    system_language,
    tr,
)

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


@contextmanager
def _ctrl_c_sets(event: threading.Event) -> Iterator[None]:
    """While active, Ctrl-C sets `event` (a second Ctrl-C interrupts hard)."""

    def handler(signum: int, frame: object) -> None:
        if event.is_set():
            raise KeyboardInterrupt
        event.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_ingest(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """Index paths with a progress bar, then print the totals and failures."""
    cancel = threading.Event()
    failures: list[tuple[str, str]] = []
    report = None
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}"),
    )
    with _ctrl_c_sets(cancel), Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(t("scanning", lang), total=None, current="")
        for event in engine.ingest(args.paths, kb=args.kb, cancel=cancel):
            if event.stage is IngestStage.SCANNED:
                bar.update(task, description=t("indexing", lang), total=event.total)
            elif event.stage is IngestStage.FINISHED:
                report = event.report
            elif event.stage is IngestStage.EMBEDDING:
                part = event.chunks / max(event.file_chunks, 1)
                name = Path(event.source).name[-34:]
                bar.update(
                    task,
                    completed=event.done + part,
                    current=f"{name} {event.chunks}/{event.file_chunks}",
                )
            else:
                bar.update(task, completed=event.done, current=Path(event.source).name[-40:])
                if event.stage is IngestStage.FAILED:
                    failures.append((event.source, event.error(lang, short_name=True)))
    if report is None:
        return 1
    summary = Table.grid(padding=(0, 2))
    for count, key in (
        (report.indexed, "indexed"),
        (report.skipped, "skipped"),
        (report.failed, "failed"),
        (report.removed, "removed"),
        (report.chunks, "chunks"),
    ):
        summary.add_row(str(count), t(key, lang))
    console.print(summary)
    if failures:
        table = Table(title=t("failures", lang), show_lines=False)
        table.add_column(t("file", lang), overflow="fold")
        table.add_column(t("reason", lang), overflow="fold")
        for source, reason in failures:
            table.add_row(source, reason)
        console.print(table)
    if report.cancelled:
        console.print(t("cancelled", lang))
    return 0 if report.failed == 0 else 2


def cmd_ask(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """Stream an answer, then its numbered sources and timing figures."""
    choice = engine.model_choice()
    if choice.is_demo:
        errors.print(
            tr("demo_model", lang, name=choice.name, models_dir=engine.settings.models_dirs[0]),
            style="yellow",
        )
    cancel = threading.Event()
    with _ctrl_c_sets(cancel):
        for event in engine.ask(args.question, kb=args.kb, cancel=cancel):
            if isinstance(event, Token):
                console.print(event.text, end="", markup=False, soft_wrap=True)
            elif isinstance(event, Sources):
                console.print()
                if cancel.is_set():
                    console.print(t("stopped", lang), style="yellow")
                if event.items:
                    console.print(f"\n[bold]{t('sources', lang)}[/bold]")
                for s in event.items:
                    where = " · ".join(x for x in (s.location.label, s.location.heading) if x)
                    mark = "*" if s.cited else " "
                    console.print(
                        f"{mark}[{s.number}] [bold]{s.document}[/bold]  {where}",
                        markup=True,
                        highlight=False,
                    )
                    console.print(
                        "     " + " ".join(s.snippet.split())[:200], markup=False, style="dim"
                    )
            elif isinstance(event, Done):
                st = event.stats
                if st.grounded:
                    console.print(
                        t(
                            "stats",
                            lang,
                            retrieval=st.retrieval_ms,
                            prompt=st.prompt_tokens,
                            first=st.first_token_ms,
                            tps=st.tokens_per_s,
                            model=st.model,
                        ),
                        style="dim",
                    )
    return 0


def cmd_search(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """Print the ranked passages with their scores."""
    hits = engine.search(args.query, kb=args.kb, limit=args.limit)
    if not hits:
        console.print(t("no_results", lang))
        return 0
    table = Table(show_lines=True)
    for col in ("rank", "score", "where", "passage"):
        table.add_column(t(col, lang), overflow="fold")
    for i, h in enumerate(hits, 1):
        where = "\n".join(x for x in (h.document, h.location.label, h.location.heading) if x)
        scores = f"{h.score:.3f}\nkw {h.keyword_score:.2f}\nvec {h.vector_score:.3f}"
        table.add_row(str(i), scores, where, " ".join(h.text.split())[:400])
    console.print(table)
    return 0


def cmd_status(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """Print the data folder, models and knowledge bases."""
    st = engine.status()
    console.print(f"[bold]Konspekt[/bold]\n{t('data_dir', lang)}: {st.data_dir}")
    demo = f" {t('demo', lang)}" if st.model_is_demo else ""
    console.print(f"{t('model', lang)}: {Path(st.model).name or '—'}{demo}")
    console.print(f"{t('embedder', lang)}: {st.embedder}")
    kbs = ", ".join(f"{k.name} ({k.documents} {t('documents', lang)})" for k in st.knowledge_bases)
    console.print(f"{t('kbs', lang)}: {kbs or '—'}\n")
    console.print(t("get_started", lang))
    return 0


def cmd_docs(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """List the documents of a knowledge base with status and reasons."""
    table = Table()
    for col in ("file", "status", "chunks", "reason"):
        table.add_column(t(col, lang).capitalize(), overflow="fold")
    for d in engine.documents(args.kb):
        table.add_row(
            d.source, t(d.status.value, lang), str(d.chunks), d.error(lang, short_name=True)
        )
    console.print(table)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="konspekt", description="Ask your documents, offline.")
    parser.add_argument("--data-dir", type=Path, help="data folder (or KONSPEKT_DATA_DIR)")
    parser.add_argument("--lang", choices=("en", "ru"), help="interface language")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("ingest", help="index files, folders and zip archives")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--kb", default=DEFAULT_KB, help="knowledge base name")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("ask", help="answer a question from the documents, with sources")
    p.add_argument("question")
    p.add_argument("--kb", help="knowledge base (default: all)")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("search", help="show the ranked passages for a query")
    p.add_argument("query")
    p.add_argument("--kb", help="knowledge base (default: all)")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("docs", help="list the documents of a knowledge base")
    p.add_argument("--kb", default=DEFAULT_KB)
    p.set_defaults(func=cmd_docs)
    p = sub.add_parser("status", help="data folder, models, knowledge bases")
    p.set_defaults(func=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `konspekt` command."""
    args = build_parser().parse_args(argv)
    lang = args.lang or system_language()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", cmd_status)
    try:
        with Engine(Settings.load(args.data_dir)) as engine:
            return int(func(engine, args, lang))
    except KnownError as exc:
        errors.print(exc.user_message(lang), style="red", markup=False)
        return 1
    except KeyboardInterrupt:
        errors.print(t("interrupted", lang))
        return 130


if __name__ == "__main__":
    sys.exit(main())
