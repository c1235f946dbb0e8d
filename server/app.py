"""The team server's composition root: one Engine, wrapped in FastAPI routers and limits."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from core import Engine
from server import errors
from server.jobs import Jobs
from server.middleware import AccessLog, Limits
from server.routes import (
    admin,
    answers,
    auth,
    chats,
    documents,
    health,
    knowledge_bases,
    openai_compat,
    summaries,
    sync,
)

ROUTERS = (
    health,
    auth,
    knowledge_bases,
    documents,
    answers,
    chats,
    summaries,
    sync,
    admin,
    openai_compat,
)


def create_app(engine: Engine, *, jobs: Jobs | None = None) -> FastAPI:
    """The HTTP application over `engine` (which the caller opened and will close).

    The server's limits come from the engine's settings (`server_*`); `jobs` holds
    running answers and indexing (tests pass their own to sweep it by hand).
    """
    settings = engine.settings
    running = jobs or Jobs()
    # uvicorn's access log writes paths with their query strings, which may carry a
    # question or a file name; ours (server.middleware.AccessLog) writes route templates.
    logging.getLogger("uvicorn.access").disabled = True

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        running.close()

    app = FastAPI(
        title="Konspekt team server",
        version=health.VERSION,
        description="Ask your company's documents: knowledge bases, cited streaming "
        "answers, and an OpenAI-compatible API. Authenticate with "
        "`Authorization: Bearer <token from /api/login, or an API key>`.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.jobs = running
    app.state.grace_s = settings.server_grace_seconds
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.add_middleware(
        Limits,
        body_mb=settings.server_body_mb,
        upload_mb=settings.server_upload_mb,
        read_timeout_s=settings.server_read_timeout_s,
    )
    app.add_middleware(AccessLog)
    return app
