"""Turn file bytes into blocks: pypdfium2 for PDF text, docling for office/web formats.

The only module that imports docling and pypdfium2. Every library failure becomes a
FileRejected naming the file, so one bad file never stops a batch.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from typing import Any

from charset_normalizer import from_bytes

from core.errors import FileRejected
from core.ingest import detect
from core.ingest.document import Block, BlockKind, ParsedDocument

log = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n+")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
# Table-of-contents lines ("3.2 Licences . . . . . 17") are noise for retrieval.
_DOT_LEADER_LINE = re.compile(r"^.*(?:\.\s?){6,}\s*\d*\s*$", re.MULTILINE)
_DOCLING_KINDS = {detect.DOCX, detect.XLSX, detect.PPTX, detect.HTML, detect.MARKDOWN, detect.CSV}


def _paragraphs(text: str) -> list[str]:
    text = _DOT_LEADER_LINE.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


class Parser:
    """Parses one file at a time per format; safe to share between threads."""

    def __init__(self) -> None:
        self._converter: Any = None
        self._docling_lock = threading.Lock()

    def parse(self, name: str, data: bytes, display: str) -> ParsedDocument:
        """Blocks of the file called `name`; `display` names it in errors."""
        try:
            kind = detect.detect_kind(name, data)
        except detect.UnsupportedType as exc:
            raise FileRejected("file_unsupported", name=display, detail=str(exc)) from None
        if kind == detect.PDF:
            return parse_pdf(data, display)
        if kind in _DOCLING_KINDS:
            return self._parse_docling(kind, name, data, display)
        if kind == detect.ZIP:
            raise FileRejected(
                "file_unsupported", name=display, detail="a zip archive without a .zip name"
            )
        return parse_text(data, display)

    # docling ----------------------------------------------------------------------
    def _docling(self) -> Any:
        if self._converter is None:
            from docling.datamodel.base_models import InputFormat
            from docling.document_converter import DocumentConverter

            self._converter = DocumentConverter(
                allowed_formats=[
                    InputFormat.DOCX,
                    InputFormat.XLSX,
                    InputFormat.PPTX,
                    InputFormat.HTML,
                    InputFormat.MD,
                    InputFormat.CSV,
                ]
            )
        return self._converter

    def _parse_docling(self, kind: str, name: str, data: bytes, display: str) -> ParsedDocument:
        from docling.datamodel.base_models import ConversionStatus, DocumentStream

        suffix = {"md": ".md", "html": ".html"}.get(kind, "." + kind)
        stream = DocumentStream(name=f"document{suffix}", stream=io.BytesIO(data))
        with self._docling_lock:
            try:
                result = self._docling().convert(stream, raises_on_error=False)
            except Exception as exc:  # docling raises many types; all mean "unreadable"
                raise FileRejected(
                    "file_corrupt", name=display, detail=f"{type(exc).__name__}: {str(exc)[:200]}"
                ) from None
        if result.status not in (ConversionStatus.SUCCESS, ConversionStatus.PARTIAL_SUCCESS):
            detail = "; ".join(str(e.error_message)[:200] for e in result.errors) or "no content"
            raise FileRejected("file_corrupt", name=display, detail=detail)
        return _docling_blocks(kind, result.document)


def _docling_blocks(kind: str, doc: Any) -> ParsedDocument:
    from docling_core.types.doc.items.table.table import TableItem
    from docling_core.types.doc.items.text import SectionHeaderItem, TextItem, TitleItem
    from docling_core.types.doc.labels import DocItemLabel

    blocks: list[Block] = []
    pages = len(doc.pages)
    for item, _depth in doc.iterate_items():
        page = item.prov[0].page_no if getattr(item, "prov", None) else None
        label = _page_label(kind, page, item, doc)
        if isinstance(item, SectionHeaderItem):
            blocks.append(
                Block(
                    BlockKind.HEADING, item.text, level=item.level + 1, page=page, page_label=label
                )
            )
        elif isinstance(item, TitleItem):
            blocks.append(Block(BlockKind.HEADING, item.text, level=1, page=page, page_label=label))
        elif isinstance(item, TableItem):
            rows = [" | ".join(" ".join(c.text.split()) for c in row) for row in item.data.grid]
            rows = [r for r in rows if r.strip(" |")]
            if rows:
                blocks.append(
                    Block(
                        BlockKind.TABLE,
                        page=page,
                        page_label=label,
                        header=rows[0],
                        rows=tuple(rows[1:]),
                    )
                )
        elif isinstance(item, TextItem) and item.label not in (
            DocItemLabel.PAGE_HEADER,
            DocItemLabel.PAGE_FOOTER,
        ):
            text = item.text.strip()
            if text:
                blocks.append(Block(BlockKind.TEXT, text, page=page, page_label=label))
    return ParsedDocument(kind, tuple(blocks), pages)


def _sheet_name(item: Any, doc: Any) -> str:
    node = item
    while getattr(node, "parent", None) is not None:
        node = node.parent.resolve(doc)
        if str(getattr(node, "label", "")) == "sheet":
            return str(node.name)
    return ""


def _page_label(kind: str, page: int | None, item: Any, doc: Any) -> str:
    if page is None:
        return ""
    if kind == detect.PPTX:
        return f"slide {page}"
    if kind == detect.XLSX:
        return f"sheet {sheet}" if (sheet := _sheet_name(item, doc)) else f"sheet {page}"
    if kind == detect.DOCX or kind == detect.HTML:
        return ""
    return f"p. {page}"


# PDF (pypdfium2) -----------------------------------------------------------------------
def parse_pdf(data: bytes, display: str) -> ParsedDocument:
    """Text per page with pypdfium2; the outline (bookmarks) supplies the headings."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise FileRejected("file_encrypted", name=display) from None
        raise FileRejected("file_corrupt", name=display, detail=str(exc)) from None
    try:
        outline = _outline(pdf)
        blocks: list[Block] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
            finally:
                page.close()
            blocks += _page_blocks(text, index + 1, outline.get(index, []))
        pages = len(pdf)
    except pdfium.PdfiumError as exc:
        raise FileRejected("file_corrupt", name=display, detail=str(exc)) from None
    finally:
        pdf.close()
    if not any(b.kind is BlockKind.TEXT for b in blocks):
        raise FileRejected("file_no_text", name=display)
    return ParsedDocument(detect.PDF, tuple(blocks), pages)


def _outline(pdf: Any) -> dict[int, list[tuple[int, str]]]:
    """Page index -> [(level, title)] of the bookmarks that start on that page."""
    out: dict[int, list[tuple[int, str]]] = {}
    try:
        for item in pdf.get_toc(max_depth=8):
            title = " ".join(str(item.get_title()).split())
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            if title and index is not None and index >= 0:
                out.setdefault(int(index), []).append((int(item.level) + 1, title))
    except Exception as exc:  # a broken or cyclic outline only costs us the headings
        log.info("PDF outline unreadable (%s); continuing without headings", type(exc).__name__)
    return out


def _page_blocks(text: str, page: int, headings: list[tuple[int, str]]) -> list[Block]:
    """Split a page's text at the positions of the bookmarks that start on it."""
    label = f"p. {page}"
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    cuts: list[tuple[int, int, str]] = []
    cursor = 0
    for level, title in headings:
        found = _find_title(flat, title, cursor)
        position = found if found >= 0 else cursor
        cuts.append((position, level, title))
        cursor = position
    blocks: list[Block] = []
    start = 0
    for position, level, title in cuts:
        blocks += [
            Block(BlockKind.TEXT, p, page=page, page_label=label)
            for p in _paragraphs(flat[start:position])
        ]
        blocks.append(Block(BlockKind.HEADING, title, level=level, page=page, page_label=label))
        found = _find_title(flat, title, position)
        start = position + (_title_span(flat, title, position) if found == position else 0)
    blocks += [
        Block(BlockKind.TEXT, p, page=page, page_label=label) for p in _paragraphs(flat[start:])
    ]
    return blocks


def _title_pattern(title: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in title.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


def _find_title(text: str, title: str, start: int) -> int:
    match = _title_pattern(title).search(text, start)
    return match.start() if match else -1


def _title_span(text: str, title: str, start: int) -> int:
    match = _title_pattern(title).match(text, start)
    return len(match.group()) if match else 0


# Plain text ----------------------------------------------------------------------------
def parse_text(data: bytes, display: str) -> ParsedDocument:
    """Plain text in any common encoding, split at blank lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            if best is None:
                raise FileRejected(
                    "file_unsupported", name=display, detail="binary data, not text"
                ) from None
            text = str(best)
    blocks = tuple(Block(BlockKind.TEXT, p) for p in _paragraphs(text))
    if not blocks:
        raise FileRejected("file_empty", name=display)
    return ParsedDocument(detect.TEXT, blocks)
