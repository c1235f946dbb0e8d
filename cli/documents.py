"""Commands on documents: ingest, ask, search, docs, status."""

from __future__ import annotations

import argparse
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from cli.assistants import templated_question
from cli.console import console, errors, kb_label
from cli.context import Context
from cli.text import N_, t, tn
from core import NEW_CHAT, ChatStarted, Done, IngestStage, Offline, Queued, Sources, Token, tr


@contextmanager
def ctrl_c_sets(event: threading.Event) -> Iterator[None]:
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


def cmd_ingest(ctx: Context) -> int:
    """Index paths with a progress bar, then print the totals and failures."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    cancel = threading.Event()
    failures: list[tuple[str, str]] = []
    report = None
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pace]}"),
        TextColumn("{task.fields[current]}"),
    )
    with ctrl_c_sets(cancel), Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(t("scanning", lang), total=None, current="", pace="")
        for event in engine.documents.ingest(ctx.session, args.paths, kb=args.kb, cancel=cancel):
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
                    pace=event.pace(lang),
                )
            else:
                bar.update(task, completed=event.done, current=Path(event.source).name[-40:])
                if event.stage is IngestStage.INDEXED:
                    bar.update(task, pace=event.pace(lang))
                if event.stage is IngestStage.FAILED:
                    failures.append((event.source, event.error(lang, short_name=True)))
    if report is None:
        return 1
    summary = Table.grid(padding=(0, 2))
    for count, key in (
        (report.indexed, N_("indexed")),
        (report.skipped, N_("skipped")),
        (report.failed, N_("failed")),
        (report.removed, N_("removed")),
        (report.chunks, N_("chunks")),
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


def cmd_ask(ctx: Context) -> int:
    """Stream an answer, then its numbered sources and timing figures."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    choice = engine.system.model_choice()
    if choice.is_demo:
        errors.print(
            tr("demo_model", lang, name=choice.name, models_dir=engine.settings.models_dirs[0]),
            style="yellow",
        )
    cancel = threading.Event()
    chat = NEW_CHAT if args.new_chat else args.chat
    with ctrl_c_sets(cancel):
        for event in engine.answers.ask(
            ctx.session, templated_question(ctx), kb=args.kb, cancel=cancel, chat=chat
        ):
            if isinstance(event, ChatStarted):
                console.print(t("chat_started", lang, id=event.chat.id), style="dim")
            elif isinstance(event, Offline):  # a team server's KB, answered from the copy
                errors.print(event.message(lang), style="yellow", markup=False)
            elif isinstance(event, Queued):
                errors.print(t("queued", lang, position=event.position), style="dim")
            elif isinstance(event, Token):
                console.print(event.text, end="", markup=False, soft_wrap=True)
            elif isinstance(event, Sources):
                console.print()
                if cancel.is_set():
                    console.print(t("stopped", lang), style="yellow")
                if event.items:
                    console.print("\n[bold]" + t("sources", lang) + "[/bold]")
                if any(s.weak for s in event.items):
                    console.print(t("weak_sources", lang), style="yellow")
                if event.unknown_citations:
                    numbers = ", ".join(f"[{n}]" for n in event.unknown_citations)
                    console.print(t("unknown_citations", lang, numbers=numbers), style="yellow")
                for s in event.items:
                    where = " · ".join(x for x in (s.location.label, s.location.heading) if x)
                    mark = "?" if s.weak else "*" if s.cited else " "
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
                    if st.memory_notes or st.history_turns:
                        console.print(
                            t("memory_used", lang, notes=st.memory_notes, turns=st.history_turns),
                            style="dim",
                        )
    return 0


def cmd_search(ctx: Context) -> int:
    """Print the ranked passages with their keyword rank and similarity."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    hits = engine.answers.search(ctx.session, args.query, kb=args.kb, limit=args.limit)
    if not hits:
        console.print(t("no_results", lang))
        return 0
    table = Table(show_lines=True)
    for col in (N_("rank"), N_("score"), N_("where"), N_("passage")):
        table.add_column(t(col, lang), overflow="fold")
    for h in hits:
        where = "\n".join(x for x in (h.document, h.location.label, h.location.heading) if x)
        # Ranks and the cosine only: raw BM25 values would reveal other knowledge bases.
        words = t("keyword_rank", lang, rank=h.keyword_rank) if h.keyword_rank else None
        similarity = t("similarity", lang, value=h.vector_score)
        match = (words or t("no_keyword", lang)) + "\n" + similarity
        table.add_row(str(h.rank), match, where, " ".join(h.text.split())[:400])
    console.print(table)
    return 0


def cmd_status(ctx: Context) -> int:
    """Print the data folder, key store, models and the user's knowledge bases."""
    lang = ctx.lang
    st = ctx.engine.system.status(ctx.session)
    console.print("[bold]Konspekt[/bold]\n" + t("data_dir", lang) + f": {st.data_dir}")
    console.print(t("key_store", lang) + f": {st.key_store}")
    role = t(f"role_{ctx.session.user.role.value}", lang)
    console.print(t("logged_in_as", lang) + f": {ctx.session.user.username} ({role})")
    demo = " " + t("demo", lang) if st.model_is_demo else ""
    console.print(t("model", lang) + f": {Path(st.model).name or '—'}{demo}")
    console.print(t("embedder", lang) + f": {st.embedder}")
    kbs = ", ".join(
        kb_label(k, lang) + " (" + tn("documents", k.documents, lang) + ")"
        for k in st.knowledge_bases
    )
    console.print(t("kbs", lang) + f": {kbs or '—'}\n")
    console.print(t("get_started", lang))
    return 0


def cmd_docs(ctx: Context) -> int:
    """List the documents of a knowledge base with status and reasons."""
    lang = ctx.lang
    table = Table()
    for col in (N_("file"), N_("status"), N_("chunks"), N_("reason")):
        table.add_column(t(col, lang).capitalize(), overflow="fold")
    for d in ctx.engine.documents.all(ctx.session, ctx.args.kb):
        table.add_row(
            d.source, t(d.status.value, lang), str(d.chunks), d.error(lang, short_name=True)
        )
    console.print(table)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the document commands to the parser."""
    p = sub.add_parser("ingest", help="index files, folders and zip archives")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--kb", help="knowledge base (default: your private uploads)")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("ask", help="answer a question from the documents, with sources")
    p.add_argument("question", nargs="?")
    p.add_argument("--kb", help="knowledge base (default: all you can see)")
    p.add_argument("--template", help="ask a saved template's question (konspekt templates)")
    p.add_argument("--set", action="append", help="a template placeholder: NAME=VALUE")
    p.add_argument("--chat", type=int, help="keep the question and answer in this chat")
    p.add_argument("--new-chat", action="store_true", help="start a chat with this question")
    p.set_defaults(func=cmd_ask)
    p = sub.add_parser("search", help="show the ranked passages for a query")
    p.add_argument("query")
    p.add_argument("--kb", help="knowledge base (default: all you can see)")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_search)
    p = sub.add_parser("docs", help="list the documents of a knowledge base")
    p.add_argument("--kb", help="knowledge base (default: your private uploads)")
    p.set_defaults(func=cmd_docs)
    p = sub.add_parser("status", help="data folder, key store, models, knowledge bases")
    p.set_defaults(func=cmd_status)
