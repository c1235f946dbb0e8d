"""API keys for integrations, and sessions that expire however busy they are."""

from __future__ import annotations

import pytest

from core import Engine, NotFound, Role, SessionEnded, Settings
from tests.identity import admin_session, user_session


def test_a_key_acts_as_its_user_until_revoked(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        made = engine.identity.create_api_key(mel, "wiki bot")
        assert made.secret.startswith("ksk_")
        assert made.key.prefix == made.secret[:12]
        acting = engine.identity.key_session(made.secret)
        assert acting.user.username == "mel"
        assert acting.token != made.secret  # the key itself is never a session token
        assert engine.kbs.visible(acting) == engine.kbs.visible(mel)
        listed = engine.identity.api_keys(mel)
        assert [(k.name, k.revoked) for k in listed] == [("wiki bot", False)]
        assert listed[0].last_used is not None
        engine.identity.revoke_api_key(mel, made.key.id)
        with pytest.raises(SessionEnded):
            engine.kbs.visible(acting)  # the session it had opened ends at once
        with pytest.raises(SessionEnded):
            engine.identity.key_session(made.secret)
        assert engine.identity.api_keys(mel)[0].revoked


def test_keys_are_stored_only_hashed(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        made = engine.identity.create_api_key(admin, "ci")
        rows = engine.context.db.query("SELECT * FROM api_keys")
    assert len(rows) == 1
    assert not any(made.secret in str(value) for value in rows[0])


def test_a_disabled_users_keys_stop_working(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        secret = engine.identity.create_api_key(mel, "script").secret
        engine.identity.key_session(secret)
        engine.accounts.set_user_enabled(admin, "mel", False)
        with pytest.raises(SessionEnded):
            engine.identity.key_session(secret)


def test_only_the_owner_or_an_admin_revokes_a_key(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        eve = user_session(engine, admin, "eve", Role.EDITOR)
        made = engine.identity.create_api_key(mel, "script")
        with pytest.raises(NotFound):  # eve does not even learn that the key exists
            engine.identity.revoke_api_key(eve, made.key.id)
        assert engine.identity.api_keys(eve) == []
        assert [k.username for k in engine.identity.api_keys(admin, everyone=True)] == ["mel"]
        engine.identity.revoke_api_key(admin, made.key.id)
        with pytest.raises(SessionEnded):
            engine.identity.key_session(made.secret)


def test_made_up_keys_and_session_tokens_are_refused(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        engine.identity.create_api_key(admin, "ci")
        for bogus in ("ksk_" + "A" * 43, admin.token, ""):
            with pytest.raises(SessionEnded):
                engine.identity.key_session(bogus)


def test_a_session_ends_after_session_hours_however_busy(settings: Settings) -> None:
    now = [1_000_000.0]
    with Engine(settings.with_changes(session_hours=8), clock=lambda: now[0]) as engine:
        admin = admin_session(engine)
        now[0] += 7 * 3600
        engine.kbs.visible(admin)
        now[0] += 2 * 3600
        with pytest.raises(SessionEnded) as ended:
            engine.kbs.visible(admin)
        assert ended.value.key == "session_expired"
