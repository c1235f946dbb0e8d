"""SQL for watched folders: which knowledge base follows which folder, and how it went."""

from __future__ import annotations

import json
import time

from core.errors import InvalidInput, NotFound
from core.store.database import Database, IntegrityError
from core.store.sql import Row
from core.types import IngestReport, WatchedFolder, WatchState

_SELECT = (
    "SELECT w.id, w.kb_id, k.name, w.path, u.username, w.state, w.scanned_at, w.indexed, "
    "w.removed, w.failed, w.error FROM watches w JOIN knowledge_bases k ON k.id = w.kb_id "
    "JOIN users u ON u.id = w.user_id"
)


def _folder(row: Row) -> WatchedFolder:
    error = json.loads(str(row[10])) if row[10] else {}
    return WatchedFolder(
        int(row[0]),
        int(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        WatchState(str(row[5])),
        float(row[6]),
        int(row[7]),
        int(row[8]),
        int(row[9]),
        str(error.get("key", "")),
        tuple(error.get("params", {}).items()),
    )


class Watches:
    """The watches table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, kb_id: int, user_id: int, path: str) -> int:
        """Follow `path` into `kb_id` on behalf of `user_id`; InvalidInput if it already is."""
        try:
            with self.db.write() as con:
                (watch_id,) = con.execute(
                    "INSERT INTO watches (kb_id, user_id, path, created_at) VALUES (?, ?, ?, ?) "
                    "RETURNING id",
                    (kb_id, user_id, path, time.time()),
                ).fetchone()
        except IntegrityError:
            raise InvalidInput("watch_exists", path=path) from None
        return int(watch_id)

    def get(self, watch_id: int) -> WatchedFolder:
        """One watched folder, or NotFound."""
        rows = self.db.query(_SELECT + " WHERE w.id = ?", (watch_id,))
        if not rows:
            raise NotFound("watch_missing", id=watch_id)
        return _folder(rows[0])

    def owner_of(self, watch_id: int) -> int:
        """The account the folder is scanned for."""
        rows = self.db.query("SELECT user_id FROM watches WHERE id = ?", (watch_id,))
        if not rows:
            raise NotFound("watch_missing", id=watch_id)
        return int(rows[0][0])

    def all(self, kb_ids: list[int] | None = None) -> list[WatchedFolder]:
        """Watched folders (of `kb_ids` when given), by knowledge base and path."""
        if kb_ids is None:
            rows = self.db.query(_SELECT + " ORDER BY k.name, w.path")
        else:
            marks = ",".join("?" * len(kb_ids)) or "NULL"
            rows = self.db.query(
                _SELECT + f" WHERE w.kb_id IN ({marks}) ORDER BY k.name, w.path", kb_ids
            )
        return [_folder(r) for r in rows]

    def remove(self, watch_id: int) -> None:
        """Stop following a folder (its documents stay in the knowledge base)."""
        with self.db.write() as con:
            con.execute("DELETE FROM watches WHERE id = ?", (watch_id,))

    def scanning(self, watch_id: int) -> None:
        """Mark a scan as started."""
        with self.db.write() as con:
            con.execute("UPDATE watches SET state = 'scanning' WHERE id = ?", (watch_id,))

    def scanned(self, watch_id: int, report: IngestReport) -> None:
        """Record a finished scan."""
        with self.db.write() as con:
            con.execute(
                "UPDATE watches SET state = ?, scanned_at = ?, indexed = ?, removed = ?, "
                "failed = ?, error = '' WHERE id = ?",
                (
                    WatchState.OK.value,
                    time.time(),
                    report.indexed,
                    report.removed,
                    report.failed,
                    watch_id,
                ),
            )

    def broken(self, watch_id: int, key: str, params: dict[str, object]) -> None:
        """Record a scan that could not run, and why (a message key and its values)."""
        error = json.dumps({"key": key, "params": {k: str(v) for k, v in params.items()}})
        with self.db.write() as con:
            con.execute(
                "UPDATE watches SET state = ?, scanned_at = ?, error = ? WHERE id = ?",
                (WatchState.ERROR.value, time.time(), error, watch_id),
            )
