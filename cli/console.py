"""The two rich consoles (answers to stdout, problems to stderr) and shared formatting."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from cli.text import t
from core import KnowledgeBase

# No emoji codes: a certificate fingerprint such as AB:CD:… would print ":cd:" as a disc.
console = Console(highlight=False, emoji=False)
errors = Console(stderr=True, highlight=False, emoji=False)


def kb_label(kb: KnowledgeBase, lang: str) -> str:
    """A knowledge base as a person names it: personal ones read 'my uploads'."""
    return t("my_uploads", lang) if kb.personal and kb.can_manage else kb.name


def when(timestamp: float | None) -> str:
    """A local date and time, or a dash."""
    if not timestamp:
        return "—"
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
