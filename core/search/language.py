"""Tell Russian from English text by its letters."""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """'ru' when Cyrillic letters outnumber Latin ones, else 'en'."""
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    return "ru" if cyrillic > latin else "en"


def passage_language(text: str) -> str:
    """'ru' when at least a fifth of the letters are Cyrillic, else 'en'.

    Russian technical text quotes commands, paths and package names in Latin letters
    (a chunk about `apt-get` can have more Latin than Cyrillic), while English text has
    no Cyrillic at all: the share tells a passage's language better than the majority.
    """
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    return "ru" if cyrillic and cyrillic * 4 >= cyrillic + latin else "en"
