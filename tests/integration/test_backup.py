"""Maintenance and encrypted backups on the real stores: round trip, wrong key, damage."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from core import (
    DatabaseCorrupt,
    Engine,
    KnownError,
    PermissionDenied,
    Role,
    Settings,
    WrongKey,
)
from core.services import upkeep
from tests.documents import SENTENCES, make_all
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session, user_session

SECRET_CHAT = "Where did we hide the zebra-crossing budget?"


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Backups are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file's hash under `folder` (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "konspekt.lock"
    }


@pytest.fixture
def filled(settings: Settings, embedder: FakeEmbedder, tmp_path: Path) -> tuple[Settings, str]:
    """A data folder with documents, a chat; returns its settings and recovery code."""
    with Engine(settings, embedder=embedder) as engine:
        code = engine.identity.setup("admin", PASSWORD).recovery_code
        admin = engine.identity.login("admin", PASSWORD)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent], kb="Team"))
        chat = engine.chats.create(admin)
        list(engine.answers.ask(admin, SECRET_CHAT, chat=chat.id))
    return settings, code


def test_a_backup_restores_documents_vectors_and_chats_and_keeps_the_old_data_aside(
    filled: tuple[Settings, str], embedder: FakeEmbedder, tmp_path: Path
) -> None:
    settings, _ = filled
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        result = engine.upkeep.backup(admin)
        assert result.ok, result.detail()
        [made] = engine.upkeep.backups(admin)
        before = {d.name for d in engine.documents.all(admin, "Team")}
        engine.kbs.delete(admin, "Team")
    raw = made.read_bytes()
    assert raw.startswith(b"KONSPEKT-BACKUP-1\n")
    for secret in (SECRET_CHAT, SENTENCES["docx"], "violet pebbles"):
        assert secret.encode() not in raw, "backups are sealed"
        assert secret.encode("utf-16-le") not in raw

    restored = Engine.restore(settings, made)
    assert restored.recovery_code == ""
    assert (restored.previous / "konspekt.db").exists(), "the replaced data is kept aside"
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        assert {d.name for d in engine.documents.all(admin, "Team")} == before
        hits = engine.answers.search(admin, "lighthouse keeper", "Team")
        assert hits, "the vectors came back with the rows"
        [chat] = engine.chats.all(admin)
        assert engine.chats.messages(admin, chat.id)[0].text == SECRET_CHAT


def test_a_backup_under_another_key_or_damaged_changes_nothing(
    filled: tuple[Settings, str], embedder: FakeEmbedder, tmp_path: Path
) -> None:
    settings, _ = filled
    other = Settings.load(tmp_path / "other", n_threads=1, password_hash_ms=5)
    with Engine(other, embedder=embedder) as engine:
        foreign = engine.upkeep.backup(admin_session(engine))
    foreign_file = Path(foreign.value("path"))
    with Engine(settings, embedder=embedder) as engine:
        mine = Path(engine.upkeep.backup(admin_session(engine)).value("path"))
    state = fingerprint(settings.data_dir)

    with pytest.raises(WrongKey) as wrong:
        Engine.restore(settings, foreign_file)
    assert "recovery code" in str(wrong.value)
    damaged = tmp_path / "damaged.kbackup"
    data = bytearray(mine.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    with pytest.raises(KnownError, match="damaged"):
        Engine.restore(settings, damaged)
    cut = tmp_path / "cut.kbackup"
    cut.write_bytes(mine.read_bytes()[: len(data) // 2])
    with pytest.raises(KnownError, match="damaged"):
        Engine.restore(settings, cut)
    not_backup = tmp_path / "notes.kbackup"
    not_backup.write_text("hello")
    with pytest.raises(KnownError, match="not a Konspekt backup"):
        Engine.restore(settings, not_backup)
    assert fingerprint(settings.data_dir) == state, "nothing changed"


def test_restore_refuses_while_the_app_runs(
    filled: tuple[Settings, str], embedder: FakeEmbedder
) -> None:
    settings, _ = filled
    with Engine(settings, embedder=embedder) as engine:
        made = Path(engine.upkeep.backup(admin_session(engine)).value("path"))
        with pytest.raises(KnownError, match="running"):
            Engine.restore(settings, made)


def test_a_new_machine_restores_with_the_recovery_code(
    filled: tuple[Settings, str], embedder: FakeEmbedder, tmp_path: Path
) -> None:
    settings, code = filled
    with Engine(settings, embedder=embedder) as engine:
        made = Path(engine.upkeep.backup(admin_session(engine)).value("path"))
    fresh = Settings.load(tmp_path / "new-machine", n_threads=1, password_hash_ms=5)
    with pytest.raises(KnownError, match="recovery"):
        Engine.restore(fresh, made)
    restored = Engine.restore(fresh, made, recovery_code=code)
    assert restored.recovery_code
    assert restored.recovery_code != code, "the typed code is replaced"
    with Engine(fresh, embedder=embedder) as engine:
        admin = engine.identity.login("admin", PASSWORD)
        assert {d.name for d in engine.documents.all(admin, "Team")}


def test_a_backup_from_before_a_key_rotation_opens_with_the_code_of_its_time(
    filled: tuple[Settings, str], embedder: FakeEmbedder
) -> None:
    settings, old_code = filled
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        made = Path(engine.upkeep.backup(admin).value("path"))
        new_code = engine.keys.rotate(admin)
    state = fingerprint(settings.data_dir)
    with pytest.raises(WrongKey):
        Engine.restore(settings, made)  # the current key is not the one it was sealed under
    with pytest.raises(WrongKey):
        Engine.restore(settings, made, recovery_code=new_code)
    assert fingerprint(settings.data_dir) == state, "a refused restore changes nothing"
    restored = Engine.restore(settings, made, recovery_code=old_code)
    assert restored.recovery_code not in ("", old_code, new_code), "re-keyed, a new code"
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        assert {d.name for d in engine.documents.all(admin, "Team")}
        [chat] = engine.chats.all(admin)
        assert engine.chats.messages(admin, chat.id)[0].text == SECRET_CHAT


def test_scheduled_backups_rotate_and_maintenance_is_logged(
    filled: tuple[Settings, str], embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = filled
    settings = settings.with_changes(backup_keep=2)
    monkeypatch.setattr(upkeep, "UPKEEP_FIRST_S", 0.0)
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        engine.start_background()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not engine.upkeep.backups(admin):
            time.sleep(0.2)
        engine.stop_background()
        tasks = {r.task: r for r in engine.upkeep.log(admin)}
        assert set(tasks) == {"vectors", "database", "integrity", "files", "backup"}
        assert all(r.ok for r in tasks.values()), tasks
        assert tasks["integrity"].detail() == "no problems found"
        assert tasks["integrity"].detail("ru") == "проблем не найдено"
        for _ in range(3):
            assert engine.upkeep.backup(admin).ok
        assert len(engine.upkeep.backups(admin)) == 2, "older backups rotated out"
        member = user_session(engine, admin, "mia", Role.MEMBER)
        with pytest.raises(PermissionDenied):
            engine.upkeep.maintain(member)
        with pytest.raises(PermissionDenied):
            engine.upkeep.backup(member)


def test_maintenance_finds_a_damaged_page(
    filled: tuple[Settings, str], embedder: FakeEmbedder
) -> None:
    """A page the start-up never reads goes bad: the integrity task reports it.

    (Damage on a page read at start-up stops the engine with DatabaseCorrupt instead.)
    """
    settings, _ = filled
    original = settings.db_path.read_bytes()
    page = 4096
    pages = len(original) // page
    assert pages > 8
    refused = 0
    for n in range(pages - 1, 1, -1):
        data = bytearray(original)
        data[n * page + page // 2] ^= 0xFF
        settings.db_path.write_bytes(bytes(data))
        try:
            engine = Engine(settings, embedder=embedder)
        except DatabaseCorrupt:  # a page read at start-up: refused with a clear error
            refused += 1
            continue
        with engine:
            results = {r.task: r for r in engine.upkeep.maintain(admin_session(engine))}
        assert not results["integrity"].ok
        assert "damaged" in results["integrity"].detail()
        return
    pytest.fail(f"every page was read at start-up ({refused} refused)")
