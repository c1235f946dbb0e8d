"""What routes receive: the engine, and the session of the caller (bearer token or API key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core import Engine, Session, SessionEnded
from server.jobs import Jobs

ROW_ID_MAX = 2**63 - 1
"""SQLite's largest integer: an id beyond it names nothing and must not reach a query."""

_bearer = HTTPBearer(auto_error=False, description="A login's token, or an API key (ksk_…)")


def engine_of(request: Request) -> Engine:
    """The one engine this server runs."""
    engine: Engine = request.app.state.engine
    return engine


def jobs_of(request: Request) -> Jobs:
    """The server's running answers and indexing jobs."""
    jobs: Jobs = request.app.state.jobs
    return jobs


def acting(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Session:
    """The caller's session; 401 without a valid token or key (the core checks the rest)."""
    if credentials is None:
        raise SessionEnded("session_ended")
    session = engine_of(request).identity.bearer(credentials.credentials)
    request.state.user_id = session.user.id  # for the access log
    return session


EngineDep = Annotated[Engine, Depends(engine_of)]
JobsDep = Annotated[Jobs, Depends(jobs_of)]
Acting = Annotated[Session, Depends(acting)]
RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]
"""A path id of a stored row: out of range is 422, not the database's OverflowError."""
