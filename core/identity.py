"""Public data about people: users, roles, sessions, groups, audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user may do besides reading what is shared with them."""

    ADMIN = "admin"
    """Users, roles, groups, settings, the audit log. Not other people's private data."""
    EDITOR = "editor"
    """Creates knowledge bases, ingests, shares, makes knowledge bases public."""
    MEMBER = "member"
    """Asks within visible knowledge bases; uploads privately."""


class UserStatus(StrEnum):
    """Whether an account may log in."""

    PENDING = "pending"
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class User:
    """An account (never its password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    status: UserStatus
    created_at: float
    last_login: float | None = None
    must_change_password: bool = False
    from_directory: bool = False
    """The account comes from LDAP / AD: its password, role and groups are kept there."""
    email: str = ""

    @property
    def label(self) -> str:
        """The display name, or the username when there is none."""
        return self.display_name or self.username


@dataclass(frozen=True, slots=True)
class Session:
    """Proof of a login, passed to every Engine operation. Opaque to shells."""

    token: str
    user: User
    """The account as it was at login; the engine re-reads it on every call."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key an integration authenticates with as its user (never the key itself)."""

    id: int
    name: str
    prefix: str
    """The key's first characters, to tell keys apart in a list."""
    user_id: int
    username: str
    created_at: float
    last_used: float | None
    revoked: bool


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A key just created: `secret` is shown once and never stored."""

    key: ApiKey
    secret: str


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of users that knowledge bases can be shared with."""

    id: int
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the hash-chained audit log."""

    id: int
    at: float
    actor: str
    action: str
    target: str
    detail: tuple[tuple[str, object], ...]
    hash: str


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """The result of walking the audit chain."""

    ok: bool
    entries: int
    first_bad_id: int | None = None
    head: str = ""
    """The last entry's hash: note it elsewhere to detect a truncated log later."""


@dataclass(frozen=True, slots=True)
class SetupResult:
    """The first admin, logged in, and the recovery code to show once."""

    session: Session
    recovery_code: str
