"""Sync of a 1,000-document team KB: first and incremental, vs copying the server's folder.

The server's store is built first (1,000 short synthetic notes) and copied with
`shutil.copytree`: the baseline a plain file copy would cost. Then it is served over
HTTPS on loopback (`tests.server.running`, in this process) and a desktop engine joins
it and syncs the KB (time, `SyncReport.bytes_received`); 1 % of the notes are rewritten
on the server and the desktop syncs again. Last, the time to the first answer token
from the server (online) and from the synced copy with the server stopped (offline),
both with the demo model (SmolLM2-135M).

Both sides use FakeEmbedder: the real E5 embedder took 424 s to index the 1,000 notes
on this two-core machine (over the three minutes allowed), and sync never embeds when
the embedders match, so the sync and answer figures do not depend on it (retrieval in
the answers is a little cheaper than with E5). The server shares this process and its
two cores with the desktop, as on a developer's machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from bench.common import bench_session, bench_settings, scratch
from core import (
    Engine,
    IngestProgress,
    Offline,
    Session,
    Settings,
    Sources,
    SyncReport,
    Token,
)
from core.llm.catalog import demo_model_path
from tests.fakes import FakeEmbedder
from tests.server.running import running

DOCUMENTS = 1000
CHANGED = 10
"""1 % of the documents."""
KB = "Archive"
ANSWERS = 3
"""Timed answers per path, after one that loads the model."""
QUESTIONS = tuple(  # different years: an identical prompt would come from llama.cpp's cache
    f"Which meeting minutes and budget tables of year {year} are on the archive shelf?"
    for year in (1990, 1995, 2003, 2011)
)


def _note_text(i: int, version: int = 1) -> str:
    return (
        f"Note {i} (edition {version}). The archive shelf {i} holds the minutes of meeting "
        f"{i * 7} and the budget tables of year {1990 + i % 30}. Ask the clerk on floor "
        f"{i % 9} for the key; the room closes at {16 + i % 4} o'clock."
    )


def _build(folder: Path) -> tuple[Settings, list[Path], float]:
    """The server's store with DOCUMENTS notes; returns its settings, the notes, ingest seconds."""
    settings = bench_settings(
        folder / "server",
        model_path=demo_model_path(),
        max_answer_tokens=16,
        temperature=0.0,
        sources=3,
        n_threads=1,
    )
    docs = folder / "notes"
    docs.mkdir()
    paths = []
    for i in range(DOCUMENTS):
        path = docs / f"note{i:04d}.txt"
        path.write_text(_note_text(i), encoding="utf-8")
        paths.append(path)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = bench_session(engine)
        engine.kbs.create(admin, KB)
        t0 = time.perf_counter()
        _expect_indexed(engine.documents.ingest(admin, [docs], kb=KB), DOCUMENTS)
        seconds = time.perf_counter() - t0
    return settings, paths, seconds


def _rewrite(server: Engine, paths: list[Path]) -> None:
    """Change 1 % of the notes on the server and index them again there."""
    changed = paths[:: DOCUMENTS // CHANGED][:CHANGED]
    for n, path in enumerate(changed):
        path.write_text(_note_text(n * (DOCUMENTS // CHANGED), 2), encoding="utf-8")
    _expect_indexed(server.documents.ingest(bench_session(server), changed, kb=KB), CHANGED)


def _expect_indexed(events: Iterable[IngestProgress], count: int) -> None:
    report = list(events)[-1].report
    if report is None or report.indexed != count:
        raise RuntimeError(f"expected {count} documents indexed, got {report}")


def _folder_copy(data: Path, target: Path) -> tuple[float, int]:
    """Seconds and bytes of a plain copy of the server's data folder."""
    t0 = time.perf_counter()
    shutil.copytree(data, target)
    seconds = time.perf_counter() - t0
    return seconds, _size(target)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _sync(engine: Engine, session: Session) -> tuple[float, SyncReport]:
    t0 = time.perf_counter()
    events = list(engine.sync.run(session))
    seconds = time.perf_counter() - t0
    report = next(e.report for e in reversed(events) if e.report and e.report.kb == KB)
    return seconds, report


def _first_token_ms(engine: Engine, session: Session, kb: str, question: str) -> tuple[float, bool]:
    """Milliseconds to the first answer token, and whether the answer said it was offline.

    The answer runs to its end (16 tokens): the figure is of a real answer with sources.
    """
    t0 = time.perf_counter()
    first, offline, sources = 0.0, False, 0
    for event in engine.answers.ask(session, question, kb=kb):
        if isinstance(event, Offline):
            offline = True
        elif isinstance(event, Token) and not first:
            first = (time.perf_counter() - t0) * 1000
        elif isinstance(event, Sources):
            sources = len(event.items)
    if not (first and sources):
        raise RuntimeError(f"no answer with sources for {question!r}")
    return first, offline


def _answers(engine: Engine, session: Session, kb: str) -> tuple[list[float], bool]:
    """One answer to load the model, then ANSWERS timed ones (all different questions)."""
    _first_token_ms(engine, session, kb, QUESTIONS[0])
    runs = [_first_token_ms(engine, session, kb, q) for q in QUESTIONS[1 : 1 + ANSWERS]]
    return [ms for ms, _ in runs], all(offline for _, offline in runs)


def main() -> None:
    """Build, copy, serve, sync twice, answer online and offline, print the table."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = scratch("sync")
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    _note(f"building the server's store: {DOCUMENTS} notes")
    server, paths, ingest_s = _build(folder)
    copy_s, copy_bytes = _folder_copy(server.data_dir, folder / "plain-copy")
    client = bench_settings(
        folder / "desktop",
        model_path=demo_model_path(),
        max_answer_tokens=16,
        temperature=0.0,
        sources=3,
        n_threads=1,
        sync_minutes=0,
    )
    with (
        Engine(server, embedder=FakeEmbedder(), keep_sessions=True) as served,
        Engine(client, embedder=FakeEmbedder()) as engine,
    ):
        session = bench_session(engine)
        with running(served) as live:
            _note("joining and the first sync")
            seen = engine.remotes.identify(live.url)
            engine.remotes.connect(session, live.url, "bench", "bench password", seen.fingerprint)
            local = next(
                k.name for k in engine.kbs.visible(session) if k.remote and k.remote.name == KB
            )
            engine.remotes.keep_copy(session, local, True)
            first_s, first = _sync(engine, session)
            _note(f"changing {CHANGED} notes on the server, incremental sync")
            _rewrite(served, paths)
            again_s, again = _sync(engine, session)
            _note("answers from the server")
            online, _ = _answers(engine, session, local)
        _note("answers from the copy, server stopped")
        offline, said_offline = _answers(engine, session, local)
        copy_size = _size(client.data_dir)
    _report(
        ingest_s, copy_s, copy_bytes, first_s, first, again_s, again, online, offline, copy_size
    )
    print(f"  every offline answer began with the Offline notice: {said_offline}")
    print(
        f"  whole benchmark: {time.perf_counter() - started:.0f} s; machine load average "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (other work "
        "on these cores skews every figure)"
    )
    shutil.rmtree(folder, ignore_errors=True)


def _mib(count: int) -> str:
    return f"{count / 2**20:8.2f} MiB"


def _note(phase: str) -> None:
    print(f"  … {phase}", file=sys.stderr, flush=True)


def _report(
    ingest_s: float,
    copy_s: float,
    copy_bytes: int,
    first_s: float,
    first: SyncReport,
    again_s: float,
    again: SyncReport,
    online: list[float],
    offline: list[float],
    copy_size: int,
) -> None:
    print(
        f"\n== sync of a {DOCUMENTS}-document knowledge base over HTTPS on loopback "
        f"(FakeEmbedder on both sides, {os.cpu_count()} cores for server and desktop) =="
    )
    print(f"  server ingest of the {DOCUMENTS} notes (for scale): {ingest_s:.1f} s")
    print(f"  {'':44s} {'time':>9s} {'bytes':>12s}   vs plain copy (time, bytes)")
    print(f"  {'plain copy of the server data folder':44s} {copy_s:8.2f}s {_mib(copy_bytes)}")
    for label, seconds, report in (
        (f"first sync (+{first.added})", first_s, first),
        (
            f"incremental sync ({again.changed} changed of {DOCUMENTS})",
            again_s,
            again,
        ),
    ):
        print(
            f"  {label:44s} {seconds:8.2f}s {_mib(report.bytes_received)}   "
            f"{seconds / copy_s:7.1f}x  {report.bytes_received / copy_bytes:6.3f}x"
        )
    print(
        f"  incremental vs first sync: time {again_s / first_s:.3f}x, bytes "
        f"{again.bytes_received / first.bytes_received:.3f}x"
    )
    print(f"  the desktop's data folder after syncing: {_mib(copy_size)}")
    base = statistics.median(online)
    print(
        f"  first answer token from the server (baseline)  median {base:7.0f} ms  "
        f"{' '.join(f'{v:.0f}' for v in online)}"
    )
    print(
        f"  first answer token from the copy, offline      median "
        f"{statistics.median(offline):7.0f} ms  {' '.join(f'{v:.0f}' for v in offline)}  "
        f"{statistics.median(offline) / base:.2f}x"
    )


if __name__ == "__main__":
    main()
