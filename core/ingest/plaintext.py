"""Plain text: encoding detection and paragraph splitting (shared with the PDF path)."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from core.errors import FileRejected
from core.ingest import detect
from core.ingest.document import Block, BlockKind, ParsedDocument

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n+")
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
# Table-of-contents lines ("3.2 Licences . . . . . 17") are noise for retrieval.
_DOT_LEADER_LINE = re.compile(r"^.*(?:\.\s?){6,}\s*\d*\s*$", re.MULTILINE)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of `text` (split at blank lines), each with its whitespace collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DOT_LEADER_LINE.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


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
    blocks = tuple(Block(BlockKind.TEXT, p) for p in paragraphs(text))
    if not blocks:
        raise FileRejected("file_empty", name=display)
    return ParsedDocument(detect.TEXT, blocks)
