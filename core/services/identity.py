"""Getting and keeping a session: first run, registration, login, lock, logout, own password."""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.errors import AuthenticationFailed, InvalidInput, NotFound, SessionEnded
from core.identity import ApiKey, NewApiKey, Role, Session, SetupResult, User, UserStatus
from core.security import audit, keystore
from core.security.access import Permission, allows
from core.security.accounts import check_username
from core.security.api_keys import ApiKeys, looks_like_key
from core.security.directory_accounts import DirectoryLogins
from core.services.context import Context
from core.services.keys import rekey

MAX_KEY_NAME = 100


class IdentityService:
    """Sessions for people; every method but setup/register/login takes the acting session.

    `before_logout(user_id, since)` runs as a session ends by logout (memory queues the
    session's summary there).
    """

    def __init__(self, ctx: Context, before_logout: Callable[[int, float], None]) -> None:
        self._ctx = ctx
        self._before_logout = before_logout
        self._setup_lock = threading.Lock()
        self._keys = ApiKeys(ctx.db, ctx.clock)
        self._directory = DirectoryLogins(ctx.accounts, lambda: ctx.settings)

    def needs_setup(self) -> bool:
        """True until the first admin exists."""
        return self._ctx.accounts.count() == 0

    def setup(self, username: str, password: str, display_name: str = "") -> SetupResult:
        """Create the first admin and log in.

        The result carries the recovery code of the database key, to show once ('' when
        IT supplies the key in KONSPEKT_DB_KEY).
        """
        ctx = self._ctx
        with self._setup_lock:
            if not self.needs_setup():
                raise InvalidInput("setup_done")
            with ctx.db.write() as con:
                user_id = ctx.accounts.create(
                    con, username, password, Role.ADMIN, UserStatus.ACTIVE, display_name
                )
                ctx.access.adopt_orphans(con, user_id)
                username = check_username(username)  # as stored (NFKC)
                audit.record(
                    con,
                    None,
                    "setup",
                    username,
                    actor_name=username,
                    key_store=ctx.keystore.backend.value,
                )
            code = ctx.library.pop_setting("recovery_code_unshown")
            if not code and ctx.keystore.backend is not keystore.KeyBackend.ENV:
                # A folder from before recovery codes: move it to a key that has one.
                code, ctx.key = rekey(ctx.db, ctx.keystore, ctx.key)
        return SetupResult(self.login(username, password), code)

    def register(
        self, username: str, password: str, display_name: str = "", invite: str | None = None
    ) -> User:
        """A new account: pending an admin's approval, or active with a valid invite code."""
        ctx = self._ctx
        if self.needs_setup():
            raise InvalidInput("setup_first")
        if not invite and not ctx.settings.allow_registration:
            raise InvalidInput("registration_closed")
        with ctx.db.write() as con:
            user_id = ctx.accounts.create(
                con, username, password, Role.MEMBER, UserStatus.PENDING, display_name
            )
            role = ctx.accounts.redeem_invite(con, invite, user_id) if invite else None
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
        return ctx.accounts.get(user_id)

    def login(self, username: str, password: str) -> Session:
        """A session for valid credentials; AuthenticationFailed (with the reason) if not.

        With `ldap_url` set, directory accounts and names no local account has are checked
        against the directory (docs/ldap.md): a first login creates the account, every
        login brings its role and groups in step. DirectoryUnreachable when the directory
        does not answer; local accounts never wait for it.
        """
        ctx = self._ctx
        if self._directory.handles(ctx.accounts.login_state(username)):
            user = self._directory.login(username, password)
        else:
            user = ctx.accounts.authenticate(username, password)
        return Session(ctx.sessions.open(user.id), user)

    def session(self, token: str) -> Session:
        """The session a bearer token stands for, with its account as it is now.

        What a server does with each request's token. Raises SessionEnded (unknown,
        logged out, account disabled) or SessionLocked (idle too long); an account that
        must change its password gets its session, and every other operation refuses it.
        """
        return Session(token, self._ctx.holder(token, changing_password=True))

    def bearer(self, token: str) -> Session:
        """The session an HTTP bearer credential stands for: a login's token or an API key."""
        return self.key_session(token) if looks_like_key(token) else self.session(token)

    def logout(self, session: Session) -> None:
        """End the session (its token stops working at once)."""
        ctx = self._ctx
        try:
            user = ctx.accounts.get(ctx.sessions.user_of(session.token))
            since = ctx.sessions.started_at(session.token)
        except SessionEnded:
            return
        self._before_logout(user.id, since)
        ctx.sessions.close(session.token)
        with ctx.db.write() as con:
            audit.record(con, user, "logout")

    def lock(self, session: Session) -> None:
        """Lock the session now; `unlock` with the password resumes it."""
        self._ctx.sessions.lock(session.token)

    def keep_alive(self, session: Session) -> None:
        """Count the session as used now, because its person is at work in the shell.

        A shell calls this on its user's input: typing a long question makes no engine
        call, and the core's idle lock should measure the person, not the calls. Raises
        SessionLocked or SessionEnded like any other call.
        """
        self._ctx.sessions.touch(session.token)

    def unlock(self, session: Session, password: str) -> None:
        """Resume a locked session after checking the password.

        Wrong passwords count towards the same lockout as failed logins.
        """
        ctx = self._ctx
        user = ctx.accounts.get(ctx.sessions.user_of(session.token))
        if user.from_directory:
            confirmed = self._directory.confirm(user, password)
        else:
            confirmed = ctx.accounts.confirm_password(user, password, "unlock")
        if not confirmed:
            raise AuthenticationFailed("login_failed")
        ctx.sessions.unlock(session.token)

    def change_password(self, session: Session, old: str, new: str) -> None:
        """Change one's own password (required after an admin reset).

        A wrong current password counts towards the same lockout as failed logins.
        """
        ctx = self._ctx
        user = ctx.actor(session, changing_password=True)
        if user.from_directory:
            raise InvalidInput("password_in_directory", username=user.username)
        if not ctx.accounts.confirm_password(user, old, "password_change"):
            raise AuthenticationFailed("password_old_wrong")
        ctx.accounts.set_password(user, user, new, must_change=False, action="password_changed")

    def current_user(self, session: Session) -> User:
        """The logged-in account, re-read (role changes show at once)."""
        return self._ctx.actor(session, changing_password=True)

    # API keys ------------------------------------------------------------------------
    def create_api_key(self, session: Session, name: str) -> NewApiKey:
        """A key for an integration acting as the session's user; its secret is shown once."""
        ctx = self._ctx
        user = ctx.actor(session)
        name = name.strip()
        if not 1 <= len(name) <= MAX_KEY_NAME:
            raise InvalidInput("api_key_name")
        with ctx.db.write() as con:
            key_id, secret = self._keys.create(con, user.id, name)
            audit.record(con, user, "api_key_created", name, owner=user.username)
        key = self._keys.get(key_id)
        assert key is not None
        return NewApiKey(key, secret)

    def api_keys(self, session: Session, *, everyone: bool = False) -> list[ApiKey]:
        """The user's own keys; with `everyone`, every user's (admins only)."""
        ctx = self._ctx
        user = ctx.admin(session) if everyone else ctx.actor(session)
        return self._keys.of(None if everyone else user.id)

    def revoke_api_key(self, session: Session, key_id: int) -> None:
        """Stop a key working at once: one's own, or anyone's for an admin."""
        ctx = self._ctx
        user = ctx.actor(session)
        key = self._keys.get(key_id)
        if key is None or (key.user_id != user.id and not allows(user, Permission.MANAGE_USERS)):
            raise NotFound("api_key_missing", id=key_id)
        with ctx.db.write() as con:
            self._keys.revoke(con, key_id)
            audit.record(con, user, "api_key_revoked", key.name, owner=key.username)
        ctx.sessions.close(self._keys.token(key_id))

    def key_session(self, secret: str) -> Session:
        """The session an API key acts with (SessionEnded if unknown, revoked, disabled)."""
        ctx = self._ctx
        found = self._keys.owner(secret) if looks_like_key(secret) else None
        if found is None:
            raise SessionEnded("api_key_invalid")
        token = self._keys.token(found[0])
        ctx.sessions.attach(token, found[1])
        return Session(token, ctx.holder(token))
