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

from server.errors import BodyTooLarge, BodyTooSlow, http_error_response

access_log = logging.getLogger("konspekt.access")


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
        """Refuse a declared oversize body at once; cut off one that grows or stalls."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = http_error_response(scope, 413, "http_too_large", limit=limit // 2**20)
            await response(scope, receive, send)
            return
        received = 0

        async def bounded() -> Message:
            nonlocal received
            try:
                message = await asyncio.wait_for(receive(), self.read_timeout_s)
            except TimeoutError:
                raise BodyTooSlow from None
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit / 2**20)
            return message

        await self.app(scope, bounded, send)


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
