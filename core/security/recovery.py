"""Recovery codes: 160 random bits written as eight groups of four base32 letters.

The database key is derived from the code, so the code alone re-opens the database even
if the keychain, the passphrase and keystore.json are all lost.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from core.crypto import derive
from core.errors import KnownError

CODE_BYTES = 20


def new_code() -> str:
    """A fresh recovery code such as `ABCD-EFGH-…` (shown once, never stored)."""
    text = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def code_bytes(code: str) -> bytes:
    """The secret inside a recovery code typed by a person (case, spaces, dashes ignored)."""
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(text)
    except (binascii.Error, ValueError):
        raise KnownError("recovery_malformed") from None
    if len(raw) != CODE_BYTES:
        raise KnownError("recovery_malformed")
    return raw


def key_from_code(code: str) -> bytes:
    """The 32-byte database key a recovery code stands for."""
    return derive(code_bytes(code), "konspekt database key v1")
