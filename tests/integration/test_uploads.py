"""Files sent over the network are ingested from memory, with the guards files on disk get."""

from __future__ import annotations

import pytest

from core import DocumentStatus, Engine, IngestStage, Session, Upload
from core.search.embedder import Embedder
from tests.documents import zip_bytes
from tests.fakes import FakeEmbedder


@pytest.fixture
def embedder() -> Embedder:
    return FakeEmbedder()


def test_an_upload_is_indexed_and_sending_it_again_replaces_it(
    engine: Engine, admin: Session
) -> None:
    engine.kbs.create(admin, "team")
    first = list(
        engine.documents.ingest(admin, [Upload("notes.md", b"# Notes\n\nBoats.\n")], "team")
    )
    assert first[-1].report is not None
    assert first[-1].report.indexed == 1
    again = list(
        engine.documents.ingest(admin, [Upload("notes.md", b"# Notes\n\nBoats.\n")], "team")
    )
    assert again[-1].report is not None
    assert again[-1].report.skipped == 1
    changed = Upload("notes.md", b"# Notes\n\nTrains, not boats.\n")
    list(engine.documents.ingest(admin, [changed], "team"))
    (doc,) = engine.documents.all(admin, "team")
    assert (doc.source, doc.name, doc.status) == (
        "upload:notes.md",
        "notes.md",
        DocumentStatus.INDEXED,
    )
    assert "Trains" in engine.documents.passages(admin, doc.id)[0].text


def test_an_uploaded_zip_is_read_in_memory_and_a_bad_member_fails_alone(
    engine: Engine, admin: Session
) -> None:
    engine.kbs.create(admin, "team")
    data = zip_bytes(
        {
            "a.txt": b"Alpha plans.",
            "b.pdf": b"%PDF-1.7 not really a pdf",
            "c.md": b"# C\n\nCharlie notes.",
        }
    )
    events = list(engine.documents.ingest(admin, [Upload("batch.zip", data)], "team"))
    failed = {e.source: e.error_key for e in events if e.stage is IngestStage.FAILED}
    assert list(failed) == ["upload:batch.zip!/b.pdf"]
    report = events[-1].report
    assert report is not None
    assert (report.indexed, report.failed) == (2, 1)


def test_a_zip_bomb_upload_is_refused_by_name(engine: Engine, admin: Session) -> None:
    bomb = zip_bytes({"zeros.txt": b"0" * (50 * 2**20)})  # ~50 KB compressed, ratio ~1000
    events = list(engine.documents.ingest(admin, [Upload("bomb.zip", bomb)], None))
    (failure,) = [e for e in events if e.stage is IngestStage.FAILED]
    assert (failure.source, failure.error_key) == ("upload:bomb.zip", "zip_unsafe")
    assert "bomb.zip" in failure.error("en")


def test_an_upload_name_cannot_reach_outside_its_knowledge_base(
    engine: Engine, admin: Session
) -> None:
    list(engine.documents.ingest(admin, [Upload("../../etc/passwd.txt", b"root:x:0:0")], None))
    (doc,) = engine.documents.all(admin)
    assert doc.source == "upload:passwd.txt"
