"""The real desktop app on a real X server (Xvfb): first run, ingest, ask, screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.conftest import REPO


@pytest.fixture
def display() -> Iterator[str]:
    """A private Xvfb display (CI installs xvfb; elsewhere the test is skipped without it)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: .ci/run installs it")
        pytest.skip("Xvfb is not installed")
    number = 90 + os.getpid() % 9
    server = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_desktop_runs_on_a_real_display_and_shows_an_answer(
    display: str, corpus: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "konspekt.toml").write_text("password_hash_ms = 20\nmax_answer_tokens = 120\n")
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_KEY_STORE": "file",
        "KONSPEKT_CORPUS": str(corpus),
    }
    shots = tmp_path / "shots"
    run = subprocess.run(
        [sys.executable, "-m", "tests.e2e.desktop_driver", str(shots)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    for name in ("setup-en", "library-en", "watch-en", "maintenance-en", "chat-en", "source-en"):
        image = QImage(str(shots / f"{name}.png"))
        assert (image.width(), image.height()) == (1280, 800)
        colours = {image.pixel(x, y) for x in range(0, 1280, 37) for y in range(0, 800, 29)}
        assert len(colours) > 3, f"{name}.png looks blank"
