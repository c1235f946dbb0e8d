"""Turn file bytes into blocks: dispatch by type; docling for office and web formats.

The only module that imports docling. Every library failure becomes a
FileRejected naming the file, so one bad file never stops a batch.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

from core.errors import FileRejected
from core.ingest import detect
from core.ingest.document import Block, BlockKind, ParseCancelled, ParsedDocument
from core.ingest.pdf import parse_pdf
from core.ingest.plaintext import parse_text

# docling logs the text it parses at DEBUG (its Markdown backend, whole paragraphs): a
# root logger turned to DEBUG for troubleshooting must not write documents into logs.
logging.getLogger("docling").setLevel(logging.INFO)

_DOCLING_KINDS = {detect.DOCX, detect.XLSX, detect.PPTX, detect.HTML, detect.MARKDOWN, detect.CSV}


_DOCLING_BACKENDS = (
    "docling.backend.msword_backend",
    "docling.backend.msexcel_backend",
    "docling.backend.mspowerpoint_backend",
)


class Parser:
    """Parses one file at a time per format; safe to share between threads."""

    def __init__(self) -> None:
        self._converter: Any = None
        self._docling_lock = threading.Lock()

    def parse(
        self,
        name: str,
        data: bytes,
        display: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> ParsedDocument:
        """Blocks of the file called `name`; `display` names it in errors.

        In this process a reader cannot be stopped midway: `cancelled` is checked only
        before it starts.
        """
        if cancelled is not None and cancelled():
            raise ParseCancelled
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

    def warm_up(self) -> None:
        """Import docling and build its pipelines now, so the first ingest starts at once.

        The imports take seconds and hold the interpreter lock in stretches; a shell calls
        this from a worker thread while the user is not waiting on anything.
        """
        import importlib

        for module in _DOCLING_BACKENDS:
            importlib.import_module(module)
        samples = {
            "md": b"# Title\n\nText.\n",
            "html": b"<html><body><p>Text</p></body></html>",
            "csv": b"a,b\n1,2\n",
        }
        for kind, data in samples.items():
            self._parse_docling(kind, f"warm.{kind}", data, "warm-up")

    # docling ----------------------------------------------------------------------
    def _docling(self) -> Any:
        if self._converter is None:
            from docling.datamodel.base_models import InputFormat
            from docling.document_converter import (
                DocumentConverter,
                ExcelFormatOption,
                PowerpointFormatOption,
                WordFormatOption,
            )

            word, powerpoint, excel = _office_backends_without_libreoffice()
            self._converter = DocumentConverter(
                allowed_formats=[
                    InputFormat.DOCX,
                    InputFormat.XLSX,
                    InputFormat.PPTX,
                    InputFormat.HTML,
                    InputFormat.MD,
                    InputFormat.CSV,
                ],
                format_options={
                    InputFormat.DOCX: WordFormatOption(backend=word),
                    InputFormat.PPTX: PowerpointFormatOption(backend=powerpoint),
                    InputFormat.XLSX: ExcelFormatOption(backend=excel),
                },
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


_child_parser: Parser | None = None


def parse_in_child(name: str | None, data: bytes = b"", display: str = "") -> ParsedDocument | None:
    """The parsing child's entry point (see isolated.py); no name means warm up."""
    global _child_parser
    if _child_parser is None:
        _child_parser = Parser()
    if name is None:
        _child_parser.warm_up()
        return None
    return _child_parser.parse(name, data, display)


def _office_backends_without_libreoffice() -> tuple[type[Any], type[Any], type[Any]]:
    """The Word, PowerPoint and Excel readers of docling, never handing a file to LibreOffice.

    Where `soffice` is on PATH, docling draws DrawingML shapes, EMF/WMF pictures and
    charts by saving a stripped copy of the document (body, headers, footers, comments,
    media) or the raw picture into a fresh `mkdtemp()` folder, converting it to PDF there
    and deleting it afterwards: plaintext in the system temp folder, left behind for good
    if the process dies. No backend option turns this off (`render_chart_images` covers
    charts only), so each backend is told that no converter exists, which is docling's
    own path when LibreOffice is not installed: the text is read, the drawing is not.
    (The legacy .doc/.ppt/.xls conversion, the other LibreOffice route, is not among the
    allowed formats.) These are docling internals of the pinned version; the audit-hook
    test in tests/integration/test_ingest_writes_nothing_outside_data.py catches any
    new route a docling update takes.
    """
    from docling.backend.msexcel_backend import MsExcelDocumentBackend
    from docling.backend.mspowerpoint_backend import MsPowerpointDocumentBackend
    from docling.backend.msword_backend import MsWordDocumentBackend

    class WordBackend(MsWordDocumentBackend):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # docling looks for a converter only while both are unset
            self.docx_to_pdf_converter = None
            self.docx_to_pdf_converter_init = True

    class PowerpointBackend(MsPowerpointDocumentBackend):
        def _get_libreoffice_converter(self) -> None:
            return None

    class ExcelBackend(MsExcelDocumentBackend):
        def _get_libreoffice_converter(self) -> None:
            return None

    return WordBackend, PowerpointBackend, ExcelBackend


_SPACE_BEFORE = re.compile(r"\s+([.,;:!?%)\]}»”])")
_SPACE_AFTER = re.compile(r"([(\[{«“])\s+")


def _joined(parts: list[str]) -> str:
    """Inline runs of one paragraph as one line (no space before a full stop)."""
    text = " ".join(" ".join(p.split()) for p in parts if p.strip())
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


def _docling_blocks(kind: str, doc: Any) -> ParsedDocument:
    """Blocks of a docling document, each paragraph's inline runs joined into one.

    docling's HTML and Markdown readers give every inline element its own text item
    inside an inline group; taken one by one they would cut sentences into fragments.
    """
    from docling_core.types.doc.labels import GroupLabel

    blocks: list[Block] = []
    inline_parent: str | None = None
    inline: list[str] = []
    inline_at: tuple[int | None, str] = (None, "")

    def flush() -> None:
        nonlocal inline_parent
        text = _joined(inline)
        if text:
            blocks.append(Block(BlockKind.TEXT, text, page=inline_at[0], page_label=inline_at[1]))
        inline.clear()
        inline_parent = None

    for item, _depth in doc.iterate_items():
        parent = item.parent.resolve(doc) if getattr(item, "parent", None) else None
        if parent is not None and getattr(parent, "label", None) == GroupLabel.INLINE:
            if item.parent.cref != inline_parent:
                flush()
                inline_parent = item.parent.cref
                page = item.prov[0].page_no if getattr(item, "prov", None) else None
                inline_at = (page, _page_label(kind, page, item, doc))
            inline.append(str(getattr(item, "text", "") or ""))
            continue
        flush()
        _add_item(kind, item, doc, blocks)
    flush()
    return ParsedDocument(kind, tuple(blocks), len(doc.pages))


def _add_item(kind: str, item: Any, doc: Any, blocks: list[Block]) -> None:
    """One heading, table or paragraph item as a block (page headers and footers dropped)."""
    from docling_core.types.doc.items.table.table import TableItem
    from docling_core.types.doc.items.text import SectionHeaderItem, TextItem, TitleItem
    from docling_core.types.doc.labels import DocItemLabel

    page = item.prov[0].page_no if getattr(item, "prov", None) else None
    label = _page_label(kind, page, item, doc)
    if isinstance(item, SectionHeaderItem):
        blocks.append(
            Block(BlockKind.HEADING, item.text, level=item.level + 1, page=page, page_label=label)
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
