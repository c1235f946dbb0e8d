"""The identity half of the Engine facade: setup, accounts, sessions, groups, audit, keys."""

from __future__ import annotations

import secrets
import threading

from core.errors import (
    AuthenticationFailed,
    InvalidInput,
    PasswordChangeRequired,
    SessionEnded,
    WrongKey,
)
from core.identity import (
    AuditCheck,
    AuditEntry,
    Group,
    Role,
    Session,
    SetupResult,
    User,
    UserStatus,
)
from core.security import audit, keystore
from core.security.access import AccessControl, Permission, require
from core.security.accounts import Accounts, check_username
from core.security.keystore import KeyStore
from core.security.recovery import key_from_code
from core.security.sessions import SessionTable
from core.settings import Settings
from core.store.blobs import BlobStore
from core.store.database import Database
from core.store.library import Library
from core.store.renewal import renew_data_secret

TEMP_PASSWORD_BYTES = 9


class IdentityOperations:
    """Mixed into Engine; every method but setup/register/login takes the acting session."""

    settings: Settings
    _db: Database
    _key: bytes
    _keystore: KeyStore
    _accounts: Accounts
    _access: AccessControl
    _sessions: SessionTable
    _library: Library
    _setup_lock: threading.Lock

    # Acting identity -------------------------------------------------------------
    def _actor(self, session: Session, *, changing_password: bool = False) -> User:
        """The session's account as it is now; raises if the session cannot act."""
        user = self._accounts.get(self._sessions.touch(session.token))
        if user.status is not UserStatus.ACTIVE:
            self._sessions.close(session.token)
            raise SessionEnded("session_account_disabled")
        if user.must_change_password and not changing_password:
            raise PasswordChangeRequired("password_change_required")
        return user

    def current_user(self, session: Session) -> User:
        """The logged-in account, re-read (role changes show at once)."""
        return self._actor(session, changing_password=True)

    # First run, registration, login ----------------------------------------------
    def needs_setup(self) -> bool:
        """True until the first admin exists."""
        return self._accounts.count() == 0

    def setup(self, username: str, password: str, display_name: str = "") -> SetupResult:
        """Create the first admin and log in.

        The result carries the recovery code of the database key, to show once ('' when
        IT supplies the key in KONSPEKT_DB_KEY).
        """
        with self._setup_lock:
            if not self.needs_setup():
                raise InvalidInput("setup_done")
            with self._db.write() as con:
                user_id = self._accounts.create(
                    con, username, password, Role.ADMIN, UserStatus.ACTIVE, display_name
                )
                self._access.adopt_orphans(con, user_id)
                username = check_username(username)  # as stored (NFKC)
                audit.record(
                    con,
                    None,
                    "setup",
                    username,
                    actor_name=username,
                    key_store=self._keystore.backend.value,
                )
            code = self._library.pop_setting("recovery_code_unshown")
            if not code and self._keystore.backend is not keystore.KeyBackend.ENV:
                # A folder from before recovery codes: move it to a key that has one.
                code, self._key = _rotate(self._db, self._keystore, self._key)
        return SetupResult(self.login(username, password), code)

    def register(
        self, username: str, password: str, display_name: str = "", invite: str | None = None
    ) -> User:
        """A new account: pending an admin's approval, or active with a valid invite code."""
        if self.needs_setup():
            raise InvalidInput("setup_first")
        if not invite and not self.settings.allow_registration:
            raise InvalidInput("registration_closed")
        with self._db.write() as con:
            user_id = self._accounts.create(
                con, username, password, Role.MEMBER, UserStatus.PENDING, display_name
            )
            role = self._accounts.redeem_invite(con, invite, user_id) if invite else None
            if invite and role is None:
                raise InvalidInput("invite_invalid")  # rolls the account back too
            username = check_username(username)  # as stored (NFKC)
            audit.record(
                con,
                None,
                "user_registered",
                username,
                actor_name=username,
                invited=role is not None,
            )
        return self._accounts.get(user_id)

    def login(self, username: str, password: str) -> Session:
        """A session for valid credentials; AuthenticationFailed (with the reason) if not."""
        user = self._accounts.authenticate(username, password)
        return Session(self._sessions.open(user.id), user)

    def logout(self, session: Session) -> None:
        """End the session (its token stops working at once)."""
        try:
            user = self._accounts.get(self._sessions.user_of(session.token))
        except SessionEnded:
            return
        self._sessions.close(session.token)
        with self._db.write() as con:
            audit.record(con, user, "logout")

    def lock(self, session: Session) -> None:
        """Lock the session now; `unlock` with the password resumes it."""
        self._sessions.lock(session.token)

    def keep_alive(self, session: Session) -> None:
        """Count the session as used now, because its person is at work in the shell.

        A shell calls this on its user's input: typing a long question makes no engine
        call, and the core's idle lock should measure the person, not the calls. Raises
        SessionLocked or SessionEnded like any other call.
        """
        self._sessions.touch(session.token)

    def unlock(self, session: Session, password: str) -> None:
        """Resume a locked session after checking the password.

        Wrong passwords count towards the same lockout as failed logins.
        """
        user = self._accounts.get(self._sessions.user_of(session.token))
        if not self._accounts.confirm_password(user, password, "unlock"):
            raise AuthenticationFailed("login_failed")
        self._sessions.unlock(session.token)

    def change_password(self, session: Session, old: str, new: str) -> None:
        """Change one's own password (required after an admin reset).

        A wrong current password counts towards the same lockout as failed logins.
        """
        user = self._actor(session, changing_password=True)
        if not self._accounts.confirm_password(user, old, "password_change"):
            raise AuthenticationFailed("password_old_wrong")
        self._accounts.set_password(user, user, new, must_change=False, action="password_changed")

    # Administration --------------------------------------------------------------
    def _admin(self, session: Session, permission: Permission = Permission.MANAGE_USERS) -> User:
        actor = self._actor(session)
        require(actor, permission)
        return actor

    def users(self, session: Session) -> list[User]:
        """Every account (admins only)."""
        self._admin(session)
        return self._accounts.all()

    def approve_user(self, session: Session, username: str, role: Role = Role.MEMBER) -> User:
        """Activate a pending registration with a role."""
        actor = self._admin(session)
        user = self._accounts.find(username)
        if user.status is not UserStatus.PENDING:
            raise InvalidInput("user_not_pending", username=user.username)
        self._accounts.update(actor, user, "user_approved", role=role.value, status="active")
        return self._accounts.get(user.id)

    def set_role(self, session: Session, username: str, role: Role) -> User:
        """Change a user's role (the last active admin cannot be demoted)."""
        actor = self._admin(session)
        user = self._accounts.find(username)
        self._accounts.update(actor, user, "role_changed", role=role.value)
        return self._accounts.get(user.id)

    def set_user_enabled(self, session: Session, username: str, enabled: bool) -> User:
        """Disable an account (its sessions end at once) or enable it again."""
        actor = self._admin(session)
        user = self._accounts.find(username)
        status = UserStatus.ACTIVE if enabled else UserStatus.DISABLED
        action = "user_enabled" if enabled else "user_disabled"
        self._accounts.update(actor, user, action, status=status.value)
        if not enabled:
            self._sessions.close_user(user.id)
        return self._accounts.get(user.id)

    def reset_password(self, session: Session, username: str) -> str:
        """Set a temporary password (returned, shown once); the user must change it."""
        actor = self._admin(session)
        user = self._accounts.find(username)
        temporary = secrets.token_urlsafe(TEMP_PASSWORD_BYTES)
        self._accounts.set_password(
            actor, user, temporary, must_change=True, action="password_reset"
        )
        self._sessions.close_user(user.id)
        return temporary

    def create_invite(self, session: Session, role: Role = Role.MEMBER, days: float = 7) -> str:
        """A one-time invite code that registers an active account with `role`."""
        actor = self._admin(session)
        return self._accounts.new_invite(actor, role, days)

    # Groups ----------------------------------------------------------------------
    def groups(self, session: Session) -> list[Group]:
        """Every group and its members (any user: needed to share)."""
        self._actor(session)
        return self._accounts.groups()

    def create_group(self, session: Session, name: str) -> Group:
        """A new group (admins)."""
        return self._accounts.create_group(self._admin(session, Permission.MANAGE_GROUPS), name)

    def set_group_member(self, session: Session, group: str, username: str, member: bool) -> Group:
        """Add a user to a group or remove them (admins)."""
        actor = self._admin(session, Permission.MANAGE_GROUPS)
        target = self._accounts.group(group)
        self._accounts.set_membership(actor, target, self._accounts.find(username), member)
        return self._accounts.group(group)

    # Audit and keys --------------------------------------------------------------
    def audit_log(
        self, session: Session, limit: int = 200, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest audit entries (admins)."""
        self._admin(session, Permission.VIEW_AUDIT)
        return audit.entries(self._db, limit, action)

    def verify_audit(self, session: Session) -> AuditCheck:
        """Check the whole hash chain (admins)."""
        self._admin(session, Permission.VIEW_AUDIT)
        return audit.verify(self._db, self._key)

    def rotate_key(self, session: Session) -> str:
        """Re-encrypt the database under a new key; return the new recovery code.

        The old recovery code stops working. Crash-safe: until the database is re-keyed
        the new key is only `pending`, and opening tries both.
        """
        actor = self._admin(session, Permission.MANAGE_KEYS)
        code, self._key = _rotate(self._db, self._keystore, self._key)
        with self._db.write() as con:
            audit.record(con, actor, "key_rotated", key_store=self._keystore.backend.value)
        return code

    @staticmethod
    def recover(
        settings: Settings, code: str, *, key_store: str = "auto", passphrase: str | None = None
    ) -> str:
        """Open the data with a recovery code and keep its key in `key_store` again.

        The database is re-keyed at once and the new recovery code returned: the code
        that was used (and so typed somewhere) stops working. The data secret is renewed
        too (as at `rotate_key`), so a copy of the data opened with that code reads
        nothing that comes after.
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
            new_code, _ = _rotate(db, store, key)
            library = Library(db)
            secret = library.data_secret()
            renewal = renew_data_secret(
                library,
                BlobStore(settings.data_dir / "blobs", secret),
                settings.vectors_dir,
                secret,
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


def _rotate(db: Database, store: KeyStore, key: bytes) -> tuple[str, bytes]:
    code, new_key = store.begin_rotation()
    audit.add_key(db, key, new_key)  # the chain stays verifiable under the new key
    db.rekey(new_key)
    store.finish_rotation()
    audit.bind(db, new_key)  # forget the old key's seal
    return code, new_key
