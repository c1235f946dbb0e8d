"""PDF text through pypdfium2: the only module that imports it.

Text comes page by page (so every chunk cites its page); the PDF outline (bookmarks)
supplies the headings, cut into the text where each title starts a line; running
headers and page numbers repeated across pages are dropped as furniture.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from typing import Any

import pypdfium2 as pdfium

from core.errors import FileRejected, InvalidInput
from core.ingest import detect
from core.ingest.document import Block, BlockKind, ParsedDocument
from core.ingest.plaintext import paragraphs

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"^\W*(?:page\s+|стр\.?\s*)?\d+(?:\s*(?:/|of|из)\s*\d+)?\W*$", re.I)
_DIGITS = re.compile(r"\d+")
_FURNITURE_MIN_PAGES = 3
_SECTION_NUMBER = r"(?:\d+(?:\.\d+)*\.?\s+)?"

MAX_PAGES = 10_000
"""Pages a PDF may have. A file declaring more (a hostile one may declare millions, each
costing a parse) is refused whole, by name, rather than indexed in part without a word."""
MAX_RENDER_PIXELS = 25_000_000
"""Width × height of one rendered page: an A4 page 4,000 pixels wide is 22.6 million."""
MAX_ASPECT = 32.0
"""Long side over short side of a page that is shown; narrower slivers are refused."""


def parse_pdf(data: bytes, display: str) -> ParsedDocument:
    """Blocks of a PDF: headings from its outline, paragraphs per page."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise FileRejected("file_encrypted", name=display) from None
        raise FileRejected("file_corrupt", name=display, detail=str(exc)) from None
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise FileRejected("pdf_too_many_pages", name=display, pages=pages, limit=MAX_PAGES)
        outline = _outline(pdf)
        texts = [_page_text(pdf, i) for i in range(pages)]
    except pdfium.PdfiumError as exc:
        raise FileRejected("file_corrupt", name=display, detail=str(exc)) from None
    finally:
        pdf.close()
    blocks: list[Block] = []
    for index, text in enumerate(strip_furniture(texts)):
        blocks += page_blocks(text, index + 1, outline.get(index, []))
    if not any(b.kind is BlockKind.TEXT for b in blocks):
        raise FileRejected("file_no_text", name=display)
    return ParsedDocument(detect.PDF, tuple(blocks), len(texts))


def _page_text(pdf: Any, index: int) -> str:
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        text = str(textpage.get_text_range())
        textpage.close()
    finally:
        page.close()
    # PDFium marks soft hyphens at line ends with U+FFFE; the word continues after it.
    text = text.replace("\ufffe\r\n", "").replace("\ufffe\n", "").replace("\ufffe", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def strip_furniture(pages: list[str]) -> list[str]:
    """Drop running headers/footers and page numbers: first/last lines that repeat."""
    lines = [[ln for ln in page.split("\n") if ln.strip()] for page in pages]
    heads = Counter(_shape(ls[0])[:24] for ls in lines if ls)
    feet = Counter(_shape(ls[-1]) for ls in lines if ls)
    out = []
    for page_lines in lines:
        kept = list(page_lines)
        if kept and len(kept[0]) < 160 and heads[_shape(kept[0])[:24]] >= _FURNITURE_MIN_PAGES:
            kept.pop(0)
        if kept and (
            _PAGE_NUMBER.match(kept[-1].strip())
            or (len(kept[-1]) < 160 and feet[_shape(kept[-1])] >= _FURNITURE_MIN_PAGES)
        ):
            kept.pop()
        out.append("\n".join(kept))
    return out


def page_blocks(text: str, page: int, headings: list[tuple[int, str]]) -> list[Block]:
    """Split one page's text at the lines where its bookmarks' titles start."""
    label = f"p. {page}"
    blocks: list[Block] = []
    start = cursor = 0
    for level, title in headings:
        match = _find_heading(text, title, cursor)
        if match is not None:
            at, end = match
        else:  # title not printed on the page: the section starts where we are
            at = end = cursor
        blocks += [
            Block(BlockKind.TEXT, p, page=page, page_label=label)
            for p in paragraphs(text[start:at])
        ]
        blocks.append(Block(BlockKind.HEADING, title, level=level, page=page, page_label=label))
        start = cursor = end
    blocks += [
        Block(BlockKind.TEXT, p, page=page, page_label=label) for p in paragraphs(text[start:])
    ]
    return blocks


def _find_heading(text: str, title: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the title where it begins a line (with its section number), if found."""
    words = r"\s+".join(re.escape(w) for w in title.split())
    for flags in (0, re.IGNORECASE):
        pattern = re.compile(rf"^[ \t]*{_SECTION_NUMBER}{words}", re.MULTILINE | flags)
        match = pattern.search(text, start)
        if match:
            return match.start(), match.end()
    return None


def render_page(data: bytes, page: int, width: int, name: str = "") -> tuple[int, int, bytes]:
    """Render 1-based `page` of a PDF about `width` pixels wide: (width, height, RGB bytes).

    The bitmap never exceeds `MAX_RENDER_PIXELS`: a tall page is drawn narrower.

    Raises:
        InvalidInput: the page's shape is degenerate (a sliver, or no size at all);
            its text is shown instead.
    """
    pdf = pdfium.PdfDocument(data)
    try:
        index = min(max(page, 1), len(pdf)) - 1
        pdf_page = pdf[index]
        try:
            scale = render_scale(pdf_page.get_width(), pdf_page.get_height(), width)
            if scale is None:
                raise InvalidInput("page_unrenderable", name=name, page=index + 1)
            bitmap = pdf_page.render(scale=scale, rev_byteorder=True)
            array = bitmap.to_numpy()[:, :, :3].copy()
        finally:
            pdf_page.close()
    finally:
        pdf.close()
    height, pixels_wide = array.shape[:2]
    return int(pixels_wide), int(height), array.tobytes()


def render_scale(page_width: float, page_height: float, width: int) -> float | None:
    """Pixels per point that draw the page `width` pixels wide within the pixel cap.

    None for a page that cannot be drawn sensibly: a side under one point, not a
    finite number, or a long side more than `MAX_ASPECT` times the short one.
    """
    sides = (page_width, page_height)
    if not all(math.isfinite(s) and s >= 1.0 for s in sides):
        return None
    if max(sides) / min(sides) > MAX_ASPECT:
        return None
    scale = width / page_width
    # the bitmap's sides are rounded up: (w·s + 1)(h·s + 1) must stay within the cap
    if (page_width * scale + 1) * (page_height * scale + 1) > MAX_RENDER_PIXELS:
        a, b = page_width * page_height, page_width + page_height
        scale = (math.sqrt(b * b + 4 * a * (MAX_RENDER_PIXELS - 1)) - b) / (2 * a)
    return scale
