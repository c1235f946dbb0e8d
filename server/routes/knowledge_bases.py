"""Knowledge bases: list, create, rename, share, visibility, delete (`engine.kbs`)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from core import Access, KnowledgeBase, NotFound, Visibility
from server.deps import Acting, EngineDep

router = APIRouter(prefix="/api/kbs", tags=["knowledge bases"])


class NewKnowledgeBase(BaseModel):
    """The name of a knowledge base to create."""

    name: str = Field(min_length=1, max_length=200)


class KnowledgeBaseChange(BaseModel):
    """A new name and/or visibility."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    visibility: Visibility | None = None


class Share(BaseModel):
    """A user or a group (exactly one) and what they may do."""

    user: str | None = Field(default=None, max_length=200)
    group: str | None = Field(default=None, max_length=200)
    access: Access = Access.READ


@router.get("")
def visible(session: Acting, engine: EngineDep) -> list[KnowledgeBase]:
    """The knowledge bases the caller can see, their own uploads first."""
    return engine.kbs.visible(session)


@router.post("", status_code=status.HTTP_201_CREATED)
def create(body: NewKnowledgeBase, session: Acting, engine: EngineDep) -> KnowledgeBase:
    """A new knowledge base owned by the caller (editors and admins)."""
    return engine.kbs.create(session, body.name)


@router.patch("/{kb}")
def change(kb: str, body: KnowledgeBaseChange, session: Acting, engine: EngineDep) -> KnowledgeBase:
    """Rename, and/or make public or private (owners; public needs an editor)."""
    result = None
    if body.name is not None and body.name != kb:
        result = engine.kbs.rename(session, kb, body.name)
        kb = result.name
    if body.visibility is not None:
        result = engine.kbs.set_visibility(session, kb, body.visibility)
    if result is None:  # nothing to change: the knowledge base as it is
        found = [k for k in engine.kbs.visible(session) if k.name.lower() == kb.lower()]
        if not found:
            raise NotFound("kb_missing", name=kb)
        result = found[0]
    return result


@router.delete("/{kb}", status_code=status.HTTP_204_NO_CONTENT)
def delete(kb: str, session: Acting, engine: EngineDep) -> None:
    """Delete a knowledge base with its documents, vectors and originals."""
    engine.kbs.delete(session, kb)


@router.post("/{kb}/shares")
def share(kb: str, body: Share, session: Acting, engine: EngineDep) -> KnowledgeBase:
    """Share with a user or a group."""
    return engine.kbs.share(session, kb, user=body.user, group=body.group, access=body.access)


@router.delete("/{kb}/shares")
def unshare(
    kb: str, session: Acting, engine: EngineDep, user: str | None = None, group: str | None = None
) -> KnowledgeBase:
    """Revoke a share (effective at the next query)."""
    return engine.kbs.unshare(session, kb, user=user, group=group)
