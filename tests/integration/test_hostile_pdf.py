"""Hostile PDFs through the engine: refused by name at ingest, never drawn huge."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Engine, IngestStage, InvalidInput, Session
from tests.unit.test_pdf_limits import million_page_pdf, one_page_pdf


@pytest.mark.timeout(300)  # without the cap this ingest parses a million pages
def test_a_pdf_declaring_a_million_pages_is_reported_by_name(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(million_page_pdf())
    events = list(engine.documents.ingest(admin, [path]))
    [failed] = [e for e in events if e.stage is IngestStage.FAILED]
    assert (failed.source, failed.error_key) == (str(path), "pdf_too_many_pages")
    assert "1000000 pages" in failed.message


def test_a_sliver_page_is_shown_as_text_not_drawn(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    path = tmp_path / "sliver.pdf"
    path.write_bytes(one_page_pdf(1, 14400))
    report = list(engine.documents.ingest(admin, [path]))[-1].report
    assert report is not None
    assert report.indexed == 1
    [document] = engine.documents.all(admin)
    with pytest.raises(InvalidInput) as caught:
        engine.documents.render_page(admin, document.id, 1, width=4000)
    assert caught.value.key == "page_unrenderable"
    assert "sliver.pdf" in caught.value.user_message("ru")
