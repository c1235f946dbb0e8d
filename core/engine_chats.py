"""The chat part of the Engine facade: a user's conversations, private to them."""

from __future__ import annotations

from core.engine_sharing import SharingOperations
from core.identity import Session
from core.memory.chats import Chats
from core.types import Chat, ChatMessage


class ChatOperations(SharingOperations):
    """Mixed into Engine. Chats are reachable only through their owner's session."""

    _chats: Chats

    def create_chat(self, session: Session, title: str = "") -> Chat:
        """A new chat (titled by its first question when `title` is empty)."""
        return self._chats.create(self._actor(session).id, title)

    def chats(self, session: Session, search: str = "") -> list[Chat]:
        """The user's chats, most recent first, optionally matching `search`."""
        return self._chats.all(self._actor(session).id, search)

    def rename_chat(self, session: Session, chat_id: int, title: str) -> Chat:
        """Rename one of the user's chats."""
        return self._chats.rename(self._actor(session).id, chat_id, title)

    def delete_chat(self, session: Session, chat_id: int) -> None:
        """Delete one of the user's chats with its messages."""
        self._chats.delete(self._actor(session).id, chat_id)

    def chat_messages(self, session: Session, chat_id: int) -> list[ChatMessage]:
        """Questions and answers (with their sources) of one of the user's chats."""
        return self._chats.messages(self._actor(session).id, chat_id)
