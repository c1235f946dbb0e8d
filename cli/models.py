"""`konspekt models list | pull NAME | import FILE | verify | use NAME`: getting a model.

Model files are files, not data: list, pull, import and verify need no login and work
on a fresh install. `use` changes an installation setting: once data exists it needs
an admin's login (and a policy may lock it); before that it writes konspekt.toml.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from cli.console import console
from cli.context import CliError, Context, open_engine
from cli.documents import ctrl_c_sets
from cli.text import N_, t
from core import (
    Engine,
    Hardware,
    ModelLibrary,
    ModelOption,
    ModelState,
    Settings,
    Transfer,
    TransferStage,
)

ACTIONS = ("list", "pull", "import", "verify", "use")
_Starter = Callable[[threading.Event], Iterator[Transfer]]
"""What `_transfer` runs: a cancel event in, progress out (a pull or an import)."""


def cmd_models(args: argparse.Namespace, lang: str) -> int:
    """Run one `models` action on this installation's model files."""
    overrides = {"key_store": args.key_store} if args.key_store else {}
    settings = Settings.load(args.data_dir, **overrides)
    library = ModelLibrary(settings)
    if args.action in ("pull", "import", "use") and not args.target:
        raise CliError(t("models_target_needed", lang, action=args.action))
    if args.action == "list":
        return _list(library, lang)
    if args.action == "pull":
        pull = lambda cancel: library.pull(args.target, cancel)  # noqa: E731
        return _transfer(library, lang, pull, N_("models_downloading"))
    if args.action == "import":
        source = Path(args.target).expanduser()
        copy = lambda cancel: library.import_file(source, args.name, cancel)  # noqa: E731
        return _transfer(library, lang, copy, N_("models_copying"))
    if args.action == "verify":
        return _verify(library, lang)
    return _use(args, lang, settings, library)


_COLUMNS = (
    N_("models_col_name"),
    N_("models_col_title"),
    N_("models_col_role"),
    N_("models_col_size"),
    N_("models_col_state"),
    N_("models_col_first"),
    N_("models_col_licence"),
)
_WHOLE = (N_("models_col_name"), N_("models_col_role"), N_("models_col_size"))
_ROLES = {
    "answer": N_("models_role_answer"),
    "embedder": N_("models_role_embedder"),
    "reranker": N_("models_role_reranker"),
}
_DEVICES = {"cpu": N_("models_on_cpu"), "gpu": N_("models_on_gpu")}


def _list(library: ModelLibrary, lang: str) -> int:
    hardware = library.hardware()
    options = {o.entry.name: o for o in library.advice(hardware)}
    table = Table()
    for col in _COLUMNS:
        keep = col in _WHOLE  # what people type or compare stays whole
        table.add_column(t(col, lang), overflow="fold", no_wrap=keep)
    for state in library.list():
        entry = state.entry
        option = options.get(entry.name)
        table.add_row(
            entry.name,
            entry.title,
            t(_ROLES[entry.role], lang),
            f"{entry.size_gb:.2f} GB" if entry.size_gb >= 0.95 else f"{entry.size / 1e6:.0f} MB",
            _state(state, lang),
            _first_word(option, lang) if option else "",
            entry.licence,
        )
    console.print(table)
    console.print(t("models_first_note", lang), style="dim")
    console.print(_hardware_line(hardware, lang))
    console.print(t("models_folder", lang, folder=library.folder), style="dim")
    return 0


def _state(state: ModelState, lang: str) -> str:
    if state.path is None:
        if state.partial:
            return t("models_state_partial", lang, mb=state.partial // 1_000_000)
        return t("models_state_missing", lang)
    if state.entry.packaged and not state.verified:
        text = t("models_state_packaged", lang)
    else:
        key = N_("models_state_verified") if state.verified else N_("models_state_installed")
        text = t(key, lang)
    return text + (t("models_state_active", lang) if state.active else "")


def _first_word(option: ModelOption, lang: str) -> str:
    device = t(_DEVICES[option.device], lang)
    seconds = option.first_token_s
    text = (
        t("models_seconds", lang, s=max(1, round(seconds)), device=device)
        if seconds < 90
        else t("models_minutes", lang, m=round(seconds / 60), device=device)
    )
    return text + (t("models_advised", lang) if option.recommended else "")


def _hardware_line(hardware: Hardware, lang: str) -> str:
    if hardware.gpu_memory_bytes:
        gpu = max(hardware.gpus, key=lambda g: g.memory_bytes)
        gpu_text = t("models_gpu", lang, name=gpu.name, vram=f"{gpu.memory_bytes / 2**30:.0f}")
    elif hardware.gpus:
        gpu_text = t("models_gpu_unused", lang, name=hardware.gpus[0].name)
    else:
        gpu_text = t("models_no_gpu", lang)
    return t(
        "models_hardware",
        lang,
        cores=hardware.cores,
        features=", ".join(hardware.features) or "—",
        ram=f"{hardware.ram_bytes / 2**30:.0f}",
        gpu=gpu_text,
    )


def _transfer(library: ModelLibrary, lang: str, start: _Starter, verb: str) -> int:
    """Show a download or copy with a progress bar; Ctrl-C stops it (a download's part stays)."""
    cancel = threading.Event()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    last: Transfer | None = None
    with ctrl_c_sets(cancel), Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=None)
        for step in start(cancel):
            last = step
            key = N_("models_checking") if step.stage is TransferStage.CHECKING else verb
            bar.update(
                task,
                description=t(key, lang, name=step.name),
                completed=step.done,
                total=step.total,
            )
    if last is None:
        return 1
    if last.stage is TransferStage.CANCELLED:
        part = library.folder / f"{library.entry(last.name).file}.part"
        if part.exists():
            console.print(
                t("models_cancelled", lang, mb=part.stat().st_size // 1_000_000, part=part)
            )
        else:
            console.print(t("models_copy_cancelled", lang))
        return 130
    console.print(t("models_installed", lang, name=last.name, path=last.path))
    entry = library.entry(last.name)
    if entry.role == "answer":
        console.print(t("models_use_hint", lang, name=entry.name), style="dim")
    return 0


def _verify(library: ModelLibrary, lang: str) -> int:
    checks = library.verify()
    if not checks:
        console.print(t("models_verify_none", lang))
        return 0
    table = Table()
    table.add_column(t("models_verify_col_file", lang), overflow="fold")
    table.add_column(t("models_verify_col_result", lang), overflow="fold")
    bad = 0
    for check in checks:
        if check.entry is None:
            result = t("models_verify_unlisted", lang, sha=check.sha256)
        elif check.ok:
            result = t("models_verify_ok", lang)
        else:
            bad += 1
            result = t("models_verify_bad", lang, sha=check.sha256)
        table.add_row(str(check.path), result, style="red" if check.entry and not check.ok else "")
    console.print(table)
    return 1 if bad else 0


def _use(args: argparse.Namespace, lang: str, settings: Settings, library: ModelLibrary) -> int:
    """Choose the answer model: through the admin settings once data exists."""
    target = library.target(args.target)  # a clear error before any password prompt
    if not Engine.data_exists(settings):
        library.use(str(target))
    else:
        with open_engine(settings, lang) as engine:
            ctx = Context(args, lang, engine)
            engine.models.use(
                str(target), apply=lambda s: engine.system.apply_settings(ctx.session, s)
            )
    console.print(t("models_used", lang, path=target))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `models` to the parser."""
    p = sub.add_parser(
        "models", help="answer models: list, pull NAME, import FILE, verify, use NAME"
    )
    p.add_argument("action", nargs="?", default="list", choices=ACTIONS)
    p.add_argument("target", nargs="?", help="a model's name (pull, use) or a file (import, use)")
    p.add_argument("--name", help="import: the manifest entry the file is (default: by name/size)")
    p.set_defaults(standalone=cmd_models)
