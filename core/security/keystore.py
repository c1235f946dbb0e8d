"""Where the database key lives: the OS keychain, a passphrase, an env var or a key file.

The database key is derived from a random recovery code (see core.security.recovery),
or given by IT in KONSPEKT_DB_KEY. `keystore.json` in the data folder records which
backend holds the key (never the key itself) and — for the passphrase backend — the key
wrapped by the Argon2id-derived passphrase key. A key being rotated is kept as `pending`
until the database has been re-keyed, so a crash at any point leaves one key that opens
the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from core.crypto import Tampered, open_sealed, seal
from core.errors import (
    KeyBackendChanged,
    KeychainUnavailable,
    KeyMissing,
    KnownError,
    PassphraseRequired,
    WrongKey,
)
from core.security import keychain, passwords
from core.security.recovery import key_from_code, new_code

KEY_BYTES = 32
ENV_VAR = "KONSPEKT_DB_KEY"
FORMAT = 1


class KeyBackend(StrEnum):
    """Who holds the database key."""

    KEYRING = "keyring"
    PASSPHRASE = "passphrase"
    ENV = "env"
    FILE = "file"


def parse_hex_key(text: str) -> bytes:
    """Decode a 64-hex-character key or raise a KnownError."""
    text = text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KnownError("key_malformed") from None
    if len(key) != KEY_BYTES:
        raise KnownError("key_malformed")
    return key


@dataclass
class KeyStore:
    """The unlocked key record of one data folder."""

    path: Path
    data: dict[str, Any]
    key_file: Path
    _kek: bytes | None = field(default=None, repr=False)  # passphrase-derived, in memory only

    # Reading --------------------------------------------------------------------
    @property
    def backend(self) -> KeyBackend:
        """The backend recorded for this folder."""
        return KeyBackend(self.data["backend"])

    @property
    def account(self) -> str:
        """The keychain account name of this data folder's key."""
        return f"database-key:{self.data['install_id']}"

    def describe(self) -> str:
        """The backend as a user would name it (with the keychain implementation)."""
        if self.backend is KeyBackend.KEYRING:
            return f"keyring ({self.data.get('keychain', '?')})"
        if self.backend is KeyBackend.FILE:
            return f"file ({self.file})"
        return self.backend.value

    def candidates(self, passphrase: str | None) -> list[bytes]:
        """The key, then a pending rotated key if a rotation was interrupted."""
        keys = [self._read_key(passphrase)]
        pending = self.data.get("pending")
        if pending is not None:
            keys.append(self._read_pending(pending))
        return keys

    def _read_key(self, passphrase: str | None) -> bytes:
        backend = self.backend
        env_key = os.environ.get(ENV_VAR)
        if env_key and backend is not KeyBackend.ENV:
            raise KeyBackendChanged("key_env_conflict", recorded=self.describe())
        if backend is KeyBackend.KEYRING:
            current = keychain.backend_name()
            if current != self.data.get("keychain"):
                raise KeyBackendChanged(
                    "key_keychain_changed", recorded=self.data.get("keychain"), current=current
                )
            value = _keychain_read(self.account)
            if value is None:
                raise KeyMissing("key_keychain_entry_missing", path=str(self.path.parent))
            return parse_hex_key(value)
        if backend is KeyBackend.PASSPHRASE:
            if passphrase is None:
                raise PassphraseRequired("passphrase_required")
            entry = self.data["passphrase"]
            kek = passwords.derive_key(
                passphrase, bytes.fromhex(entry["salt"]), passwords.Cost.from_dict(entry["cost"])
            )
            try:
                key = open_sealed(kek, bytes.fromhex(entry["wrapped"]), b"konspekt db key")
            except Tampered:
                raise WrongKey("wrong_passphrase") from None
            self._kek = kek
            return key
        if backend is KeyBackend.ENV:
            if not env_key:
                raise KeyMissing("key_env_missing", path=str(self.path.parent))
            return parse_hex_key(env_key)
        return _read_key_file(self.file)

    def _read_pending(self, pending: dict[str, Any]) -> bytes:
        if self.backend is KeyBackend.KEYRING:
            value = _keychain_read(self.account + ".next")
            return parse_hex_key(value) if value else b""
        if self.backend is KeyBackend.PASSPHRASE and self._kek:
            return open_sealed(self._kek, bytes.fromhex(pending["wrapped"]), b"konspekt db key")
        if self.backend is KeyBackend.FILE:
            path = _next_path(self.file)
            return _read_key_file(path) if path.exists() else b""
        return b""

    # Writing --------------------------------------------------------------------
    def begin_rotation(self) -> tuple[str, bytes]:
        """A new recovery code and its key, stored as pending beside the current key."""
        if self.backend is KeyBackend.ENV:
            raise KnownError("key_rotate_env")
        code = new_code()
        new_key = key_from_code(code)
        pending: dict[str, Any] = {"started": True}
        if self.backend is KeyBackend.KEYRING:
            _keychain_write(self.account + ".next", new_key.hex())
        elif self.backend is KeyBackend.PASSPHRASE:
            if self._kek is None:
                raise PassphraseRequired("passphrase_required")
            pending["wrapped"] = seal(self._kek, new_key, b"konspekt db key").hex()
        else:  # a .next not yet recorded as pending is a dead rotation's: never in force
            path = _next_path(self.file)
            _write_key_file(path, new_key, replace=True)
        self.data["pending"] = pending
        self.save()
        return code, new_key

    def finish_rotation(self) -> None:
        """Make the pending key the key (after the database was re-keyed to it)."""
        pending = self.data.pop("pending", None)
        if pending is None:
            return
        if self.backend is KeyBackend.KEYRING:
            value = _keychain_read(self.account + ".next")
            if value:
                _keychain_write(self.account, value)
                keychain.remove(self.account + ".next")
        elif self.backend is KeyBackend.PASSPHRASE:
            self.data["passphrase"]["wrapped"] = pending["wrapped"]
        elif self.backend is KeyBackend.FILE:
            path = self.file
            os.replace(_next_path(path), path)
        self.save()

    def abandon_rotation(self) -> None:
        """Forget a pending key the database was never re-keyed to."""
        if self.data.pop("pending", None) is None:
            return
        if self.backend is KeyBackend.KEYRING:
            keychain.remove(self.account + ".next")
        elif self.backend is KeyBackend.FILE:
            _next_path(self.file).unlink(missing_ok=True)
        self.save()

    @property
    def file(self) -> Path:
        """The key file of the 'file' backend.

        Recorded relative to the data folder when inside it, so the folder can be moved.
        """
        recorded = self.data.get("file")
        if not recorded:
            return self.key_file
        path = Path(recorded)
        return path if path.is_absolute() else self.path.parent / path

    def record_file(self, path: Path) -> None:
        """Record `path` as the key file: relative when inside the data folder."""
        try:
            self.data["file"] = str(path.resolve().relative_to(self.path.parent.resolve()))
        except ValueError:
            self.data["file"] = str(path)

    def save(self) -> None:
        """Write keystore.json atomically (0600)."""
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)


# Opening and creating -----------------------------------------------------------------
def load(data_dir: Path, key_file: Path) -> KeyStore | None:
    """The key record of `data_dir`; a legacy key file is adopted; None on first run."""
    path = data_dir / "keystore.json"
    if path.exists():
        return KeyStore(path, json.loads(path.read_text(encoding="utf-8")), key_file)
    legacy = data_dir / "konspekt.key"
    if legacy.exists():
        store = KeyStore(path, _record(KeyBackend.FILE), key_file)
        store.record_file(legacy)
        store.save()
        return store
    return None


def create(
    data_dir: Path, key_file: Path, choice: str, passphrase: str | None, kdf_ms: int
) -> tuple[KeyStore, bytes, str]:
    """First run: pick the backend (`choice` or auto), make the key, store it.

    Returns the record, the key and its recovery code ('' when IT supplied the key).
    """
    backend = _choose(choice, passphrase)
    store = KeyStore(data_dir / "keystore.json", _record(backend), key_file)
    if backend is KeyBackend.ENV:
        code, key = "", parse_hex_key(os.environ[ENV_VAR])
    else:
        code = new_code()
        key = key_from_code(code)
    store.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _bind(store, backend, key, passphrase, kdf_ms)
    store.save()
    return store, key, code


def fresh_record(data_dir: Path, key_file: Path) -> KeyStore:
    """An empty record to re-bind a recovered key into (keystore.json was lost)."""
    return KeyStore(data_dir / "keystore.json", _record(KeyBackend.FILE), key_file)


def rebind(store: KeyStore, choice: str, passphrase: str | None, key: bytes, kdf_ms: int) -> None:
    """Keep `key` in a newly chosen backend (after recovery); the old entry is dropped."""
    backend = _choose(choice, passphrase)
    old_account, old_backend = store.account, store.backend
    store.data = {k: v for k, v in store.data.items() if k in ("format", "install_id")}
    store.data["backend"] = backend.value
    _bind(store, backend, key, passphrase, kdf_ms, replace=True)
    store.save()
    if old_backend is KeyBackend.KEYRING and backend is not KeyBackend.KEYRING:
        with contextlib.suppress(keychain.KeychainError):  # that keychain may be gone for good
            keychain.remove(old_account)


def _bind(
    store: KeyStore,
    backend: KeyBackend,
    key: bytes,
    passphrase: str | None,
    kdf_ms: int,
    *,
    replace: bool = False,
) -> None:
    """Put `key` into `backend` and record how to find it again."""
    if backend is KeyBackend.KEYRING:
        store.data["keychain"] = keychain.backend_name()
        _keychain_write(store.account, key.hex())
    elif backend is KeyBackend.PASSPHRASE:
        assert passphrase is not None
        cost, salt = passwords.calibrate(kdf_ms), passwords.new_salt()
        kek = passwords.derive_key(passphrase, salt, cost)
        store.data["passphrase"] = {
            "salt": salt.hex(),
            "cost": cost.as_dict(),
            "wrapped": seal(kek, key, b"konspekt db key").hex(),
        }
        store._kek = kek
    elif backend is KeyBackend.FILE:
        _write_key_file(store.key_file, key, replace=replace)
        store.record_file(store.key_file)
    elif parse_hex_key(os.environ[ENV_VAR]) != key:
        raise KnownError("key_env_differs")


def _choose(choice: str, passphrase: str | None) -> KeyBackend:
    if choice == "auto":
        if os.environ.get(ENV_VAR):
            return KeyBackend.ENV
        if passphrase is not None:
            return KeyBackend.PASSPHRASE
        if keychain.backend_name():
            return KeyBackend.KEYRING
        raise KeychainUnavailable("keychain_unavailable")
    try:
        backend = KeyBackend(choice)
    except ValueError:
        raise KnownError("key_store_unknown", choice=choice) from None
    if backend is KeyBackend.KEYRING and not keychain.backend_name():
        raise KeychainUnavailable("keychain_unavailable")
    if backend is KeyBackend.PASSPHRASE and passphrase is None:
        raise PassphraseRequired("passphrase_required")
    if backend is KeyBackend.ENV and not os.environ.get(ENV_VAR):
        raise KeyMissing("key_env_missing", path="")
    return backend


def _record(backend: KeyBackend) -> dict[str, Any]:
    return {"format": FORMAT, "install_id": secrets.token_hex(8), "backend": backend.value}


def _keychain_read(account: str) -> str | None:
    try:
        return keychain.read(account)
    except keychain.KeychainError as exc:
        raise KeychainUnavailable("keychain_failed", detail=str(exc)) from None


def _keychain_write(account: str, secret: str) -> None:
    try:
        keychain.write(account, secret)
    except keychain.KeychainError as exc:
        raise KeychainUnavailable("keychain_failed", detail=str(exc)) from None


def _next_path(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def _read_key_file(path: Path) -> bytes:
    if not path.exists():
        raise KeyMissing("key_file_missing", key_file=str(path))
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise KnownError("key_file_open", key_file=str(path))
    return parse_hex_key(path.read_text(encoding="ascii"))


def _write_key_file(path: Path, key: bytes, *, replace: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex())
        fh.flush()
        os.fsync(fh.fileno())


def recorded_backend(data_dir: Path) -> str | None:
    """The backend `data_dir`'s key record names, read without adopting or writing anything."""
    path = data_dir / "keystore.json"
    if not path.is_file():
        return None
    try:
        return str(json.loads(path.read_text(encoding="utf-8")).get("backend", "?"))
    except (OSError, ValueError, AttributeError):
        return "?"
