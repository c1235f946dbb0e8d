"""Placeholders in question templates: `{name}` fields, `{{` and `}}` for literal braces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import InvalidInput

MAX_NAME = 40
"""Longest placeholder name, in characters."""
MAX_FIELDS = 20
"""Most distinct placeholders in one template."""


@dataclass(frozen=True, slots=True)
class Field:
    """One `{name}` in a template: its normalised name and where it stands in the text."""

    name: str
    start: int
    end: int


def _parts(text: str) -> list[str | Field]:
    """The template as literal strings and fields, checked; braces doubled stand for one.

    Raises:
        InvalidInput: a `{` never closed, a `}` never opened, an empty or nested field,
            or a name over MAX_NAME characters; the message names the position (from 1).
    """
    parts: list[str | Field] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "{}" and text[i + 1 : i + 2] == char:
            literal.append(char)
            i += 2
            continue
        if char == "}":
            raise InvalidInput("template_brace_stray", position=i + 1)
        if char != "{":
            literal.append(char)
            i += 1
            continue
        close = text.find("}", i + 1)
        opened = text.find("{", i + 1)
        if close < 0 or 0 <= opened < close:
            raise InvalidInput("template_brace_unclosed", position=i + 1)
        name = " ".join(text[i + 1 : close].split())
        if not name:
            raise InvalidInput("template_field_empty", position=i + 1)
        if len(name) > MAX_NAME:
            raise InvalidInput("template_field_long", position=i + 1, limit=MAX_NAME)
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(Field(name, i, close + 1))
        i = close + 1
    if literal:
        parts.append("".join(literal))
    return parts


def fields(text: str) -> tuple[str, ...]:
    """The distinct placeholder names in order of first appearance ("{document A}" twice: once).

    Names are compared after collapsing runs of spaces, so `{ document  A }` is `document A`.

    Raises:
        InvalidInput: the template is malformed, or has over MAX_FIELDS distinct names.
    """
    names: list[str] = []
    for part in _parts(text):
        if isinstance(part, Field) and part.name not in names:
            names.append(part.name)
    if len(names) > MAX_FIELDS:
        raise InvalidInput("template_too_many_fields", limit=MAX_FIELDS)
    return tuple(names)


def fill(text: str, values: Mapping[str, str]) -> str:
    """The question: every `{name}` replaced by its value, `{{`/`}}` by single braces.

    Values are inserted as they are (a value holding braces is not parsed again).

    Raises:
        InvalidInput: the template is malformed or a placeholder has no value (named).
    """
    wanted = {" ".join(k.split()): v for k, v in values.items()}
    out: list[str] = []
    for part in _parts(text):
        if isinstance(part, str):
            out.append(part)
        elif part.name in wanted:
            out.append(wanted[part.name])
        else:
            raise InvalidInput("template_value_missing", name=part.name)
    return "".join(out)


def check(text: str) -> None:
    """Raise InvalidInput if `text` is not a well-formed template (see `fields`)."""
    fields(text)
