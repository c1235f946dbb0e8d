"""`konspekt remote …` and `konspekt sync` as a user types them, against a real team server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import Engine, Role, Settings
from tests.conftest import REPO
from tests.fakes import FakeEmbedder
from tests.identity import ADMIN, PASSWORD, admin_session
from tests.server.running import RunningServer
from tests.server.sync_world import ingest, server_user, write

HANDBOOK = "Handbook"


def konspekt(
    data: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process on the desktop folder `data`, as a script would run it."""
    return subprocess.run(
        [sys.executable, "-m", "cli", "--lang", "en", *args],
        cwd=REPO,
        env={**cli_env(data), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def cli_env(data: Path) -> dict[str, str]:
    """The environment of a scripted CLI: data folder, local and server passwords."""
    return {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(data),
        "KONSPEKT_USER": ADMIN,
        "KONSPEKT_PASSWORD": PASSWORD,
        "KONSPEKT_REMOTE_PASSWORD": PASSWORD,
        "KONSPEKT_THREADS": "1",
        "COLUMNS": "200",
        "PYTHONUNBUFFERED": "1",
    }


def desktop_store(folder: Path) -> Path:
    """A desktop's data folder with its admin; the key in a file so other processes open it."""
    settings = Settings.load(folder, key_store="file", password_hash_ms=5, embed_threads=1)
    with Engine(settings) as engine:
        engine.identity.setup(ADMIN, PASSWORD)
    return folder


@pytest.fixture(scope="module")
def handbook(server: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Three documents in the server's Handbook, shared with the member mia."""
    engine = server.engine
    admin = admin_session(engine)
    engine.kbs.create(admin, HANDBOOK)
    docs = tmp_path_factory.mktemp("docs")
    paths = [
        write(docs, f"rule{i}.txt", f"Rule {i}: lights off at {18 + i} o'clock.") for i in range(3)
    ]
    ingest(engine, admin, paths, HANDBOOK)
    server_user(server, "mia", Role.MEMBER)
    engine.kbs.share(admin, HANDBOOK, user="mia")
    return HANDBOOK


def test_add_list_keep_sync_and_kbs_from_the_command_line(
    server: RunningServer, handbook: str, tmp_path: Path
) -> None:
    data = desktop_store(tmp_path / "desk")
    added = konspekt(
        data,
        "remote",
        "add",
        server.url,
        "--user",
        "mia",
        "--fingerprint",
        server.fingerprint.lower().replace(":", ""),
    )
    assert added.returncode == 0, added.stderr
    assert server.fingerprint in added.stdout
    assert "Connected to" in added.stdout
    assert "as mia" in added.stdout
    listed = konspekt(data, "remote", "list")
    assert listed.returncode == 0, listed.stderr
    assert server.url in listed.stdout
    assert "mia" in listed.stdout
    assert server.fingerprint in "".join(listed.stdout.replace("│", "").split())

    synced = konspekt(data, "sync", "--keep", handbook)
    assert synced.returncode == 0, synced.stderr
    assert "is kept on this computer" in synced.stdout
    copied = [line for line in synced.stdout.splitlines() if " copied " in line]
    assert len(copied) == 3, synced.stdout
    assert copied[-1].split()[-2] == "3/3"
    assert "3 added, 0 changed, 0 removed" in synced.stdout
    assert "computed the vectors again" in synced.stdout  # the server runs FakeEmbedder

    kbs = konspekt(data, "remote", "kbs")
    assert kbs.returncode == 0, kbs.stderr
    row = next(line for line in kbs.stdout.splitlines() if f"{handbook} (127.0.0.1)" in line)
    cells = [c.strip() for c in row.split("│")]
    assert "3" in cells
    assert "yes" in cells
    assert any(c[:4].isdigit() for c in cells), "the synced time is shown"
    personal = next(line for line in kbs.stdout.splitlines() if "~mia" in line)
    assert "no" in [c.strip() for c in personal.split("│")]

    again = konspekt(data, "sync")
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 changed, 0 removed" in again.stdout
    assert " copied " not in again.stdout

    dropped = konspekt(data, "sync", "--drop", handbook)
    assert dropped.returncode == 0, dropped.stderr
    assert "was deleted" in dropped.stdout
    kbs = konspekt(data, "remote", "kbs")
    row = next(line for line in kbs.stdout.splitlines() if f"{handbook} (127.0.0.1)" in line)
    assert "no" in [c.strip() for c in row.split("│")]


def test_a_wrong_fingerprint_is_refused_with_both_fingerprints(
    server: RunningServer, handbook: str, tmp_path: Path
) -> None:
    data = desktop_store(tmp_path / "desk")
    wrong = "AB:" * 31 + "CD"
    refused = konspekt(data, "remote", "add", server.url, "--user", "mia", "--fingerprint", wrong)
    assert refused.returncode == 1
    message = "".join(refused.stderr.split())  # the console wraps long lines anywhere
    assert wrong in message
    assert server.fingerprint in message
    assert "Nothingwassent" in message
    unconfirmed = konspekt(data, "remote", "add", server.url, "--user", "mia")  # no terminal
    assert unconfirmed.returncode == 1
    assert "--fingerprint" in unconfirmed.stderr
    listed = konspekt(data, "remote", "list")
    assert "No team servers" in listed.stdout


def test_publish_copies_a_local_knowledge_base_to_the_server(
    server: RunningServer, tmp_path: Path
) -> None:
    data = desktop_store(tmp_path / "desk")
    with Engine(Settings.load(data), embedder=FakeEmbedder()) as engine:
        session = admin_session(engine)
        engine.kbs.create(session, "Field notes")
        ingest(
            engine, session, [write(tmp_path / "n", "north.txt", "The north gate.")], "Field notes"
        )
    joined = konspekt(data, "remote", "add", server.url, "--fingerprint", server.fingerprint)
    assert joined.returncode == 0, joined.stderr
    published = konspekt(data, "publish", "Field notes")  # the only server joined
    assert published.returncode == 0, published.stderr
    assert "published north.txt" in published.stdout
    names = [
        d.name for d in server.engine.documents.all(admin_session(server.engine), "Field notes")
    ]
    assert names == ["north.txt"]


def test_out_of_reach_sync_fails_with_status_2_and_ask_answers_from_the_copy(
    server: RunningServer, handbook: str, tmp_path: Path, tiny_model: Path
) -> None:
    data = desktop_store(tmp_path / "desk")
    joined = konspekt(
        data, "remote", "add", server.url, "--user", "mia", "--fingerprint", server.fingerprint
    )
    assert joined.returncode == 0, joined.stderr
    assert konspekt(data, "sync", "--keep", handbook).returncode == 0
    with Engine(Settings.load(data)) as engine, engine.context.db.write() as con:
        con.execute("UPDATE remotes SET url = 'https://127.0.0.1:9'")  # nothing listens there
    failed = konspekt(data, "sync")
    assert failed.returncode == 2
    assert "cannot be reached" in failed.stderr
    asked = konspekt(
        data,
        "ask",
        "--kb",
        f"{handbook} (127.0.0.1)",
        "When are the lights off?",
        env={"KONSPEKT_MODEL": str(tiny_model)},
    )
    assert asked.returncode == 0, asked.stderr
    assert "Offline — answering from the copy synced at" in asked.stderr
    assert "rule" in asked.stdout  # its sources: the copied documents
