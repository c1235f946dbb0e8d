"""Sessions lock after idle time and end on logout (clock injected: unit test)."""

import pytest

from core import SessionEnded, SessionLocked
from core.security.sessions import SessionTable


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_session_locks_until_unlocked() -> None:
    clock = Clock()
    table = SessionTable(idle_seconds=60, clock=clock)
    token = table.open(7)
    clock.now += 59
    assert table.touch(token) == 7
    clock.now += 61
    with pytest.raises(SessionLocked):
        table.touch(token)
    with pytest.raises(SessionLocked):  # stays locked even if touched again at once
        table.touch(token)
    table.unlock(token)
    assert table.touch(token) == 7


def test_logout_and_disabling_end_sessions() -> None:
    table = SessionTable(idle_seconds=0)
    first, second, other = table.open(1), table.open(1), table.open(2)
    table.close(first)
    with pytest.raises(SessionEnded):
        table.touch(first)
    table.close_user(1)
    with pytest.raises(SessionEnded):
        table.touch(second)
    assert table.touch(other) == 2
    with pytest.raises(SessionEnded):
        table.touch("forged-token")
