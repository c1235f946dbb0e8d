"""The encrypted store: keys, wrong keys, schema versions, migrations."""

import hashlib
import os
import stat
from pathlib import Path

import pytest

from core import DatabaseNewer, Engine, KeyMissing, KnownError, Settings, WrongKey
from core.store.database import Database
from core.store.migrations import MIGRATIONS


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store(settings: Settings) -> None:
    with Engine(settings) as eng:
        eng.create_knowledge_base("Contracts")


def test_first_run_creates_a_private_key_file(settings: Settings) -> None:
    _make_store(settings)
    mode = stat.S_IMODE(settings.key_file.stat().st_mode)
    assert mode == 0o600
    assert len(bytes.fromhex(settings.key_file.read_text())) == 32


def test_database_file_is_not_plain_sqlite(settings: Settings) -> None:
    _make_store(settings)
    assert not settings.db_path.read_bytes().startswith(b"SQLite format 3")


def test_wrong_key_is_refused_and_nothing_changes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _make_store(settings)
    before = _digest(settings.db_path)
    monkeypatch.setenv("KONSPEKT_DB_KEY", "ab" * 32)
    with pytest.raises(WrongKey) as info:
        Engine(settings)
    assert str(settings.db_path) in info.value.user_message("en")
    assert "Ключ не подходит" in info.value.user_message("ru")
    assert _digest(settings.db_path) == before


def test_missing_key_is_refused_and_database_kept(settings: Settings) -> None:
    _make_store(settings)
    before = _digest(settings.db_path)
    settings.key_file.unlink()
    with pytest.raises(KeyMissing):
        Engine(settings)
    assert _digest(settings.db_path) == before
    assert not settings.key_file.exists()


def test_key_file_readable_by_others_is_refused(settings: Settings) -> None:
    _make_store(settings)
    os.chmod(settings.key_file, 0o644)
    with pytest.raises(KnownError, match="chmod 600"):
        Engine(settings)


def test_env_key_opens_a_store_without_key_file(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSPEKT_DB_KEY", "cd" * 32)
    _make_store(settings)
    assert not settings.key_file.exists()
    with Engine(settings) as eng:
        assert [kb.name for kb in eng.knowledge_bases()] == ["Contracts"]


def test_malformed_env_key_is_explained(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSPEKT_DB_KEY", "not-hex")
    with pytest.raises(KnownError, match="64 hexadecimal"):
        Engine(settings)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    key = os.urandom(32)
    db = Database(tmp_path / "k.db", key)
    with db.write() as con:
        con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(DatabaseNewer, match="newer Konspekt"):
        Database(tmp_path / "k.db", key)


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    key = os.urandom(32)
    Database(tmp_path / "k.db", key).close()
    db = Database(tmp_path / "k.db", key)
    names = [r[0] for r in db.query("SELECT name FROM _migrations")]
    assert names == [m.__name__ for m in MIGRATIONS]
    assert db.query("PRAGMA user_version")[0][0] == len(MIGRATIONS)
    assert db.integrity_errors() == []
    db.close()


def test_failed_write_rolls_back(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db", os.urandom(32))

    def failing_write() -> None:
        with db.write() as con:
            con.execute("INSERT INTO knowledge_bases (name, created_at) VALUES ('x', 0)")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_write()
    assert db.query("SELECT count(*) FROM knowledge_bases")[0][0] == 0
    db.close()
