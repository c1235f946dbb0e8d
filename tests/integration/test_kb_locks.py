"""Ingest locks its own knowledge base only: other users' work in other ones goes on."""

from __future__ import annotations

import threading
from pathlib import Path

from core import Engine, IngestStage, Role, Session
from tests.identity import user_session

WAIT_S = 60.0
"""Bound on waiting for work that must finish (it takes well under a second)."""


def _notes(folder: Path, name: str, count: int) -> Path:
    folder.mkdir(parents=True)
    for n in range(count):
        (folder / f"{name}-{n}.txt").write_text(f"Note {n} of {name}: the depot opens at {n} am.")
    return folder


def _in_thread(work: object) -> threading.Thread:
    thread = threading.Thread(target=work, daemon=True)  # type: ignore[arg-type]
    thread.start()
    return thread


def test_an_ingest_blocks_only_its_own_knowledge_base(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    olga = user_session(engine, admin, "olga", Role.EDITOR)
    ivan = user_session(engine, admin, "ivan", Role.EDITOR)
    list(engine.documents.ingest(olga, [_notes(tmp_path / "a0", "old", 1)], kb="Olga's"))
    list(engine.documents.ingest(ivan, [_notes(tmp_path / "b0", "ivan", 2)], kb="Ivan's"))
    olgas_old = engine.documents.all(olga, "Olga's")[0].id
    ivans = next(d.id for d in engine.documents.all(ivan, "Ivan's") if d.name == "ivan-0.txt")

    # Olga's long ingest stops half-way: her file is embedded (its original already
    # stored), nothing of it committed yet, her knowledge base held.
    running = engine.documents.ingest(olga, [_notes(tmp_path / "a1", "new", 3)], kb="Olga's")
    stage = next(running).stage
    while stage is not IngestStage.EMBEDDING:
        stage = next(running).stage

    deleted = _in_thread(lambda: engine.documents.delete(ivan, ivans))
    deleted.join(WAIT_S)
    assert not deleted.is_alive(), "another knowledge base's delete waited for the ingest"
    assert [d.name for d in engine.documents.all(ivan, "Ivan's")] == ["ivan-1.txt"]

    waiting = _in_thread(lambda: engine.documents.delete(olga, olgas_old))
    waiting.join(0.5)
    assert waiting.is_alive(), "a delete in the knowledge base being written did not wait"
    assert list(running)[-1].report.indexed == 3  # type: ignore[union-attr]
    waiting.join(WAIT_S)
    assert not waiting.is_alive()

    names = sorted(d.name for d in engine.documents.all(olga, "Olga's"))
    assert names == ["new-0.txt", "new-1.txt", "new-2.txt"]
    for doc in engine.documents.all(olga, "Olga's"):  # Ivan's delete pruned none of them
        name, data = engine.documents.original(olga, doc.id)
        assert data.decode().startswith(f"Note {name[4]} of new")


def test_work_on_every_knowledge_base_waits_for_running_ingests(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    """A backup copies the files only when no ingest is half-way."""
    running = engine.documents.ingest(admin, [_notes(tmp_path / "a", "a", 2)], kb="A")
    next(running)
    backup = _in_thread(lambda: engine.upkeep.backup(admin, tmp_path / "backups"))
    backup.join(0.5)
    assert backup.is_alive()
    list(running)
    backup.join(WAIT_S)
    assert not backup.is_alive()
    assert len(engine.upkeep.backups(admin, tmp_path / "backups")) == 1
