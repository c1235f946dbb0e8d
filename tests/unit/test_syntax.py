"""Code colours for answers: Pygments spans for named languages, nothing for the rest."""

from __future__ import annotations

from desktop.syntax import spans

CODE = "def add(a, b):\n    return a + b  # sum\n"


def test_a_named_language_gets_keyword_and_comment_colours() -> None:
    found = spans(CODE, "Python", dark=False)
    coloured = {CODE[s.start : s.start + s.length]: s.colour for s in found}
    assert "def" in coloured
    assert "# sum" in coloured
    assert coloured["def"] != coloured["# sum"]
    assert all(s.start >= 0 and s.start + s.length <= len(CODE) for s in found)


def test_the_dark_style_differs_from_the_light_one() -> None:
    light = {s.colour for s in spans(CODE, "python", dark=False)}
    dark = {s.colour for s in spans(CODE, "python", dark=True)}
    assert light != dark


def test_an_unknown_or_missing_language_is_left_plain() -> None:
    assert spans(CODE, "no-such-language", dark=False) == []
    assert spans(CODE, "", dark=True) == []
