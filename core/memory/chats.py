"""Chats and messages in the encrypted database; a chat belongs to exactly one user.

Every statement names the owner in its WHERE clause, so another user's chat is simply
not found — there is no code path, admin or not, that reads someone else's chat.
"""

from __future__ import annotations

import json
import time
from typing import Any

from core.errors import NotFound
from core.store.database import Database
from core.store.sql import Connection
from core.types import Chat, ChatMessage, Location, Source

TITLE_CHARS = 80


def _source_json(s: Source) -> dict[str, Any]:
    return {
        "n": s.number,
        "document": s.document,
        "source": s.source,
        "page": s.location.page,
        "label": s.location.label,
        "heading": s.location.heading,
        "snippet": s.snippet,
        "chunk": s.chunk_id,
        "cited": s.cited,
        "support": s.support,
        "doc": s.document_id,
        "remote_kb": s.remote_kb,
    }


def _source(d: dict[str, Any]) -> Source:
    return Source(
        d["n"],
        d["document"],
        d["source"],
        Location(d["page"], d["label"], d["heading"]),
        d["snippet"],
        d["chunk"],
        d["cited"],
        d["support"],
        d.get("doc", 0),
        d.get("remote_kb", 0),
    )


def title_from(question: str) -> str:
    """A chat title from its first question."""
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


class Chats:
    """SQL for one user's chats; `user_id` is always part of the query."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, user_id: int, title: str = "") -> Chat:
        """A new, empty chat."""
        now = time.time()
        with self.db.write() as con:
            (chat_id,) = con.execute(
                "INSERT INTO chats (user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "RETURNING id",
                (user_id, title.strip()[:TITLE_CHARS], now, now),
            ).fetchone()
        return self.get(user_id, chat_id)

    def get(self, user_id: int, chat_id: int) -> Chat:
        """One of the user's chats, or NotFound (also for other people's chats)."""
        rows = self.db.query(
            _SELECT + " WHERE c.id = ? AND c.user_id = ? GROUP BY c.id", (chat_id, user_id)
        )
        if not rows:
            raise NotFound("chat_missing", id=chat_id)
        return Chat(*rows[0])

    def all(self, user_id: int, search: str = "") -> list[Chat]:
        """The user's chats, most recent first; `search` matches titles and messages."""
        where = " WHERE c.user_id = ?"
        params: list[object] = [user_id]
        if search.strip():
            where += (
                " AND (c.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages x "
                "WHERE x.chat_id = c.id AND x.text LIKE ? ESCAPE '\\'))"
            )
            pattern = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%") + "%"
            params += [pattern, pattern]
        rows = self.db.query(_SELECT + where + " GROUP BY c.id ORDER BY c.updated_at DESC", params)
        return [Chat(*r) for r in rows]

    def rename(self, user_id: int, chat_id: int, title: str) -> Chat:
        """Give a chat a new title."""
        self.get(user_id, chat_id)
        with self.db.write() as con:
            con.execute(
                "UPDATE chats SET title = ? WHERE id = ? AND user_id = ?",
                (title.strip()[:TITLE_CHARS], chat_id, user_id),
            )
        return self.get(user_id, chat_id)

    def delete(self, user_id: int, chat_id: int) -> None:
        """Delete a chat and its messages."""
        self.get(user_id, chat_id)
        with self.db.write() as con:
            con.execute("DELETE FROM chats WHERE id = ? AND user_id = ?", (chat_id, user_id))

    def messages(self, user_id: int, chat_id: int) -> list[ChatMessage]:
        """The chat's messages in order, answers with their sources."""
        self.get(user_id, chat_id)
        rows = self.db.query(
            "SELECT m.id, m.role, m.text, m.created_at, m.sources, coalesce(f.rating, 0) "
            "FROM messages m JOIN chats c ON c.id = m.chat_id "
            "LEFT JOIN feedback f ON f.message_id = m.id AND f.user_id = c.user_id "
            "WHERE m.chat_id = ? AND c.user_id = ? ORDER BY m.id",
            (chat_id, user_id),
        )
        return [
            ChatMessage(
                r[0], r[1], r[2], r[3], tuple(_source(d) for d in json.loads(r[4])), int(r[5])
            )
            for r in rows
        ]

    def turns_since(self, user_id: int, since: float) -> list[tuple[str, str]]:
        """(role, text) of every message the user's chats got since `since`, in order."""
        rows = self.db.query(
            "SELECT m.role, m.text FROM messages m JOIN chats c ON c.id = m.chat_id "
            "WHERE c.user_id = ? AND m.created_at >= ? ORDER BY m.created_at, m.id",
            (user_id, since),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def history(self, user_id: int, chat_id: int) -> tuple[str, list[tuple[int, str, str]]]:
        """The chat's rolling digest and the (id, role, text) of the messages after it."""
        rows = self.db.query(
            "SELECT digest, digest_upto FROM chats WHERE id = ? AND user_id = ?",
            (chat_id, user_id),
        )
        if not rows:
            raise NotFound("chat_missing", id=chat_id)
        digest, upto = str(rows[0][0]), int(rows[0][1])
        messages = self.db.query(
            "SELECT id, role, text FROM messages WHERE chat_id = ? AND id > ? ORDER BY id",
            (chat_id, upto),
        )
        return digest, [(int(r[0]), str(r[1]), str(r[2])) for r in messages]

    def set_digest(
        self, con: Connection, user_id: int, chat_id: int, digest: str, upto: int
    ) -> bool:
        """Store a chat's digest covering its messages up to id `upto` (False: chat gone).

        A digest is only moved forward: a clear in between resets `digest_upto` to 0 and
        deletes the messages, so a digest of them would not be stored.
        """
        cur = con.execute(
            "UPDATE chats SET digest = ?, digest_upto = ? WHERE id = ? AND user_id = ? "
            "AND digest_upto < ? AND EXISTS (SELECT 1 FROM messages WHERE chat_id = ? AND id = ?)",
            (digest, upto, chat_id, user_id, upto, chat_id, upto),
        )
        return bool(cur.rowcount)

    def clear(self, con: Connection, user_id: int, chat_id: int) -> list[tuple[str, str]]:
        """Delete a chat's messages inside the caller's transaction; return them as turns."""
        rows = con.execute(
            "SELECT m.role, m.text FROM messages m JOIN chats c ON c.id = m.chat_id "
            "WHERE m.chat_id = ? AND c.user_id = ? ORDER BY m.id",
            (chat_id, user_id),
        ).fetchall()
        con.execute(
            "DELETE FROM messages WHERE chat_id IN "
            "(SELECT id FROM chats WHERE id = ? AND user_id = ?)",
            (chat_id, user_id),
        )
        con.execute(
            "UPDATE chats SET digest = '', digest_upto = 0 WHERE id = ? AND user_id = ?",
            (chat_id, user_id),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def add(
        self, user_id: int, chat_id: int, role: str, text: str, sources: tuple[Source, ...] = ()
    ) -> int:
        """Append a message and return its id (the first question also titles the chat)."""
        now = time.time()
        with self.db.write() as con:
            owned = con.execute(
                "SELECT title FROM chats WHERE id = ? AND user_id = ?", (chat_id, user_id)
            ).fetchone()
            if owned is None:
                raise NotFound("chat_missing", id=chat_id)
            (message_id,) = con.execute(
                "INSERT INTO messages (chat_id, role, text, sources, created_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (chat_id, role, text, json.dumps([_source_json(s) for s in sources]), now),
            ).fetchone()
            title = owned[0] or (title_from(text) if role == "user" else "")
            con.execute(
                "UPDATE chats SET updated_at = ?, title = ? WHERE id = ?", (now, title, chat_id)
            )
        return int(message_id)


_SELECT = (
    "SELECT c.id, c.title, c.created_at, c.updated_at, count(m.id) FROM chats c "
    "LEFT JOIN messages m ON m.chat_id = c.id"
)
