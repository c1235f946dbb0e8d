"""Opening the encrypted database: find the key where keystore.json says, try it, repair."""

from __future__ import annotations

import json

from core.errors import KeyMissing, WrongKey
from core.security import audit, keystore, passwords
from core.security.keystore import KeyStore
from core.settings import Settings
from core.store.database import Database
from core.store.migrations import Progress


def open_database(
    settings: Settings, passphrase: str | None, progress: Progress | None = None
) -> tuple[KeyStore, bytes, Database, str]:
    """The key record, the key, the open database, and the new key's recovery code.

    The database comes bound to its key for the audit chain (`audit.bind`). The code
    is '' except on first run, when the key is created in the backend that
    `settings.key_store` chooses (the code is shown once, at setup). An interrupted key
    rotation is finished (the database already has the new key) or abandoned (it does
    not). A wrong or missing key changes nothing on disk. `progress` hears how far the
    upgrade of a store an older version wrote has come (`Database`).
    """
    store = keystore.load(settings.data_dir, settings.key_file)
    if store is None:
        if settings.db_path.exists():
            raise KeyMissing("key_missing", path=str(settings.db_path))
        store, key, code = keystore.create(
            settings.data_dir,
            settings.key_file,
            settings.key_store,
            passphrase,
            settings.password_hash_ms,
        )
        return store, key, _bound(Database(settings.db_path, key, progress), key), code
    keys = store.candidates(passphrase)
    try:
        db = Database(settings.db_path, keys[0], progress)
    except WrongKey:
        if len(keys) < 2 or not keys[1]:
            raise
        # The rotation re-keyed before it crashed.
        db = Database(settings.db_path, keys[1], progress)
        db.fold_wal()  # the re-keyed pages may still be only in the log
        store.finish_rotation()
        return store, keys[1], _bound(db, keys[1]), ""
    store.abandon_rotation()
    return store, keys[0], _bound(db, keys[0]), ""


def _bound(db: Database, key: bytes) -> Database:
    try:
        audit.bind(db, key)
    except BaseException:
        db.close()
        raise
    return db


def password_cost(db: Database, target_ms: int) -> passwords.Cost:
    """The Argon2id cost of account passwords: calibrated once, then kept in the database."""
    rows = db.query("SELECT value FROM settings WHERE key = 'password_cost'")
    if rows:
        return passwords.Cost.from_dict(json.loads(rows[0][0]))
    cost = passwords.calibrate(target_ms)
    with db.write() as con:
        con.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('password_cost', ?)",
            (json.dumps(cost.as_dict()),),
        )
    return cost
