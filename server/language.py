"""The caller's language from `Accept-Language`: Russian or English (the default)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

SUPPORTED = ("en", "ru")


def pick(header: str) -> str:
    """The supported language the header prefers most ('en' when none)."""
    best, best_q = "en", 0.0
    for order, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower().split("-")[0]
        score = q - order * 1e-6  # earlier wins a tie
        if lang in SUPPORTED and score > best_q:
            best, best_q = lang, score
    return best


def language(connection: HTTPConnection) -> str:
    """The language to answer `connection` in."""
    return pick(connection.headers.get("accept-language", ""))
