"""Structure-aware chunking: headings, pages, token budget, table headers."""

from core.ingest.chunking import Chunker
from core.ingest.document import Block, BlockKind


def words(text: str) -> int:
    return len(text.split())


def test_heading_path_is_carried_and_reset_by_level() -> None:
    blocks = [
        Block(BlockKind.HEADING, "Guide", level=1),
        Block(BlockKind.HEADING, "Install", level=2),
        Block(BlockKind.TEXT, "Run the installer."),
        Block(BlockKind.HEADING, "Remove", level=2),
        Block(BlockKind.TEXT, "Delete the folder."),
    ]
    chunks = Chunker(words, 50).split(blocks)
    assert [c.heading for c in chunks] == ["Guide › Install", "Guide › Remove"]
    assert chunks[1].embedding_text.startswith("Guide › Remove\n")


def test_paragraphs_pack_up_to_the_budget_and_never_exceed_it() -> None:
    blocks = [Block(BlockKind.TEXT, " ".join(["word"] * 30)) for _ in range(10)]
    chunks = Chunker(words, 100).split(blocks)
    assert all(c.tokens <= 100 for c in chunks)
    assert len(chunks) == 4  # 3 paragraphs (90 words) fit per chunk


def test_long_paragraph_is_split_at_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(60))
    chunks = Chunker(words, 40).split([Block(BlockKind.TEXT, text)])
    assert len(chunks) > 1
    assert all(c.tokens <= 40 for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)


def test_run_on_text_without_sentence_ends_is_still_bounded() -> None:
    chunks = Chunker(words, 20).split([Block(BlockKind.TEXT, "x " * 500)])
    assert all(c.tokens <= 20 for c in chunks)
    assert sum(c.tokens for c in chunks) == 500


def test_chunks_never_cross_pages() -> None:
    blocks = [
        Block(BlockKind.TEXT, "one", page=1, page_label="p. 1"),
        Block(BlockKind.TEXT, "two", page=2, page_label="p. 2"),
    ]
    chunks = Chunker(words, 100).split(blocks)
    assert [(c.page, c.text) for c in chunks] == [(1, "one"), (2, "two")]


def test_every_table_piece_repeats_the_header_row() -> None:
    rows = tuple(f"row {i} | value {i}" for i in range(40))
    table = Block(BlockKind.TABLE, header="Name | Value", rows=rows)
    chunks = Chunker(words, 30).split([table])
    assert len(chunks) > 1
    assert all(c.text.startswith("Name | Value\n") for c in chunks)
    body = [line for c in chunks for line in c.text.splitlines()[1:]]
    assert body == list(rows)


def test_offsets_point_into_the_document_text() -> None:
    blocks = [Block(BlockKind.TEXT, "alpha"), Block(BlockKind.TEXT, "beta")]
    chunks = Chunker(words, 1).split(blocks)
    assert [(c.char_start, c.char_end) for c in chunks] == [(0, 5), (7, 11)]
