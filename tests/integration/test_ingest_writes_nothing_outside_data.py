"""Ingest of Office files writes nothing outside the data folder and starts no program.

docling draws DrawingML shapes and EMF/WMF pictures by saving a stripped copy of the
document (or the raw picture) into the system temp folder and handing it to
LibreOffice. A fake `soffice` (and `libreoffice`) on PATH stands in for an installed
LibreOffice; a Python audit hook records every file opened for writing, folder made,
file copied or moved, and program started while a real ingest runs.
"""

from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Engine, IngestStage, Session
from tests.documents import make_docx, make_pptx

HEADER, FOOTER = "Header: payroll ledger 2026", "Footer: board eyes only"
COMMENT, BODY = "Comment: drop the Kestrel bid", "The Kestrel tender closes on the ninth of June."

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_PATH_EVENTS = {
    "os.mkdir": (0,),
    "tempfile.mkstemp": (0,),
    "tempfile.mkdtemp": (0,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
    "shutil.move": (1,),
    "os.rename": (1,),
    "os.link": (1,),
    "os.symlink": (1,),
}
_PROGRAM_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"}
_recorded: list[tuple[str, str]] | None = None
"""(event, path or program) while a test records; None otherwise (hooks stay for good)."""


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _recorded is None:
        return
    if event == "open":
        path, _mode, flags = args
        if isinstance(path, str | bytes) and isinstance(flags, int) and flags & _WRITE_FLAGS:
            _recorded.append((event, os.fsdecode(path)))
    elif event in _PATH_EVENTS:
        for index in _PATH_EVENTS[event]:
            _recorded.append((event, os.fsdecode(args[index])))  # type: ignore[arg-type]
    elif event in _PROGRAM_EVENTS:
        _recorded.append((event, repr(args[:2])))


sys.addaudithook(_audit)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Writes, folders, copies and programs seen by the audit hook during the test."""
    global _recorded
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # imports may not cache bytecode
    _recorded = []
    try:
        yield _recorded
    finally:
        _recorded = None


@pytest.fixture
def fake_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`soffice` and `libreoffice` first on PATH; each call leaves a line in the log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "libreoffice-calls.log"
    for name in ("soffice", "libreoffice"):
        program = folder / name
        program.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexit 0\n')
        program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("DOCLING_LIBREOFFICE_CMD", raising=False)
    return log


_SHAPE = (
    '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
    'drawingml/2006/wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/>'
    '<wp:docPr id="99" name="Arrow"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
    'drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
    'wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
    'wordprocessingShape"><wps:spPr><a:prstGeom prst="rightArrow"/></wps:spPr>'
    "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)


def _emf() -> bytes:
    """A minimal enhanced metafile: its header record and the end-of-file record."""
    header = struct.pack(
        "<II4i4i4sIIIHHIIII2i2i",
        *(1, 88, 0, 0, 100, 100, 0, 0, 2540, 2540, b" EMF", 0x10000, 108, 2, 0, 0, 0),
        *(0, 0, 0, 1024, 768, 320, 240),
    )
    return header + struct.pack("<IIIII", 14, 20, 0, 0, 20)


def make_drawing_docx(path: Path) -> Path:
    """A DOCX with header, footer, comment, a DrawingML shape and an EMF picture."""
    import docx
    from PIL import Image

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER
    paragraph = document.add_paragraph(BODY)
    document.add_comment(paragraph.runs, text=COMMENT, author="Auditor")
    document.add_paragraph("SHAPE-HERE")
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, format="PNG")
    document.add_picture(png)
    staged = io.BytesIO()
    document.save(staged)
    with zipfile.ZipFile(staged) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(
                    rb"<w:r>(?:(?!<w:r>).)*?SHAPE-HERE</w:t></w:r>", _SHAPE.encode(), data
                )
            elif item.filename.startswith("word/media/image1"):
                data = _emf()
            out.writestr(item, data)
    return path


def make_metafile_pptx(path: Path) -> Path:
    """A PPTX whose slide holds an EMF picture beside its text."""
    from PIL import Image
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Tender"
    slide.placeholders[1].text = BODY
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(png, format="PNG")
    slide.shapes.add_picture(png, Inches(1), Inches(1))
    staged = io.BytesIO()
    deck.save(staged)
    with zipfile.ZipFile(staged) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            out.writestr(item, _emf() if item.filename.startswith("ppt/media/image") else data)
    return path


def _outside(recorded: list[tuple[str, str]], data_dir: Path) -> list[tuple[str, str]]:
    inside = os.path.realpath(data_dir) + os.sep
    return [
        (event, what)
        for event, what in recorded
        if event in _PROGRAM_EVENTS or not os.path.realpath(what).startswith(inside)
    ]


def test_office_files_with_drawings_are_ingested_without_temp_files_or_libreoffice(
    engine: Engine,
    admin: Session,
    tmp_path: Path,
    fake_libreoffice: Path,
    recorder: list[tuple[str, str]],
) -> None:
    warm = tmp_path / "warm"  # docling's imports happen on this first ingest
    warm.mkdir()
    make_docx(warm / "plain.docx")
    make_pptx(warm / "plain.pptx")
    drawn = tmp_path / "drawn"
    drawn.mkdir()
    make_drawing_docx(drawn / "drawn.docx")
    make_metafile_pptx(drawn / "slides.pptx")
    with zipfile.ZipFile(drawn / "drawn.docx") as z:
        xml = z.read("word/document.xml")
    assert b"wps:wsp" in xml
    assert b"SHAPE-HERE" not in xml
    list(engine.documents.ingest(admin, [warm]))
    recorder.clear()

    events = list(engine.documents.ingest(admin, [drawn]))

    ends = (IngestStage.INDEXED, IngestStage.FAILED)
    assert [e.stage for e in events if e.stage in ends] == [IngestStage.INDEXED] * 2
    assert _outside(recorder, engine.settings.data_dir) == []
    assert not fake_libreoffice.exists()
    assert {h.document for h in engine.answers.search(admin, BODY, limit=10)} >= {
        "drawn.docx",
        "slides.pptx",
    }
