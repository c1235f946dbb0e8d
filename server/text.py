"""The server's own messages (failures of HTTP itself), from the `server` gettext catalogue.

The texts live in resources/locale/<lang>/LC_MESSAGES/server.po (docs/translations.md).
"""

from __future__ import annotations

from core import N_, translate

__all__ = ["N_", "t"]

DOMAIN = "server"


def t(key: str, lang: str, **params: object) -> str:
    """The message `key` in `lang` (English when missing), with `params` filled in."""
    return translate(DOMAIN, key, lang, params)
