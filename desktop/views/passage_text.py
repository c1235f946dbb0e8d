"""How a retrieved passage's text is laid out on screen (its stored text is unchanged)."""

from __future__ import annotations

import html
import re

_WEB = (".html", ".htm")


def flows(document: str) -> bool:
    """In web pages a single line break is where two inline elements met: it reads as a space."""
    return document.lower().endswith(_WEB)


def passage_html(text: str, document: str) -> str:
    """Paragraphs (blank lines part them) as HTML; single breaks kept except in web pages."""
    joiner = " " if flows(document) else "<br>"
    blocks = [b for b in text.split("\n\n") if b.strip()]
    return "".join(
        "<p>" + joiner.join(html.escape(line) for line in b.split("\n")) + "</p>" for b in blocks
    )


def passage_plain(text: str, document: str) -> str:
    """Plain text with web-page fragments joined into running sentences."""
    if not flows(document):
        return text
    return "\n\n".join(" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip())
