"""One team server's REST API, as a desktop calls it: pinned TLS, errors as KnownErrors.

Every call goes through a client that trusts only the pinned certificate (`core.web`),
with the API key this computer holds. A server out of reach raises `ServerUnreachable`,
a swapped certificate `CertificateChanged` (nothing is sent), a refused login
`AuthenticationFailed`, a rejected key `ServerRefused("server_login_needed")`, a
knowledge base the user may no longer read `PermissionDenied`/`NotFound` as the server
said, anything else `ServerRefused` with the server's own message.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any
from urllib.parse import quote

from core import web
from core.errors import (
    AuthenticationFailed,
    CertificateChanged,
    KnownError,
    NotFound,
    PermissionDenied,
    ServerRefused,
    ServerUnreachable,
)
from core.i18n import system_language

READ_TIMEOUT_S = 120.0
"""A sync request or a queued answer may wait this long for the server's next bytes."""


class ServerClient:
    """Calls of one server; use as a context manager (it holds connections)."""

    def __init__(self, url: str, fingerprint: str, key: str = "") -> None:
        """Check the server's certificate against `fingerprint` and connect.

        Raises CertificateChanged (both fingerprints in the message) or ServerUnreachable.
        """
        self.url = url
        try:
            self._http = web.pinned_client(url, fingerprint, token=key, timeout=READ_TIMEOUT_S)
        except web.CertificateMismatch as exc:
            raise CertificateChanged(
                "server_certificate_changed", url=url, pinned=exc.pinned, presented=exc.presented
            ) from None
        except (OSError, ssl.SSLError) as exc:
            raise ServerUnreachable("server_unreachable", url=url, detail=_detail(exc)) from None
        self._http.headers["Accept-Language"] = system_language()
        self.bytes_received = 0
        """Bytes read from the network so far (compressed as sent), for sync reports."""

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Plain calls -------------------------------------------------------------------
    def get(self, path: str, **params: Any) -> Any:
        """GET `path` and return its JSON."""
        return self._json(self._call("GET", path, params=params))

    def post(self, path: str, body: Any) -> Any:
        """POST JSON to `path` and return the JSON answer (None when empty)."""
        return self._json(self._call("POST", path, json=body))

    def delete(self, path: str) -> None:
        """DELETE `path`."""
        self._call("DELETE", path)

    def put_file(self, path: str, data: bytes) -> Any:
        """PUT a file's bytes to `path` and return the JSON answer."""
        return self._json(self._call("PUT", path, content=data))

    def content(self, path: str, **params: Any) -> bytes:
        """GET `path` and return its body as bytes (an original, a page image)."""
        return self._call("GET", path, params=params).content

    @contextmanager
    def events(self, path: str, body: Any) -> Iterator[tuple[str, Iterator[tuple[str, Any]]]]:
        """POST to an SSE route: (the job's id, its (event, data) pairs) while open."""
        request = self._http.build_request("POST", path, json=body)
        response = self._send(request, stream=True)
        try:
            yield response.headers.get("X-Job-Id", ""), self._frames(response)
        finally:
            response.close()

    # Internals ---------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> web.Response:
        request = self._http.build_request(method, path, **kwargs)
        response = self._send(request, stream=False)
        self.bytes_received += response.num_bytes_downloaded
        return response

    def _send(self, request: Any, *, stream: bool) -> web.Response:
        try:
            response = self._http.send(request, stream=stream)
        except web.TransportError as exc:
            raise self._unreachable(exc) from None
        if response.is_success:
            return response
        if stream:
            response.read()
        response.close()
        raise self._refusal(response)

    def _refusal(self, response: web.Response) -> KnownError:
        try:
            error = response.json()["error"]
            message, key = str(error["message"]), str(error.get("key", ""))
        except (ValueError, LookupError, TypeError):
            message, key = response.text[:200] or response.reason_phrase, ""
        status = response.status_code
        if status == 401 and response.request.url.path == "/api/login":
            return AuthenticationFailed("server_login_failed", url=self.url, detail=message)
        if status == 401:  # not SessionEnded: this computer's own session goes on
            return ServerRefused("server_login_needed", url=self.url, code=key)
        if status == 403:
            return PermissionDenied("server_refused", url=self.url, detail=message)
        if status == 404:
            return NotFound("server_refused", url=self.url, detail=message)
        return ServerRefused(
            "server_refused", url=self.url, detail=message, status=status, code=key
        )

    def _unreachable(self, exc: BaseException) -> ServerUnreachable:
        return ServerUnreachable("server_unreachable", url=self.url, detail=_detail(exc))

    def _json(self, response: web.Response) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise ServerRefused(
                "server_answer_broken", url=self.url, detail=type(exc).__name__
            ) from None

    def _frames(self, response: web.Response) -> Iterator[tuple[str, Any]]:
        """(event, data) of each server-sent event; comments and pings are skipped."""
        name, data = "message", ""
        try:
            for line in response.iter_lines():
                if not line:
                    if data:
                        yield name, json.loads(data)
                    name, data = "message", ""
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data += line[5:].strip()
        except web.TransportError as exc:
            raise self._unreachable(exc) from None
        except ValueError as exc:
            raise ServerRefused(
                "server_answer_broken", url=self.url, detail=type(exc).__name__
            ) from None
        finally:
            self.bytes_received += response.num_bytes_downloaded


def kb_path(name: str) -> str:
    """A knowledge base's name as one path segment."""
    return quote(name, safe="")


def _detail(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
