"""Where the database key lives: keychain, passphrase, recovery code, rotation, crashes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from core import (
    Engine,
    KeyBackendChanged,
    KeychainUnavailable,
    KeyMissing,
    PassphraseRequired,
    Settings,
    WrongKey,
)
from core.security import audit
from tests.conftest import REPO
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.keyring_memory import InMemoryKeyring


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Keys are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


class OtherKeyring(InMemoryKeyring):
    """A different keychain implementation (as when a desktop session changes)."""


def _setup(settings: Settings, **kwargs: str) -> str:
    with Engine(settings, **kwargs) as engine:
        code = engine.identity.setup("admin", "correct horse battery").recovery_code
        engine.kbs.create(admin_session(engine), "Contracts")
    return code


def _kb_names(settings: Settings, **kwargs: str) -> list[str]:
    with Engine(settings, **kwargs) as engine:
        return [k.name for k in engine.kbs.visible(admin_session(engine))]


def _record(settings: Settings) -> dict[str, object]:
    return json.loads((settings.data_dir / "keystore.json").read_text())


def test_no_keychain_asks_for_a_choice_and_writes_nothing(settings: Settings) -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeychainUnavailable) as info:
        Engine(settings)
    assert "passphrase" in info.value.user_message("en")
    assert "парольную фразу" in info.value.user_message("ru")
    assert not settings.db_path.exists()
    assert not (settings.data_dir / "keystore.json").exists()


def test_a_plaintext_file_keyring_is_never_used(settings: Settings) -> None:
    """keyrings.alt stores secrets in a file; taking it would be a silent plaintext key."""
    plaintext = type("PlaintextKeyring", (InMemoryKeyring,), {"__module__": "keyrings.alt.file"})
    keyring.set_keyring(plaintext())
    with pytest.raises(KeychainUnavailable):
        Engine(settings)
    assert Engine.keychain() is None


def test_a_changed_keychain_backend_is_refused_with_guidance(settings: Settings) -> None:
    _setup(settings)
    keyring.set_keyring(OtherKeyring())
    with pytest.raises(KeyBackendChanged, match="key recover"):
        Engine(settings)


def test_env_key_set_for_a_keychain_folder_is_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _setup(settings)
    monkeypatch.setenv("KONSPEKT_DB_KEY", "ab" * 32)
    with pytest.raises(KeyBackendChanged, match="KONSPEKT_DB_KEY"):
        Engine(settings)


def test_passphrase_store(settings: Settings) -> None:
    settings = settings.with_changes(key_store="passphrase")
    _setup(settings, passphrase="long passphrase here")
    assert _record(settings)["backend"] == "passphrase"
    assert "long passphrase" not in (settings.data_dir / "keystore.json").read_text()
    with pytest.raises(PassphraseRequired):
        Engine(settings)
    with pytest.raises(WrongKey, match="passphrase is wrong"):
        Engine(settings, passphrase="not it")
    assert _kb_names(settings, passphrase="long passphrase here") == ["~admin", "Contracts"]


def test_recovery_code_reopens_after_the_keychain_lost_the_key(
    settings: Settings, memory_keychain: InMemoryKeyring
) -> None:
    code = _setup(settings)
    memory_keychain.secrets.clear()
    with pytest.raises(KeyMissing):
        Engine(settings)
    new_code = Engine.recover(settings, code.lower())
    assert new_code != code
    assert _kb_names(settings) == ["~admin", "Contracts"]
    with pytest.raises(WrongKey):  # a used code is void: the database was re-keyed
        Engine.recover(settings, code)
    with Engine(settings) as engine:
        actions = [e.action for e in engine.audit.entries(admin_session(engine))]
    assert "key_recovered" in actions


def test_recovery_into_a_key_file_when_no_keychain_is_left(settings: Settings) -> None:
    code = _setup(settings)
    (settings.data_dir / "keystore.json").unlink()  # even the record is gone
    keyring.set_keyring(fail.Keyring())
    Engine.recover(settings, code, key_store="file")
    assert _record(settings)["backend"] == "file"
    assert _kb_names(settings) == ["~admin", "Contracts"]


def test_wrong_recovery_code_changes_nothing(settings: Settings) -> None:
    _setup(settings)
    before = settings.db_path.read_bytes()
    from core.security.recovery import new_code

    with pytest.raises(WrongKey, match="does not open"):
        Engine.recover(settings, new_code())
    assert settings.db_path.read_bytes() == before


@pytest.mark.parametrize("store", ["keyring", "file", "passphrase"])
def test_key_rotation_reencrypts_and_voids_the_old_code(
    settings: Settings, embedder: FakeEmbedder, tmp_path: Path, store: str
) -> None:
    settings = settings.with_changes(key_store=store)
    secret = {"passphrase": "long passphrase here"} if store == "passphrase" else {}
    old_code = _setup(settings, **secret)
    note = tmp_path / "note.txt"
    note.write_text("The spare generator is started with the red lever.")
    with Engine(settings, embedder=embedder, **secret) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [note]))
        new_code = engine.keys.rotate(admin)
        assert engine.answers.search(admin, "spare generator lever")  # works while open too
    with Engine(settings, embedder=embedder, **secret) as engine:  # type: ignore[arg-type]
        hits = engine.answers.search(admin_session(engine), "spare generator lever")
        assert hits[0].document == "note.txt"  # vectors are untouched by a key rotation
    assert "pending" not in _record(settings)
    with pytest.raises(WrongKey):
        Engine.recover(settings, old_code)
    Engine.recover(settings, new_code)


def test_interrupted_rotation_before_rekey_keeps_the_old_key(settings: Settings) -> None:
    _setup(settings)
    with Engine(settings) as engine:
        engine.context.keystore.begin_rotation()  # then the process dies
    assert "pending" in _record(settings)
    assert _kb_names(settings) == ["~admin", "Contracts"]
    assert "pending" not in _record(settings)


def test_interrupted_rotation_after_rekey_finishes_it(
    settings: Settings, memory_keychain: InMemoryKeyring
) -> None:
    _setup(settings)
    with Engine(settings) as engine:
        _, new_key = engine.context.keystore.begin_rotation()
        engine.context.db.rekey(new_key)  # then the process dies before finishing
    assert _kb_names(settings) == ["~admin", "Contracts"]
    assert "pending" not in _record(settings)
    assert list(memory_keychain.secrets.values()) == [new_key.hex()]


def test_rotation_killed_before_recording_its_new_key_file_does_not_block_the_next(
    settings: Settings,
) -> None:
    """A kill between writing konspekt.key.next and recording it left a file in the way."""
    settings = settings.with_changes(key_store="file")
    _setup(settings)
    stray = settings.key_file.with_name(settings.key_file.name + ".next")
    stray.write_text(os.urandom(32).hex())
    stray.chmod(0o600)
    with Engine(settings) as engine:
        engine.keys.rotate(admin_session(engine))
    assert not stray.exists()
    assert _kb_names(settings) == ["~admin", "Contracts"]


def test_folder_from_before_the_keychain_is_adopted(settings: Settings) -> None:
    """A data folder with only the old konspekt.key file keeps working."""
    settings_file = settings.with_changes(key_store="file")
    _setup(settings_file)
    (settings.data_dir / "keystore.json").unlink()
    assert _kb_names(settings) == ["~admin", "Contracts"]
    assert _record(settings)["backend"] == "file"


def test_a_folder_with_its_key_file_can_be_moved_and_rotated(
    settings: Settings, tmp_path: Path
) -> None:
    """The key file inside the folder is recorded relative to it (IT moves data disks)."""
    _setup(settings.with_changes(key_store="file"))
    assert _record(settings)["file"] == "konspekt.key"
    moved = settings.with_changes(data_dir=tmp_path / "moved", key_store="file")
    settings.data_dir.rename(moved.data_dir)
    assert _kb_names(moved) == ["~admin", "Contracts"]
    with Engine(moved) as engine:
        engine.keys.rotate(admin_session(engine))
    assert _record(moved)["file"] == "konspekt.key"
    assert not (moved.data_dir / "konspekt.key.next").exists()
    assert _kb_names(moved) == ["~admin", "Contracts"]


def test_a_key_file_outside_the_folder_is_recorded_whole(
    settings: Settings, tmp_path: Path
) -> None:
    outside = settings.with_changes(key_store="file", key_path=tmp_path / "keys" / "db.key")
    outside.key_file.parent.mkdir()
    _setup(outside)
    assert _record(outside)["file"] == str(tmp_path / "keys" / "db.key")
    assert _kb_names(outside) == ["~admin", "Contracts"]


def _secret_service_ready() -> bool:
    return bool(shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon"))


def test_a_real_secret_service_keeps_the_key(tmp_path: Path) -> None:
    """gnome-keyring under a private D-Bus session, as on a Linux desktop."""
    if not _secret_service_ready():
        if os.environ.get("CI"):
            pytest.fail("CI must provide gnome-keyring and dbus (see .ci/run)")
        pytest.skip("gnome-keyring-daemon / dbus-run-session not installed")
    script = (
        "echo -n test-login | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f"{sys.executable} -m tests.integration.secret_service_child {tmp_path / 'data'}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "KONSPEKT_"))}
    home = tmp_path / "home"  # a fresh login keyring, unlocked with the password above
    home.mkdir()
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}
    env["KONSPEKT_POLICY"] = ""  # no machine policy
    out = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK keyring.backends.SecretService.Keyring" in out.stdout
    record = json.loads((tmp_path / "data" / "keystore.json").read_text())
    assert record["keychain"] == "keyring.backends.SecretService.Keyring"
    assert not (tmp_path / "data" / "konspekt.key").exists()


def test_the_audit_chain_verifies_after_a_key_rotation(settings: Settings) -> None:
    _setup(settings)
    with Engine(settings) as engine:
        admin = admin_session(engine)
        engine.keys.rotate(admin)
        assert engine.audit.verify(admin).ok
    with Engine(settings) as engine:
        admin = admin_session(engine)
        check = engine.audit.verify(admin)
        assert check.ok
        assert engine.audit.entries(admin, action="key_rotated")


def test_the_audit_chain_survives_a_rotation_interrupted_after_rekey(settings: Settings) -> None:
    _setup(settings)
    with Engine(settings) as engine:
        _, new_key = engine.context.keystore.begin_rotation()
        audit.add_key(
            engine.context.db, engine.context.key, new_key
        )  # as key rotation does before re-keying
        engine.context.db.rekey(new_key)  # then the process dies before finishing
    with Engine(settings) as engine:
        assert engine.audit.verify(admin_session(engine)).ok
