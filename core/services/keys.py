"""The database key and the data secret: rotation by an admin, recovery with the code."""

from __future__ import annotations

from core.errors import WrongKey
from core.identity import Session
from core.security import audit, keystore
from core.security.access import Permission
from core.security.keystore import KeyStore
from core.security.recovery import key_from_code
from core.services.context import Context, blob_folder
from core.settings import Settings
from core.store.blobs import BlobStore
from core.store.database import Database
from core.store.library import Library
from core.store.renewal import renew_data_secret


class KeyService:
    """Key rotation (admins)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def rotate(self, session: Session) -> str:
        """Re-encrypt the database under a new key, and the data under a new secret.

        Returns the new recovery code; the old one stops working. Besides the database
        key, the secret behind the originals' key and the vector rotation is renewed
        (`core.store.renewal`), so a copy of the data taken before cannot read what
        comes after. Waits for running ingests; each step is crash-safe: until the
        database is re-keyed the new key is only `pending`, and opening tries both.
        """
        ctx = self._ctx
        actor = ctx.admin(session, Permission.MANAGE_KEYS)
        with ctx.locks.everything(), ctx.index.replacing():  # reopened under the new secret
            code, ctx.key = rekey(ctx.db, ctx.keystore, ctx.key)
            with ctx.db.write() as con:
                audit.record(con, actor, "key_rotated", key_store=ctx.keystore.backend.value)
            renewal = renew_data_secret(
                ctx.library, ctx.blobs, ctx.settings.vectors_dir, ctx.secret
            )
            ctx.secret, ctx.blobs = renewal.secret, renewal.blobs
        with ctx.db.write() as con:
            audit.record(
                con,
                actor,
                "data_secret_renewed",
                originals=renewal.originals,
                vectors=renewal.vectors,
                unreadable=renewal.unreadable,
            )
        return code


def recover(
    settings: Settings, code: str, *, key_store: str = "auto", passphrase: str | None = None
) -> str:
    """Open the data with a recovery code and keep its key in `key_store` again.

    The database is re-keyed at once and the new recovery code returned: the code that
    was used (and so typed somewhere) stops working. The data secret is renewed too (as
    at rotation), so a copy of the data opened with that code reads nothing that comes
    after.
    """
    store = keystore.load(settings.data_dir, settings.key_file) or keystore.fresh_record(
        settings.data_dir, settings.key_file
    )
    key = key_from_code(code)
    try:
        db = Database(settings.db_path, key)
    except WrongKey:
        raise WrongKey("recovery_wrong") from None
    try:
        audit.bind(db, key)
        keystore.rebind(store, key_store, passphrase, key, settings.password_hash_ms)
        new_code, _ = rekey(db, store, key)
        library = Library(db)
        secret = library.data_secret()
        renewal = renew_data_secret(
            library, BlobStore(blob_folder(settings), secret), settings.vectors_dir, secret
        )
        with db.write() as con:
            audit.record(
                con,
                None,
                "key_recovered",
                actor_name="recovery code",
                key_store=store.backend.value,
                originals=renewal.originals,
                vectors=renewal.vectors,
            )
    finally:
        db.close()
    return new_code


def rekey(db: Database, store: KeyStore, key: bytes) -> tuple[str, bytes]:
    """Move the database to a new key; (its recovery code, the key)."""
    code, new_key = store.begin_rotation()
    audit.add_key(db, key, new_key)  # the chain stays verifiable under the new key
    db.rekey(new_key)
    store.finish_rotation()
    audit.bind(db, new_key)  # forget the old key's seal
    return code, new_key
