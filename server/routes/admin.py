"""Administration: accounts, roles, groups, invites, the audit log, every API key."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from core import ApiKey, AuditCheck, AuditEntry, Group, Role, TokenUsage, User
from server.deps import Acting, EngineDep

router = APIRouter(prefix="/api/admin", tags=["administration"])


class RoleChoice(BaseModel):
    """A role to give."""

    role: Role = Role.MEMBER


class Enabled(BaseModel):
    """Whether an account may log in."""

    enabled: bool


class InviteRequest(BaseModel):
    """The role an invite grants and how long it is valid."""

    role: Role = Role.MEMBER
    days: float = Field(default=7, gt=0, le=365)


class Invite(BaseModel):
    """An invite code to hand to one person."""

    code: str


class TemporaryPassword(BaseModel):
    """A one-time password; its user must choose a new one at login."""

    password: str


class Quota(BaseModel):
    """Prompt and answer tokens a user may use per UTC day (null: no limit)."""

    tokens_per_day: int | None = Field(default=None, gt=0, le=10**10)


class GroupName(BaseModel):
    """A group's name."""

    name: str = Field(min_length=1, max_length=200)


@router.get("/users")
def users(session: Acting, engine: EngineDep) -> list[User]:
    """Every account."""
    return engine.accounts.users(session)


@router.post("/users/{username}/approve")
def approve(username: str, body: RoleChoice, session: Acting, engine: EngineDep) -> User:
    """Activate a pending registration with a role."""
    return engine.accounts.approve_user(session, username, body.role)


@router.put("/users/{username}/role")
def set_role(username: str, body: RoleChoice, session: Acting, engine: EngineDep) -> User:
    """Change a user's role."""
    return engine.accounts.set_role(session, username, body.role)


@router.put("/users/{username}/enabled")
def set_enabled(username: str, body: Enabled, session: Acting, engine: EngineDep) -> User:
    """Disable (ending every session and key use at once) or re-enable an account."""
    return engine.accounts.set_user_enabled(session, username, body.enabled)


@router.post("/users/{username}/password-reset")
def reset_password(username: str, session: Acting, engine: EngineDep) -> TemporaryPassword:
    """A temporary password for a user who forgot theirs."""
    return TemporaryPassword(password=engine.accounts.reset_password(session, username))


@router.get("/users/{username}/usage")
def usage(username: str, session: Acting, engine: EngineDep) -> TokenUsage:
    """A user's tokens used today and their daily quota."""
    return engine.accounts.token_usage(session, username)


@router.put("/users/{username}/quota")
def set_quota(username: str, body: Quota, session: Acting, engine: EngineDep) -> TokenUsage:
    """Set or lift a user's daily token quota (answers beyond it are refused with 429)."""
    return engine.accounts.set_token_quota(session, username, body.tokens_per_day)


@router.post("/invites", status_code=status.HTTP_201_CREATED)
def create_invite(body: InviteRequest, session: Acting, engine: EngineDep) -> Invite:
    """An invite code: registering with it makes an active account of that role."""
    return Invite(code=engine.accounts.create_invite(session, body.role, body.days))


@router.get("/groups")
def groups(session: Acting, engine: EngineDep) -> list[Group]:
    """Every group with its members."""
    return engine.accounts.groups(session)


@router.post("/groups", status_code=status.HTTP_201_CREATED)
def create_group(body: GroupName, session: Acting, engine: EngineDep) -> Group:
    """A new, empty group."""
    return engine.accounts.create_group(session, body.name)


@router.put("/groups/{group}/members/{username}")
def add_member(group: str, username: str, session: Acting, engine: EngineDep) -> Group:
    """Put a user in a group."""
    return engine.accounts.set_group_member(session, group, username, True)


@router.delete("/groups/{group}/members/{username}")
def remove_member(group: str, username: str, session: Acting, engine: EngineDep) -> Group:
    """Take a user out of a group."""
    return engine.accounts.set_group_member(session, group, username, False)


@router.get("/audit")
def audit(
    session: Acting, engine: EngineDep, limit: int = 200, action: str | None = None
) -> list[AuditEntry]:
    """The newest audit entries, optionally of one action."""
    return engine.audit.entries(session, max(1, min(limit, 5000)), action)


@router.get("/audit/verify")
def verify(session: Acting, engine: EngineDep) -> AuditCheck:
    """Check the audit log's hash chain end to end."""
    return engine.audit.verify(session)


@router.get("/keys")
def every_key(session: Acting, engine: EngineDep) -> list[ApiKey]:
    """Every user's API keys (never the keys themselves)."""
    return engine.identity.api_keys(session, everyone=True)
