"""Usage and quality figures for administrators: aggregates only, computed in the core.

No question, answer, passage or comment text is read here: `answer_stats` holds none,
and document names appear only for knowledge bases the administrator may read. Only
administrators (`Permission.VIEW_USAGE`) get the report; the check is here, not in a shell.
"""

from __future__ import annotations

from pathlib import Path

from core.analytics.csv_files import write_report
from core.analytics.queries import usage
from core.analytics.report import UsageReport
from core.errors import InvalidInput
from core.identity import Session
from core.security.access import Permission
from core.services.context import Context

MAX_DAYS = 3660


class AnalyticsService:
    """The usage report and its CSV export."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def usage(self, session: Session, days: int = 30) -> UsageReport:
        """Questions, "not found", feedback, speed, citations and the index over `days` days.

        Raises `PermissionDenied` for anyone but an administrator, `InvalidInput` for a
        period outside 1..MAX_DAYS days.
        """
        admin = self._ctx.admin(session, Permission.VIEW_USAGE)
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput("usage_days", days=days, limit=MAX_DAYS)
        readable = self._ctx.access.visible_ids(admin)
        return usage(self._ctx.db, self._ctx.settings, readable, self._ctx.clock(), days)

    def export_csv(self, session: Session, folder: Path, days: int = 30) -> list[Path]:
        """Write the report's tables as CSV files into `folder`; returns their paths."""
        report = self.usage(session, days)
        try:
            return write_report(report, folder)
        except OSError as exc:
            raise InvalidInput("usage_csv_failed", path=folder, detail=exc.strerror or exc) from exc
