"""The one place where exceptions become HTTP responses: one JSON shape, a stable code.

Every error body is `{"error": {"code": ..., "message": ..., "key": ...}}`: `code` is
stable for programs (it names the kind of failure), `message` is a sentence for people
in the caller's language (`Accept-Language`: Russian or English), `key` the core's
message key for finer handling. Anything that is not a known failure is a bug: it is
logged with its traceback and answered as `internal_error`, with nothing of its text.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection
from starlette.types import Scope

from core import (
    AuthenticationFailed,
    Busy,
    DirectoryUnreachable,
    FileRejected,
    InvalidInput,
    KnownError,
    ModelMissing,
    ModelUnavailable,
    NotFound,
    PasswordChangeRequired,
    PermissionDenied,
    QuotaExceeded,
    RateLimited,
    SessionEnded,
    SessionLocked,
)
from server.jobs import JobMissing
from server.language import language
from server.text import N_, t

log = logging.getLogger(__name__)


# (exception class, HTTP status, code), most specific first.
_KNOWN: tuple[tuple[type[KnownError], int, str], ...] = (
    (AuthenticationFailed, 401, "authentication_failed"),
    (SessionEnded, 401, "session_ended"),
    (SessionLocked, 401, "session_locked"),
    (PasswordChangeRequired, 403, "password_change_required"),
    (PermissionDenied, 403, "permission_denied"),
    (NotFound, 404, "not_found"),
    (FileRejected, 422, "file_rejected"),
    (InvalidInput, 400, "invalid_input"),
    (RateLimited, 429, "rate_limited"),
    (QuotaExceeded, 429, "quota_exceeded"),
    (Busy, 503, "busy"),
    (ModelMissing, 503, "model_missing"),
    (ModelUnavailable, 503, "model_unavailable"),
    (DirectoryUnreachable, 503, "directory_unreachable"),
)
_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    503: "busy",
}


def status_of(exc: KnownError) -> tuple[int, str]:
    """The HTTP status and stable code of a known failure."""
    for kind, status, code in _KNOWN:
        if isinstance(exc, kind):
            return status, code
    return 400, "error"


def error_body(code: str, message: str, key: str = "") -> dict[str, Any]:
    """The one error shape (also sent as an SSE `error` event)."""
    return {"error": {"code": code, "message": message, "key": key or code}}


def known_error_body(exc: KnownError, lang: str) -> dict[str, Any]:
    """The error body of a known failure in `lang`."""
    return error_body(status_of(exc)[1], exc.user_message(lang), exc.key)


def _retry_headers(exc: BaseException) -> dict[str, str]:
    retry = getattr(exc, "retry_after_s", None)
    return {"Retry-After": str(max(1, round(retry)))} if retry is not None else {}


def respond(request: Request, exc: KnownError) -> JSONResponse:
    """The response for a known failure, in the caller's language."""
    status, _ = status_of(exc)
    headers = _retry_headers(exc)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(known_error_body(exc, language(request)), status, headers)


def http_error(request: HTTPConnection, status: int, key: str, **params: object) -> JSONResponse:
    """A response for a failure of HTTP itself (no route, body too large…)."""
    code = _HTTP_CODES.get(status, "bad_request")
    return JSONResponse(error_body(code, t(key, language(request), **params), key), status)


def http_error_response(scope: Scope, status: int, key: str, **params: object) -> JSONResponse:
    """`http_error` for middleware, which has a scope rather than a request."""
    return http_error(HTTPConnection(scope), status, key, **params)


def install(app: FastAPI) -> None:
    """Route every exception of `app` through this module."""

    async def on_known(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, KnownError)
        return respond(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        fields = ", ".join(
            ".".join(str(part) for part in error.get("loc", ())) for error in exc.errors()
        )
        return http_error(request, 422, "http_invalid_request", fields=fields[:300] or "?")

    async def on_job_missing(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, JobMissing)
        key = N_("http_no_generation") if exc.kind == "answer" else N_("http_no_job")
        return http_error(request, 404, key, id=exc.job_id)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        known = {404: N_("http_not_found"), 405: N_("http_method")}
        key = known.get(exc.status_code, N_("http_bad"))
        response = http_error(request, exc.status_code, key)
        response.headers.update(exc.headers or {})
        return response

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        route = request.scope.get("route")
        log.exception("unhandled %s on %s", type(exc).__name__, getattr(route, "path", "?"))
        body = error_body("internal_error", t("http_internal", language(request)))
        return JSONResponse(body, 500)

    app.add_exception_handler(KnownError, on_known)
    app.add_exception_handler(JobMissing, on_job_missing)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_bug)
