"""Run the real CLI in a subprocess as a user types it (KONSPEKT_* from the environment)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.identity import ADMIN, PASSWORD


def konspekt(
    data: Path, *args: str, user: str = ADMIN, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    """`konspekt ARGS` on the data folder `data`, logged in as `user`; output captured."""
    env = {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_USER": user,
        "KONSPEKT_PASSWORD": PASSWORD,
        "KONSPEKT_THREADS": "1",
        "COLUMNS": str(columns),
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
