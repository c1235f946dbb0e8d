"""The owner's 👍/👎 and comment on an answer, kept in the encrypted database with the chat.

Like `core.memory.chats`, every statement names the owner: feedback on someone else's
answer is simply not found. The comment is sensitive (it often quotes the question), so
it lives only in SQLCipher and is never logged; the usage figures copy the rating alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from core.errors import InvalidInput, NotFound
from core.store.database import Database

COMMENT_CHARS = 2000
"""Longer comments are refused (a comment is a note, not a document)."""


@dataclass(frozen=True, slots=True)
class Feedback:
    """A user's verdict on one of their answers."""

    message_id: int
    rating: int
    """1 (👍) or -1 (👎)."""
    comment: str
    updated_at: float


class FeedbackStore:
    """SQL for feedback on one user's answers; `user_id` is always part of the query."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def set(self, user_id: int, message_id: int, rating: int, comment: str) -> Feedback:
        """Rate an answer of the user's (again: the new verdict replaces the old)."""
        if rating not in (1, -1):
            raise InvalidInput("feedback_rating", rating=rating)
        comment = comment.strip()
        if len(comment) > COMMENT_CHARS:
            raise InvalidInput("feedback_comment_long", limit=COMMENT_CHARS)
        now = time.time()
        with self.db.write() as con:
            owned = con.execute(
                "SELECT 1 FROM messages m JOIN chats c ON c.id = m.chat_id "
                "WHERE m.id = ? AND c.user_id = ? AND m.role = 'assistant'",
                (message_id, user_id),
            ).fetchone()
            if owned is None:
                raise NotFound("answer_missing", id=message_id)
            con.execute(
                "INSERT INTO feedback (message_id, user_id, rating, comment, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET "
                "rating = excluded.rating, comment = excluded.comment, "
                "updated_at = excluded.updated_at",
                (message_id, user_id, rating, comment, now),
            )
            con.execute(
                "UPDATE answer_stats SET rating = ? WHERE message_id = ?", (rating, message_id)
            )
        return Feedback(message_id, rating, comment, now)

    def get(self, user_id: int, message_id: int) -> Feedback | None:
        """The user's feedback on one of their answers (None when not rated)."""
        rows = self.db.query(
            "SELECT message_id, rating, comment, updated_at FROM feedback "
            "WHERE message_id = ? AND user_id = ?",
            (message_id, user_id),
        )
        return (
            Feedback(int(rows[0][0]), int(rows[0][1]), str(rows[0][2]), rows[0][3])
            if rows
            else None
        )

    def remove(self, user_id: int, message_id: int) -> None:
        """Take back the user's feedback on an answer (nothing happens when there is none)."""
        with self.db.write() as con:
            cur = con.execute(
                "DELETE FROM feedback WHERE message_id = ? AND user_id = ?", (message_id, user_id)
            )
            if cur.rowcount:
                con.execute(
                    "UPDATE answer_stats SET rating = 0 WHERE message_id = ?", (message_id,)
                )
