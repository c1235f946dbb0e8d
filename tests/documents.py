"""Small generated documents of every supported type, each holding known sentences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

# Sentences that must be findable after ingest and never appear in plaintext on disk.
SENTENCES = {
    "docx": "The quarterly zeppelin audit found seventeen misplaced turnips.",
    "xlsx": "Budget line for marmalade research",
    "pptx": "Slide three explains the walrus onboarding procedure.",
    "pdf1": "Chapter one says the lighthouse keeper counts violet pebbles.",
    "pdf2": "Chapter two says the archive closes at nine on Thursdays.",
    "html": "The intranet page says parking permits renew every April.",
    "md": "Markdown notes say the cafeteria serves borscht on Mondays.",
    "csv": "Novosibirsk",
    "txt_ru": "Договор поставки подписан генеральным директором в пятницу.",
}


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Audit report", level=1)
    d.add_paragraph("Introduction to the audit process.")
    d.add_heading("Findings", level=2)
    d.add_paragraph(SENTENCES["docx"])
    table = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Item", "Count"), ("Turnips", "17"), ("Carrots", "4")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    d.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    ws.append(["Line", "Amount", "Owner"])
    ws.append([SENTENCES["xlsx"], 1200, "Alice"])
    ws.append(["Office chairs", 300, "Bob"])
    wb.save(str(path))
    return path


def make_pptx(path: Path) -> Path:
    from pptx import Presentation

    prs = Presentation()
    for title, body in (
        ("Welcome", "First slide."),
        ("Agenda", "Second slide."),
        ("Onboarding", SENTENCES["pptx"]),
    ):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    prs.save(str(path))
    return path


def make_pdf(path: Path) -> Path:
    """Two chapters on pages 1 and 2, with bookmarks (the PDF outline)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n, (title, sentence) in enumerate(
        (("Chapter One", SENTENCES["pdf1"]), ("Chapter Two", SENTENCES["pdf2"])), start=1
    ):
        c.bookmarkPage(f"ch{n}")
        c.addOutlineEntry(title, f"ch{n}", level=0)
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 760, title)
        c.setFont("Helvetica", 11)
        c.drawString(72, 730, sentence)
        c.showPage()
    c.save()
    return path


def make_html(path: Path) -> Path:
    path.write_text(
        "<!doctype html><html><head><title>Intranet</title></head><body>"
        "<h1>Facilities</h1><h2>Parking</h2>"
        f"<p>{SENTENCES['html']}</p></body></html>",
        encoding="utf-8",
    )
    return path


def make_md(path: Path) -> Path:
    path.write_text(f"# Cafeteria\n\n## Menu\n\n{SENTENCES['md']}\n", encoding="utf-8")
    return path


def make_csv(path: Path) -> Path:
    path.write_text(
        f"city,population\nMoscow,13000000\n{SENTENCES['csv']},1600000\n", encoding="utf-8"
    )
    return path


def make_txt_cp1251(path: Path) -> Path:
    text = f"Протокол совещания.\n\n{SENTENCES['txt_ru']}\n\nСледующая встреча в понедельник.\n"
    path.write_bytes(text.encode("cp1251"))
    return path


def make_all(folder: Path) -> dict[str, Path]:
    """One file of each type in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "docx": make_docx(folder / "audit.docx"),
        "xlsx": make_xlsx(folder / "budget.xlsx"),
        "pptx": make_pptx(folder / "onboarding.pptx"),
        "pdf": make_pdf(folder / "handbook.pdf"),
        "html": make_html(folder / "intranet.html"),
        "md": make_md(folder / "cafeteria.md"),
        "csv": make_csv(folder / "cities.csv"),
        "txt": make_txt_cp1251(folder / "protocol.txt"),
    }


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A deflated zip archive of `members` (name → content), in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
