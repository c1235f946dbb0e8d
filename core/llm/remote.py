"""The answer model on OpenAI-compatible servers, reached over HTTP through `core.web`.

The prompt is rendered and tokenized here, with the vocabulary of the same GGUF the servers
run (loaded `vocab_only`: no weights), and sent as token ids to `POST /v1/completions`. A
server never tokenizes our text again, so a retrieved passage that spells out a chat
marker stays plain text there too: servers tokenize text prompts with special tokens on
(llama.cpp server, vLLM). Several servers share the work: each request goes to the least
busy one; one that cannot be reached is skipped for a while.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Generator as GeneratorOf
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import web
from core.errors import ModelUnavailable
from core.llm.generator import Generator, Prompt, Stop, StopFilter
from core.settings import Settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
"""A server that takes longer to accept a connection is taken for down."""
READ_TIMEOUT_S = 300.0
"""Longest wait for the next piece: a busy server queues a request before its first token."""
RETRY_AFTER_S = 30.0
"""How long a server that could not be reached is passed over (tried last, not never)."""
_SKIP_STATUS = frozenset({429, 502, 503, 504})
"""Answers that mean "busy, loading or behind a dead upstream": try another server."""


@dataclass(eq=False)
class _Endpoint:
    """One server, its load and its health as this process sees them."""

    url: str
    parallel: int
    busy: int = 0
    down_until: float = 0.0
    model: str = ""


def endpoint_url(url: str) -> str:
    """The API base of a server: `host:8080`, `http://host:8080`, `…/v1/` all mean …/v1."""
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = f"http://{url}"
    return url if url.endswith("/v1") else f"{url}/v1"


class EndpointPool:
    """Which server takes the next generation: the least busy that is up, in list order."""

    def __init__(
        self, urls: Sequence[str], parallel: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not urls:
            raise ValueError("at least one endpoint is needed")
        self._endpoints = [_Endpoint(endpoint_url(u), max(1, parallel)) for u in urls]
        self._lock = threading.Lock()
        self._clock = clock

    @property
    def urls(self) -> tuple[str, ...]:
        """The servers' API bases, in the configured order."""
        return tuple(e.url for e in self._endpoints)

    @property
    def parallel(self) -> int:
        """Generations all servers together serve at once."""
        return sum(e.parallel for e in self._endpoints)

    def busy(self) -> int:
        """Generations running on the servers now (from this process)."""
        with self._lock:
            return sum(e.busy for e in self._endpoints)

    def take(self, tried: Sequence[_Endpoint]) -> _Endpoint | None:
        """Count a generation on the best server not yet tried (None: all were tried).

        Servers that are up come first, least loaded first; those that failed lately
        come last, longest failed first, so that all down is tried before it is said.
        """
        now = self._clock()
        with self._lock:
            left = [e for e in self._endpoints if e not in tried]
            if not left:
                return None
            up = [e for e in left if e.down_until <= now]
            best = (
                min(up, key=lambda e: e.busy / e.parallel)
                if up
                else min(left, key=lambda e: e.down_until)
            )
            best.busy += 1
            return best

    def release(self, endpoint: _Endpoint, *, failed: bool = False) -> None:
        """The generation on `endpoint` ended; `failed` passes the server over for a while."""
        with self._lock:
            endpoint.busy -= 1
            if failed:
                endpoint.down_until = self._clock() + RETRY_AFTER_S


class RemoteGenerator(Generator):
    """A Generator whose tokens come from OpenAI-compatible servers running the same model.

    `path` is the GGUF the servers run (any quantisation of it: only its vocabulary and
    chat template are read). `n_ctx` is the context one generation gets on a server (for
    llama.cpp server: its --ctx-size divided by --parallel).
    """

    def __init__(
        self,
        path: Path,
        endpoints: Sequence[str],
        n_ctx: int = 4096,
        *,
        parallel: int = 1,
        model: str = "",
        api_key: str | None = None,
        chat_template: str | None = None,
    ) -> None:
        # No weights: nothing is computed here, on a GPU or otherwise.
        super().__init__(path, n_ctx, n_gpu_layers=0, vocab_only=True, chat_template=chat_template)
        self.n_ctx = n_ctx
        self.pool = EndpointPool(endpoints, parallel)
        self.parallel = self.pool.parallel
        self._model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = web.Client(
            headers=headers,
            timeout=web.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            limits=web.Limits(max_connections=None, max_keepalive_connections=self.parallel),
        )
        weakref.finalize(self, self._client.close)

    @classmethod
    def configured(cls, settings: Settings, path: Path) -> RemoteGenerator:
        """The servers `settings` name, with the key from its environment variable."""
        return cls(
            path,
            settings.answer_endpoints,
            settings.n_ctx,
            parallel=settings.answer_endpoint_parallel,
            model=settings.answer_endpoint_model,
            api_key=os.environ.get(settings.answer_endpoint_key_env) or None,
        )

    def close(self) -> None:
        """Close the connections to the servers."""
        self._client.close()

    def stream(
        self,
        prompt: Prompt,
        *,
        max_tokens: int,
        temperature: float,
        top_p: float,
        repeat_penalty: float = 1.0,
        cancel: Stop | None = None,
    ) -> GeneratorOf[str, None, None]:
        """Yield text pieces until the server stops, `max_tokens`, or `cancel` is set.

        `cancel` is checked before each piece; stopping closes the connection, which
        stops the server's generation (llama.cpp server and vLLM abort on disconnect).
        """
        body: dict[str, Any] = {
            "prompt": list(prompt.tokens),
            "max_tokens": max(1, min(max_tokens, self.n_ctx - prompt.token_count)),
            "temperature": temperature,
            "top_p": top_p,
            "stream": True,
        }
        if prompt.stop:
            body["stop"] = list(prompt.stop)
        if repeat_penalty != 1.0:  # llama.cpp's name, then vLLM's; each ignores the other
            body["repeat_penalty"] = body["repetition_penalty"] = repeat_penalty
        endpoint, response = self._open(body)
        try:
            yield from _pieces(endpoint.url, _lines(endpoint.url, response), prompt.stop, cancel)
        finally:
            response.close()
            self.pool.release(endpoint)

    def _open(self, body: dict[str, Any]) -> tuple[_Endpoint, web.Response]:
        """Start the generation on the best server that answers; the others are skipped."""
        tried: list[_Endpoint] = []
        while (endpoint := self.pool.take(tried)) is not None:
            tried.append(endpoint)
            try:
                model = self._model or endpoint.model or self._served_model(endpoint)
                request = self._client.build_request(
                    "POST", f"{endpoint.url}/completions", json={**body, "model": model}
                )
                response = self._client.send(request, stream=True)
            except web.TransportError as exc:
                log.warning("answer endpoint %s unreachable: %s", endpoint.url, exc)
                self.pool.release(endpoint, failed=True)
                continue
            except BaseException:
                self.pool.release(endpoint)
                raise
            if response.is_success:
                return endpoint, response
            detail = _error_detail(response)
            response.close()
            if response.status_code in _SKIP_STATUS:
                log.warning("answer endpoint %s busy or down: %s", endpoint.url, detail)
                self.pool.release(endpoint, failed=True)
                continue
            self.pool.release(endpoint)
            raise ModelUnavailable(
                "endpoint_refused",
                endpoint=endpoint.url,
                status=response.status_code,
                detail=detail,
            )
        raise ModelUnavailable("endpoints_down", endpoints=", ".join(e.url for e in tried))

    def _served_model(self, endpoint: _Endpoint) -> str:
        """The first model the server lists (llama.cpp ignores the name; vLLM checks it)."""
        response = self._client.get(f"{endpoint.url}/models")
        if response.status_code in _SKIP_STATUS:
            raise web.TransportError(f"HTTP {response.status_code}")
        if not response.is_success:
            raise ModelUnavailable(
                "endpoint_refused",
                endpoint=endpoint.url,
                status=response.status_code,
                detail=_error_detail(response),
            )
        try:
            endpoint.model = str(response.json()["data"][0]["id"])
        except (ValueError, LookupError, TypeError):
            endpoint.model = ""  # a server that lists nothing may still serve its one model
        return endpoint.model


def _lines(url: str, response: web.Response) -> Iterator[str]:
    """The response's lines; a connection lost mid-answer becomes a KnownError."""
    try:
        yield from response.iter_lines()
    except web.TransportError as exc:
        detail = str(exc) or type(exc).__name__
        raise ModelUnavailable("endpoint_lost", endpoint=url, detail=detail) from None


def _pieces(
    url: str, lines: Iterator[str], stops: tuple[str, ...], cancel: Stop | None
) -> Iterator[str]:
    """Text pieces of an OpenAI completions event stream, cut at a stop string."""
    text = StopFilter(stops)
    started = False
    for line in lines:
        if cancel is not None and cancel.is_set():
            return
        if not line.startswith("data:"):
            continue  # blank separators, ": ping" comments, "event:" names
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            chunk = json.loads(data)
        except ValueError:
            raise ModelUnavailable("endpoint_lost", endpoint=url, detail=data[:100]) from None
        if "error" in chunk:
            raise ModelUnavailable(
                "endpoint_refused", endpoint=url, status=200, detail=_message(chunk["error"])
            )
        choice = (chunk.get("choices") or [{}])[0]
        piece, stopped = text.feed(choice.get("text") or "")
        if not started:  # as in process: the answer starts at its first visible character
            piece = piece.lstrip()
            started = bool(piece)
        if piece:
            yield piece
        if stopped:
            return
    rest = text.flush()
    if rest and not (cancel is not None and cancel.is_set()):
        yield rest.lstrip() if not started else rest


def _error_detail(response: web.Response) -> str:
    """A short reason from an error response (the server's message when it sent one)."""
    try:
        response.read()
        body = response.json()
    except (ValueError, web.HTTPError):
        return response.reason_phrase or "no reason given"
    return _message(body.get("error") or body if isinstance(body, dict) else body)


def _message(error: object) -> str:
    if isinstance(error, dict):
        error = error.get("message") or error.get("detail") or error
    return str(error)[:300]
