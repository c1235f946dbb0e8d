"""Colour spans for code in answers, from Pygments (reached at run time through `rich`).

Pygments is imported on the first code block, not at start-up; where it is missing the
code is shown plain. Only named languages are lexed: guessing costs more than it gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

LIGHT_STYLE = "default"
DARK_STYLE = "monokai"


@dataclass(frozen=True, slots=True)
class Span:
    """`length` characters from `start` drawn in `colour` ('#rrggbb')."""

    start: int
    length: int
    colour: str
    bold: bool = False
    italic: bool = False


def spans(code: str, language: str, dark: bool) -> list[Span]:
    """The coloured runs of `code` in `language`; [] for an unknown language or no Pygments."""
    lexer = _lexer(language.strip().lower())
    if lexer is None:
        return []
    styles = _styles(DARK_STYLE if dark else LIGHT_STYLE)
    found: list[Span] = []
    for start, token, text in lexer.get_tokens_unprocessed(code):
        style = _style_of(styles, token)
        if style is not None and text:
            colour, bold, italic = style
            found.append(Span(start, len(text), colour, bold, italic))
    return found


@cache
def _lexer(language: str) -> Any:
    if not language:
        return None
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # pragma: no cover - rich brings Pygments; a trimmed build may not
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@cache
def _styles(name: str) -> dict[Any, tuple[str, bool, bool] | None]:
    from pygments.styles import get_style_by_name

    style = get_style_by_name(name)
    table: dict[Any, tuple[str, bool, bool] | None] = {}
    for token, value in style:
        table[token] = (
            (f"#{value['color']}", value["bold"], value["italic"]) if value["color"] else None
        )
    return table


def _style_of(
    styles: dict[Any, tuple[str, bool, bool] | None], token: Any
) -> tuple[str, bool, bool] | None:
    while token is not None:
        if token in styles:
            return styles[token]
        token = token.parent
    return None
