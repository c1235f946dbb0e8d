"""Feedback on one's own answers: 👍/👎 and a comment, stored with the chat."""

from __future__ import annotations

from core.identity import Session
from core.memory.feedback import Feedback, FeedbackStore
from core.services.context import Context


class FeedbackService:
    """Rating one's own answers; nobody else (admins included) reads a verdict or comment."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._store = FeedbackStore(ctx.db)

    def rate(self, session: Session, message_id: int, rating: int, comment: str = "") -> Feedback:
        """Mark one of the user's answers right (1) or wrong (-1), with an optional comment.

        Rating again replaces the verdict and the comment. Raises `NotFound` for a message
        that is not an answer in one of the user's chats, `InvalidInput` for a rating
        other than ±1 or a comment over `COMMENT_CHARS`.
        """
        return self._store.set(self._ctx.actor(session).id, message_id, rating, comment)

    def get(self, session: Session, message_id: int) -> Feedback | None:
        """The user's feedback on one of their answers (None when not rated)."""
        return self._store.get(self._ctx.actor(session).id, message_id)

    def remove(self, session: Session, message_id: int) -> None:
        """Take back the user's feedback on one of their answers."""
        self._store.remove(self._ctx.actor(session).id, message_id)
