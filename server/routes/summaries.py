"""Summaries of a user's finished sessions (`engine.memory`)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from core import Summary
from server.deps import Acting, EngineDep, RowId

router = APIRouter(prefix="/api/summaries", tags=["summaries"])


class Pin(BaseModel):
    """Whether a summary is pinned (offered to every answer)."""

    pinned: bool = True


@router.get("")
def summaries(session: Acting, engine: EngineDep) -> list[Summary]:
    """The caller's session summaries, newest first."""
    return engine.memory.summaries(session)


@router.get("/welcome")
def welcome(session: Acting, engine: EngineDep) -> Summary | None:
    """The summary to show at login (the latest unseen one), if any."""
    return engine.memory.welcome_summary(session)


@router.post("/{summary_id}/pin")
def pin(summary_id: RowId, body: Pin, session: Acting, engine: EngineDep) -> Summary:
    """Pin or unpin one of the caller's summaries."""
    return engine.memory.pin_summary(session, summary_id, body.pinned)


@router.delete("/{summary_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete(summary_id: RowId, session: Acting, engine: EngineDep) -> None:
    """Delete one of the caller's summaries."""
    engine.memory.delete_summary(session, summary_id)
