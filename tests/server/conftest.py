"""One real TLS server per test module, over an engine with the tiny model and FakeEmbedder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core import Engine, Role, Settings
from tests.fakes import FakeEmbedder
from tests.identity import ADMIN, PASSWORD, admin_session
from tests.server.running import RunningServer, running


def quick_settings(folder: Path, **changes: Any) -> Settings:
    """A test server's settings in `folder`: one thread each, quick hashing, a 2k context."""
    return Settings.load(
        folder / "data", n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5, **changes
    )


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Settings:
    """Fast hashing, the tiny model, a short grace period."""
    return quick_settings(
        tmp_path_factory.mktemp("server"),
        model_path=tiny_model,
        max_answer_tokens=64,
        server_grace_seconds=1.0,
        server_body_mb=0.25,
        server_upload_mb=2.0,
    )


@pytest.fixture(scope="module")
def server(server_settings: Settings) -> Iterator[RunningServer]:
    """The running server; its admin exists (tests.identity's name and password)."""
    with Engine(server_settings, embedder=FakeEmbedder(), keep_sessions=True) as engine:
        admin_session(engine)
        with running(engine) as live:
            yield live


@pytest.fixture(scope="module")
def admin_token(server: RunningServer) -> str:
    """A bearer token of the admin."""
    return server.login(ADMIN, PASSWORD)


def make_user(server: RunningServer, admin_token: str, name: str, role: Role) -> str:
    """Register `name` over HTTP, approve it with `role`, and return its token."""
    with server.client() as http:
        http.post("/api/register", json={"username": name, "password": PASSWORD}).raise_for_status()
    with server.client(admin_token) as http:
        http.post(f"/api/admin/users/{name}/approve", json={"role": role.value}).raise_for_status()
    return server.login(name, PASSWORD)
