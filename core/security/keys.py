"""The database key: from KONSPEKT_DB_KEY, or a generated 0600 key file in the data dir."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from core.errors import KeyMissing, KnownError

KEY_BYTES = 32
ENV_VAR = "KONSPEKT_DB_KEY"


def parse_hex_key(text: str) -> bytes:
    """Decode a 64-hex-character key or raise a KnownError."""
    text = text.strip()
    if len(text) != KEY_BYTES * 2:
        raise KnownError("key_malformed")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise KnownError("key_malformed") from None


def resolve_key(db_path: Path, key_file: Path) -> bytes:
    """Return the raw database key.

    Order: the KONSPEKT_DB_KEY environment variable; the key file (must be private);
    on first run (no database yet) a new random key written to the key file.
    An existing database without a key is never re-created: that raises KeyMissing.
    """
    env_value = os.environ.get(ENV_VAR)
    if env_value:
        return parse_hex_key(env_value)
    if key_file.exists():
        mode = stat.S_IMODE(key_file.stat().st_mode)
        if os.name == "posix" and mode & 0o077:
            raise KnownError("key_file_open", key_file=str(key_file))
        return parse_hex_key(key_file.read_text(encoding="ascii"))
    if db_path.exists():
        raise KeyMissing("key_missing", path=str(db_path), key_file=str(key_file))
    key = secrets.token_bytes(KEY_BYTES)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
    return key
