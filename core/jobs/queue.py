"""Jobs persisted in the encrypted database, so work queued before a crash runs at next start."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from core.store.database import Database
from core.store.sql import Connection

MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Job:
    """One queued piece of work."""

    id: int
    kind: str
    user_id: int | None
    payload: dict[str, Any]
    attempts: int


def enqueue(con: Connection, kind: str, user_id: int | None, payload: dict[str, Any]) -> int:
    """Queue a job inside the caller's transaction (it commits with what caused it)."""
    row = con.execute(
        "INSERT INTO jobs (kind, user_id, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        (kind, user_id, json.dumps(payload, ensure_ascii=False), time.time()),
    ).fetchone()
    return int(row[0])


class JobQueue:
    """Reads and bookkeeping of the jobs table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def pending(self, kind: str) -> list[Job]:
        """Jobs of `kind` not given up on, oldest first."""
        rows = self.db.query(
            "SELECT id, kind, user_id, payload, attempts FROM jobs WHERE kind = ? AND attempts < ? "
            "ORDER BY id",
            (kind, MAX_ATTEMPTS),
        )
        return [Job(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows]

    def failed(self, job: Job, error: str) -> None:
        """Count a failed attempt (the job is retried until MAX_ATTEMPTS)."""
        with self.db.write() as con:
            con.execute(
                "UPDATE jobs SET attempts = attempts + 1, error = ? WHERE id = ?",
                (error[:500], job.id),
            )

    def count(self, kind: str) -> int:
        """Jobs of `kind` still waiting."""
        rows = self.db.query(
            "SELECT count(*) FROM jobs WHERE kind = ? AND attempts < ?", (kind, MAX_ATTEMPTS)
        )
        return int(rows[0][0])


def finish(con: Connection, job: Job) -> None:
    """Remove a done job inside the transaction that stored its result."""
    con.execute("DELETE FROM jobs WHERE id = ?", (job.id,))
