"""kill -9 of `konspekt sync` mid-transfer: the next sync resumes and ends like an unbroken one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from core import Engine, KnowledgeBase, Session, Settings
from core.search.embedder import Embedder
from tests.conftest import REPO
from tests.identity import ADMIN, admin_session
from tests.server.conftest import quick_settings
from tests.server.running import RunningServer, running
from tests.server.sync_world import (
    assert_same_copy,
    copy_state,
    desktop_settings,
    ingest,
    join,
    write,
)
from tests.server.test_sync_cli import cli_env, desktop_store

LIBRARY = "Library"
DOCUMENTS = 150
"""Five fetch batches of 32: a kill after the first leaves most still to come."""


def _library(engine: Engine, session: Session) -> KnowledgeBase:
    return next(
        kb
        for kb in engine.kbs.visible(session)
        if kb.remote is not None and kb.remote.name == LIBRARY
    )


def _check_copy(engine: Engine, session: Session) -> list[tuple[object, ...]]:
    """The copy's state, after insisting it has no duplicate and no orphan."""
    ctx = engine.context
    kb = _library(engine, session)
    rows = ctx.db.query(
        "SELECT origin_id, count(*) FROM documents WHERE kb_id = ? GROUP BY origin_id", (kb.id,)
    )
    assert len(rows) == DOCUMENTS
    assert all(count == 1 for _, count in rows), "a document was copied twice"
    chunk_ids = {r[0] for r in ctx.db.query("SELECT id FROM chunks")}
    assert ctx.index.open().vectors.all_ids() == chunk_ids, "vectors without rows, or rows without"
    return copy_state(engine, kb.id)


def _held(data: Path) -> int:
    """Documents the copy in `data` holds, read without opening its index (which would tidy)."""
    with Engine(Settings.load(data)) as engine:
        return int(
            engine.context.db.query("SELECT count(*) FROM documents WHERE origin_id > 0")[0][0]
        )


def _killed_mid_sync(data: Path) -> list[str]:
    """`konspekt sync --keep Library`, killed with SIGKILL once some documents are written."""
    child = subprocess.Popen(
        [sys.executable, "-m", "cli", "--lang", "en", "sync", "--keep", LIBRARY],
        cwd=REPO,
        env=cli_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    assert child.stdout is not None
    try:
        for line in child.stdout:
            seen.append(line.rstrip())
            if " copied " in line:
                os.kill(child.pid, signal.SIGKILL)
                break
    finally:
        child.stdout.close()
        child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL, seen
    return seen


def test_a_sync_killed_mid_transfer_resumes_and_matches_an_unbroken_one(
    tmp_path: Path, e5: Embedder
) -> None:
    with Engine(quick_settings(tmp_path / "srv"), embedder=e5, keep_sessions=True) as srv:
        admin = admin_session(srv)
        srv.kbs.create(admin, LIBRARY)
        paths = [
            write(
                tmp_path / "docs",
                f"note{i:03d}.txt",
                f"Note {i}. The archive shelf {i} holds the minutes of meeting {i * 7}. "
                f"Ask the clerk on floor {i % 9} for the key.",
            )
            for i in range(DOCUMENTS)
        ]
        ingest(srv, admin, paths, LIBRARY)
        with running(srv) as live:
            unbroken = _sync_in_process(tmp_path / "a", live, e5)
            b = desktop_store(tmp_path / "b")
            with Engine(Settings.load(b), embedder=e5) as engine:  # trust and join in-process
                join(engine, admin_session(engine), live, ADMIN)
            seen = _killed_mid_sync(b)
            held = _held(b)
            assert 0 < held < DOCUMENTS, seen
            resumed = subprocess.run(
                [sys.executable, "-m", "cli", "--lang", "en", "sync"],
                cwd=REPO,
                env=cli_env(b),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert resumed.returncode == 0, resumed.stdout + resumed.stderr
            assert f"{DOCUMENTS - held} added, 0 changed, 0 removed" in resumed.stdout, (
                "the resumed sync fetched again what the killed one had written"
            )
            assert "computed the vectors again" not in resumed.stdout
    with Engine(Settings.load(b), embedder=e5) as engine:
        after_resume = _check_copy(engine, admin_session(engine))
    assert_same_copy(after_resume, unbroken)


def _sync_in_process(folder: Path, live: RunningServer, e5: Embedder) -> list[tuple[object, ...]]:
    """Client A: joins and syncs without interruption; returns its copy's state."""
    with Engine(desktop_settings(folder), embedder=e5) as engine:
        session = admin_session(engine)
        join(engine, session, live, ADMIN)
        engine.remotes.keep_copy(session, _library(engine, session).name, True)
        report = list(engine.sync.run(session))[-1].report
        assert report is not None
        assert report.added == DOCUMENTS
        return _check_copy(engine, session)
