"""Split a parsed document into chunks by structure, sized in the embedder's tokens.

A chunk never crosses a heading or a page, so its citation is exact; paragraphs are
packed together up to the budget; an oversized paragraph is split at sentences;
tables are cut between rows and every piece repeats the header row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from core.ingest.document import Block, BlockKind

HEADING_SEPARATOR = " › "
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])\s+")

TokenCounter = Callable[[str], int]


@dataclass(frozen=True, slots=True)
class ChunkDraft:
    """A chunk before it has an id: text, where it came from, its size."""

    ordinal: int
    text: str
    heading: str
    page: int | None
    page_label: str
    char_start: int
    char_end: int
    tokens: int

    @property
    def embedding_text(self) -> str:
        """What the embedder sees: the heading path gives the passage its context."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text


@dataclass(slots=True)
class _Piece:
    text: str
    start: int
    tokens: int


class Chunker:
    """Stateless splitter; `count_tokens` is the embedder's own tokenizer."""

    def __init__(self, count_tokens: TokenCounter, max_tokens: int = 200) -> None:
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens

    def split(self, blocks: tuple[Block, ...] | list[Block]) -> list[ChunkDraft]:
        """Chunks of the blocks, in document order."""
        out: list[ChunkDraft] = []
        headings: list[tuple[int, str]] = []
        pending: list[_Piece] = []
        where: tuple[int | None, str] = (None, "")
        offset = 0

        def flush() -> None:
            if pending:
                out.append(self._draft(len(out), pending, headings, where))
                pending.clear()

        for block in blocks:
            text = block.text.strip()
            if block.kind is BlockKind.HEADING:
                flush()
                headings = [h for h in headings if h[0] < block.level]
                if text:
                    headings.append((block.level, text))
            elif block.kind is BlockKind.TABLE:
                flush()
                where = (block.page, block.page_label)
                for piece in self._table_pieces(block, offset):
                    out.append(self._draft(len(out), [piece], headings, where))
                text = "\n".join((block.header, *block.rows))
            elif text:
                if (block.page, block.page_label) != where:
                    flush()
                    where = (block.page, block.page_label)
                for piece in self._text_pieces(text, offset):
                    used = sum(p.tokens for p in pending)
                    if pending and used + piece.tokens > self.max_tokens:
                        flush()
                    pending.append(piece)
            offset += len(text) + 2
        flush()
        return out

    def _draft(
        self,
        ordinal: int,
        pieces: list[_Piece],
        headings: list[tuple[int, str]],
        where: tuple[int | None, str],
    ) -> ChunkDraft:
        text = "\n\n".join(p.text for p in pieces)
        return ChunkDraft(
            ordinal=ordinal,
            text=text,
            heading=HEADING_SEPARATOR.join(h[1] for h in headings),
            page=where[0],
            page_label=where[1],
            char_start=pieces[0].start,
            char_end=pieces[-1].start + len(pieces[-1].text),
            tokens=sum(p.tokens for p in pieces),
        )

    def _text_pieces(self, text: str, start: int) -> Iterator[_Piece]:
        tokens = self.count_tokens(text)
        if tokens <= self.max_tokens:
            yield _Piece(text, start, tokens)
            return
        buffer: list[str] = []
        buffer_tokens = 0
        buffer_start = start
        cursor = start
        for sentence in self._sentences(text):
            n = self.count_tokens(sentence)
            if buffer and buffer_tokens + n > self.max_tokens:
                joined = " ".join(buffer)
                yield _Piece(joined, buffer_start, buffer_tokens)
                buffer, buffer_tokens, buffer_start = [], 0, cursor
            buffer.append(sentence)
            buffer_tokens += n
            cursor += len(sentence) + 1
        if buffer:
            yield _Piece(" ".join(buffer), buffer_start, buffer_tokens)

    def _sentences(self, text: str) -> Iterator[str]:
        for sentence in _SENTENCE_END.split(text):
            if self.count_tokens(sentence) <= self.max_tokens:
                yield sentence
                continue
            words = sentence.split()
            # Cut a run-on "sentence" into word windows that fit.
            step = max(8, len(words) * self.max_tokens // (2 * self.count_tokens(sentence)))
            for i in range(0, len(words), step):
                yield " ".join(words[i : i + step])

    def _table_pieces(self, block: Block, start: int) -> Iterator[_Piece]:
        header = block.header
        header_tokens = self.count_tokens(header) if header else 0
        rows: list[str] = []
        used = header_tokens
        for row in block.rows:
            n = self.count_tokens(row)
            if rows and used + n > self.max_tokens:
                yield _Piece("\n".join((header, *rows)) if header else "\n".join(rows), start, used)
                rows, used = [], header_tokens
            rows.append(row)
            used += n
        if rows or header:
            yield _Piece("\n".join((header, *rows)) if header else "\n".join(rows), start, used)
