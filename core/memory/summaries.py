"""SQL for session summaries; every statement names the owner, like chats."""

from __future__ import annotations

import time

from core.errors import NotFound
from core.store.database import Database
from core.store.sql import Connection, Row
from core.types import Summary

_COLUMNS = "id, created_at, reason, language, text, pinned"


def _summary(row: Row) -> Summary:
    return Summary(
        int(row[0]),
        float(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        bool(row[5]),
    )


class Summaries:
    """A user's summary history (encrypted with the rest of the database)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, user_id: int) -> list[Summary]:
        """Newest first; pinned ones are marked."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM summaries WHERE user_id = ? ORDER BY created_at DESC, id DESC",
            (user_id,),
        )
        return [_summary(r) for r in rows]

    def get(self, user_id: int, summary_id: int) -> Summary:
        """One of the user's summaries, or NotFound (also for other people's)."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM summaries WHERE id = ? AND user_id = ?", (summary_id, user_id)
        )
        if not rows:
            raise NotFound("summary_missing", id=summary_id)
        return _summary(rows[0])

    def delete(self, user_id: int, summary_id: int) -> None:
        """Forget a summary."""
        self.get(user_id, summary_id)
        with self.db.write() as con:
            con.execute("DELETE FROM summaries WHERE id = ? AND user_id = ?", (summary_id, user_id))

    def pin(self, user_id: int, summary_id: int, pinned: bool) -> Summary:
        """Pin (keep offering) or unpin a summary."""
        self.get(user_id, summary_id)
        with self.db.write() as con:
            con.execute(
                "UPDATE summaries SET pinned = ? WHERE id = ? AND user_id = ?",
                (int(pinned), summary_id, user_id),
            )
        return self.get(user_id, summary_id)

    def for_context(self, user_id: int, recent: int, within_days: float) -> list[Summary]:
        """Pinned summaries (newest first), then up to `recent` others from the last days."""
        since = time.time() - within_days * 86400
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM summaries WHERE user_id = ? AND "
            "(pinned = 1 OR created_at >= ?) ORDER BY pinned DESC, created_at DESC, id DESC",
            (user_id, since),
        )
        found = [_summary(r) for r in rows]
        pinned = [s for s in found if s.pinned]
        return pinned + [s for s in found if not s.pinned][:recent]

    def take_unshown(self, user_id: int) -> Summary | None:
        """The newest summary not yet shown at a login, marked as shown now."""
        with self.db.write() as con:
            row = con.execute(
                f"SELECT {_COLUMNS} FROM summaries WHERE user_id = ? AND shown = 0 "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                (user_id,),
            ).fetchone()
            if row is None:
                return None
            con.execute("UPDATE summaries SET shown = 1 WHERE user_id = ?", (user_id,))
        return _summary(row)


def insert_summary(con: Connection, user_id: int, reason: str, language: str, text: str) -> None:
    """Store a summary inside the caller's transaction (the job that wrote it ends there too)."""
    con.execute(
        "INSERT INTO summaries (user_id, created_at, reason, language, text) "
        "VALUES (?, ?, ?, ?, ?)",
        (user_id, time.time(), reason, language, text),
    )
