"""The audit log as admins read it: the newest entries, and the check of its hash chain."""

from __future__ import annotations

from core.identity import AuditCheck, AuditEntry, Session
from core.security import audit
from core.security.access import Permission
from core.services.context import Context


class AuditService:
    """Reading the audit log (admins; every service writes its own entries)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def entries(
        self, session: Session, limit: int = 200, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest audit entries, optionally of one action."""
        self._ctx.admin(session, Permission.VIEW_AUDIT)
        return audit.entries(self._ctx.db, limit, action)

    def verify(self, session: Session) -> AuditCheck:
        """Check the whole hash chain."""
        self._ctx.admin(session, Permission.VIEW_AUDIT)
        return audit.verify(self._ctx.db, self._ctx.key)
