"""A user's conversations, reachable only through their owner's session."""

from __future__ import annotations

from core.identity import Session
from core.memory.chats import Chats
from core.services.context import Context
from core.services.memory import MemoryJobs
from core.types import Chat, ChatMessage


class ChatService:
    """Creating, listing, renaming, clearing and deleting one's own chats."""

    def __init__(self, ctx: Context, chats: Chats, memory: MemoryJobs) -> None:
        self._ctx = ctx
        self._chats = chats
        self._memory = memory

    def create(self, session: Session, title: str = "") -> Chat:
        """A new chat (titled by its first question when `title` is empty)."""
        return self._chats.create(self._ctx.actor(session).id, title)

    def all(self, session: Session, search: str = "") -> list[Chat]:
        """The user's chats, most recent first, optionally matching `search`."""
        return self._chats.all(self._ctx.actor(session).id, search)

    def rename(self, session: Session, chat_id: int, title: str) -> Chat:
        """Rename one of the user's chats."""
        return self._chats.rename(self._ctx.actor(session).id, chat_id, title)

    def delete(self, session: Session, chat_id: int) -> None:
        """Delete one of the user's chats with its messages."""
        self._chats.delete(self._ctx.actor(session).id, chat_id)

    def messages(self, session: Session, chat_id: int) -> list[ChatMessage]:
        """Questions and answers (with their sources) of one of the user's chats."""
        return self._chats.messages(self._ctx.actor(session).id, chat_id)

    def clear(self, session: Session, chat_id: int) -> None:
        """Empty one of the user's chats; a summary of it is written in the background."""
        user = self._ctx.actor(session)
        self._chats.get(user.id, chat_id)
        with self._ctx.db.write() as con:
            turns = self._chats.clear(con, user.id, chat_id)
            self._memory.queue_summary(con, user.id, "clear", turns)
        self._memory.soon()
