"""The audit log: one row per security-relevant event, each hash-chained to the last.

A row's hash covers its own fields and the previous row's hash, so editing, deleting or
reordering any row breaks every hash after it. Cutting rows off the end is detectable
only against a head hash noted elsewhere (`AuditCheck.head`).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from core.identity import AuditCheck, AuditEntry, User
from core.store.database import Connection, Database

GENESIS = "0" * 64


def _digest(
    prev: str,
    row_id: int,
    at: float,
    actor_id: int | None,
    actor: str,
    action: str,
    target: str,
    detail: str,
) -> str:
    body = json.dumps(
        [row_id, repr(at), actor_id, actor, action, target, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


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

    `detail` holds names and counts, never document text or secrets.
    """
    row = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev = (row[0], row[1]) if row else (0, GENESIS)
    row_id, at = prev_id + 1, time.time()
    actor_id = actor.id if actor else None
    name = actor.username if actor else (actor_name or "system")
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(prev, row_id, at, actor_id, name, action, target, detail_json)
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


def verify(db: Database) -> AuditCheck:
    """Walk the whole chain; report the first entry whose hash or link does not hold."""
    prev, count, expected_id = GENESIS, 0, 1
    cursor = db.read().execute(
        "SELECT id, at, actor_id, actor, action, target, detail, prev_hash, hash "
        "FROM audit_log ORDER BY id"
    )
    for row_id, at, actor_id, actor, action, target, detail, prev_hash, digest in cursor:
        good = (
            row_id == expected_id
            and prev_hash == prev
            and digest == _digest(prev, row_id, at, actor_id, actor, action, target, detail)
        )
        if not good:
            return AuditCheck(False, count, row_id, prev)
        prev, count, expected_id = digest, count + 1, row_id + 1
    return AuditCheck(True, count, None, prev)
