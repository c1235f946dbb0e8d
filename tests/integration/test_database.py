"""The encrypted store: keys, wrong keys, schema versions, migrations."""

import hashlib
import json
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core import DatabaseNewer, Engine, KeyMissing, KnownError, Settings, WrongKey
from core.store import database
from core.store.database import Database
from core.store.migrations import MIGRATIONS
from tests.identity import admin_session
from tests.keyring_memory import InMemoryKeyring


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make_store(settings: Settings) -> None:
    with Engine(settings) as eng:
        eng.kbs.create(admin_session(eng), "Contracts")


def test_first_run_keeps_the_key_in_the_keychain_only(
    settings: Settings, memory_keychain: InMemoryKeyring
) -> None:
    _make_store(settings)
    record = json.loads((settings.data_dir / "keystore.json").read_text())
    assert record["backend"] == "keyring"
    assert record["keychain"] == "tests.keyring_memory.InMemoryKeyring"
    (stored,) = memory_keychain.secrets.values()
    assert len(bytes.fromhex(stored)) == 32
    assert stored not in (settings.data_dir / "keystore.json").read_text()
    assert not settings.key_file.exists()


def test_file_key_store_writes_a_private_key_file(settings: Settings) -> None:
    _make_store(settings.with_changes(key_store="file"))
    mode = stat.S_IMODE(settings.key_file.stat().st_mode)
    assert mode == 0o600
    assert len(bytes.fromhex(settings.key_file.read_text())) == 32


def test_database_file_is_not_plain_sqlite(settings: Settings) -> None:
    _make_store(settings)
    assert not settings.db_path.read_bytes().startswith(b"SQLite format 3")


def test_wrong_key_is_refused_and_nothing_changes(settings: Settings) -> None:
    settings = settings.with_changes(key_store="file")
    _make_store(settings)
    before = _digest(settings.db_path)
    settings.key_file.write_text("ab" * 32)
    with pytest.raises(WrongKey) as info:
        Engine(settings)
    assert str(settings.db_path) in info.value.user_message("en")
    assert "Ключ не подходит" in info.value.user_message("ru")
    assert _digest(settings.db_path) == before


def test_key_gone_from_the_keychain_is_refused_and_database_kept(
    settings: Settings, memory_keychain: InMemoryKeyring
) -> None:
    _make_store(settings)
    before = _digest(settings.db_path)
    memory_keychain.secrets.clear()
    with pytest.raises(KeyMissing, match="key recover"):
        Engine(settings)
    assert _digest(settings.db_path) == before


def test_lost_key_record_is_refused_and_database_kept(settings: Settings) -> None:
    _make_store(settings)
    before = _digest(settings.db_path)
    (settings.data_dir / "keystore.json").unlink()
    with pytest.raises(KeyMissing):
        Engine(settings)
    assert _digest(settings.db_path) == before


def test_key_file_readable_by_others_is_refused(settings: Settings) -> None:
    settings = settings.with_changes(key_store="file")
    _make_store(settings)
    os.chmod(settings.key_file, 0o644)
    with pytest.raises(KnownError, match="chmod 600"):
        Engine(settings)


def test_env_key_is_used_when_it_is_set_and_required_after(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSPEKT_DB_KEY", "cd" * 32)
    _make_store(settings)
    assert not settings.key_file.exists()
    with Engine(settings) as eng:
        names = [kb.name for kb in eng.kbs.visible(admin_session(eng))]
        assert names == ["~admin", "Contracts"]
    monkeypatch.delenv("KONSPEKT_DB_KEY")
    with pytest.raises(KeyMissing, match="KONSPEKT_DB_KEY"):
        Engine(settings)


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


def _resident_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
def test_many_read_connections_share_one_memory_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each connection may cache 64 MiB of pages; a server's many reader threads together
    # stay under the process-wide limit (here made small to show it).
    usual = database.HEAP_LIMIT_MIB
    monkeypatch.setattr(database, "HEAP_LIMIT_MIB", 8)
    db = Database(tmp_path / "k.db", os.urandom(32))
    try:
        with db.write() as con:
            con.execute("CREATE TABLE filler (x BLOB)")
            con.executemany(
                "INSERT INTO filler VALUES (?)", ((os.urandom(1000),) for _ in range(30_000))
            )
        before = _resident_mib()
        with ThreadPoolExecutor(4) as pool:  # four threads, four read connections, all kept
            totals = list(
                pool.map(lambda _: db.query("SELECT sum(length(x)) FROM filler"), range(4))
            )
        grown = _resident_mib() - before
        assert totals == [[(30_000_000,)]] * 4
        assert grown < 60, f"{grown:.0f} MiB for four caches of a 30 MB table"  # ~120 unbounded
        assert db.query("PRAGMA soft_heap_limit")[0][0] == 8 * 2**20
    finally:
        db.query(f"PRAGMA soft_heap_limit = {usual * 2**20}")  # the limit is the process's
        db.close()
