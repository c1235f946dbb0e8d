"""The server's administrator uses the same `konspekt` CLI on its data folder while it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Settings
from tests.identity import PASSWORD
from tests.integration.test_cli_upkeep import konspekt
from tests.server.running import RunningServer


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Settings:
    """A key file, as a server without a desktop keychain keeps it, so the CLI opens it too."""
    return Settings.load(
        tmp_path_factory.mktemp("admin-cli") / "data",
        key_store="file",
        password_hash_ms=5,
        model_path=tiny_model,
    )


def test_the_cli_approves_and_disables_users_of_a_running_server(server: RunningServer) -> None:
    data = server.engine.settings.data_dir
    with server.client() as http:
        http.post(
            "/api/register", json={"username": "nina", "password": PASSWORD}
        ).raise_for_status()
        assert (
            http.post("/api/login", json={"username": "nina", "password": PASSWORD}).status_code
            == 401
        )
    approved = konspekt(data, "users", "approve", "nina", "editor")
    assert approved.returncode == 0, approved.stderr
    token = server.login("nina", PASSWORD)
    with server.client(token) as http:
        assert http.get("/api/me").json()["role"] == "editor"
    disabled = konspekt(data, "users", "disable", "nina")
    assert disabled.returncode == 0, disabled.stderr
    with server.client(token) as http:
        assert http.get("/api/me").status_code == 401  # the server sees it at the next request
