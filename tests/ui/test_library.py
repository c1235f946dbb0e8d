"""The library: ingest with progress and cancel, failures named, knowledge bases managed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core import IngestProgress
from desktop.context import Context
from desktop.itemmodels.documents import STATUS
from desktop.views.library import LibraryView
from tests.documents import make_all
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def library(ctx: Context, qtbot: QtBot) -> LibraryView:
    """A shown library view with the admin's personal KB and one named KB."""
    ctx.engine.create_knowledge_base(ctx.user, "Handbook")
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
    library.ingest([folder])
    assert library.progress.isVisible()
    assert library.cancel_button.isVisible()
    assert not library.doc_buttons["files"].isEnabled(), "no second ingest while one runs"
    qtbot.waitUntil(lambda: library.job is not None and library.job.finished, timeout=WAIT_MS)
    assert len(seen) > 3
    assert seen == sorted(seen), "the bar moves forward as files are indexed"
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


def test_cancel_stops_the_ingest_and_keeps_finished_files(
    qtbot: QtBot, library: LibraryView, ctx: Context, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        (folder / f"note{n:02}.txt").write_text(
            f"Note {n}: the meeting room {n} has {n} chairs.\n" * 40
        )
    original = library._on_ingest_event

    def cancel_after_first_file(event: IngestProgress) -> None:
        original(event)
        if event.stage.value in ("embedding", "indexed") and library.cancel_button.isEnabled():
            library.cancel_button.click()
            library.cancel_button.setEnabled(False)

    library.job = None
    library._on_ingest_event = cancel_after_first_file  # type: ignore[method-assign]
    library.ingest([folder])
    qtbot.waitUntil(lambda: library.job is not None and library.job.finished, timeout=WAIT_MS)
    assert library.progress_label.text().startswith("Cancelled")
    indexed = ctx.engine.documents(ctx.user, "Handbook")
    assert len(indexed) < 30
    assert all(d.status.value == "indexed" for d in indexed), "nothing half-indexed is kept"


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
