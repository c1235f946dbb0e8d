"""Ingest on real docling, pypdfium2, SQLCipher, LanceDB and the multilingual embedder."""

import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from core import DocumentStatus, Engine, IngestProgress, IngestStage, NotFound, Session
from core.ingest import pace, pipeline
from tests.documents import SENTENCES, make_all, make_docx, make_md
from tests.identity import admin_session


def ingest(
    engine: Engine,
    who: Session,
    *paths: Path,
    kb: str | None = None,
    cancel: threading.Event | None = None,
) -> list[IngestProgress]:
    return list(engine.documents.ingest(who, list(paths), kb=kb, cancel=cancel))


def report_of(events: list[IngestProgress]):
    assert events[-1].stage is IngestStage.FINISHED
    assert events[-1].report is not None
    return events[-1].report


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    make_all(tmp_path / "docs")
    return tmp_path / "docs"


def test_every_supported_type_is_indexed_with_its_location(
    engine: Engine, admin: Session, docs: Path
) -> None:
    report = report_of(ingest(engine, admin, docs))
    assert (report.indexed, report.failed) == (8, 0)
    expected = {
        "docx": ("audit.docx", "", "Audit report › Findings"),
        "xlsx": ("budget.xlsx", "sheet Budget", ""),
        "pptx": ("onboarding.pptx", "slide 3", "Onboarding"),
        "pdf2": ("handbook.pdf", "p. 2", "Chapter Two"),
        "html": ("intranet.html", "", "Facilities › Parking"),
        "md": ("cafeteria.md", "", "Cafeteria › Menu"),
        "txt_ru": ("protocol.txt", "", ""),
    }
    for key, (document, label, heading) in expected.items():
        top = engine.answers.search(admin, SENTENCES[key], limit=1)[0]
        assert (top.document, top.location.label, top.location.heading) == (
            document,
            label,
            heading,
        ), key
        assert SENTENCES[key] in top.text


def test_table_chunks_keep_the_header_row(engine: Engine, admin: Session, docs: Path) -> None:
    ingest(engine, admin, docs)
    hit = engine.answers.search(admin, "Novosibirsk population", limit=1)[0]
    assert hit.document == "cities.csv"
    assert hit.text.startswith("city | population")


def test_unchanged_files_are_skipped_and_changed_ones_reindexed(
    engine: Engine, admin: Session, docs: Path
) -> None:
    ingest(engine, admin, docs)
    ids = {d.name: d.id for d in engine.documents.all(admin)}
    again = report_of(ingest(engine, admin, docs))
    assert (again.indexed, again.skipped) == (0, 8)
    (docs / "cafeteria.md").write_text("# Cafeteria\n\nThe cafeteria now serves pelmeni.\n")
    changed = report_of(ingest(engine, admin, docs))
    assert (changed.indexed, changed.skipped) == (1, 7)
    top = engine.answers.search(admin, "what does the cafeteria serve", limit=1)[0]
    assert "pelmeni" in top.text
    assert {d.name: d.id for d in engine.documents.all(admin)} == ids  # re-indexing keeps ids
    assert all(
        "borscht" not in h.text for h in engine.answers.search(admin, "borscht Mondays", limit=20)
    )


def test_files_gone_from_a_folder_are_removed(engine: Engine, admin: Session, docs: Path) -> None:
    ingest(engine, admin, docs)
    (docs / "intranet.html").unlink()
    report = report_of(ingest(engine, admin, docs))
    assert report.removed == 1
    names = {d.name for d in engine.documents.all(admin)}
    assert "intranet.html" not in names
    assert len(names) == 7


def test_zip_members_are_indexed_and_removed_with_the_archive_contents(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(make_docx(tmp_path / "a.docx"), "reports/a.docx")
        zf.write(make_md(tmp_path / "b.md"), "b.md")
    assert report_of(ingest(engine, admin, archive)).indexed == 2
    assert (
        engine.answers.search(admin, SENTENCES["docx"], limit=1)[0].source
        == f"{archive}!/reports/a.docx"
    )
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(tmp_path / "b.md", "b.md")
    report = report_of(ingest(engine, admin, archive))
    assert (report.skipped, report.removed) == (1, 1)


BAD_FILES = {
    "pdf/crazyones-encrypted-256.pdf": "file_encrypted",
    "pdf/libreoffice-writer-password.pdf": "file_encrypted",
    "office/forensics/a-text-pass-A5d.pdf": "file_encrypted",
    "office/forensics/a-text.odt": "file_unsupported",
    "pdf/imagemagick-CCITTFaxDecode.pdf": "file_no_text",
}


def test_bad_files_fail_alone_with_a_named_reason(
    engine: Engine, admin: Session, corpus_copy, docs: Path, tmp_path: Path
) -> None:
    bad = corpus_copy(*BAD_FILES, into="bad")
    (bad / "empty.txt").write_bytes(b"")
    (bad / "damaged.docx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    (bad / "program.bin").write_bytes(b"\x7fELF" + bytes(range(256)) * 4)
    shutil.copytree(docs, bad / "good")
    events = ingest(engine, admin, bad)
    failed = {Path(e.source).name: e for e in events if e.stage is IngestStage.FAILED}
    for rel, key in BAD_FILES.items():
        name = Path(rel).name
        assert failed[name].error_key == key, name
        assert name in failed[name].error("en")
        assert name in failed[name].error("ru")
    assert failed["empty.txt"].error_key == "file_empty"
    assert failed["damaged.docx"].error_key in ("file_corrupt", "file_unsupported")
    assert failed["program.bin"].error_key == "file_unsupported"
    assert report_of(events).indexed == 8  # every good file still made it
    statuses = {d.name: d.status for d in engine.documents.all(admin)}
    assert statuses["crazyones-encrypted-256.pdf"] is DocumentStatus.FAILED
    assert statuses["audit.docx"] is DocumentStatus.INDEXED


def test_file_over_the_size_limit_is_refused(settings, e5, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000)
    with Engine(settings.with_changes(max_file_mb=1), embedder=e5) as eng:
        events = ingest(eng, admin_session(eng), big)
    assert events[1].error_key == "file_too_large"
    assert "1 MB" in events[1].error("en")


def test_failed_update_keeps_the_indexed_version(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    doc = make_docx(tmp_path / "audit.docx")
    ingest(engine, admin, doc)
    doc.write_bytes(b"PK\x03\x04 broken now")
    events = ingest(engine, admin, doc)
    assert events[1].stage is IngestStage.FAILED
    assert engine.answers.search(admin, SENTENCES["docx"], limit=1)[0].document == "audit.docx"


def test_cancel_stops_between_files_and_keeps_what_was_done(
    engine: Engine, admin: Session, docs: Path
) -> None:
    cancel = threading.Event()
    events = []
    for event in engine.documents.ingest(admin, [docs], cancel=cancel):
        events.append(event)
        if event.stage is IngestStage.SCANNED:
            cancel.set()
    report = report_of(events)
    assert report.cancelled
    assert report.indexed == 0
    assert report_of(ingest(engine, admin, docs)).indexed == 8


def test_cancel_inside_a_large_file_stops_its_embedding(
    engine: Engine, admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 4)  # many progress steps on a small file
    big = tmp_path / "minutes.txt"
    big.write_text(
        "\n\n".join(f"Item {i}: the board approved budget line {i}. " * 6 for i in range(60))
    )
    cancel = threading.Event()
    embedding = []
    for event in engine.documents.ingest(admin, [big], cancel=cancel):
        if event.stage is IngestStage.EMBEDDING:
            embedding.append((event.chunks, event.file_chunks))
            if len(embedding) == 2:
                cancel.set()
        last = event
    assert embedding[0][0] < embedding[1][0] < embedding[1][1]  # progress inside the file
    assert last.report is not None
    assert last.report.cancelled
    assert last.report.indexed == 0
    assert engine.documents.all(admin) == []
    assert report_of(ingest(engine, admin, big)).indexed == 1


def test_progress_carries_the_pace_and_the_time_left(
    engine: Engine, admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "EMBED_BATCH", 4)
    monkeypatch.setattr(pace, "ESTIMATE_AFTER_S", 0.0)  # estimate from the first batch
    for n in range(2):
        (tmp_path / f"minutes-{n}.txt").write_text(
            "\n\n".join(f"Item {i}: the board approved line {i} of {n}. " * 6 for i in range(30))
        )
    events = [
        e
        for e in engine.documents.ingest(admin, [tmp_path])
        if e.stage in (IngestStage.EMBEDDING, IngestStage.INDEXED)
    ]
    assert all(e.tokens_per_second > 0 for e in events)
    left = [e.seconds_left for e in events if e.stage is IngestStage.EMBEDDING]
    assert all(s is not None for s in left)
    assert left[-1] == 0.0  # the last batch of the last file
    assert left[0] > 0.0
    assert "tokens/s, about" in events[0].pace("en")
    assert "токенов/с, осталось около" in events[0].pace("ru")


def test_search_stays_inside_the_requested_knowledge_base(
    engine: Engine, admin: Session, docs: Path, tmp_path: Path
) -> None:
    ingest(engine, admin, docs / "audit.docx", kb="Audit")
    ingest(engine, admin, docs / "cafeteria.md", kb="Canteen")
    for hit in engine.answers.search(admin, SENTENCES["docx"], kb="Canteen", limit=10):
        assert hit.document == "cafeteria.md"
    assert {h.document for h in engine.answers.search(admin, "turnips", kb="Audit")} == {
        "audit.docx"
    }
    with pytest.raises(NotFound):
        engine.answers.search(admin, "x", kb="Nope")


def test_russian_word_forms_match_in_keyword_search(
    engine: Engine, admin: Session, docs: Path
) -> None:
    ingest(engine, admin, docs / "protocol.txt")
    hit = engine.answers.search(admin, "договоры поставок", limit=1)[0]
    assert hit.document == "protocol.txt"
    assert hit.keyword_rank > 0


def test_inline_markup_does_not_cut_a_paragraph_into_fragments() -> None:
    from core.ingest.parsers import Parser

    html = (
        b"<html><body><h1>Tools</h1><p>Debian includes the <code>apt-cache</code> program. "
        b"It can <em>search</em> the lists for <a href='x'>a given</a> word.</p>"
        b"<ul><li>one <b>two</b> three</li></ul></body></html>"
    )
    blocks = [b.text for b in Parser().parse("page.html", html, "page.html").blocks]
    assert blocks == [
        "Tools",
        "Debian includes the apt-cache program. It can search the lists for a given word.",
        "one two three",
    ]
    md = b"# Title\n\nUse `apt-get install` to *install* a package (see [docs](x)).\n"
    blocks = [b.text for b in Parser().parse("notes.md", md, "notes.md").blocks]
    assert blocks == ["Title", "Use apt-get install to install a package (see docs)."]


def test_a_rescan_skips_files_by_size_and_time_without_reading_them(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "stamped"
    folder.mkdir()
    note = folder / "note.md"
    note.write_text("# Note\n\nThe ferry leaves at noon.\n")
    assert report_of(ingest(engine, admin, folder)).indexed == 1
    stat = note.stat()
    note.write_text("# Note\n\nThe ferry leaves at nine.\n")  # same size, time put back
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report = report_of(ingest(engine, admin, folder))
    assert (report.skipped, report.indexed) == (1, 0), "not read: size and time unchanged"
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    report = report_of(ingest(engine, admin, folder))
    assert report.indexed == 1, "a new time: read, and the changed content re-indexed"
    note.touch()
    assert report_of(ingest(engine, admin, folder)).skipped == 1, "touched, same content"
    assert engine.answers.search(admin, "ferry")[0].text.endswith("The ferry leaves at nine.")
