"""Liveness for containers and load balancers, and the caller's view of the installation."""

from __future__ import annotations

from importlib.metadata import version

from fastapi import APIRouter
from pydantic import BaseModel

from core import EngineStatus
from server.deps import Acting, EngineDep

router = APIRouter(tags=["status"])
VERSION = version("konspekt")


class Health(BaseModel):
    """The server answers and its database is open."""

    status: str
    version: str


@router.get("/health")
def health(engine: EngineDep) -> Health:
    """200 while the server can serve (no login needed; reveals nothing)."""
    engine.identity.needs_setup()  # touches the database: fails if it is gone
    return Health(status="ok", version=VERSION)


@router.get("/api/status")
def engine_status(session: Acting, engine: EngineDep) -> EngineStatus:
    """Models in use and the knowledge bases the caller can see."""
    return engine.system.status(session)
