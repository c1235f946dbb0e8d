"""API keys: long random secrets integrations send instead of a login, stored only hashed.

A key is `ksk_` and 43 random URL-safe characters (256 bits), so a plain SHA-256 is
the right hash: there is nothing to guess that a slow hash would protect. The database
keeps the hash, the first characters (to tell keys apart in a list), who owns the key,
and when it was last used (written at most once a minute per key).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from core.identity import ApiKey
from core.store.database import Database
from core.store.sql import Connection, Row

PREFIX = "ksk_"
SHOWN = 12
"""Characters of a key kept in the clear to tell keys apart (`ksk_` and 8 random)."""
USED_WRITE_S = 60.0
"""A key's last use is written at most this often."""

_COLUMNS = "k.id, k.name, k.prefix, k.user_id, u.username, k.created_at, k.last_used, k.revoked_at"


def key_hash(secret: str) -> str:
    """What the database stores for `secret`."""
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    """Whether a bearer token is an API key rather than a session token."""
    return token.startswith(PREFIX)


def _key(row: Row) -> ApiKey:
    key_id, name, prefix, user_id, username, created, used, revoked = row
    return ApiKey(key_id, name, prefix, user_id, username, created, used, revoked is not None)


class ApiKeys:
    """The stored keys of every user."""

    def __init__(self, db: Database, clock: Callable[[], float]) -> None:
        self._db = db
        self._clock = clock
        self._written: dict[int, float] = {}

    def create(self, con: Connection, user_id: int, name: str) -> tuple[int, str]:
        """A new key for `user_id` inside the caller's transaction: (id, the secret)."""
        secret = PREFIX + secrets.token_urlsafe(32)
        cursor = con.execute(
            "INSERT INTO api_keys (user_id, name, prefix, secret_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (user_id, name, secret[:SHOWN], key_hash(secret), self._clock()),
        )
        key_id = cursor.lastrowid
        assert key_id is not None
        return key_id, secret

    def get(self, key_id: int) -> ApiKey | None:
        """One key by id (revoked ones too), or None."""
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?",
            (key_id,),
        )
        return _key(rows[0]) if rows else None

    def of(self, user_id: int | None) -> list[ApiKey]:
        """The keys of one user (every user's when None), newest first."""
        where, params = ("WHERE k.user_id = ?", (user_id,)) if user_id is not None else ("", ())
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id "
            f"{where} ORDER BY k.id DESC",
            params,
        )
        return [_key(row) for row in rows]

    def owner(self, secret: str) -> tuple[int, int] | None:
        """(key id, user id) of a valid, unrevoked key; marks it used. None if unknown."""
        rows = self._db.query(
            "SELECT id, user_id FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL",
            (key_hash(secret),),
        )
        if not rows:
            return None
        key_id, user_id = int(rows[0][0]), int(rows[0][1])
        now = self._clock()
        if now - self._written.get(key_id, 0.0) >= USED_WRITE_S:
            self._written[key_id] = now
            with self._db.write() as con:
                con.execute("UPDATE api_keys SET last_used = ? WHERE id = ?", (now, key_id))
        return key_id, user_id

    def token(self, key_id: int) -> str:
        """The in-memory session token a key acts with (never the key itself)."""
        rows = self._db.query("SELECT secret_hash FROM api_keys WHERE id = ?", (key_id,))
        return "key:" + (str(rows[0][0]) if rows else "")

    def revoke(self, con: Connection, key_id: int) -> None:
        """Stop a key working (kept in the list as revoked)."""
        con.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (self._clock(), key_id),
        )
