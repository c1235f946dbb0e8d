"""Hostile PDFs: a page count that would take hours, pages that would render huge bitmaps."""

import pytest

from core.errors import FileRejected, InvalidInput
from core.ingest import pdf
from core.ingest.pdf import MAX_PAGES, MAX_RENDER_PIXELS, parse_pdf, render_page

_TEXT = b"BT /F1 12 Tf 10 10 Td (Hello) Tj ET"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of numbered `objects` (object 1 is the catalog), with its xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _page(width: float, height: float, parent: int) -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % (parent, width, height)
    )


def _common() -> list[bytes]:
    return [
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(_TEXT), _TEXT),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def million_page_pdf() -> bytes:
    """12 KB declaring 10**6 real pages: a page tree whose nodes are shared, not copied."""
    thousand_of = b" ".join([b"%d 0 R"] * 1000)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1000000 /Kids [%b] >>" % (thousand_of % ((6,) * 1000)),
            _page(200, 200, parent=6),
            *_common(),
            b"<< /Type /Pages /Parent 2 0 R /Count 1000 /Kids [%b] >>"
            % (thousand_of % ((3,) * 1000)),
        ]
    )


def one_page_pdf(width: float, height: float) -> bytes:
    """One page of `width` × `height` points."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            _page(width, height, parent=2),
            *_common(),
        ]
    )


@pytest.mark.timeout(60)  # without the cap this parses a million pages: minutes, then fails
def test_a_pdf_declaring_a_million_pages_is_refused_by_name_before_any_page_is_read() -> None:
    with pytest.raises(FileRejected) as caught:
        parse_pdf(million_page_pdf(), "hostile.pdf")
    assert caught.value.key == "pdf_too_many_pages"
    assert caught.value.params == {"name": "hostile.pdf", "pages": 10**6, "limit": MAX_PAGES}
    assert "hostile.pdf" in caught.value.user_message("ru")


def test_a_pdf_at_the_page_limit_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    parsed = parse_pdf(one_page_pdf(200, 200), "ok.pdf")
    assert parsed.pages == 1


def test_a_tall_page_is_drawn_narrower_within_the_pixel_cap() -> None:
    # 4000 px wide at the asked width would be 4000 × 8000 = 32 million pixels
    width, height, rgb = render_page(one_page_pdf(200, 400), 1, 4000)
    assert width * height <= MAX_RENDER_PIXELS
    assert len(rgb) == width * height * 3
    assert height == pytest.approx(2 * width, abs=2)  # the shape is kept


def test_a_normal_page_is_drawn_at_the_asked_width() -> None:
    width, height, _ = render_page(one_page_pdf(612, 792), 1, 900)
    assert width == pytest.approx(900, abs=1)  # sides are rounded up
    assert height == pytest.approx(1165, abs=1)


@pytest.mark.parametrize(
    ("width", "height"),
    [(1, 100), (1, 14400), (14400, 1), (0.5, 200), (200, 0.5)],
    ids=["sliver", "one-point-wide", "one-point-tall", "half-point-wide", "half-point-tall"],
)
def test_a_degenerate_page_is_refused_without_rendering(width: float, height: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        render_page(one_page_pdf(width, height), 1, 64, "sliver.pdf")
    assert caught.value.key == "page_unrenderable"
    assert caught.value.params == {"name": "sliver.pdf", "page": 1}
