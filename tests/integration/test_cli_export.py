"""`konspekt export chat` and `konspekt kb export|import` as a user types them (subprocesses)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from core import Engine, Policy, Settings
from tests.cli_run import konspekt as run_cli
from tests.fakes import FakeEmbedder
from tests.identity import ADMIN, PASSWORD

PASSPHRASE = "harbour lights at dusk"


def konspekt(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in English, wide enough for the bundle paths in its tables."""
    return run_cli(data, "--lang", "en", *args, columns=250)


def _data(folder: Path, notes: Path | None = None) -> int:
    """A set-up data folder (key in a file); with `notes`, a KB of them and a chat: its id."""
    settings = Settings.load(folder, policy=Policy(), key_store="file", password_hash_ms=5)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = engine.identity.setup(ADMIN, PASSWORD).session
        if notes is None:
            return 0
        list(engine.documents.ingest(admin, [notes], kb="Harbour"))
        return engine.chats.create(admin, "Причалы и маяки").id


def test_a_chat_and_a_knowledge_base_leave_and_arrive_from_the_command_line(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "harbour.md"
    notes.write_text("# Harbour\n\nThe harbour lights are lit at dusk by the pilot.\n")
    chat_id = _data(tmp_path / "one", notes)
    _data(tmp_path / "two")
    pdf = konspekt(
        tmp_path / "one",
        "export",
        "chat",
        str(chat_id),
        "--format",
        "pdf",
        "-o",
        str(tmp_path / "chat.pdf"),
    )
    assert pdf.returncode == 0, pdf.stderr
    assert "not encrypted" in pdf.stdout
    assert (tmp_path / "chat.pdf").read_bytes().startswith(b"%PDF-")
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    bundle = tmp_path / "harbour.kbundle"
    out = konspekt(
        tmp_path / "one",
        "kb",
        "export",
        "Harbour",
        "-o",
        str(bundle),
        "--passphrase-file",
        str(secret),
    )
    assert out.returncode == 0, out.stderr
    assert "Harbour: 1 document(s)" in out.stdout
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("harbour lights at dawn\n")
    refused = konspekt(
        tmp_path / "two", "kb", "import", str(bundle), "--passphrase-file", str(wrong)
    )
    assert refused.returncode == 1
    assert "Wrong passphrase" in refused.stderr
    into = konspekt(tmp_path / "two", "kb", "import", str(bundle), "--passphrase-file", str(secret))
    assert into.returncode == 0, into.stderr
    assert "Imported as «Harbour»: 1 document(s)" in into.stdout
    assert "re-embedded" in into.stdout  # made with the fake embedder, arriving at e5
    listed = konspekt(tmp_path / "two", "kb")
    assert "Harbour" in listed.stdout
    for run in (out, refused, into):
        assert PASSPHRASE not in run.stdout + run.stderr
        assert "dawn" not in run.stdout + run.stderr


def test_a_bundle_passphrase_is_never_read_from_a_pipe(tmp_path: Path) -> None:
    notes = tmp_path / "harbour.md"
    notes.write_text("# Harbour\n\nThe pilot lights the harbour.\n")
    _data(tmp_path / "one", notes)
    refused = konspekt(tmp_path / "one", "kb", "export", "Harbour", "-o", str(tmp_path / "x"))
    assert refused.returncode == 1
    assert "--passphrase-file" in refused.stderr
    assert not (tmp_path / "x").exists()
