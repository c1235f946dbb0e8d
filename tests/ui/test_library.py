"""The library: ingest with progress and cancel, failures named, knowledge bases managed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core import IngestProgress, IngestStage, Session
from desktop.context import Context
from desktop.itemmodels.documents import STATUS
from desktop.views.library import LibraryView
from tests.documents import make_all
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def library(ctx: Context, qtbot: QtBot) -> LibraryView:
    """A shown library view with the admin's personal KB and one named KB."""
    ctx.engine.kbs.create(ctx.user, "Handbook")
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    view.refresh("Handbook")
    qtbot.waitUntil(
        lambda: view.current_kb() is not None and view.current_kb().name == "Handbook",
        timeout=WAIT_MS,
    )
    return view


def test_ingest_shows_progress_then_each_documents_status(
    qtbot: QtBot, library: LibraryView, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    make_all(folder)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a real zip")
    seen: list[int] = []
    library.progress.valueChanged.connect(seen.append)
    labels: list[str] = []
    library.progress.valueChanged.connect(lambda _: labels.append(library.progress_label.text()))
    library.ingest([folder])
    assert library.progress.isVisible()
    assert library.cancel_button.isVisible()
    assert not library.doc_buttons["files"].isEnabled(), "no second ingest while one runs"
    qtbot.waitUntil(lambda: library.job is not None and library.job.finished, timeout=WAIT_MS)
    assert len(seen) > 3
    assert seen == sorted(seen), "the bar moves forward as files are indexed"
    assert any(" tokens/s" in text for text in labels), "the pace is shown while embedding"
    assert library.progress_label.text().startswith("Indexed 8, unchanged 0, failed 1")
    assert "broken.docx" in library.progress_label.text()
    qtbot.waitUntil(lambda: library.documents.rowCount() == 9, timeout=WAIT_MS)
    status = {
        library.documents.index(r, 0).data(): library.documents.index(r, STATUS).data()
        for r in range(9)
    }
    assert status["handbook.pdf"] == "indexed"
    assert status["broken.docx"].startswith("failed: ")
    assert library.doc_buttons["files"].isEnabled()


def embedded(event: IngestProgress) -> bool:
    """A file's last chunks are embedded: it is finished, waiting only to be written."""
    return event.stage is IngestStage.EMBEDDING and event.chunks == event.file_chunks


def test_cancel_stops_the_ingest_and_keeps_finished_files(
    qtbot: QtBot,
    library: LibraryView,
    ctx: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cancel is clicked once the first file is embedded; that file stays, searchable."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(5):
        (folder / f"note{n:02}.txt").write_text(
            f"Note {n}: the meeting room {n} has {n} chairs. Its door code is zq{n:02}kx.\n" * 40
        )
    engine, clicked = ctx.engine, threading.Event()
    real_ingest = engine.documents.ingest

    def ingest_waiting_for_the_click(
        session: Session, paths: list[Path], kb: str | None, cancel: threading.Event
    ) -> Iterator[IngestProgress]:
        # The real ingest, except that once the first file is embedded the worker waits
        # until the UI has seen that event and clicked Cancel: no race with the others.
        for event in real_ingest(session, paths, kb, cancel):
            yield event
            if embedded(event) and not clicked.is_set():
                assert clicked.wait(WAIT_MS / 1000)

    finished_first: list[str] = []
    original = library._on_ingest_event

    def cancel_after_first_file(event: IngestProgress) -> None:
        original(event)
        if embedded(event) and not clicked.is_set():
            finished_first.append(Path(event.source).name)
            library.cancel_button.click()
            clicked.set()

    monkeypatch.setattr(engine.documents, "ingest", ingest_waiting_for_the_click)
    library._on_ingest_event = cancel_after_first_file  # type: ignore[method-assign]
    library.ingest([folder])
    qtbot.waitUntil(lambda: library.job is not None and library.job.finished, timeout=WAIT_MS)
    assert library.progress_label.text().startswith("Cancelled")
    [first] = finished_first
    indexed = engine.documents.all(ctx.user, "Handbook")
    assert [d.name for d in indexed] == [first], "the file finished before Cancel is kept alone"
    assert all(d.status.value == "indexed" for d in indexed), "nothing half-indexed is kept"
    code = f"zq{first[4:6]}kx"
    hits = engine.answers.search(ctx.user, f"door code {code}", "Handbook", limit=3)
    assert hits
    assert hits[0].document == first
    assert code in hits[0].text
    qtbot.waitUntil(lambda: library.documents.rowCount() == len(indexed), timeout=WAIT_MS)
    shown = {
        library.documents.index(r, 0).data(): library.documents.index(r, STATUS).data()
        for r in range(library.documents.rowCount())
    }
    assert shown[first] == "indexed"


def test_a_new_knowledge_base_appears_selected(
    qtbot: QtBot, library: LibraryView, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Договоры", True))
    library.kb_buttons["create"].click()
    qtbot.waitUntil(
        lambda: library.current_kb() is not None and library.current_kb().name == "Договоры",
        timeout=WAIT_MS,
    )
    assert library.kbs.rowCount() == 3
    assert library.doc_buttons["files"].isEnabled()
