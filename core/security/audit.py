"""The audit log: one row per security-relevant event, each MAC-chained to the last.

A row's hash is an HMAC-SHA256, over its own fields and the previous row's hash, keyed
by a random audit secret. So editing, deleting or reordering any row breaks every hash
after it, and rows cannot be re-chained without that secret. Cutting rows off the end
is detectable only against a head hash noted elsewhere (`AuditCheck.head`).

The secret lives in the database only sealed (AES-GCM) under a key derived from the
database key, which is kept outside the database: a decrypted copy or export of the
database does not let anyone forge the chain. A key rotation seals the secret under the
new key before re-keying, so the chain stays verifiable. Chains from before keying
(plain SHA-256) are re-chained under the secret the first time the database is opened.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from core.crypto import Tampered, derive, open_sealed, seal
from core.identity import AuditCheck, AuditEntry, User
from core.store.database import Connection, Database

GENESIS = "0" * 64
SECRET_SETTING = "audit_secret"
_MAC_FUNCTION = "konspekt_audit_mac"
_AAD = b"konspekt audit secret"


def _body(
    row_id: int,
    at: float,
    actor_id: int | None,
    actor: str,
    action: str,
    target: str,
    detail: str,
) -> str:
    return json.dumps(
        [row_id, repr(at), actor_id, actor, action, target, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _mac(secret: bytes, prev: str, body: str) -> str:
    return hmac.new(secret, (prev + body).encode("utf-8"), hashlib.sha256).hexdigest()


def _legacy_digest(prev: str, body: str) -> str:
    """The unkeyed hash of chains written before the audit secret existed."""
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


# The audit secret -----------------------------------------------------------------------
def _key_id(db_key: bytes) -> str:
    return derive(db_key, "konspekt audit key id", 8).hex()


def _seal(db_key: bytes, secret: bytes) -> str:
    return seal(derive(db_key, "konspekt audit wrap"), secret, _AAD).hex()


def _sealed(con: Connection) -> dict[str, str] | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", (SECRET_SETTING,)).fetchone()
    return None if row is None else dict(json.loads(row[0]))


def _store(con: Connection, sealed: dict[str, str]) -> None:
    con.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
        (SECRET_SETTING, json.dumps(sealed)),
    )


def _unseal(sealed: dict[str, str], db_key: bytes) -> bytes | None:
    found = sealed.get(_key_id(db_key))
    if found is None:
        return None
    try:
        return open_sealed(derive(db_key, "konspekt audit wrap"), bytes.fromhex(found), _AAD)
    except (Tampered, ValueError):
        return None


def bind(db: Database, db_key: bytes) -> None:
    """Unseal the audit secret with the database key and let `record` use it on `db`.

    On first use the secret is created and an unkeyed chain re-chained under it (up to
    its first broken row, so a break stays visible). A secret that does not unseal (the
    setting was tampered with) is replaced: older rows then fail verification.
    """
    with db.write() as con:
        sealed = _sealed(con)
        secret = _unseal(sealed, db_key) if sealed is not None else None
        if secret is None:
            secret = secrets.token_bytes(32)
            if sealed is None:
                _rechain_legacy(con, secret)
        _store(con, {_key_id(db_key): _seal(db_key, secret)})  # drops abandoned keys' seals
        con.create_function(_MAC_FUNCTION, 1, lambda text: _mac(secret, "", text))


def add_key(db: Database, db_key: bytes, new_key: bytes) -> None:
    """Seal the audit secret under `new_key` too (before the database is re-keyed to it)."""
    with db.write() as con:
        sealed = _sealed(con) or {}
        secret = _unseal(sealed, db_key)
        if secret is None:
            raise RuntimeError("the audit secret is not bound to the current key")
        sealed[_key_id(new_key)] = _seal(new_key, secret)
        _store(con, sealed)


def _rechain_legacy(con: Connection, secret: bytes) -> None:
    """Replace plain SHA-256 hashes by MACs, up to the first row that does not verify."""
    rows = con.execute(
        "SELECT id, at, actor_id, actor, action, target, detail, prev_hash, hash "
        "FROM audit_log ORDER BY id"
    ).fetchall()
    old_prev, new_prev, expected_id = GENESIS, GENESIS, 1
    for row_id, at, actor_id, actor, action, target, detail, prev_hash, digest in rows:
        body = _body(row_id, at, actor_id, actor, action, target, detail)
        if (
            row_id != expected_id
            or prev_hash != old_prev
            or digest != _legacy_digest(old_prev, body)
        ):
            return
        new_hash = _mac(secret, new_prev, body)
        con.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
            (new_prev, new_hash, row_id),
        )
        old_prev, new_prev, expected_id = digest, new_hash, row_id + 1


# Writing and reading --------------------------------------------------------------------
def record(
    con: Connection,
    actor: User | None,
    action: str,
    target: str = "",
    *,
    actor_name: str = "",
    **detail: Any,
) -> None:
    """Append an entry inside the caller's write transaction (so it commits with the change).

    `detail` holds names and counts, never document text or secrets. The database must
    have been bound (`bind`) to its key.
    """
    row = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev = (row[0], row[1]) if row else (0, GENESIS)
    row_id, at = prev_id + 1, time.time()
    actor_id = actor.id if actor else None
    name = actor.username if actor else (actor_name or "system")
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    body = _body(row_id, at, actor_id, name, action, target, detail_json)
    digest = con.execute(f"SELECT {_MAC_FUNCTION}(?)", (prev + body,)).fetchone()[0]
    con.execute(
        "INSERT INTO audit_log (id, at, actor_id, actor, action, target, detail, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row_id, at, actor_id, name, action, target, detail_json, prev, digest),
    )


def entries(db: Database, limit: int, action: str | None = None) -> list[AuditEntry]:
    """The newest entries first, optionally of one action."""
    where, params = ("WHERE action = ?", [action]) if action else ("", [])
    rows = db.query(
        f"SELECT id, at, actor, action, target, detail, hash FROM audit_log {where} "
        "ORDER BY id DESC LIMIT ?",
        [*params, limit],
    )
    return [
        AuditEntry(r[0], r[1], r[2], r[3], r[4], tuple(sorted(json.loads(r[5]).items())), r[6])
        for r in rows
    ]


def verify(db: Database, db_key: bytes) -> AuditCheck:
    """Walk the whole chain; report the first entry whose MAC or link does not hold."""
    con = db.read()
    sealed = _sealed(con)
    secret = _unseal(sealed, db_key) if sealed is not None else None
    prev, count, expected_id = GENESIS, 0, 1
    cursor = con.execute(
        "SELECT id, at, actor_id, actor, action, target, detail, prev_hash, hash "
        "FROM audit_log ORDER BY id"
    )
    for row_id, at, actor_id, actor, action, target, detail, prev_hash, digest in cursor:
        body = _body(row_id, at, actor_id, actor, action, target, detail)
        good = (
            secret is not None
            and row_id == expected_id
            and prev_hash == prev
            and hmac.compare_digest(digest, _mac(secret, prev, body))
        )
        if not good:
            return AuditCheck(False, count, row_id, prev)
        prev, count, expected_id = digest, count + 1, row_id + 1
    return AuditCheck(True, count, None, prev)
