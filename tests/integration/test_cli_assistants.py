"""`konspekt assistant`, `konspekt templates` and `ask --template` on a real data folder."""

from __future__ import annotations

from pathlib import Path

from core import Engine, Settings
from tests.identity import ADMIN, PASSWORD
from tests.integration.test_cli_upkeep import konspekt


def _store(tmp_path: Path) -> Settings:
    settings = Settings.load(tmp_path / "data", key_store="file", password_hash_ms=5)
    with Engine(settings) as engine:
        admin = engine.identity.setup(ADMIN, PASSWORD).session
        engine.kbs.create(admin, "Contracts")
    return settings


def test_assistant_is_set_from_a_file_and_shown(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    prompt = tmp_path / "prompt.txt"
    prompt.write_text("Answer formally, in Russian.", encoding="utf-8")
    data = tmp_path / "data"
    changed = konspekt(
        data, "assistant", "Contracts", "--prompt-file", str(prompt), "--passages", "3",
        "--description", "Leases and NDAs",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    shown = konspekt(data, "assistant", "Contracts")
    assert "Answer formally, in Russian." in shown.stdout
    assert "Passages per answer: 3" in shown.stdout
    assert f"Temperature: default ({settings.temperature})" in shown.stdout
    refused = konspekt(data, "assistant", "Contracts", "--temperature", "2")
    assert refused.returncode == 1
    assert "from 0.0 to 1.5" in refused.stderr
    listed = konspekt(data, "kb")
    assert listed.returncode == 0


def test_templates_are_added_listed_asked_and_removed(tmp_path: Path) -> None:
    settings = _store(tmp_path)
    data = tmp_path / "data"
    added = konspekt(
        data, "templates", "add", "Summary", "Summarise {document}", "--kb", "Contracts"
    )
    assert added.returncode == 0, added.stderr
    listed = konspekt(data, "templates")
    assert "Summarise {document}" in listed.stdout
    assert "Contracts" in listed.stdout
    missing = konspekt(data, "ask", "--template", "Summary", "--kb", "Contracts")
    assert missing.returncode == 1
    assert "No value for the placeholder “document”" in missing.stderr
    asked = konspekt(
        data, "ask", "--template", "summary", "--set", "document=lease.pdf", "--kb", "Contracts",
        "--new-chat",
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    removed = konspekt(data, "templates", "remove", "Summary", "--kb", "Contracts")
    assert removed.returncode == 0, removed.stderr
    with Engine(settings) as engine:
        admin = engine.identity.login(ADMIN, PASSWORD)
        assert [c.title for c in engine.chats.all(admin)] == ["Summarise lease.pdf"]
        assert engine.templates.visible(admin) == []
