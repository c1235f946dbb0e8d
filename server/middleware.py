"""ASGI middleware: request body limits, slow-client timeouts, and the access log.

The access log names the method, the route's template (`/api/chats/{chat_id}`, never
the path or query a caller typed, which could carry a question), the status, the
duration and the user id: no document text, question or answer reaches a log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import http_error_response
from server.text import N_

access_log = logging.getLogger("konspekt.access")


class BodyTooLarge(Exception):
    """The request body passed the limit while it arrived."""

    def __init__(self, limit_mb: float) -> None:
        super().__init__(limit_mb)
        self.limit_mb = limit_mb


class BodyTooSlow(Exception):
    """The client stopped sending its body for longer than the timeout."""


class Limits:
    """Bounds on every request: body size (uploads get their own) and read timeout."""

    def __init__(
        self, app: ASGIApp, body_mb: float, upload_mb: float, read_timeout_s: float
    ) -> None:
        self.app = app
        self.body_bytes = int(body_mb * 2**20)
        self.upload_bytes = int(upload_mb * 2**20)
        self.read_timeout_s = read_timeout_s

    def _limit(self, scope: Scope) -> int:
        path: str = scope.get("path", "")
        upload = scope.get("method") == "PUT" and "/documents/" in path
        return self.upload_bytes if upload else self.body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the whole body within the limits first, then hand it to the app.

        FastAPI turns any failure while it reads a body into a 400, so the limits are
        enforced here, before it: an oversize or stalled body gets its own 413 or 408.
        Every body the server accepts is held in memory anyway (uploads never touch disk).
        """
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        problem: tuple[int, str] | None = None
        if declared.isdigit() and int(declared) > limit:
            problem = (413, N_("http_too_large"))
        else:
            try:
                body = await self._read(receive, limit)
            except BodyTooLarge:
                problem = (413, N_("http_too_large"))
            except BodyTooSlow:
                problem = (408, N_("http_timeout"))
        if problem is not None:
            status, key = problem
            response = http_error_response(scope, status, key, limit=limit // 2**20)
            if status == 408:
                response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # what follows is the disconnect, for streaming routes

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, limit: int) -> bytes:
        pieces: list[bytes] = []
        size = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout_s)
            except TimeoutError:
                raise BodyTooSlow from None
            if message["type"] == "http.disconnect":
                raise BodyTooSlow
            piece = message.get("body", b"")
            size += len(piece)
            if size > limit:
                raise BodyTooLarge(limit / 2**20)
            pieces.append(piece)
            if not message.get("more_body", False):
                return b"".join(pieces)


class AccessLog:
    """One line per request: method, route template, status, milliseconds, user id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, then log it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            route: Any = scope.get("route")
            state: dict[str, Any] = scope.get("state") or {}
            access_log.info(
                "%s %s %s %.0fms user=%s",
                scope.get("method", "?"),
                getattr(route, "path", "(no route)"),
                status or "-",
                (time.perf_counter() - started) * 1000,
                state.get("user_id", "-"),
            )
