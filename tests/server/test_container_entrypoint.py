"""The container's entrypoint run as a plain process: first-run setup, HTTPS, SIGTERM.

No container engine runs here, so the image itself is not built; this runs the same
script the image's ENTRYPOINT runs, with the environment the image and compose.yaml set.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from core import Engine, Settings
from tests.identity import ADMIN, PASSWORD
from tests.old_store import as_before_m016, fill

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "packaging" / "server-entrypoint.sh"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 60.0
TINY = "tiny-random-llama.gguf"


@dataclass
class Container:
    """The entrypoint's environment: a data volume, a models volume, secrets as files."""

    env: dict[str, str]
    data: Path
    log: Path
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> subprocess.Popen[bytes]:
        """Run the entrypoint as the container's first process would."""
        with self.log.open("ab") as out:
            proc = subprocess.Popen(
                ["sh", str(ENTRYPOINT)], env=self.env, cwd=self.data.parent, stdout=out,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        self.started.append(proc)
        return proc

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.env['KONSPEKT_PORT']}"

    def tls(self) -> ssl.SSLContext:
        """Trust exactly the certificate the server made for itself on first start."""
        return ssl.create_default_context(cafile=str(self.data / "tls" / "server.crt"))

    def wait_healthy(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if (self.data / "tls" / "server.crt").exists():
                try:
                    if httpx.get(f"{self.url}/health", verify=self.tls(), timeout=5).is_success:
                        return
                except httpx.TransportError:
                    pass
            time.sleep(0.25)
        proc.kill()
        pytest.fail(f"no healthy server (exit {proc.poll()}):\n{self.log.read_text()[-4000:]}")

    def stop(self, proc: subprocess.Popen[bytes]) -> int:
        """SIGTERM, as `docker stop` sends to the container's first process."""
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"no exit after SIGTERM:\n{self.log.read_text()[-4000:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def container(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Iterator[Container]:
    root = tmp_path_factory.mktemp("container")
    data, models, run_secrets = root / "data", root / "models", root / "secrets"
    for folder in (data, models, run_secrets):
        folder.mkdir()
    (models / TINY).symlink_to(tiny_model)  # the only GGUF in the models volume
    (run_secrets / "db_key").write_text(secrets.token_hex(32) + "\n")
    (run_secrets / "admin_password").write_text(PASSWORD)
    # An admin may seed settings before the first start; these keep the test light.
    (data / "konspekt.toml").write_text(
        "password_hash_ms = 20\nn_threads = 1\nembed_threads = 1\nn_ctx = 2048\n"
    )
    venv_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(REPO),  # this checkout's code, as the image installs it
        "HOME": str(root),
        "HF_HUB_OFFLINE": "1",
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_MODELS_DIR": str(models),
        "KONSPEKT_POLICY": "",  # no machine policy
        "KONSPEKT_KEY_STORE": "env",
        "KONSPEKT_DB_KEY_FILE": str(run_secrets / "db_key"),
        "KONSPEKT_ADMIN_USER": ADMIN,
        "KONSPEKT_ADMIN_PASSWORD_FILE": str(run_secrets / "admin_password"),
        "KONSPEKT_HOST": "127.0.0.1",
        "KONSPEKT_PORT": str(_free_port()),
    }
    running = Container(env, data, root / "entrypoint.log")
    yield running
    for proc in running.started:  # a failed test leaves no server behind
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_first_start_creates_the_admin_serves_https_and_stops_cleanly_on_sigterm(
    container: Container,
) -> None:
    proc = container.start()
    container.wait_healthy(proc)
    with httpx.Client(base_url=container.url, verify=container.tls(), timeout=30) as http:
        login = http.post("/api/login", json={"username": ADMIN, "password": PASSWORD})
        assert login.status_code == 200, login.text
        http.headers["Authorization"] = f"Bearer {login.json()['token']}"
        me = http.get("/api/me").json()
        status = http.get("/api/status").json()
    assert me["username"] == ADMIN
    assert me["role"] == "admin"
    assert status["key_store"].startswith("env")
    assert status["model"] == os.path.join(container.env["KONSPEKT_MODELS_DIR"], TINY)
    assert container.stop(proc) == 0
    assert not (container.data / "konspekt.db-wal").exists()  # the database was closed


def test_a_restart_serves_the_same_data_without_the_admin_secret(
    container: Container,
) -> None:
    env = container.env
    del env["KONSPEKT_ADMIN_USER"], env["KONSPEKT_ADMIN_PASSWORD_FILE"]
    proc = container.start()
    container.wait_healthy(proc)
    body = {"username": ADMIN, "password": PASSWORD}
    login = httpx.post(f"{container.url}/api/login", json=body, verify=container.tls())
    assert login.status_code == 200
    assert container.stop(proc) == 0


def test_a_store_an_older_version_wrote_is_upgraded_saying_how_far(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Path(container.env["KONSPEKT_DB_KEY_FILE"]).read_text().strip()
    monkeypatch.setenv("KONSPEKT_DB_KEY", key)
    with Engine(Settings.load(container.data, key_store="env")) as engine:  # stopped server's
        fill(engine, 80)
        as_before_m016(engine.context.db)
    proc = container.start()
    container.wait_healthy(proc)
    assert container.stop(proc) == 0
    said = container.log.read_text()
    assert "Upgrading the data for this version" in said
    assert ": 0 of 80 passages" in said
    assert "80 of 80 passages" in said


def test_an_empty_data_folder_without_an_admin_is_refused_with_a_reason(
    tmp_path: Path,
) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KONSPEKT_DATA_DIR": str(tmp_path / "data"),
        "KONSPEKT_MODELS_DIR": str(tmp_path / "models"),
        "KONSPEKT_POLICY": "",  # no machine policy
    }
    done = subprocess.run(
        ["sh", str(ENTRYPOINT)], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 1
    assert "KONSPEKT_ADMIN_USER" in done.stderr
    assert not (tmp_path / "data").exists()
