"""`konspekt settings` and IT's policy as a user types them (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import Engine, Policy, Settings
from tests.conftest import REPO
from tests.identity import ADMIN, PASSWORD


def konspekt(data: Path, policy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_POLICY": str(policy),
        "KONSPEKT_USER": ADMIN,
        "KONSPEKT_PASSWORD": PASSWORD,
        "KONSPEKT_THREADS": "1",
        "COLUMNS": "250",
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A set-up data folder (its key in a file), made before IT wrote a policy."""
    folder = tmp_path / "data"
    settings = Settings.load(folder, policy=Policy(), key_store="file", password_hash_ms=5)
    with Engine(settings) as engine:
        engine.identity.setup(ADMIN, PASSWORD)
    return folder


@pytest.fixture
def policy(tmp_path: Path, data: Path) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(
        "[locked]\n"
        f'data_dir = "{data}"\n'
        'key_store = "file"\n'
        "temperature = 0.1\n"
        "allow_export = false\n"
        "updates = false\n"
        "\n[defaults]\n"
        "sources = 4\n",
        encoding="utf-8",
    )
    return path


def test_settings_show_marks_what_the_policy_locks_and_presets(data: Path, policy: Path) -> None:
    shown = konspekt(data, policy, "--lang", "en", "settings")
    assert shown.returncode == 0, shown.stderr
    lines = {line.split("│")[1].strip(): line for line in shown.stdout.splitlines() if "│" in line}
    assert f"IT policy: {policy}" in shown.stdout
    assert "🔒 locked by" in lines["temperature"]
    assert "0.1" in lines["temperature"]
    assert "🔒 locked by" in lines["allow_export"]
    assert "preset by" in lines["sources"]
    assert "locked" not in lines["n_ctx"]
    assert "never checks for updates" in lines["updates"]
    russian = konspekt(data, policy, "--lang", "ru", "settings", "show")
    assert "закреплено" in russian.stdout


def test_a_locked_setting_is_refused_with_the_policy_named_and_others_change(
    data: Path, policy: Path
) -> None:
    refused = konspekt(data, policy, "--lang", "en", "settings", "set", "temperature", "0.7")
    assert refused.returncode == 1
    assert "temperature is locked by your IT policy" in refused.stderr
    assert str(policy) in refused.stderr.replace("\n", "")
    ru = konspekt(data, policy, "--lang", "ru", "settings", "unset", "allow_export")
    assert ru.returncode == 1
    assert "закреплён политикой ИТ" in ru.stderr
    changed = konspekt(data, policy, "--lang", "en", "settings", "set", "n_ctx", "3072")
    assert changed.returncode == 0, changed.stderr
    assert "n_ctx = 3072" in changed.stdout
    assert "n_ctx = 3072" in (data / "konspekt.toml").read_text()
    wrong = konspekt(data, policy, "--lang", "en", "settings", "set", "n_ctx", "big")
    assert wrong.returncode == 1
    assert "must be a whole number" in wrong.stderr
    back = konspekt(data, policy, "--lang", "en", "settings", "unset", "n_ctx")
    assert back.returncode == 0, back.stderr
    assert "n_ctx" not in (data / "konspekt.toml").read_text()
    fixed = konspekt(data, policy, "--lang", "en", "settings", "set", "embedder", "minilm")
    assert fixed.returncode == 1
    assert "fixed while Konspekt runs" in fixed.stderr


def test_a_flag_asking_for_another_locked_value_is_refused(
    data: Path, policy: Path, tmp_path: Path
) -> None:
    other = konspekt(data, policy, "--lang", "en", "--data-dir", str(tmp_path / "x"), "docs")
    assert other.returncode == 1
    assert "data_dir is locked by your IT policy" in other.stderr
    assert not (tmp_path / "x").exists()
    store = konspekt(data, policy, "--lang", "en", "--key-store", "keyring", "docs")
    assert store.returncode == 1
    assert "key_store is locked" in store.stderr
    same = konspekt(data, policy, "--lang", "en", "--key-store", "file", "docs")
    assert same.returncode == 0, same.stderr
    backup = tmp_path / "any.backup"
    restore = konspekt(
        data, policy, "--lang", "en", "--key-store", "keyring", "restore", str(backup), "--yes"
    )
    assert restore.returncode == 1, "restore has no login, but the lock holds there too"
    assert "key_store is locked" in restore.stderr


def test_a_malformed_policy_stops_every_command_with_its_path_and_line(
    data: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[locked]\nallow_export = false\nallow_exprot = false\n", encoding="utf-8")
    for args in (["docs"], ["settings"], ["ask", "hello"]):
        run = konspekt(data, bad, "--lang", "en", *args)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        message = run.stderr.replace("\n", "")
        assert f"{bad}, line 3," in message
        assert "'allow_exprot' is not a Konspekt setting" in message
        assert run.stdout == ""
    ru = konspekt(data, bad, "--lang", "ru", "docs")
    assert "(строка 3)" in ru.stderr
