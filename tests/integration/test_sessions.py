"""Sessions by token, as a server looks them up, and sessions kept across a restart."""

from __future__ import annotations

import sqlite3

import pytest

from core import Engine, PasswordChangeRequired, Role, SessionEnded, SessionLocked, Settings
from tests.identity import PASSWORD, admin_session, user_session


def test_a_token_stands_for_its_session_with_the_account_as_it_is_now(
    settings: Settings,
) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        found = engine.identity.session(mel.token)
        assert (found.token, found.user.username, found.user.role) == (mel.token, "mel", "member")
        engine.accounts.set_role(admin, "mel", Role.EDITOR)
        assert engine.identity.session(mel.token).user.role is Role.EDITOR
        with pytest.raises(SessionEnded):
            engine.identity.session("not-a-token")
        engine.accounts.set_user_enabled(admin, "mel", False)
        with pytest.raises(SessionEnded):
            engine.identity.session(mel.token)


def test_a_token_of_an_account_that_must_change_its_password_still_finds_it(
    settings: Settings,
) -> None:
    """The server must let that person change the password; everything else refuses."""
    with Engine(settings) as engine:
        admin = admin_session(engine)
        user_session(engine, admin, "mel", Role.MEMBER)
        temporary = engine.accounts.reset_password(admin, "mel")
        mel = engine.identity.login("mel", temporary)
        assert engine.identity.session(mel.token).user.must_change_password
        with pytest.raises(PasswordChangeRequired):
            engine.kbs.visible(mel)


def test_sessions_are_kept_across_a_restart_only_when_asked(settings: Settings) -> None:
    with Engine(settings, keep_sessions=True) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        gone = user_session(engine, admin, "gone", Role.MEMBER)
        engine.identity.logout(gone)
        locked = user_session(engine, admin, "lou", Role.MEMBER)
        engine.identity.lock(locked)
    with Engine(settings, keep_sessions=True) as engine:
        assert engine.identity.session(mel.token).user.username == "mel"
        assert engine.identity.session(admin.token).user.username == "admin"
        assert engine.kbs.visible(mel)  # the session acts, not only looks up
        with pytest.raises(SessionEnded):
            engine.identity.session(gone.token)  # logged out before the restart
        with pytest.raises(SessionLocked):
            engine.identity.session(locked.token)  # still locked
        engine.identity.unlock(locked, PASSWORD)
        assert engine.identity.session(locked.token).user.username == "lou"
        engine.accounts.set_user_enabled(admin, "mel", False)
    with Engine(settings) as engine, pytest.raises(SessionEnded):  # a desktop: log in again
        engine.identity.session(admin.token)
    with Engine(settings, keep_sessions=True) as engine:
        with pytest.raises(SessionEnded):
            engine.identity.session(mel.token)  # disabled: its sessions ended for good
        assert engine.identity.session(admin.token).user.username == "admin"


def test_kept_sessions_store_no_token(settings: Settings) -> None:
    """Only a hash of each token is kept: reading the database does not log anyone in."""
    with Engine(settings, keep_sessions=True) as engine:
        admin = admin_session(engine)
        rows = engine.context.db.query("SELECT * FROM sessions")
    assert len(rows) == 1
    assert not any(admin.token in str(value) for value in rows[0])
    with pytest.raises(sqlite3.DatabaseError):  # and the file itself is encrypted
        sqlite3.connect(settings.db_path).execute("SELECT * FROM sessions").fetchall()


def test_idle_time_keeps_counting_across_a_restart(settings: Settings) -> None:
    """A session idle past the limit comes back locked; one unused for a month, gone."""
    idle = settings.with_changes(idle_lock_minutes=1)
    with Engine(idle, keep_sessions=True) as engine:
        admin = admin_session(engine)
        with engine.context.db.write() as con:  # its last use, written, was long ago
            con.execute("UPDATE sessions SET last_seen = last_seen - 3600")
    with Engine(idle, keep_sessions=True) as engine:
        with pytest.raises(SessionLocked):
            engine.identity.session(admin.token)
        with engine.context.db.write() as con:  # and then a month passes
            con.execute("UPDATE sessions SET last_seen = last_seen - 31 * 86400")
    with Engine(idle, keep_sessions=True) as engine:
        with pytest.raises(SessionEnded):
            engine.identity.session(admin.token)  # forgotten: log in again
        assert engine.context.db.query("SELECT count(*) FROM sessions") == [(0,)]
