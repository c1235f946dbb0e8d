"""Accounts and groups as admins manage them: approval, roles, passwords, invites, groups."""

from __future__ import annotations

import secrets

from core.errors import InvalidInput
from core.identity import Group, Role, Session, User, UserStatus
from core.security.access import Permission
from core.services.context import Context
from core.types import TokenUsage

TEMP_PASSWORD_BYTES = 9


class AccountService:
    """Every account and group (admins); the list of groups for anyone (to share with)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def users(self, session: Session) -> list[User]:
        """Every account."""
        self._ctx.admin(session)
        return self._ctx.accounts.all()

    def approve_user(self, session: Session, username: str, role: Role = Role.MEMBER) -> User:
        """Activate a pending registration with a role."""
        ctx = self._ctx
        actor = ctx.admin(session)
        user = ctx.accounts.find(username)
        if user.status is not UserStatus.PENDING:
            raise InvalidInput("user_not_pending", username=user.username)
        ctx.accounts.update(actor, user, "user_approved", role=role.value, status="active")
        return ctx.accounts.get(user.id)

    def set_role(self, session: Session, username: str, role: Role) -> User:
        """Change a user's role (the last active admin cannot be demoted)."""
        ctx = self._ctx
        actor = ctx.admin(session)
        user = ctx.accounts.find(username)
        ctx.accounts.update(actor, user, "role_changed", role=role.value)
        return ctx.accounts.get(user.id)

    def set_user_enabled(self, session: Session, username: str, enabled: bool) -> User:
        """Disable an account (its sessions end at once) or enable it again."""
        ctx = self._ctx
        actor = ctx.admin(session)
        user = ctx.accounts.find(username)
        status = UserStatus.ACTIVE if enabled else UserStatus.DISABLED
        action = "user_enabled" if enabled else "user_disabled"
        ctx.accounts.update(actor, user, action, status=status.value)
        if not enabled:
            ctx.sessions.close_user(user.id)
        return ctx.accounts.get(user.id)

    def reset_password(self, session: Session, username: str) -> str:
        """Set a temporary password (returned, shown once); the user must change it."""
        ctx = self._ctx
        actor = ctx.admin(session)
        user = ctx.accounts.find(username)
        temporary = secrets.token_urlsafe(TEMP_PASSWORD_BYTES)
        ctx.accounts.set_password(actor, user, temporary, must_change=True, action="password_reset")
        ctx.sessions.close_user(user.id)
        return temporary

    def set_token_quota(
        self, session: Session, username: str, tokens_per_day: int | None
    ) -> TokenUsage:
        """Limit a user's prompt and answer tokens per UTC day (None: no limit); audited.

        A user who has used the day's quota is refused further answers until midnight
        UTC; summaries and digests written for them do not count.
        """
        ctx = self._ctx
        actor = ctx.admin(session)
        user = ctx.accounts.find(username)
        ctx.quotas.set_quota(actor, user, tokens_per_day)
        return ctx.quotas.usage(user.id)

    def token_usage(self, session: Session, username: str | None = None) -> TokenUsage:
        """Tokens used today and the daily quota: the user's own, or (admins) anyone's."""
        ctx = self._ctx
        if username is None:
            return ctx.quotas.usage(ctx.actor(session).id)
        ctx.admin(session)
        return ctx.quotas.usage(ctx.accounts.find(username).id)

    def create_invite(self, session: Session, role: Role = Role.MEMBER, days: float = 7) -> str:
        """A one-time invite code that registers an active account with `role`."""
        return self._ctx.accounts.new_invite(self._ctx.admin(session), role, days)

    def groups(self, session: Session) -> list[Group]:
        """Every group and its members (any user: needed to share)."""
        self._ctx.actor(session)
        return self._ctx.accounts.groups()

    def create_group(self, session: Session, name: str) -> Group:
        """A new group (admins)."""
        actor = self._ctx.admin(session, Permission.MANAGE_GROUPS)
        return self._ctx.accounts.create_group(actor, name)

    def set_group_member(self, session: Session, group: str, username: str, member: bool) -> Group:
        """Add a user to a group or remove them (admins)."""
        ctx = self._ctx
        actor = ctx.admin(session, Permission.MANAGE_GROUPS)
        target = ctx.accounts.group(group)
        ctx.accounts.set_membership(actor, target, ctx.accounts.find(username), member)
        return ctx.accounts.group(group)
