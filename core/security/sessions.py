"""Logged-in sessions: tokens, idle lock, logout; kept across restarts when asked to.

A desktop's sessions live in memory only (its person logs in at every start). A server
keeps them (`persist=`) in the encrypted database, so a restart does not log a whole
team out: only a hash of each token is stored, the login time, whether the session is
locked, and when it was last used (written at most once a minute per session), so the
idle lock keeps counting across the restart.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import SessionEnded, SessionLocked
from core.store.database import Database

SEEN_WRITE_S = 60.0
"""A kept session's last use is written to the database at most this often."""
KEPT_DAYS = 30.0
"""A kept session unused for this long is forgotten at the next start (log in again)."""


@dataclass(slots=True)
class _Entry:
    user_id: int
    last_seen: float
    locked: bool = False
    started_at: float = 0.0
    """Wall-clock time of the login (what a logout summary covers)."""
    written_at: float = 0.0
    """When `last_seen` was last written to the database (kept sessions)."""
    for_key: bool = False
    """Stands for an API key: never idles, never kept (the key is checked again)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionTable:
    """Tokens of the logged-in users; a session idle too long locks until re-authenticated.

    `clock` measures idleness (monotonic); `wall` dates logins and kept sessions.
    """

    def __init__(
        self,
        idle_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        *,
        persist: Database | None = None,
        wall: Callable[[], float] = time.time,
        max_age_seconds: float = 0.0,
    ) -> None:
        self.idle_seconds = idle_seconds
        self.max_age_seconds = max_age_seconds
        """A login ends this long after it began, used or not (0: never)."""
        self._clock, self._wall = clock, wall
        self._db = persist
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        if persist is not None:
            self._load(persist)

    # Kept sessions -----------------------------------------------------------------
    def _load(self, db: Database) -> None:
        now, wall = self._clock(), self._wall()
        with db.write() as con:
            con.execute("DELETE FROM sessions WHERE last_seen < ?", (wall - KEPT_DAYS * 86400,))
        rows = db.query("SELECT token_hash, user_id, started_at, last_seen, locked FROM sessions")
        for token_hash, user_id, started, seen, locked in rows:
            entry = _Entry(int(user_id), now - max(0.0, wall - seen), bool(locked), started, seen)
            self._entries[token_hash] = entry  # keyed by hash until the token shows up

    def _find(self, token: str) -> _Entry | None:
        """The entry of `token` (under the lock), moving a kept one to its token."""
        entry = self._entries.get(token)
        if entry is None and self._db is not None:
            entry = self._entries.pop(_hash(token), None)
            if entry is not None:
                self._entries[token] = entry
        return entry

    def _write(self, token: str, entry: _Entry) -> None:
        if self._db is None or entry.for_key:
            return
        entry.written_at = self._wall()
        seen = entry.written_at - (self._clock() - entry.last_seen)
        with self._db.write() as con:
            con.execute(
                "INSERT OR REPLACE INTO sessions "
                "(token_hash, user_id, started_at, last_seen, locked) VALUES (?, ?, ?, ?, ?)",
                (_hash(token), entry.user_id, entry.started_at, seen, int(entry.locked)),
            )

    def _forget(self, token: str) -> None:
        if self._db is None:
            return
        with self._db.write() as con:
            con.execute("DELETE FROM sessions WHERE token_hash = ?", (_hash(token),))

    # Operations --------------------------------------------------------------------
    def open(self, user_id: int) -> str:
        """A new token for `user_id`."""
        token = secrets.token_urlsafe(32)
        entry = _Entry(user_id, self._clock(), started_at=self._wall())
        with self._lock:
            self._entries[token] = entry
            self._write(token, entry)
        return token

    def attach(self, token: str, user_id: int) -> None:
        """Let `token` act for `user_id` without idling out (an API key checked just now)."""
        with self._lock:
            if token not in self._entries:
                self._entries[token] = _Entry(user_id, self._clock(), for_key=True)

    def touch(self, token: str) -> int:
        """The user id of an active session, marking it used now.

        Raises:
            SessionEnded: unknown, logged-out or expired token (`max_age_seconds`).
            SessionLocked: idle for longer than the limit (stays locked until `unlock`).
        """
        now = self._clock()
        with self._lock:
            entry = self._find(token)
            if entry is None:
                raise SessionEnded("session_ended")
            if entry.for_key:
                return entry.user_id
            if self.max_age_seconds and self._wall() - entry.started_at > self.max_age_seconds:
                self._entries.pop(token, None)
                self._forget(token)
                raise SessionEnded("session_expired")
            if entry.locked or (self.idle_seconds and now - entry.last_seen > self.idle_seconds):
                if not entry.locked:
                    entry.locked = True
                    self._write(token, entry)
                raise SessionLocked("session_locked")
            entry.last_seen = now
            if self._db is not None and self._wall() - entry.written_at >= SEEN_WRITE_S:
                self._write(token, entry)
            return entry.user_id

    def started_at(self, token: str) -> float:
        """When the session began (wall clock); SessionEnded for an unknown token."""
        with self._lock:
            entry = self._find(token)
            if entry is None:
                raise SessionEnded("session_ended")
            return entry.started_at

    def user_of(self, token: str) -> int:
        """The user id of a session, locked or not (for unlocking)."""
        with self._lock:
            entry = self._find(token)
            if entry is None:
                raise SessionEnded("session_ended")
            return entry.user_id

    def lock(self, token: str) -> None:
        """Lock now (the user stepped away)."""
        with self._lock:
            entry = self._find(token)
            if entry is not None:
                entry.locked = True
                self._write(token, entry)

    def unlock(self, token: str) -> None:
        """Unlock after the password was checked."""
        with self._lock:
            entry = self._find(token)
            if entry is None:
                raise SessionEnded("session_ended")
            entry.locked, entry.last_seen = False, self._clock()
            self._write(token, entry)

    def close(self, token: str) -> None:
        """Log out one session."""
        with self._lock:
            self._entries.pop(token, None)
            self._entries.pop(_hash(token), None)  # a kept one not used since the restart
            self._forget(token)

    def close_user(self, user_id: int) -> None:
        """End every session of a user (disabled, password reset)."""
        with self._lock:
            tokens = [t for t, e in self._entries.items() if e.user_id == user_id]
            for token in tokens:
                del self._entries[token]
            if self._db is not None:
                with self._db.write() as con:
                    con.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
