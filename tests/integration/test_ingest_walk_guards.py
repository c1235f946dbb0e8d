"""Ingest of a folder others can write to: planted links, FIFOs and Konspekt's own data.

Real engine, SQLCipher, LanceDB and embedder; real symbolic links and FIFOs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import DocumentStatus, Engine, IngestProgress, IngestStage, Session, Settings
from core.search.embedder import Embedder
from tests.identity import admin_session

SECRET = "The vault under the boathouse opens with combination 7491-2280."


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A team folder with one ordinary document."""
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "notes.md").write_text("# Notes\n\nThe boathouse is painted green every May.\n")
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private file outside the team folder, say ~/.ssh/id_ed25519."""
    path = tmp_path / "home" / ".ssh" / "id_ed25519"
    path.parent.mkdir(parents=True)
    path.write_text(SECRET + "\n")
    return path


def failures(events: list[IngestProgress]) -> dict[str, str]:
    return {e.source: e.error_key for e in events if e.stage is IngestStage.FAILED}


def test_a_link_to_a_private_file_is_reported_and_its_text_never_indexed(
    engine: Engine, admin: Session, shared: Path, secret: Path
) -> None:
    (shared / "id.txt").symlink_to(secret)
    (shared / "ssh").symlink_to(secret.parent, target_is_directory=True)
    events = list(engine.documents.ingest(admin, [shared]))
    report = events[-1].report
    assert report is not None
    assert (report.indexed, report.failed) == (1, 2)
    assert failures(events) == {
        str(shared / "id.txt"): "file_link_outside",
        str(shared / "ssh"): "file_link_outside",
    }
    assert all("7491" not in hit.text for hit in engine.answers.search(admin, SECRET, limit=20))
    link = {d.source: d for d in engine.documents.all(admin)}[str(shared / "id.txt")]
    assert (link.status, link.chunks) == (DocumentStatus.FAILED, 0)
    assert "outside the folder" in link.error("en")
    assert "за пределы папки" in link.error("ru")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_reported_and_the_ingest_finishes(
    engine: Engine, admin: Session, shared: Path
) -> None:
    fifo = shared / "pipe.txt"
    os.mkfifo(fifo)
    events: list[IngestProgress] = []
    worker = threading.Thread(
        target=lambda: events.extend(engine.documents.ingest(admin, [shared])), daemon=True
    )
    worker.start()
    worker.join(120)
    if worker.is_alive():  # the write end lets the stuck reader see end-of-file
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(120)
        pytest.fail("ingest blocked reading a FIFO")
    report = events[-1].report
    assert report is not None
    assert (report.indexed, report.failed) == (1, 1)
    assert failures(events) == {str(fifo): "file_special"}


@pytest.fixture
def engine_inside(shared: Path, e5: Embedder) -> Iterator[Engine]:
    """An engine whose data folder lies inside the folder that is ingested."""
    settings = Settings.load(
        shared / "konspekt-data", n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5
    )
    settings.save()  # a text file of Konspekt's own in the folder
    with Engine(settings, embedder=e5) as eng:
        yield eng


def test_the_data_folder_inside_an_ingested_folder_is_reported_and_not_read(
    engine_inside: Engine, shared: Path
) -> None:
    admin = admin_session(engine_inside)
    data = engine_inside.settings.data_dir
    list(
        engine_inside.documents.ingest(admin, [shared])
    )  # the first run writes originals into blobs/
    events = list(engine_inside.documents.ingest(admin, [shared]))
    read = {e.source for e in events if e.stage is not IngestStage.SCANNED}
    assert read == {str(shared / "notes.md"), str(data), ""}  # "" is the FINISHED event
    assert failures(events) == {str(data): "file_own_data"}
    indexed = {d.source for d in engine_inside.documents.all(admin) if d.chunks}
    assert indexed == {str(shared / "notes.md")}


def test_a_file_indexed_before_it_became_a_link_outside_is_removed_from_the_index(
    engine: Engine, admin: Session, shared: Path, secret: Path
) -> None:
    planted = shared / "id.txt"
    planted.write_text(SECRET + "\n")  # indexed once, e.g. by a version that followed links
    list(engine.documents.ingest(admin, [shared]))
    assert any("7491" in hit.text for hit in engine.answers.search(admin, SECRET, limit=20))
    planted.unlink()
    planted.symlink_to(secret)

    events = list(engine.documents.ingest(admin, [shared]))

    report = events[-1].report
    assert report is not None
    assert (report.failed, report.removed) == (1, 1)
    assert failures(events) == {str(planted): "file_link_outside"}
    assert all("7491" not in hit.text for hit in engine.answers.search(admin, SECRET, limit=20))
    link = {d.source: d for d in engine.documents.all(admin)}[str(planted)]
    assert (link.status, link.chunks) == (DocumentStatus.FAILED, 0)
