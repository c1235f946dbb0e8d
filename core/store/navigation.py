"""Tell navigation from content: tables of contents, index pages, link lists, legal notices.

Such chunks name every topic of a document, so a question about any topic finds them,
and they answer none: on a 127-page manual two of six sources for one question were its
table of contents. The store marks them when a chunk is written (as it derives keyword
terms), and retrieval keeps them out of answers unless nothing else matches.

The tests are deliberately conservative (several lines, most of them alike): a false
"navigation" only moves a passage behind the others, a missed one costs what it costs today.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^\s*[-•*]?\s*(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s+|(?=[^\W\d_]))\S")
"""'1 Overview', '1.2. What is…', '3.1.7 Why…', '11.11Some' (PDF text loses the space)."""
_MULTILEVEL = re.compile(r"^\s*[-•*]?\s*\d{1,3}\.\d{1,3}")
_PAGE_AT_END = re.compile(r"(?:\.\s?){3,}\S*\s*\d{1,4}\s*$|\s(?:\d{1,4}|[ivxlc]{1,6})\s*$")
"""Dot leaders, or a page number (arabic or roman) closing the line."""
_CONTENTS_TITLE = re.compile(
    r"^\s*(table of contents|contents|оглавление|содержание)\s*$", re.IGNORECASE
)
_INDEX_ENTRY = re.compile(r"[^\W\d_][\w\-./]*,\s?\d{1,4}\b")
"""'apt-file, 39', 'пакеты, 37': a term and its page, as in a back-of-book index."""
_LEGAL = re.compile(
    r"all rights reserved|permission is granted to|copyright\s*(?:©|\(c\))|"
    r"trademarks? (?:is|are) (?:the )?property of|все права защищены|"
    r"разрешается (?:копировать|распространять)|товарные знаки",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;]\s*$")
_PAGER = re.compile(
    r"^(?:\s*(?:next|prev(?:ious)?|up|home|back|top|далее|вперёд|назад|вверх|наверх|"
    r"следующая|предыдущая|[«»←→↑])\s*[|›»]?)+$",
    re.IGNORECASE,
)
"""A web page's 'Prev | Up | Next' bar, alone in its chunk."""
_EMPTY_CELLS = re.compile(r"\|\s*\|")


def is_navigation(text: str) -> bool:
    """True for a table of contents, an index, links, a pager or a legal notice."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (
        _is_contents(lines)
        or _is_index(text)
        or _is_link_list(lines)
        or _is_legal_notice(text)
        or _is_pager(text)
    )


def _is_contents(lines: list[str]) -> bool:
    if len(lines) < 4:
        return False
    numbered = [line for line in lines if _SECTION.match(line)]
    if len(numbered) < 0.7 * len(lines):
        return False
    paged = sum(1 for line in numbered if _PAGE_AT_END.search(line))
    nested = sum(1 for line in numbered if _MULTILEVEL.match(line))
    titled = any(_CONTENTS_TITLE.match(line) for line in lines)
    # Numbered steps of a procedure ("1. Open…", "2. Click…") have neither page numbers
    # nor nested numbers; a table of contents has one or the other.
    return titled or paged >= 0.4 * len(numbered) or nested >= 0.5 * len(numbered)


def _is_index(text: str) -> bool:
    entries = len(_INDEX_ENTRY.findall(text))
    return entries >= 8 and entries >= 0.2 * len(text.split())


def _is_link_list(lines: list[str]) -> bool:
    """Menus and link lists: many very short lines, none of them a sentence."""
    if len(lines) < 8 or any("|" in line or "\t" in line for line in lines):
        return False  # a table's rows are content
    short = [line for line in lines if len(line.split()) <= 4 and not _SENTENCE_END.search(line)]
    return len(short) >= 0.85 * len(lines)


def _is_legal_notice(text: str) -> bool:
    return len({m.group(0).lower() for m in _LEGAL.finditer(text)}) >= 2 or (
        len(_LEGAL.findall(text)) >= 3
    )


def _is_pager(text: str) -> bool:
    """A navigation bar: pager words alone, or a few words in a row of empty layout cells."""
    return bool(_PAGER.match(text)) or (len(text.split()) <= 12 and bool(_EMPTY_CELLS.search(text)))
