"""Whether parsed text is something people wrote: refuse repeats, encoded dumps and noise.

Embedding is the slow part of ingest, so text nobody can ask about (a log line repeated a
million times, a base64 or hex dump, binary bytes that happened to decode) is refused with
its reason before it costs hours. Tables are not judged (a column of figures is data), nor
is prose shorter than `MIN_CHARS` (too little to tell).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.errors import FileRejected
from core.ingest.document import Block, BlockKind

MIN_CHARS = 200
"""Non-space characters below which nothing is judged."""
ENCODED_SHARE = 0.5
"""Above this share of characters in base64/hex tokens, the text is an encoded dump."""
WORD_SHARE = 0.2
"""Below this share of characters in word-like tokens, the text has no words in it."""

_TOKEN = re.compile(r"\S+")
_BASE64 = re.compile(r"[A-Za-z0-9+/=_-]{24,}")
_HEX = re.compile(r"(?:0x)?[0-9A-Fa-f]{16,}|(?:[0-9A-Fa-f]{2}[ :-]){7,}[0-9A-Fa-f]{2}")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_VOWELS = frozenset("aeiouyаеёиоуыэюяAEIOUYАЕЁИОУЫЭЮЯ")
_ALPHABETS = re.compile(r"[A-Za-zА-Яа-яЁё]+")


def unreadable_reason(blocks: Iterable[Block]) -> str:
    """'repeated', 'encoded' or 'no_words' when the prose is not text; '' when it is."""
    text = "\n".join(b.text for b in blocks if b.kind is not BlockKind.TABLE)
    solid = "".join(text.split())
    if len(solid) < MIN_CHARS:
        return ""
    if len(set(solid)) <= 3:
        return "repeated"
    tokens = _TOKEN.findall(text)
    encoded = sum(len(t) for t in tokens if _BASE64.fullmatch(t) and _mixed(t))
    encoded += sum(len(m) for m in _HEX.findall(text) if any(c.isalpha() for c in m))
    if encoded / len(solid) > ENCODED_SHARE:
        return "encoded"
    words = sum(len(w) for w in _LETTERS.findall(text) if _word_like(w))
    return "no_words" if words / len(solid) < WORD_SHARE else ""


def _mixed(token: str) -> bool:
    """Letters and digits together, as base64 has and words do not."""
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


def _word_like(run: str) -> bool:
    """A letter run people could have written.

    Latin and Cyrillic need a vowel and a sane case (lower, Title or UPPER, at most 30
    letters); other scripts count as they are.
    """
    if not _ALPHABETS.fullmatch(run):
        return not any(c.isascii() for c in run) and not _latin1_noise(run)
    if len(run) > 30 or not any(c in _VOWELS for c in run):
        return False
    return run.islower() or run.isupper() or (run[0].isupper() and run[1:].islower())


def _latin1_noise(run: str) -> bool:
    """Accented Latin letters from bytes decoded as Latin-1 (ÿØÿà…), not a language."""
    return all("\u00c0" <= c <= "\u00ff" for c in run)


CHARS_PER_TOKEN = 4
"""About how many characters an embedder token covers in English or Russian prose."""
CHARS_PER_TOKEN_MAX = 12
"""More characters per token than any real text has: above budget × this, a file is over
the token budget for sure and is refused without spending a minute tokenizing it."""


def too_many_tokens(source: str, tokens: int, limit: int) -> FileRejected:
    """The error for a file whose text is over the per-file token budget."""
    return FileRejected(
        "file_too_many_tokens", name=source, tokens=_grouped(tokens), limit=_grouped(limit)
    )


def _grouped(number: int) -> str:
    """1 234 567: thousands apart by a narrow space, read alike in English and Russian."""
    return f"{number:,}".replace(",", "\u202f")
