"""`konspekt models` as a user types it, against a model server on loopback (subprocesses)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Settings
from tests.conftest import REPO
from tests.integration.test_models_pull import write_manifest
from tests.model_file_server import FileServerState, serving

FILE = "tiny-random-llama.gguf"


def environment(data: Path, manifest: Path) -> dict[str, str]:
    return {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_MODELS_MANIFEST": str(manifest),
        "COLUMNS": "200",
    }


def konspekt(data: Path, manifest: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", "--lang", "en", "models", *args],
        cwd=REPO,
        env=environment(data, manifest),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def server(tiny_model: Path) -> Iterator[FileServerState]:
    with serving(tiny_model.read_bytes()) as state:
        yield state


@pytest.fixture
def manifest(tmp_path: Path, server: FileServerState, tiny_model: Path) -> Path:
    return write_manifest(tmp_path / "manifest.toml", server.url, tiny_model.read_bytes())


def test_list_then_pull_then_list_shows_the_model_installed_and_verified(
    tmp_path: Path, manifest: Path, tiny_model: Path
) -> None:
    data = tmp_path / "data"
    before = konspekt(data, manifest, "list")
    assert before.returncode == 0, before.stderr
    assert "tiny" in before.stdout
    assert "not here" in before.stdout
    assert "advised here" in before.stdout

    pulled = konspekt(data, manifest, "pull", "tiny")
    assert pulled.returncode == 0, pulled.stderr
    assert "installed and verified" in pulled.stdout
    assert (data / "models" / FILE).read_bytes() == tiny_model.read_bytes()

    after = konspekt(data, manifest, "list")
    assert "installed, verified" in after.stdout
    assert not (data / "konspekt.db").exists(), "no account or database was needed"


def test_pull_of_a_wrong_file_fails_clearly_and_installs_nothing(
    tmp_path: Path, server: FileServerState, tiny_model: Path
) -> None:
    manifest = write_manifest(
        tmp_path / "manifest.toml", server.url, tiny_model.read_bytes(), sha256="ab" * 32
    )
    data = tmp_path / "data"
    pulled = konspekt(data, manifest, "pull", "tiny")
    assert pulled.returncode == 1
    assert "not the expected file" in pulled.stderr
    assert list((data / "models").iterdir()) == []


def test_ctrl_c_stops_a_pull_keeps_the_part_and_the_next_pull_resumes(
    tmp_path: Path, server: FileServerState, manifest: Path, tiny_model: Path
) -> None:
    server.pace_s = 0.05
    data = tmp_path / "data"
    part = data / "models" / f"{FILE}.part"
    pulling = subprocess.Popen(
        [sys.executable, "-m", "cli", "--lang", "en", "models", "pull", "tiny"],
        cwd=REPO,
        env=environment(data, manifest),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    pulling.send_signal(signal.SIGINT)
    out, err = pulling.communicate(timeout=60)
    assert pulling.returncode == 130, err
    assert "run the same command to resume" in out
    kept = part.stat().st_size
    assert 0 < kept < len(tiny_model.read_bytes())
    assert not (data / "models" / FILE).exists()

    server.pace_s = 0.0
    resumed = konspekt(data, manifest, "pull", "tiny")
    assert resumed.returncode == 0, resumed.stderr
    assert server.ranges[-1] == f"bytes={kept}-"
    installed = (data / "models" / FILE).read_bytes()
    assert hashlib.sha256(installed).digest() == hashlib.sha256(tiny_model.read_bytes()).digest()


def test_use_before_any_account_writes_the_model_into_the_settings(
    tmp_path: Path, manifest: Path
) -> None:
    data = tmp_path / "data"
    assert konspekt(data, manifest, "pull", "tiny").returncode == 0
    used = konspekt(data, manifest, "use", "tiny")
    assert used.returncode == 0, used.stderr
    assert Settings.load(data).model_path == (data / "models" / FILE).resolve()
