"""kill -9 during ingest loses no committed document and leaves no orphan vectors."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from core import Engine, Settings
from tests.conftest import REPO
from tests.identity import admin_session


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(n):
        paragraphs = [
            f"Note {i} paragraph {j}: the committee reviewed item {i * 100 + j}." for j in range(12)
        ]
        (folder / f"note{i:02d}.txt").write_text("\n\n".join(paragraphs))
    return folder


def _child(data_dir: Path, folder: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_child", str(data_dir), str(folder), mode],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )


def _consistent(settings: Settings) -> tuple[Engine, set[str]]:
    engine = Engine(settings)  # the child chose a key file, recorded in keystore.json
    admin = admin_session(engine)
    engine.answers.search(admin, "committee")  # loads the index, which reconciles
    from core.store.vectors import VectorStore  # test-only look under the facade

    vectors: VectorStore = engine.context.index.open().vectors
    chunk_ids = {r[0] for r in engine.context.db.query("SELECT id FROM chunks")}
    assert vectors.all_ids() == chunk_ids, "SQLCipher and LanceDB disagree"
    indexed = {d.source for d in engine.documents.all(admin) if d.status.value == "indexed"}
    return engine, indexed


def test_kill_9_mid_ingest_keeps_committed_files_and_reindexes_the_rest(
    tmp_path: Path, settings: Settings
) -> None:
    folder = _folder(tmp_path, 12)
    child = _child(settings.data_dir, folder, "slow")
    committed = []
    assert child.stdout is not None
    for line in child.stdout:
        committed.append(line.split(" ", 1)[1].strip())
        if len(committed) == 3:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    engine, indexed = _consistent(settings)
    with engine:
        assert set(committed) <= indexed
        assert len(indexed) < 12
        report = list(engine.documents.ingest(admin_session(engine), [folder]))[-1].report
        assert report is not None
        assert report.skipped == len(indexed)
        assert report.indexed == 12 - len(indexed)
    engine, indexed = _consistent(settings)
    with engine:
        assert len(indexed) == 12


def test_crash_between_vectors_and_rows_leaves_no_orphans(
    tmp_path: Path, settings: Settings
) -> None:
    folder = _folder(tmp_path, 2)
    child = _child(settings.data_dir, folder, "die-after-vectors")
    child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL
    engine, indexed = _consistent(settings)
    with engine:
        assert engine.context.index.last_reconcile.orphan_vectors > 0
        assert indexed == set()
