"""`konspekt watch | maintenance | backup | restore` as a user types them (subprocesses)."""

from __future__ import annotations

from pathlib import Path

from core import Engine, Settings
from tests.cli_run import konspekt
from tests.identity import ADMIN, PASSWORD


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

    added = konspekt(data, "--lang", "en", "watch", "add", str(inbox), "--kb", "Team")
    assert added.returncode == 0, added.stderr
    assert "Team now follows" in added.stdout
    assert "up to date" in added.stdout
    listed = konspekt(data, "--lang", "en", "watch")
    assert str(inbox) in listed.stdout

    made = konspekt(data, "--lang", "en", "backup")
    assert made.returncode == 0, made.stderr
    assert "Backup written" in made.stdout
    assert ".kbackup" in konspekt(data, "--lang", "en", "backup", "list").stdout
    checked = konspekt(data, "--lang", "en", "maintenance")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "integrity" in checked.stdout

    (inbox / "later.md").write_text("# Later\n\nAdded after the backup.\n")
    assert konspekt(data, "--lang", "en", "watch", "scan").returncode == 0
    [backup] = sorted((data / "backups").glob("*.kbackup"))
    refused = konspekt(
        data, "--lang", "en", "restore", str(backup)
    )  # no terminal: must confirm with --yes
    assert refused.returncode == 1
    assert "--yes" in refused.stderr
    restored = konspekt(data, "--lang", "en", "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    docs = konspekt(data, "--lang", "en", "docs", "--kb", "Team")
    assert "notes.md" in docs.stdout
    assert "later.md" not in docs.stdout, "the data is as it was at the backup"

    other = make_store(tmp_path / "other")
    assert konspekt(other, "--lang", "en", "backup").returncode == 0
    [foreign] = sorted((other / "backups").glob("*.kbackup"))
    wrong = konspekt(data, "--lang", "en", "restore", str(foreign), "--yes")
    assert wrong.returncode == 1
    assert "another database key" in wrong.stderr
