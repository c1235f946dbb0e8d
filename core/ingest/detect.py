"""Detect a file's type from its content first and its name second."""

from __future__ import annotations

import io
import zipfile

PDF, DOCX, XLSX, PPTX, HTML, MARKDOWN, CSV, TEXT, ZIP = (
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "html",
    "md",
    "csv",
    "txt",
    "zip",
)
_TEXT_EXTENSIONS = {
    ".txt": TEXT,
    ".text": TEXT,
    ".log": TEXT,
    ".rst": TEXT,
    ".adoc": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".csv": CSV,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
}
_OOXML_MARKERS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}


class UnsupportedType(Exception):
    """The content is not a type Konspekt indexes; the message says what it looks like."""


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") else ""


def detect_kind(name: str, data: bytes) -> str:
    """Return one of the kind constants, or raise UnsupportedType."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _detect_zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UnsupportedType("legacy Office file or password-protected Office document")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ")):
        raise UnsupportedType("image or program file")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedType("binary data")
    by_name = _TEXT_EXTENSIONS.get(_suffix(name))
    if by_name:
        return by_name
    lowered = head.lower().lstrip()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        return HTML
    return TEXT


def _detect_zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile as exc:
        raise UnsupportedType(f"damaged zip container: {exc}") from None
    for marker, kind in _OOXML_MARKERS.items():
        if marker in names:
            return kind
    if "mimetype" in names and any(n.startswith("content.xml") for n in names):
        raise UnsupportedType("OpenDocument file; save it as DOCX, XLSX or PDF")
    if "EncryptionInfo" in names:
        raise UnsupportedType("encrypted Office document")
    return ZIP
