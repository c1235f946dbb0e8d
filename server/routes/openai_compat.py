"""An OpenAI-compatible API: knowledge bases as models, answers with RAG over them.

`GET /v1/models` lists `konspekt` (every knowledge base the caller may read) and
`konspekt/<name>` for each; `POST /v1/chat/completions` answers the last user message
from that knowledge base, streamed or not, with the sources in an extra `sources` field
(in the last chunk when streaming). Existing tools and the official `openai` client work
against it with an API key as their `api_key`.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from core import Engine, NotFound, Session
from server.deps import Acting, EngineDep, JobsDep
from server.errors import http_error
from server.jobs import Job
from server.language import language
from server.routes.answers import KIND, Question, answering
from server.sse import event_data, follow

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])
PREFIX = "konspekt"


class Message(BaseModel):
    """One message of the conversation."""

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None


class CompletionRequest(BaseModel):
    """The subset of OpenAI's chat completion request Konspekt uses (the rest is ignored)."""

    model: str = Field(max_length=300)
    messages: list[Message] = Field(min_length=1, max_length=500)
    stream: bool = False
    model_config = {"extra": "allow"}


def _kb_of(engine: Engine, session: Session, model: str) -> str | None:
    """The knowledge base a model id names (None: every readable one); NotFound if none."""
    if model == PREFIX:
        return None
    name = model.removeprefix(PREFIX + "/")
    for kb in engine.kbs.visible(session):
        if kb.name.lower() == name.lower() and model.startswith(PREFIX + "/"):
            return kb.name
    raise NotFound("kb_missing", name=name)


def _text(message: Message) -> str:
    if isinstance(message.content, list):
        return " ".join(str(p.get("text", "")) for p in message.content if p.get("type") == "text")
    return message.content or ""


@router.get("/models")
def models(session: Acting, engine: EngineDep) -> dict[str, Any]:
    """The knowledge bases the caller may ask, as models."""
    data = [{"id": PREFIX, "object": "model", "created": 0, "owned_by": "konspekt"}]
    data += [
        {"id": f"{PREFIX}/{kb.name}", "object": "model", "created": 0, "owned_by": kb.owner}
        for kb in engine.kbs.visible(session)
    ]
    return {"object": "list", "data": data}


def _chunk(job: Job, created: int, model: str, delta: dict[str, Any], **extra: Any) -> str:
    body = {
        "id": f"chatcmpl-{job.id}",
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": extra.pop("finish", None)}],
        **extra,
    }
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"


async def _stream(request: Request, job: Job, model: str, lang: str) -> AsyncIterator[str]:
    created = int(time.time())
    yield _chunk(job, created, model, {"role": "assistant", "content": ""})
    sources: list[Any] = []
    async for event in follow(request, job, 0):
        if event is None:
            yield ": ping\n\n"
        elif event.name == "token":
            yield _chunk(job, created, model, {"content": event.data["text"]})
        elif event.name == "sources":
            sources = event.data["items"]
        elif event.name == "error":
            yield f"data: {json.dumps(event_data(event, lang), ensure_ascii=False)}\n\n"
            return
        elif event.name == "done":
            usage = _usage(event.data)
            yield _chunk(job, created, model, {}, finish="stop", sources=sources, usage=usage)
    yield "data: [DONE]\n\n"


def _usage(stats: dict[str, Any]) -> dict[str, int]:
    prompt, completion = int(stats["prompt_tokens"]), int(stats["completion_tokens"])
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


@router.post("/chat/completions", response_model=None)
async def chat_completions(
    body: CompletionRequest, request: Request, session: Acting, engine: EngineDep, jobs: JobsDep
) -> Response:
    """Answer the last user message with RAG over the model's knowledge base."""
    questions = [_text(m) for m in body.messages if m.role == "user" and _text(m).strip()]
    if not questions:
        return http_error(request, 400, "http_no_question")
    kb = await run_in_threadpool(_kb_of, engine, session, body.model)
    question = Question(question=questions[-1][:8000], kb=kb)
    grace = 0.0 if body.stream else None  # a dropped stream stops; a plain call runs out
    produce = answering(engine, session, question)
    job = await run_in_threadpool(jobs.start_checked, session.user.id, KIND, produce, grace)
    lang = language(request)
    if body.stream:
        return StreamingResponse(
            _stream(request, job, body.model, lang), media_type="text/event-stream"
        )
    await run_in_threadpool(job.finished.wait)
    return JSONResponse(_completion(job, body.model))


def _completion(job: Job, model: str) -> dict[str, Any]:
    events = job.since(0)
    for event in events:
        if event.name == "error":
            raise event.data["exception"]
    text = "".join(e.data["text"] for e in events if e.name == "token")
    sources: list[Any] = next((e.data["items"] for e in events if e.name == "sources"), [])
    stats = next((e.data for e in events if e.name == "done"), None)
    usage = (
        _usage(stats) if stats else {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    )
    return {
        "id": f"chatcmpl-{job.id}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
        "usage": usage,
        "sources": sources,
    }
