"""Accounts: registration, approval, login with lockout, passwords, invites, groups."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import AuthenticationFailed, InvalidInput, NotFound
from core.i18n import N_plural
from core.identity import Group, Role, User, UserStatus
from core.security import audit
from core.security.passwords import Passwords
from core.store.database import Connection, Database, IntegrityError

USERNAME = re.compile(r"^[\w.@-]{2,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
MAX_LOCKOUT_SECONDS = 900.0
_USER_COLUMNS = (
    "id, username, display_name, role, status, created_at, last_login, must_change_password, "
    "source = 'ldap', email"
)
UNUSABLE_HASH = "!directory"
"""The password hash of directory accounts: no password verifies against it."""


@dataclass(frozen=True, slots=True)
class LoginState:
    """An account as a login attempt sees it: its hash and lockout counters."""

    user: User
    password_hash: str
    failures: int
    locked_until: float


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How many failures lock an account and for how long (doubling each further failure)."""

    failures: int = 5
    lockout_seconds: float = 30.0


def _user(row: Sequence[Any]) -> User:
    return User(
        int(row[0]),
        str(row[1]),
        str(row[2]),
        Role(row[3]),
        UserStatus(row[4]),
        float(row[5]),
        float(row[6]) if row[6] is not None else None,
        bool(row[7]),
        bool(row[8]),
        str(row[9]),
    )


def name_key(username: str) -> str:
    """The form names are unique and looked up by: NFKC, case-folded (Cyrillic too).

    Full-width, ligature and other compatibility forms fold to the letters they show.
    """
    nfkc = unicodedata.normalize("NFKC", username.strip())
    return unicodedata.normalize("NFKC", nfkc.casefold())


# Scripts whose letters may share one name (Japanese writes kanji and kana together).
_SCRIPT_FAMILY = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK"}


def _script(ch: str) -> str:
    """The script of a letter, from the first word of its Unicode name (LATIN, CYRILLIC…)."""
    word = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return _SCRIPT_FAMILY.get(word, word)


def scripts(username: str) -> set[str]:
    """The scripts of the letters of a name (digits and punctuation belong to none)."""
    return {_script(ch) for ch in username if ch.isalpha()}


def check_username(username: str) -> str:
    """The NFKC-normalised, trimmed username, or InvalidInput.

    Letters of two scripts in one name ('аdmin' with a Cyrillic 'а') are refused: such
    names look like another user's.
    """
    username = unicodedata.normalize("NFKC", username.strip())
    if not USERNAME.match(username) or username.startswith("~"):
        raise InvalidInput("username_invalid", username=username)
    if len(scripts(username)) > 1:
        raise InvalidInput("username_mixed_scripts", username=username)
    return username


def check_password(password: str, username: str) -> None:
    """Refuse passwords that are too short, too long, or the username itself."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(N_plural("password_short"), count=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(N_plural("password_long"), count=MAX_PASSWORD)
    if password.strip().casefold() == username.strip().casefold():
        raise InvalidInput("password_is_username")


def invite_hash(code: str) -> str:
    """Invites are stored hashed: the code itself is shown once to the admin."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


class Accounts:
    """SQL and rules for users, invites and groups; every change is audited in its transaction."""

    def __init__(
        self,
        db: Database,
        passwords: Passwords,
        policy: LoginPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`clock` is the wall clock lockouts and invites' expiry are measured with.

        Tests pass their own to let minutes or days pass without sleeping.
        """
        self.db, self.passwords, self.policy, self.clock = db, passwords, policy, clock

    # Reading ---------------------------------------------------------------------
    def count(self) -> int:
        """How many accounts exist (0 before setup)."""
        return int(self.db.query("SELECT count(*) FROM users")[0][0])

    def get(self, user_id: int) -> User:
        """An account by id."""
        rows = self.db.query(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        if not rows:
            raise NotFound("user_missing", username=str(user_id))
        return _user(rows[0])

    def read(self, con: Connection, user_id: int) -> User:
        """An account as the caller's transaction sees it (uncommitted changes included)."""
        row = con.execute(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)).fetchone()
        if row is None:
            raise NotFound("user_missing", username=str(user_id))
        return _user(row)

    def find(self, username: str) -> User:
        """An account by name (case-insensitive), or NotFound."""
        rows = self.db.query(
            f"SELECT {_USER_COLUMNS} FROM users WHERE username_key = ?", (name_key(username),)
        )
        if not rows:
            raise NotFound("user_missing", username=username)
        return _user(rows[0])

    def all(self) -> list[User]:
        """Every account, pending ones first, then by name."""
        rows = self.db.query(
            f"SELECT {_USER_COLUMNS} FROM users "
            "ORDER BY status != 'pending', username COLLATE NOCASE"
        )
        return [_user(r) for r in rows]

    def active_admins(self, con: Connection) -> int:
        """Active admins, counted inside a write transaction."""
        return int(
            con.execute(
                "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active'"
            ).fetchone()[0]
        )

    # Creating --------------------------------------------------------------------
    def create(
        self,
        con: Connection,
        username: str,
        password: str,
        role: Role,
        status: UserStatus,
        display_name: str = "",
    ) -> int:
        """Insert an account inside the caller's transaction; returns its id."""
        username = check_username(username)
        check_password(password, username)
        try:
            row = con.execute(
                "INSERT INTO users (username, username_key, display_name, password_hash, role, "
                "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    username,
                    name_key(username),
                    display_name.strip(),
                    self.passwords.hash(password),
                    role.value,
                    status.value,
                    self.clock(),
                ),
            ).fetchone()
        except IntegrityError:
            raise InvalidInput("username_taken", username=username) from None
        return int(row[0])

    def redeem_invite(self, con: Connection, code: str, user_id: int) -> Role | None:
        """Use an unexpired, unused invite: the account becomes active with the invite's role.

        Returns that role, or None (and changes nothing) when the code is not valid.
        """
        row = con.execute(
            "UPDATE invites SET used_by = ? WHERE code_hash = ? AND used_by IS NULL "
            "AND expires_at > ? RETURNING role",
            (user_id, invite_hash(code), self.clock()),
        ).fetchone()
        if row is None:
            return None
        con.execute("UPDATE users SET role = ?, status = 'active' WHERE id = ?", (row[0], user_id))
        return Role(row[0])

    def new_invite(self, actor: User, role: Role, days: float) -> str:
        """An invite code (shown once) that activates a registration with `role`."""
        raw = secrets.token_bytes(10)
        code = "-".join(raw.hex().upper()[i : i + 5] for i in range(0, 20, 5))
        now = self.clock()
        with self.db.write() as con:
            con.execute(
                "INSERT INTO invites (code_hash, role, created_by, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (invite_hash(code), role.value, actor.id, now, now + days * 86400),
            )
            audit.record(con, actor, "invite_created", role.value, days=days)
        return code

    # Logging in ------------------------------------------------------------------
    def login_state(self, username: str) -> LoginState | None:
        """The account a login names, with its hash and lockout counters (None: no such)."""
        rows = self.db.query(
            f"SELECT {_USER_COLUMNS}, password_hash, failed_logins, locked_until "
            "FROM users WHERE username_key = ?",
            (name_key(username),),
        )
        if not rows:
            return None
        row = rows[0]
        return LoginState(_user(row), str(row[10]), int(row[11]), float(row[12]))

    def refuse_if_locked(self, state: LoginState) -> None:
        """AuthenticationFailed('login_locked') while the account is locked out."""
        now = self.clock()
        if state.locked_until > now:
            self._audit_failure(state.user, "locked")
            raise AuthenticationFailed("login_locked", seconds=int(state.locked_until - now) + 1)

    def authenticate(self, username: str, password: str) -> User:
        """The account if the password matches and it may log in; AuthenticationFailed if not.

        Failures count per account; after `policy.failures` the account is locked for
        `lockout_seconds`, doubling with each further failure (at most 15 minutes).
        Unknown names cost the same time as known ones and get the same message.
        Directory accounts never log in here (their password is not stored).
        """
        state = self.login_state(username)
        now = self.clock()
        if state is None:
            self.passwords.burn(password)
            self.audit_unknown()
            raise AuthenticationFailed("login_failed")
        user, stored, failures = state.user, state.password_hash, state.failures
        self.refuse_if_locked(state)
        if user.from_directory:
            self.passwords.burn(password)
            self._audit_failure(user, "directory_off")
            raise AuthenticationFailed("directory_off")
        if not self.passwords.verify(stored, password):
            self.record_failure(user, failures + 1, "password")
            raise AuthenticationFailed("login_failed")
        if user.status is UserStatus.PENDING:
            raise AuthenticationFailed("login_pending")
        if user.status is UserStatus.DISABLED:
            self._audit_failure(user, "disabled")
            raise AuthenticationFailed("login_disabled")
        rehash = self.passwords.hash(password) if self.passwords.needs_rehash(stored) else stored
        with self.db.write() as con:
            con.execute(
                "UPDATE users SET failed_logins = 0, locked_until = 0, last_login = ?, "
                "password_hash = ? WHERE id = ?",
                (now, rehash, user.id),
            )
            audit.record(con, user, "login_ok")
        return self.get(user.id)

    def record_failure(self, user: User, failures: int, reason: str) -> None:
        """Count a failed password; the account locks after `policy.failures` of them."""
        now = self.clock()
        over = failures - self.policy.failures
        locked_until = 0.0
        if over >= 0:
            locked_until = now + min(MAX_LOCKOUT_SECONDS, self.policy.lockout_seconds * 2**over)
        with self.db.write() as con:
            con.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                (failures, locked_until, user.id),
            )
            audit.record(con, user, "login_failed", reason=reason, failures=failures)

    def _audit_failure(self, user: User, reason: str) -> None:
        with self.db.write() as con:
            audit.record(con, user, "login_failed", reason=reason)

    def audit_unknown(self) -> None:
        """A login for a name no account has, without the name typed.

        That text is often a password typed into the wrong box; even a keyed hash of it
        could be tested against guesses far faster than the Argon2id hashes.
        """
        with self.db.write() as con:
            audit.record(con, None, "login_failed", actor_name="unknown user", reason="unknown")

    def confirm_password(self, user: User, password: str, reason: str) -> bool:
        """Check a logged-in user's password (unlock, password change) under the lockout.

        Failures count with failed logins, so guessing through the unlock dialog or the
        password change locks the account like guessing at the login screen. Returns
        False for a wrong password; AuthenticationFailed('login_locked') while locked.
        """
        rows = self.db.query(
            "SELECT password_hash, failed_logins, locked_until FROM users WHERE id = ?",
            (user.id,),
        )
        if not rows:
            return False
        stored, failures, locked_until = rows[0]
        now = self.clock()
        if locked_until > now:
            self._audit_failure(user, f"{reason}_locked")
            raise AuthenticationFailed("login_locked", seconds=int(locked_until - now) + 1)
        if not self.passwords.verify(stored, password):
            self.record_failure(user, failures + 1, reason)
            return False
        if failures:
            with self.db.write() as con:
                con.execute(
                    "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?", (user.id,)
                )
        return True

    # Changing --------------------------------------------------------------------
    def set_password(
        self, actor: User, user: User, password: str, *, must_change: bool, action: str
    ) -> None:
        """Store a new password hash (and clear any lockout); never for directory accounts."""
        if user.from_directory:
            raise InvalidInput("password_in_directory", username=user.username)
        check_password(password, user.username)
        with self.db.write() as con:
            con.execute(
                "UPDATE users SET password_hash = ?, must_change_password = ?, "
                "failed_logins = 0, locked_until = 0 WHERE id = ?",
                (self.passwords.hash(password), int(must_change), user.id),
            )
            audit.record(con, actor, action, user.username)

    def update(self, actor: User, user: User, action: str, **values: str) -> None:
        """Change role and/or status; the last active admin can never be removed."""
        with self.db.write() as con:
            for column, value in values.items():
                assert column in ("role", "status")
                con.execute(f"UPDATE users SET {column} = ? WHERE id = ?", (value, user.id))
            if self.active_admins(con) == 0:
                raise InvalidInput("last_admin")
            audit.record(con, actor, action, user.username, **values)

    # Groups ----------------------------------------------------------------------
    def groups(self) -> list[Group]:
        """Every group with its members' usernames."""
        rows = self.db.query(
            "SELECT g.id, g.name, group_concat(u.username, char(31)) FROM groups g "
            "LEFT JOIN group_members m ON m.group_id = g.id "
            "LEFT JOIN users u ON u.id = m.user_id GROUP BY g.id ORDER BY g.name COLLATE NOCASE"
        )
        return [
            Group(r[0], r[1], tuple(sorted((r[2] or "").split("\x1f")) if r[2] else ()))
            for r in rows
        ]

    def group(self, name: str) -> Group:
        """A group by name, or NotFound."""
        for g in self.groups():
            if g.name.casefold() == name.strip().casefold():
                return g
        raise NotFound("group_missing", name=name)

    def create_group(self, actor: User, name: str) -> Group:
        """A new, empty group."""
        name = name.strip()
        if not name or len(name) > 64:
            raise InvalidInput("group_name_invalid", name=name)
        try:
            with self.db.write() as con:
                con.execute(
                    "INSERT INTO groups (name, created_at) VALUES (?, ?)", (name, time.time())
                )
                audit.record(con, actor, "group_created", name)
        except IntegrityError:
            raise InvalidInput("group_name_taken", name=name) from None
        return self.group(name)

    def set_membership(self, actor: User, group: Group, user: User, member: bool) -> None:
        """Add `user` to `group` or remove them."""
        with self.db.write() as con:
            if member:
                con.execute(
                    "INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)",
                    (group.id, user.id),
                )
            else:
                con.execute(
                    "DELETE FROM group_members WHERE group_id = ? AND user_id = ?",
                    (group.id, user.id),
                )
            action = "group_member_added" if member else "group_member_removed"
            audit.record(con, actor, action, group.name, user=user.username)
