"""Logged-in sessions, held in memory only: tokens, idle lock, logout."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from core.errors import SessionEnded, SessionLocked


@dataclass(slots=True)
class _Entry:
    user_id: int
    last_seen: float
    locked: bool = False
    started_at: float = 0.0
    """Wall-clock time of the login (what a logout summary covers)."""


class SessionTable:
    """Tokens of the logged-in users; a session idle too long locks until re-authenticated."""

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def open(self, user_id: int) -> str:
        """A new token for `user_id`."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._entries[token] = _Entry(user_id, self._clock(), started_at=time.time())
        return token

    def touch(self, token: str) -> int:
        """The user id of an active session, marking it used now.

        Raises:
            SessionEnded: unknown or logged-out token.
            SessionLocked: idle for longer than the limit (stays locked until `unlock`).
        """
        now = self._clock()
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                raise SessionEnded("session_ended")
            if entry.locked or (self.idle_seconds and now - entry.last_seen > self.idle_seconds):
                entry.locked = True
                raise SessionLocked("session_locked")
            entry.last_seen = now
            return entry.user_id

    def started_at(self, token: str) -> float:
        """When the session began (wall clock); SessionEnded for an unknown token."""
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                raise SessionEnded("session_ended")
            return entry.started_at

    def user_of(self, token: str) -> int:
        """The user id of a session, locked or not (for unlocking)."""
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                raise SessionEnded("session_ended")
            return entry.user_id

    def lock(self, token: str) -> None:
        """Lock now (the user stepped away)."""
        with self._lock:
            if token in self._entries:
                self._entries[token].locked = True

    def unlock(self, token: str) -> None:
        """Unlock after the password was checked."""
        with self._lock:
            entry = self._entries.get(token)
            if entry is None:
                raise SessionEnded("session_ended")
            entry.locked, entry.last_seen = False, self._clock()

    def close(self, token: str) -> None:
        """Log out one session."""
        with self._lock:
            self._entries.pop(token, None)

    def close_user(self, user_id: int) -> None:
        """End every session of a user (disabled, password reset)."""
        with self._lock:
            for token in [t for t, e in self._entries.items() if e.user_id == user_id]:
                del self._entries[token]
