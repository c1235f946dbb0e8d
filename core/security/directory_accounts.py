"""Directory logins: the local copy of an LDAP / AD account, kept in step at every login.

The directory is the authority for a directory account: its password is never stored
(the hash is unusable), and each login re-reads its name, mail, role and groups. Roles
come from `ldap_group_roles` (the highest mapped group wins, 'member' without one);
Konspekt groups from `ldap_group_groups`. Only groups the mapping names (or that the
directory created, source 'ldap') are kept in step, so groups an admin manages by hand
keep their members. A local account that is disabled stays refused until an admin
enables it, whatever the directory says; one the directory disables is disabled here.
"""

from __future__ import annotations

from collections.abc import Callable

from core.errors import AuthenticationFailed, InvalidInput, KnownError
from core.identity import Role, User, UserStatus
from core.security import audit
from core.security.accounts import (
    UNUSABLE_HASH,
    Accounts,
    LoginState,
    check_username,
    name_key,
)
from core.security.directory import Directory, DirectoryEntry, DirectoryGroup, dn_key
from core.settings import Settings
from core.store.database import Connection

DIRECTORY = "directory"
"""The actor name of changes the directory makes (in the audit log)."""
MIRROR_ALL = "*"
_RANK = {Role.MEMBER: 0, Role.EDITOR: 1, Role.ADMIN: 2}
_MAX_GROUP_NAME = 64


def _matches(key: str, group: DirectoryGroup) -> bool:
    """A mapping key names a group by DN (it has '=') or by CN, case-insensitively."""
    if "=" in key:
        return dn_key(key) == group.key
    return key.strip().casefold() == group.cn.casefold()


def mapped_role(settings: Settings, groups: tuple[DirectoryGroup, ...]) -> Role:
    """The highest role `ldap_group_roles` gives any of the groups; member without one."""
    role = Role.MEMBER
    for key, value in settings.ldap_group_roles.items():
        try:
            mapped = Role(str(value).strip().casefold())
        except ValueError:
            raise KnownError("directory_role_invalid", group=key, role=value) from None
        if _RANK[mapped] > _RANK[role] and any(_matches(key, g) for g in groups):
            role = mapped
    return role


def mapped_groups(
    settings: Settings, groups: tuple[DirectoryGroup, ...]
) -> tuple[set[str], set[str]]:
    """The Konspekt groups the person belongs in, and every group the mapping names."""
    mapping = {k: str(v).strip() for k, v in settings.ldap_group_groups.items()}
    wanted = {
        name
        for key, name in mapping.items()
        if key != MIRROR_ALL and any(_matches(key, g) for g in groups)
    }
    if MIRROR_ALL in mapping:
        wanted |= {g.cn.strip() for g in groups}
    wanted = {n for n in wanted if 0 < len(n) <= _MAX_GROUP_NAME}
    named = {name for key, name in mapping.items() if key != MIRROR_ALL}
    return wanted, named


class DirectoryLogins:
    """Logins of directory accounts; `settings` gives the settings in use at each call."""

    def __init__(self, accounts: Accounts, settings: Callable[[], Settings]) -> None:
        self._accounts = accounts
        self._settings = settings

    def handles(self, state: LoginState | None) -> bool:
        """Whether a login goes to the directory: its accounts, and unknown names if on."""
        if state is not None:
            return state.user.from_directory
        return Directory.configured(self._settings()) is not None

    def login(self, username: str, password: str) -> User:
        """The account, created or brought in step, if the directory accepts the password.

        Raises:
            AuthenticationFailed: wrong name or password (counted towards the lockout),
                locked, disabled here or in the directory, or the directory is off.
            DirectoryUnreachable: the directory cannot be reached.
        """
        accounts, settings = self._accounts, self._settings()
        state = accounts.login_state(username)
        if state is not None:
            accounts.refuse_if_locked(state)
        directory = Directory.configured(settings)
        if directory is None:
            raise AuthenticationFailed("directory_off")
        try:
            name = check_username(username)
        except InvalidInput:  # never a directory name; it may be a mistyped password
            accounts.audit_unknown()
            raise AuthenticationFailed("login_failed") from None
        try:
            entry = directory.authenticate(name, password)
        except AuthenticationFailed:
            if state is None:
                accounts.audit_unknown()
            else:
                accounts.record_failure(state.user, state.failures + 1, "password")
            raise
        if entry.disabled:
            self._disable(state, name)
            raise AuthenticationFailed("login_directory_disabled")
        if state is not None and state.user.status is not UserStatus.ACTIVE:
            with accounts.db.write() as con:
                audit.record(con, state.user, "login_failed", reason="disabled")
            raise AuthenticationFailed("login_disabled")
        return self._admit(state, name, entry, settings)

    def confirm(self, user: User, password: str) -> bool:
        """Check a logged-in directory account's password (unlock), under the lockout."""
        try:
            return self.login(user.username, password).id == user.id
        except AuthenticationFailed as exc:
            if exc.key == "login_failed":
                return False
            raise

    # Changes ----------------------------------------------------------------------
    def _admit(
        self, state: LoginState | None, name: str, entry: DirectoryEntry, settings: Settings
    ) -> User:
        accounts = self._accounts
        role = mapped_role(settings, entry.groups)
        wanted, named = mapped_groups(settings, entry.groups)
        with accounts.db.write() as con:
            if state is None:
                user_id = self._create(con, name, entry, role)
                current = role
            else:
                user_id, current = state.user.id, state.user.role
            self._sync_role(con, user_id, name, current, role)
            con.execute(
                "UPDATE users SET display_name = ?, email = ?, failed_logins = 0, "
                "locked_until = 0, last_login = ? WHERE id = ?",
                (entry.display_name.strip(), entry.mail.strip(), accounts.clock(), user_id),
            )
            self._sync_groups(con, user_id, name, wanted, named)
            user = accounts.read(con, user_id)
            audit.record(con, user, "login_ok", source="ldap")
        return accounts.get(user_id)

    def _create(self, con: Connection, name: str, entry: DirectoryEntry, role: Role) -> int:
        """The new directory account's id (the one a concurrent first login made, if any)."""
        con.execute(
            "INSERT INTO users (username, username_key, display_name, password_hash, role, "
            "status, created_at, source, email) VALUES (?, ?, ?, ?, ?, 'active', ?, 'ldap', ?) "
            "ON CONFLICT (username_key) DO NOTHING",
            (
                name,
                name_key(name),
                entry.display_name.strip(),
                UNUSABLE_HASH,
                role.value,
                self._accounts.clock(),
                entry.mail.strip(),
            ),
        )
        row = con.execute(
            "SELECT id, source FROM users WHERE username_key = ?", (name_key(name),)
        ).fetchone()
        if row[1] != "ldap":  # a local account of that name appeared meanwhile
            raise AuthenticationFailed("login_failed")
        audit.record(
            con, None, "ldap_user_created", name, actor_name=DIRECTORY, role=role.value, dn=entry.dn
        )
        return int(row[0])

    def _sync_role(self, con: Connection, user_id: int, name: str, old: Role, new: Role) -> None:
        if new is old:
            return
        con.execute("UPDATE users SET role = ? WHERE id = ?", (new.value, user_id))
        if self._accounts.active_admins(con) == 0:  # never demote the last admin
            con.execute("UPDATE users SET role = ? WHERE id = ?", (old.value, user_id))
            audit.record(con, None, "role_kept", name, actor_name=DIRECTORY, reason="last_admin")
            return
        audit.record(con, None, "role_changed", name, actor_name=DIRECTORY, role=new.value)

    def _sync_groups(
        self, con: Connection, user_id: int, name: str, wanted: set[str], named: set[str]
    ) -> None:
        """Join the wanted groups (creating them), leave the managed ones not wanted."""
        rows = con.execute(
            "SELECT g.id, g.name, g.source FROM groups g JOIN group_members m "
            "ON m.group_id = g.id WHERE m.user_id = ?",
            (user_id,),
        ).fetchall()
        member_of = {str(r[1]).casefold() for r in rows}
        wanted_keys = {w.casefold() for w in wanted}
        managed = {n.casefold() for n in named}
        for group_id, group, source in rows:
            if (source == "ldap" or group.casefold() in managed) and (
                group.casefold() not in wanted_keys
            ):
                con.execute(
                    "DELETE FROM group_members WHERE group_id = ? AND user_id = ?",
                    (group_id, user_id),
                )
                audit.record(
                    con, None, "group_member_removed", group, actor_name=DIRECTORY, user=name
                )
        for group in sorted(wanted):
            if group.casefold() in member_of:
                continue
            con.execute(
                "INSERT INTO groups (name, created_at, source) VALUES (?, ?, 'ldap') "
                "ON CONFLICT (name) DO NOTHING",
                (group, self._accounts.clock()),
            )
            group_id = con.execute("SELECT id FROM groups WHERE name = ?", (group,)).fetchone()[0]
            con.execute(
                "INSERT OR IGNORE INTO group_members (group_id, user_id) VALUES (?, ?)",
                (group_id, user_id),
            )
            audit.record(con, None, "group_member_added", group, actor_name=DIRECTORY, user=name)

    def _disable(self, state: LoginState | None, name: str) -> None:
        """Disable the local copy the directory disabled (never the last active admin)."""
        with self._accounts.db.write() as con:
            user = state.user if state is not None else None
            if user is not None and user.status is UserStatus.ACTIVE:
                con.execute("UPDATE users SET status = 'disabled' WHERE id = ?", (user.id,))
                if self._accounts.active_admins(con) == 0:
                    con.execute("UPDATE users SET status = 'active' WHERE id = ?", (user.id,))
                else:
                    audit.record(
                        con,
                        None,
                        "user_disabled",
                        user.username,
                        actor_name=DIRECTORY,
                        status="disabled",
                    )
            audit.record(con, user, "login_failed", actor_name=name, reason="directory_disabled")
