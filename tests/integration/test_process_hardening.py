"""An engine turns core dumps off before it holds the key (checked in a fresh process)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CHILD = """
import ctypes, ctypes.util, json, resource, sys
from pathlib import Path
from core import Engine, Settings

libc = ctypes.CDLL(ctypes.util.find_library("c"))
PR_GET_DUMPABLE = 3
before = [resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)]
settings = Settings.load(Path(sys.argv[1]), key_store="file", password_hash_ms=5)
with Engine(settings):
    after = [resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)]
print(json.dumps({"before": before, "after": after}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_an_engine_forbids_core_dumps(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "data")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"][1] == 1, "a fresh process is dumpable (the test can tell)"
    assert seen["after"] == [[0, 0], 0]
