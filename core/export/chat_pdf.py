"""A chat as a PDF (A4, DejaVu Sans for Cyrillic): the only module that imports reportlab.

reportlab's built-in fonts cover Latin-1 only; a Russian question would come out as black
boxes. DejaVu Sans ships in resources/fonts (with its licence) and is embedded (subset)
into every PDF, so the file reads the same on any computer. Text from chats and documents
is escaped before it reaches reportlab's paragraph mark-up: a passage holding `<b>` or
`&` is shown as written, never interpreted.
"""

from __future__ import annotations

import io
import threading
from typing import Any
from xml.sax.saxutils import escape

from core.errors import KnownError
from core.export.chat_parts import ChatExport, header, passage, place, role_label, title_of
from core.i18n import tr
from core.resources import fonts_dir

REGULAR, BOLD = "KonspektSans", "KonspektSans-Bold"
_FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_fonts_lock = threading.Lock()


def _register_fonts() -> None:
    """Register DejaVu Sans with reportlab (its registry is process-wide: once is enough)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfmetrics import registerFontFamily
    from reportlab.pdfbase.ttfonts import TTFont

    with _fonts_lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        for name, file in _FONT_FILES.items():
            path = fonts_dir() / file
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except OSError as exc:  # a damaged installation: say which file is missing
                raise KnownError("export_font_missing", path=path, detail=exc) from None
        registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)


def _text(value: str) -> str:
    """Plain text as paragraph mark-up: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.strip().splitlines())


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=REGULAR, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=18, leading=23),
        "meta": ParagraphStyle("meta", base, fontSize=9, textColor=colors.grey, spaceAfter=12),
        "role": ParagraphStyle("role", base, fontName=BOLD, fontSize=11.5, spaceBefore=10),
        "body": base,
        "sources": ParagraphStyle("sources", base, fontName=BOLD, fontSize=10, spaceBefore=4),
        "source": ParagraphStyle("source", base, fontSize=9.5, leftIndent=10, spaceAfter=2),
        "passage": ParagraphStyle(
            "passage", base, fontSize=9, leading=12.5, leftIndent=22, textColor=colors.dimgrey
        ),
    }


def _story(export: ChatExport) -> list[Any]:
    from reportlab.platypus import HRFlowable, Paragraph

    styles, lang = _styles(), export.lang
    story: list[Any] = [
        Paragraph(_text(title_of(export)), styles["title"]),
        Paragraph(_text(header(export)), styles["meta"]),
    ]
    for message in export.messages:
        story.append(HRFlowable(width="100%", thickness=0.4, spaceBefore=4, spaceAfter=2))
        story.append(Paragraph(_text(role_label(message, lang)), styles["role"]))
        story.append(Paragraph(_text(message.text) or "—", styles["body"]))
        if message.sources:
            story.append(Paragraph(_text(tr("export_sources", lang)), styles["sources"]))
        for source in message.sources:
            where = place(source, lang)
            line = f"{source.number}. <b>{escape(source.document)}</b>"
            story.append(
                Paragraph(line + (f", {escape(where)}" if where else ""), styles["source"])
            )
            story.append(Paragraph(_text(passage(source, export.passages)), styles["passage"]))
    return story


def chat_pdf(export: ChatExport) -> bytes:
    """The whole chat as a PDF document's bytes (built in memory, nothing written)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title_of(export),
        author="",
        creator="Konspekt",
        lang=export.lang,
    )
    doc.build(_story(export))
    return out.getvalue()
