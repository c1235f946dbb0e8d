"""Per-user limits on the model: questions per minute (in memory), tokens per day (stored).

The rate limit guards the line in front of the model against one user's burst; it lives in
memory because a restart forgets a minute harmlessly. Daily token quotas are an admin's
decision and the day's use is what they are measured against, so both are stored (in
the encrypted database) and survive restarts. Days are UTC days: one server, one clock,
the same midnight for everyone.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from core.errors import InvalidInput, QuotaExceeded, RateLimited
from core.i18n import N_plural
from core.identity import User
from core.security import audit
from core.store.database import Database
from core.types import TokenUsage

WINDOW_S = 60.0


class RateLimiter:
    """At most `per_minute()` questions per user in any sliding minute (0: no limit)."""

    def __init__(
        self, per_minute: Callable[[], int], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._per_minute = per_minute
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, user_id: int) -> None:
        """Count one question of the user's, or raise `RateLimited` (it is then not counted)."""
        limit = self._per_minute()
        if limit <= 0:
            return
        now = self._clock()
        with self._lock:
            asked = self._asked.setdefault(user_id, deque())
            while asked and asked[0] <= now - WINDOW_S:
                asked.popleft()
            if len(asked) >= limit:
                wait = max(1, math.ceil(asked[0] + WINDOW_S - now))
                raise RateLimited(N_plural("rate_limited"), count=limit, retry_after_s=wait)
            asked.append(now)


def utc_day(at: float) -> str:
    """The UTC date of the wall-clock time `at`, 'YYYY-MM-DD'."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d")


def seconds_to_midnight(at: float) -> int:
    """Whole seconds from `at` to the next UTC midnight (at least 1)."""
    moment = datetime.fromtimestamp(at, UTC)
    midnight = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, math.ceil((midnight - moment).total_seconds()))


class TokenQuotas:
    """Daily token quotas and each user's use of the model per UTC day."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    def usage(self, user_id: int) -> TokenUsage:
        """The user's tokens used today and their quota."""
        day = utc_day(self._clock())
        used = self._db.query(
            "SELECT tokens FROM token_usage WHERE user_id = ? AND day = ?", (user_id, day)
        )
        limit = self._db.query(
            "SELECT tokens_per_day FROM token_quotas WHERE user_id = ?", (user_id,)
        )
        return TokenUsage(day, int(used[0][0]) if used else 0, int(limit[0][0]) if limit else None)

    def check(self, user_id: int) -> None:
        """Raise `QuotaExceeded` if the user has used today's quota up."""
        usage = self.usage(user_id)
        if usage.limit is not None and usage.used >= usage.limit:
            wait = seconds_to_midnight(self._clock())
            hours = max(1, round(wait / 3600))
            raise QuotaExceeded(
                N_plural("quota_exceeded"), count=usage.limit, hours=hours, retry_after_s=wait
            )

    def record(self, user_id: int, tokens: int) -> None:
        """Add the prompt and answer tokens of one generation to the user's day."""
        if tokens <= 0:
            return
        with self._db.write() as con:
            con.execute(
                "INSERT INTO token_usage (user_id, day, tokens) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id, day) DO UPDATE SET tokens = tokens + excluded.tokens",
                (user_id, utc_day(self._clock()), tokens),
            )

    def set_quota(self, actor: User, user: User, tokens_per_day: int | None) -> None:
        """Set (None: remove) the user's daily quota; audited in the same transaction."""
        if tokens_per_day is not None and tokens_per_day <= 0:
            raise InvalidInput("quota_invalid")
        with self._db.write() as con:
            if tokens_per_day is None:
                con.execute("DELETE FROM token_quotas WHERE user_id = ?", (user.id,))
            else:
                con.execute(
                    "INSERT INTO token_quotas (user_id, tokens_per_day) VALUES (?, ?) "
                    "ON CONFLICT (user_id) DO UPDATE SET tokens_per_day = excluded.tokens_per_day",
                    (user.id, tokens_per_day),
                )
            audit.record(
                con, actor, "token_quota_set", user.username, tokens_per_day=tokens_per_day
            )
