"""Type detection looks at content before names."""

import io
import zipfile

import pytest

from core.ingest import detect


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "x")
    return buf.getvalue()


def test_pdf_is_found_by_magic_whatever_the_name() -> None:
    assert detect.detect_kind("report.txt", b"%PDF-1.7\n...") == detect.PDF


@pytest.mark.parametrize(
    ("marker", "kind"),
    [
        ("word/document.xml", detect.DOCX),
        ("xl/workbook.xml", detect.XLSX),
        ("ppt/presentation.xml", detect.PPTX),
    ],
)
def test_office_files_are_told_apart_by_their_parts(marker: str, kind: str) -> None:
    assert detect.detect_kind("file.bin", _zip(["[Content_Types].xml", marker])) == kind


def test_plain_zip_is_an_archive() -> None:
    assert detect.detect_kind("x.zip", _zip(["a.txt"])) == detect.ZIP


def test_opendocument_is_refused_with_advice() -> None:
    with pytest.raises(detect.UnsupportedType, match="OpenDocument"):
        detect.detect_kind("a.odt", _zip(["mimetype", "content.xml"]))


def test_ole_container_is_refused() -> None:
    with pytest.raises(detect.UnsupportedType, match="password-protected"):
        detect.detect_kind("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_binary_is_refused() -> None:
    with pytest.raises(detect.UnsupportedType):
        detect.detect_kind("a.dat", b"\x00\x01\x02" * 100)


def test_html_by_content_and_text_by_default() -> None:
    assert detect.detect_kind("page", b"<!DOCTYPE html><html>") == detect.HTML
    assert detect.detect_kind("notes", "просто текст".encode()) == detect.TEXT
    assert detect.detect_kind("a.md", b"# Title") == detect.MARKDOWN
