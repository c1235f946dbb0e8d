"""`konspekt watch | maintenance | backup | restore` as a user types them (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core import Engine, Settings
from tests.conftest import REPO
from tests.identity import ADMIN, PASSWORD


def konspekt(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_USER": ADMIN,
        "KONSPEKT_PASSWORD": PASSWORD,
        "KONSPEKT_THREADS": "1",
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", "--lang", "en", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_store(folder: Path) -> Path:
    settings = Settings.load(folder, key_store="file", password_hash_ms=5)
    with Engine(settings) as engine:
        engine.identity.setup(ADMIN, PASSWORD)
    return folder


def test_watch_backup_maintenance_and_restore_from_the_command_line(tmp_path: Path) -> None:
    data = make_store(tmp_path / "data")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.md").write_text("# Notes\n\nThe ferry leaves at noon.\n")

    added = konspekt(data, "watch", "add", str(inbox), "--kb", "Team")
    assert added.returncode == 0, added.stderr
    assert "Team now follows" in added.stdout
    assert "up to date" in added.stdout
    listed = konspekt(data, "watch")
    assert str(inbox) in listed.stdout

    made = konspekt(data, "backup")
    assert made.returncode == 0, made.stderr
    assert "Backup written" in made.stdout
    assert ".kbackup" in konspekt(data, "backup", "list").stdout
    checked = konspekt(data, "maintenance")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "integrity" in checked.stdout

    (inbox / "later.md").write_text("# Later\n\nAdded after the backup.\n")
    assert konspekt(data, "watch", "scan").returncode == 0
    [backup] = sorted((data / "backups").glob("*.kbackup"))
    refused = konspekt(data, "restore", str(backup))  # no terminal: must confirm with --yes
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    restored = konspekt(data, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    docs = konspekt(data, "docs", "--kb", "Team")
    assert "notes.md" in docs.stdout
    assert "later.md" not in docs.stdout, "the data is as it was at the backup"

    other = make_store(tmp_path / "other")
    assert konspekt(other, "backup").returncode == 0
    [foreign] = sorted((other / "backups").glob("*.kbackup"))
    wrong = konspekt(data, "restore", str(foreign), "--yes")
    assert wrong.returncode == 1
    assert "another database key" in wrong.stderr
