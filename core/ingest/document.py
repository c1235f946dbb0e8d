"""What a parser produces: a document as an ordered list of structural blocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class BlockKind(StrEnum):
    """Structural role of a block."""

    HEADING = "heading"
    TEXT = "text"
    TABLE = "table"


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, a paragraph or a table, with where it sits."""

    kind: BlockKind
    text: str = ""
    level: int = 1
    """Heading depth, 1 = top level."""
    page: int | None = None
    page_label: str = ""
    header: str = ""
    """For tables: the header row, repeated in every chunk of the table."""
    rows: tuple[str, ...] = ()
    """For tables: the body rows, one line each."""


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """The blocks of one file and how many pages (slides, sheets) it has."""

    kind: str
    blocks: tuple[Block, ...]
    pages: int = 0


class ParseCancelled(Exception):
    """The parse was given up because `cancelled()` turned true: the file is not failed."""


class FileParser(Protocol):
    """Turns a file's bytes into blocks (in this process or a child one)."""

    def parse(
        self,
        name: str,
        data: bytes,
        display: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> ParsedDocument:
        """Blocks of the file called `name`; `display` names it in errors.

        A parse under way when `cancelled()` turns true raises ParseCancelled as soon as
        it can (an ingest being cancelled must not wait for a long file to finish).
        """
        ...

    def warm_up(self) -> None:
        """Load the readers now, so the first file does not wait for them."""
        ...
