"""A team server's streamed answer, as the same events a local answer yields.

The server's sources name its own documents and chunks; they stay so, marked with the
local knowledge base (`Source.remote_kb`) that opens them through the server, or from the
copy when the server is out of reach. Stopping posts `stop` to the server from a watcher
thread, so a question still waiting in the server's line stops at once too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator
from typing import Any

from core.errors import KnownError, ServerRefused
from core.store.replica import MirrorRow
from core.sync.client import ServerClient
from core.types import (
    AnswerEvent,
    AnswerStats,
    Done,
    Location,
    Queued,
    Source,
    Sources,
    Token,
)

_STATS = {f.name for f in dataclasses.fields(AnswerStats)}


def remote_answer(
    client: ServerClient,
    mirror: MirrorRow,
    question: str,
    cancel: threading.Event | None,
    exclude: frozenset[int],
    chat: int | str | None = None,
    on_chat: Callable[[int], None] | None = None,
) -> Iterator[AnswerEvent]:
    """Ask `mirror`'s knowledge base on its server; yield Queued…, Token…, Sources, Done.

    With `chat` (the server's chat id, or "new"), the server answers within that
    conversation and keeps the turn; a chat it makes is passed to `on_chat`.
    """
    body: dict[str, Any] = {
        "question": question,
        "kb": mirror.origin_name,
        "exclude": sorted(exclude),
    }
    if chat is not None:
        body["chat"] = chat
    finished = threading.Event()
    with client.events("/api/answers", body) as (job_id, frames):
        watcher = threading.Thread(
            target=_stop_on_cancel, args=(client, job_id, cancel, finished), daemon=True
        )
        watcher.start()
        try:
            for name, data in frames:
                if name == "chat" and on_chat is not None:
                    on_chat(int(data["id"]))
                event = _event(name, data, mirror.kb_id, client.url)
                if event is not None:
                    yield event
        finally:
            finished.set()
            watcher.join()  # it may be posting stop: let it finish before the client closes


def _stop_on_cancel(
    client: ServerClient, job_id: str, cancel: threading.Event | None, finished: threading.Event
) -> None:
    """Wait for the user's Stop (or the answer's end); on Stop, stop the server's job."""
    if cancel is None or not job_id:
        return
    while not finished.is_set():
        if cancel.wait(0.1):
            # It may have ended meanwhile, or the server gone away: nothing to stop then.
            with contextlib.suppress(KnownError):
                client.post(f"/api/answers/{job_id}/stop", None)
            return


def _event(name: str, data: Any, kb_id: int, url: str) -> AnswerEvent | None:
    match name:
        case "token":
            return Token(str(data["text"]))
        case "queued":
            return Queued(int(data["position"]))
        case "sources":
            return Sources(tuple(_source(s, kb_id) for s in data["items"]))
        case "done":
            return Done(AnswerStats(**{k: v for k, v in data.items() if k in _STATS}))
        case "error":
            error = data.get("error", data)
            raise ServerRefused(
                "server_refused",
                url=url,
                detail=str(error.get("message", "")),
                code=error.get("key"),
            )
    return None  # 'chat' and anything newer than this version


def location_of(loc: dict[str, Any]) -> Location:
    """A `Location` as the server's JSON carries it."""
    return Location(loc.get("page"), str(loc.get("label", "")), str(loc.get("heading", "")))


def _source(s: dict[str, Any], kb_id: int) -> Source:
    loc = s.get("location") or {}
    return Source(
        int(s["number"]),
        str(s["document"]),
        str(s["source"]),
        location_of(loc),
        str(s["snippet"]),
        int(s["chunk_id"]),
        bool(s.get("cited", False)),
        float(s.get("support", 1.0)),
        int(s.get("document_id", 0)),
        remote_kb=kb_id,
    )
