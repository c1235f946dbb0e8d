"""Server-sent events from a job: numbered, resumable, with keep-alive comments."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

from core import KnownError
from server.errors import error_body, known_error_body
from server.jobs import Event, Job
from server.text import t

PING_S = 15.0
"""A comment line this often keeps proxies from closing a quiet stream."""
POLL_S = 1.0
"""How often a quiet stream checks whether its client is still there."""


def last_event_id(request: Request) -> int:
    """Where a reconnecting client left off (`Last-Event-ID`, or `?after=`), 0 if new."""
    raw = request.headers.get("last-event-id") or request.query_params.get("after") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        return 0


def event_data(event: Event, lang: str) -> dict[str, Any]:
    """An event's JSON data; an `error` event's exception as the one error shape in `lang`."""
    if event.name != "error":
        return event.data
    exc = event.data.get("exception")
    if isinstance(exc, KnownError):
        return known_error_body(exc, lang)
    return error_body("internal_error", t("http_internal", lang))


def frame(event: Event, lang: str) -> str:
    """One event as the text/event-stream wire format."""
    payload = json.dumps(event_data(event, lang), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.name}\ndata: {payload}\n\n"


async def follow(request: Request, job: Job, after: int) -> AsyncIterator[Event | None]:
    """The job's events after `after` as they come, and None after `PING_S` of quiet.

    Ends when the job has ended and everything was read, or when the client is gone
    (then the job is left to its grace period).
    """
    loop = asyncio.get_running_loop()
    woken = asyncio.Event()
    job.attach(loop, woken)
    try:
        quiet_since = time.monotonic()
        while True:
            woken.clear()
            for event in job.since(after):
                after = event.id
                quiet_since = time.monotonic()
                yield event
            if job.finished.is_set() and not job.since(after):
                return
            try:
                await asyncio.wait_for(woken.wait(), POLL_S)
            except TimeoutError:
                if await request.is_disconnected():
                    return
                if time.monotonic() - quiet_since > PING_S:
                    quiet_since = time.monotonic()
                    yield None
    finally:
        job.detach(loop, woken)


async def _frames(request: Request, job: Job, after: int, lang: str) -> AsyncIterator[str]:
    yield f"retry: 1000\n: job {job.id}\n\n"
    async for event in follow(request, job, after):
        yield ": ping\n\n" if event is None else frame(event, lang)


def event_stream(request: Request, job: Job, after: int, lang: str) -> StreamingResponse:
    """The job's events after `after`, then each new one until the job ends."""
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no", "X-Job-Id": job.id}
    return StreamingResponse(
        _frames(request, job, after, lang), media_type="text/event-stream", headers=headers
    )
