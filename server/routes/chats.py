"""A user's chats and their history with sources (`engine.chats`)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from core import Chat, ChatMessage
from server.deps import Acting, EngineDep, RowId

router = APIRouter(prefix="/api/chats", tags=["chats"])


class ChatTitle(BaseModel):
    """A chat's title."""

    title: str = Field(default="", max_length=300)


@router.get("")
def chats(session: Acting, engine: EngineDep, search: str = "") -> list[Chat]:
    """The caller's chats, newest first; `search` filters by title and text."""
    return engine.chats.all(session, search[:300])


@router.post("", status_code=status.HTTP_201_CREATED)
def create(body: ChatTitle, session: Acting, engine: EngineDep) -> Chat:
    """A new, empty chat."""
    return engine.chats.create(session, body.title)


@router.patch("/{chat_id}")
def rename(chat_id: RowId, body: ChatTitle, session: Acting, engine: EngineDep) -> Chat:
    """Rename one of the caller's chats."""
    return engine.chats.rename(session, chat_id, body.title)


@router.delete("/{chat_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete(chat_id: RowId, session: Acting, engine: EngineDep) -> None:
    """Delete one of the caller's chats."""
    engine.chats.delete(session, chat_id)


@router.get("/{chat_id}/messages")
def messages(chat_id: RowId, session: Acting, engine: EngineDep) -> list[ChatMessage]:
    """The questions and answers of a chat, answers with their sources."""
    return engine.chats.messages(session, chat_id)


@router.post("/{chat_id}/clear", status_code=status.HTTP_204_NO_CONTENT)
def clear(chat_id: RowId, session: Acting, engine: EngineDep) -> None:
    """Empty a chat (its summary is written in the background)."""
    engine.chats.clear(session, chat_id)
