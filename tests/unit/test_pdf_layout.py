"""PDF page text: running headers, page numbers and bookmark headings."""

from core.ingest.document import BlockKind
from core.ingest.pdf import page_blocks, strip_furniture


def test_repeated_headers_and_page_numbers_are_dropped() -> None:
    pages = [f"CHAPTER 2. INSTALLING… 2.{i}. SECTION\nBody text {i}.\n{i + 10}" for i in range(4)]
    assert strip_furniture(pages) == [f"Body text {i}." for i in range(4)]


def test_a_first_line_seen_on_too_few_pages_is_kept() -> None:
    pages = ["Title page\nWelcome.", "Other start\nText."]
    assert strip_furniture(pages) == pages


def test_headings_cut_the_page_where_their_title_starts_a_line() -> None:
    text = (
        "end of previous section.\n8.1.2 APT\nAPT is the Advanced Package Tool.\nMore on CHAPTER."
    )
    blocks = page_blocks(text, 44, [(3, "APT")])
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.TEXT, "end of previous section."),
        (BlockKind.HEADING, "APT"),
        (BlockKind.TEXT, "APT is the Advanced Package Tool. More on CHAPTER."),
    ]
    assert all(b.page == 44 and b.page_label == "p. 44" for b in blocks)


def test_a_wrapped_title_is_found_across_lines() -> None:
    text = "8.2 Debian claims to be able to update a running program; how\nis this done?\nBody."
    blocks = page_blocks(
        text, 1, [(2, "Debian claims to be able to update a running program; how is this done?")]
    )
    assert [b.kind for b in blocks] == [BlockKind.HEADING, BlockKind.TEXT]
    assert blocks[1].text == "Body."


def test_a_title_not_printed_starts_its_section_at_the_page_top() -> None:
    blocks = page_blocks("Some text.", 3, [(1, "Invisible")])
    assert [b.kind for b in blocks] == [BlockKind.HEADING, BlockKind.TEXT]
