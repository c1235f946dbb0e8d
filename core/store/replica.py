"""SQL of sync: a server's per-KB change log and exports, a desktop's servers and copies."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from core.store.database import Connection, Database


@dataclass(frozen=True, slots=True)
class Change:
    """The latest change of one document after a version."""

    version: int
    document_id: int
    change: str
    """'added', 'changed' or 'removed'."""


@dataclass(frozen=True, slots=True)
class ExportedChunk:
    """A chunk as the server stores it (its id is the server's)."""

    id: int
    ordinal: int
    text: str
    heading: str
    page: int | None
    page_label: str
    char_start: int
    char_end: int
    tokens: int


@dataclass(frozen=True, slots=True)
class ExportedDocument:
    """An indexed document with its chunks, as a copy needs it."""

    id: int
    version: int
    source: str
    name: str
    kind: str
    content_hash: str
    size: int
    pages: int
    embedder: str
    blob_id: str
    chunks: tuple[ExportedChunk, ...]

    def wire(self) -> dict[str, Any]:
        """What a copy (sync) and a bundle both carry of it, as JSON-ready values.

        Each chunk travels as ChunkDraft's fields in order; this installation's ids stay.
        """
        return {
            "source": self.source,
            "name": self.name,
            "kind": self.kind,
            "content_hash": self.content_hash,
            "size": self.size,
            "pages": self.pages,
            "chunks": [astuple(c)[1:] for c in self.chunks],
        }


@dataclass(frozen=True, slots=True)
class RemoteRow:
    """A team server a local user joined."""

    id: int
    owner_id: int
    url: str
    fingerprint: str
    account: str
    key_id: int
    stored_key: str
    added_at: float
    synced_at: float | None


@dataclass(frozen=True, slots=True)
class MirrorRow:
    """A local knowledge base standing for one of a server's."""

    kb_id: int
    remote_id: int
    origin_id: int
    origin_name: str
    log_id: str
    keep_copy: bool
    version: int
    synced_at: float | None


class Replica:
    """Reads and writes of the sync tables; writes take the database's writer lock."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # A server's side -------------------------------------------------------------
    def log_id(self, kb_id: int) -> str:
        """What names this knowledge base's log: a KB deleted and made anew has another."""
        rows = self.db.query("SELECT created_at FROM knowledge_bases WHERE id = ?", (kb_id,))
        return f"{kb_id}:{rows[0][0]!r}" if rows else ""

    def version(self, kb_id: int) -> int:
        """The knowledge base's latest version (0 before its first document)."""
        rows = self.db.query("SELECT max(version) FROM kb_changes WHERE kb_id = ?", (kb_id,))
        return int(rows[0][0] or 0)

    def changes_since(self, kb_id: int, since: int, limit: int) -> list[Change]:
        """Each document's latest change after `since`, oldest first, at most `limit`."""
        rows = self.db.query(
            "SELECT max(version), document_id, change FROM kb_changes "
            "WHERE kb_id = ? AND version > ? GROUP BY document_id ORDER BY 1 LIMIT ?",
            (kb_id, since, limit),
        )
        return [Change(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def compact_log(self) -> int:
        """Drop log entries a later one of the same document supersedes; how many.

        Listings only ever return each document's latest change, so no copy, however
        far behind, can tell the difference; the log stays one row per document.
        """
        with self.db.write() as con:
            cursor = con.execute(
                "DELETE FROM kb_changes WHERE version < (SELECT max(version) FROM kb_changes l "
                "WHERE l.kb_id = kb_changes.kb_id AND l.document_id = kb_changes.document_id)"
            )
            return int(cursor.rowcount)

    def export(self, kb_id: int, doc_ids: list[int]) -> list[ExportedDocument]:
        """The indexed documents among `doc_ids` that are in the KB, with their chunks.

        The version is the document's latest in the log, so a copy knows what it holds.
        """
        out: list[ExportedDocument] = []
        for doc_id in doc_ids:
            rows = self.db.query(
                "SELECT d.id, (SELECT max(version) FROM kb_changes c "
                "WHERE c.kb_id = d.kb_id AND c.document_id = d.id), d.source, d.name, d.kind, "
                "d.content_hash, d.size, d.pages, d.embedder, d.blob_id FROM documents d "
                "WHERE d.id = ? AND d.kb_id = ? AND d.status = 'indexed'",
                (doc_id, kb_id),
            )
            if not rows:
                continue
            chunks = self.db.query(
                "SELECT id, ordinal, text, heading, page, page_label, char_start, char_end, "
                "tokens FROM chunks WHERE document_id = ? ORDER BY ordinal",
                (doc_id,),
            )
            r = rows[0]
            out.append(
                ExportedDocument(
                    int(r[0]),
                    int(r[1] or 0),
                    str(r[2]),
                    str(r[3]),
                    str(r[4]),
                    str(r[5]),
                    int(r[6]),
                    int(r[7]),
                    str(r[8]),
                    str(r[9]),
                    tuple(ExportedChunk(*c) for c in chunks),
                )
            )
        return out

    # A desktop's side ------------------------------------------------------------
    def remotes(self, owner_id: int | None = None) -> list[RemoteRow]:
        """The servers one user joined (every user's with None)."""
        where, params = ("WHERE owner_id = ?", (owner_id,)) if owner_id is not None else ("", ())
        rows = self.db.query(f"SELECT {_REMOTE} FROM remotes {where} ORDER BY id", params)
        return [RemoteRow(*r) for r in rows]

    def remote(self, remote_id: int) -> RemoteRow | None:
        """One joined server by id."""
        rows = self.db.query(f"SELECT {_REMOTE} FROM remotes WHERE id = ?", (remote_id,))
        return RemoteRow(*rows[0]) if rows else None

    def add_remote(
        self, con: Connection, owner_id: int, url: str, fingerprint: str, account: str, now: float
    ) -> int:
        """Record a joined server (or re-join it with a new login); its id."""
        row = con.execute(
            "INSERT INTO remotes (owner_id, url, fingerprint, account, added_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (owner_id, url) DO UPDATE SET "
            "fingerprint = excluded.fingerprint, account = excluded.account RETURNING id",
            (owner_id, url, fingerprint, account, now),
        ).fetchone()
        return int(row[0])

    def set_key(self, remote_id: int, key_id: int, stored: str) -> None:
        """Remember which API key of the server this desktop holds.

        The key itself is `stored` only where no keychain holds it ('' otherwise).
        """
        with self.db.write() as con:
            con.execute(
                "UPDATE remotes SET key_id = ?, stored_key = ? WHERE id = ?",
                (key_id, stored, remote_id),
            )

    def set_remote_synced(self, remote_id: int, at: float) -> None:
        """When the server was last reached for a sync."""
        with self.db.write() as con:
            con.execute("UPDATE remotes SET synced_at = ? WHERE id = ?", (at, remote_id))

    def mirrors(self, remote_id: int | None = None) -> list[MirrorRow]:
        """The server's knowledge bases as local rows (every server's with None)."""
        where, params = ("WHERE remote_id = ?", (remote_id,)) if remote_id is not None else ("", ())
        rows = self.db.query(f"SELECT {_MIRROR} FROM kb_mirrors {where} ORDER BY kb_id", params)
        return [_mirror(r) for r in rows]

    def mirror(self, kb_id: int) -> MirrorRow | None:
        """The mirror row of a local knowledge base, or None for a local one."""
        rows = self.db.query(f"SELECT {_MIRROR} FROM kb_mirrors WHERE kb_id = ?", (kb_id,))
        return _mirror(rows[0]) if rows else None

    def add_mirror(
        self, con: Connection, kb_id: int, remote_id: int, origin_id: int, origin_name: str
    ) -> None:
        """Tie a new local knowledge base to the server's."""
        con.execute(
            "INSERT INTO kb_mirrors (kb_id, remote_id, origin_id, origin_name) VALUES (?, ?, ?, ?)",
            (kb_id, remote_id, origin_id, origin_name),
        )

    def update_mirror(self, kb_id: int, **values: Any) -> None:
        """Change some of a mirror's columns (`keep_copy`, `version`, `synced_at`, …)."""
        allowed = {"origin_name", "log_id", "keep_copy", "version", "synced_at"}
        if not values or not values.keys() <= allowed:
            raise ValueError(f"unknown mirror columns: {sorted(values.keys() - allowed)}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self.db.write() as con:
            con.execute(
                f"UPDATE kb_mirrors SET {assignments} WHERE kb_id = ?", [*values.values(), kb_id]
            )

    def chat_link(self, chat_id: int) -> tuple[int, int] | None:
        """(server, its chat) that continues a local chat's conversation there."""
        rows = self.db.query(
            "SELECT remote_id, remote_chat FROM chat_links WHERE chat_id = ?", (chat_id,)
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    def chat_has_messages(self, chat_id: int) -> bool:
        """Whether a local chat holds a turn (a fresh or cleared one starts anew)."""
        return bool(self.db.query("SELECT 1 FROM messages WHERE chat_id = ? LIMIT 1", (chat_id,)))

    def link_chat(self, chat_id: int, remote_id: int, remote_chat: int) -> None:
        """Continue a local chat in the server's chat `remote_chat` from now on."""
        with self.db.write() as con:
            con.execute(
                "INSERT OR REPLACE INTO chat_links (chat_id, remote_id, remote_chat) "
                "VALUES (?, ?, ?)",
                (chat_id, remote_id, remote_chat),
            )

    def copies(self, kb_id: int) -> dict[int, tuple[int, int]]:
        """Server document id -> (local document id, version held) in a copy."""
        rows = self.db.query(
            "SELECT origin_id, id, origin_version FROM documents WHERE kb_id = ? AND origin_id > 0",
            (kb_id,),
        )
        return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


_REMOTE = "id, owner_id, url, fingerprint, account, key_id, stored_key, added_at, synced_at"
_MIRROR = "kb_id, remote_id, origin_id, origin_name, log_id, keep_copy, version, synced_at"


def _mirror(r: Any) -> MirrorRow:
    return MirrorRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7])
