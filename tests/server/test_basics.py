"""The server over real TLS on loopback: login, tokens, keys, errors, limits, plain HTTP."""

from __future__ import annotations

import httpx
import pytest

from core import Role
from tests.identity import ADMIN, PASSWORD
from tests.server.conftest import make_user
from tests.server.running import RunningServer


def test_health_answers_without_login(server: RunningServer) -> None:
    with server.client() as http:
        response = http.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_plain_http_is_refused(server: RunningServer) -> None:
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{server.port}/health", timeout=5)


def test_login_gives_a_token_that_acts_and_logout_ends_it(server: RunningServer) -> None:
    token = server.login(ADMIN, PASSWORD)
    with server.client(token) as http:
        assert http.get("/api/me").json()["username"] == ADMIN
        assert http.post("/api/logout").status_code == 204
        response = http.get("/api/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_ended"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_wrong_password_is_401_with_a_message_in_the_callers_language(
    server: RunningServer,
) -> None:
    body = {"username": ADMIN, "password": "wrong"}
    with server.client(**{"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"}) as http:
        russian = http.post("/api/login", json=body)
    with server.client(**{"Accept-Language": "en-US"}) as http:
        english = http.post("/api/login", json=body)
    assert russian.status_code == english.status_code == 401
    assert russian.json()["error"]["code"] == english.json()["error"]["code"]
    assert any("а" <= c <= "я" for c in russian.json()["error"]["message"].lower())
    assert english.json()["error"]["message"].isascii()


def test_no_token_and_a_made_up_token_are_401(server: RunningServer) -> None:
    with server.client() as http:
        assert http.get("/api/kbs").status_code == 401
    with server.client("made-up") as http:
        assert http.get("/api/kbs").status_code == 401


def test_an_api_key_is_shown_once_acts_and_stops_when_revoked(
    server: RunningServer, admin_token: str
) -> None:
    member = make_user(server, admin_token, "keyholder", Role.MEMBER)
    with server.client(member) as http:
        made = http.post("/api/keys", json={"name": "wiki sync"})
        assert made.status_code == 201
        secret, key_id = made.json()["secret"], made.json()["key"]["id"]
        listed = http.get("/api/keys").json()
    assert [k["name"] for k in listed] == ["wiki sync"]
    assert secret not in str(listed)
    with server.client(secret) as http:
        assert http.get("/api/me").json()["username"] == "keyholder"
    with server.client(member) as http:
        assert http.delete(f"/api/keys/{key_id}").status_code == 204
    with server.client(secret) as http:
        assert http.get("/api/me").status_code == 401


def test_disabling_a_user_ends_their_token_at_once(server: RunningServer, admin_token: str) -> None:
    token = make_user(server, admin_token, "leaver", Role.MEMBER)
    with server.client(admin_token) as http:
        http.put("/api/admin/users/leaver/enabled", json={"enabled": False}).raise_for_status()
    with server.client(token) as http:
        response = http.get("/api/kbs")
    assert response.status_code == 401


def test_a_member_cannot_reach_admin_routes(server: RunningServer, admin_token: str) -> None:
    token = make_user(server, admin_token, "plain", Role.MEMBER)
    with server.client(token) as http:
        response = http.get("/api/admin/users")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_malformed_requests_get_the_one_error_shape(
    server: RunningServer, admin_token: str
) -> None:
    with server.client(admin_token) as http:
        bad_json = http.post(
            "/api/kbs", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        missing = http.post("/api/kbs", json={})
        no_route = http.get("/api/nothing-here")
    for response, status in ((bad_json, 422), (missing, 422), (no_route, 404)):
        assert response.status_code == status
        assert set(response.json()["error"]) == {"code", "message", "key"}


def test_an_oversized_body_is_refused_before_it_is_read(
    server: RunningServer, admin_token: str
) -> None:
    with server.client(admin_token) as http:
        response = http.post("/api/search", json={"query": "x" * (300 * 1024)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_openapi_and_docs_are_served(server: RunningServer) -> None:
    with server.client() as http:
        spec = http.get("/openapi.json").json()
        docs = http.get("/docs")
    assert "/api/answers" in spec["paths"]
    assert "/v1/chat/completions" in spec["paths"]
    assert docs.status_code == 200
