"""Search, and answers streamed over SSE as resumable, stoppable jobs (`engine.answers`).

`POST /api/answers` starts a generation and streams its events: `chat` (a new chat it
made), `queued` (the caller's place while waiting for the model), `token`…, `sources`,
`done` (stats), or `error`. Each event has an id; after a dropped connection,
`GET /api/answers/{id}/events` with `Last-Event-ID` resumes without loss while the
answer goes on for the grace period. `POST /api/answers/{id}/stop` stops generation
inside llama.cpp and returns once the model is free for the next caller.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response, status
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from core import (
    NEW_CHAT,
    ChatStarted,
    Done,
    Engine,
    Hit,
    Queued,
    Session,
    Sources,
    Token,
)
from server.deps import ROW_ID_MAX, Acting, EngineDep, JobsDep
from server.jobs import Produce
from server.language import language
from server.sse import event_stream, last_event_id

router = APIRouter(prefix="/api", tags=["answers"])
KIND = "answer"
STOP_WAIT_S = 10.0
Id = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]  # beyond SQLite's integers: 422, not 500


class SearchRequest(BaseModel):
    """A query and where to look."""

    query: str = Field(min_length=1, max_length=4000)
    kb: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=10, ge=1, le=100)


class Question(BaseModel):
    """A question, where to look, and which chat keeps it (`"new"` makes one)."""

    question: str = Field(min_length=1, max_length=8000)
    kb: str | None = Field(default=None, max_length=200)
    chat: Id | Literal["new"] | None = None
    exclude: list[Id] = Field(default_factory=list, max_length=100)


@router.post("/search")
def search(body: SearchRequest, session: Acting, engine: EngineDep) -> list[Hit]:
    """Ranked passages from the knowledge bases the caller may read."""
    return engine.answers.search(session, body.query, body.kb, body.limit)


def event_of(event: object) -> tuple[str, dict[str, Any]]:
    """An answer event as an SSE event name and its JSON data."""
    match event:
        case Token(text):
            return "token", {"text": text}
        case Queued(position):
            return "queued", {"position": position}
        case Sources():
            return "sources", jsonable_encoder(event)
        case Done(stats):
            return "done", jsonable_encoder(stats)
        case ChatStarted(chat):
            return "chat", jsonable_encoder(chat)
    raise TypeError(f"unknown answer event {type(event).__name__}")


def answering(engine: Engine, session: Session, body: Question) -> Produce:
    """The job body: the core's answer, event by event."""
    chat = NEW_CHAT if body.chat == "new" else body.chat

    def produce(cancel: threading.Event) -> Iterator[tuple[str, dict[str, Any]]]:
        for event in engine.answers.ask(
            session, body.question, body.kb, cancel, chat, frozenset(body.exclude)
        ):
            yield event_of(event)

    return produce


@router.post("/answers", response_class=StreamingResponse)
async def ask(
    body: Question, request: Request, session: Acting, engine: EngineDep, jobs: JobsDep
) -> Response:
    """Answer from the documents, streamed as server-sent events (see the module)."""
    grace = request.app.state.grace_s
    produce = answering(engine, session, body)
    job = await run_in_threadpool(jobs.start_checked, session.user.id, KIND, produce, grace)
    return event_stream(request, job, 0, language(request))


@router.get("/answers/{answer_id}/events", response_class=StreamingResponse)
def resume(answer_id: str, request: Request, session: Acting, jobs: JobsDep) -> Response:
    """The answer's events after `Last-Event-ID` (or `?after=`), then the rest live."""
    job = jobs.owned(answer_id, session.user.id, KIND)
    return event_stream(request, job, last_event_id(request), language(request))


@router.post("/answers/{answer_id}/stop", status_code=status.HTTP_204_NO_CONTENT)
def stop(answer_id: str, session: Acting, jobs: JobsDep) -> Response:
    """Stop generating (inside llama.cpp); returns when the model is free again."""
    job = jobs.owned(answer_id, session.user.id, KIND)
    job.cancel.set()
    job.join(STOP_WAIT_S)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
