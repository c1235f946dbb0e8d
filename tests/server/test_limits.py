"""Limits a team server sets: per-user rate, daily token quotas, session lifetime, slow bodies."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Engine, Role, Visibility
from tests.fakes import FakeEmbedder
from tests.identity import ADMIN, PASSWORD, admin_session
from tests.server.conftest import make_user, quick_settings
from tests.server.running import RunningServer, running
from tests.server.sse_client import events

DOC = b"# Canteen\n\nThe canteen does serve lunch from noon until two.\n"
QUESTION = {"question": "When does the canteen serve lunch?", "kb": "office"}
NOW = [1_000_000.0]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Iterator[RunningServer]:
    settings = quick_settings(
        tmp_path_factory.mktemp("limits"),
        model_path=tiny_model,
        max_answer_tokens=8,
        rate_limit_per_minute=2,
        session_hours=8,
        server_read_timeout_s=1.0,
    )
    engine = Engine(settings, embedder=FakeEmbedder(), keep_sessions=True, clock=lambda: NOW[0])
    with engine:
        admin = admin_session(engine)
        engine.kbs.create(admin, "office")
        engine.kbs.set_visibility(admin, "office", Visibility.PUBLIC)
        with running(engine) as live, live.client(live.login(ADMIN, PASSWORD)) as http:
            http.put("/api/kbs/office/documents/lunch.md?wait=true", content=DOC).raise_for_status()
            yield live


def _ask(server: RunningServer, token: str) -> int:
    with server.client(token) as http, http.stream("POST", "/api/answers", json=QUESTION) as r:
        if r.status_code == 200:
            assert list(events(r))[-1].name == "done"
        else:
            r.read()
            assert r.headers["Retry-After"].isdigit()
        return r.status_code


def test_a_user_over_the_rate_limit_gets_429_with_retry_after(
    server: RunningServer, admin_token: str
) -> None:
    token = make_user(server, admin_token, "eager", Role.MEMBER)
    assert [_ask(server, token) for _ in range(3)] == [200, 200, 429]
    other = make_user(server, admin_token, "calm", Role.MEMBER)
    assert _ask(server, other) == 200  # one user's limit is not another's


def test_a_daily_token_quota_set_by_an_admin_refuses_the_next_answer(
    server: RunningServer, admin_token: str
) -> None:
    token = make_user(server, admin_token, "thrifty", Role.MEMBER)
    with server.client(admin_token) as http:
        quota = http.put("/api/admin/users/thrifty/quota", json={"tokens_per_day": 1})
    assert quota.status_code == 200
    assert quota.json()["limit"] == 1
    assert _ask(server, token) == 200  # under the quota when asked
    with server.client(token) as http:
        refused = http.post("/api/answers", json=QUESTION)
        usage = http.get("/api/me/usage").json()
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "quota_exceeded"
    assert usage["used"] > usage["limit"]


def test_a_member_cannot_set_quotas(server: RunningServer, admin_token: str) -> None:
    token = make_user(server, admin_token, "sneaky", Role.MEMBER)
    with server.client(token) as http:
        response = http.put("/api/admin/users/sneaky/quota", json={"tokens_per_day": None})
    assert response.status_code == 403


def test_a_token_expires_session_hours_after_login(server: RunningServer) -> None:
    token = server.login(ADMIN, PASSWORD)
    with server.client(token) as http:
        assert http.get("/api/me").status_code == 200
        NOW[0] += 9 * 3600
        try:
            expired = http.get("/api/me")
        finally:
            NOW[0] -= 9 * 3600
    assert expired.status_code == 401
    assert expired.json()["error"]["key"] == "session_expired"


def test_a_body_that_stalls_is_cut_off(server: RunningServer, admin_token: str) -> None:
    """A client that announces a body and stops sending gets 408 after the read timeout."""
    context = ssl.create_default_context(cafile=str(server.cert_file))
    with (
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(
            b"POST /api/search HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Authorization: Bearer " + admin_token.encode() + b"\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query"'
        )
        started = time.monotonic()
        reply = tls.recv(4096)
    assert reply.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 10
