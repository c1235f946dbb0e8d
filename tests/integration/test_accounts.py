"""Accounts on a real encrypted store: setup, registration, login, lockout, passwords."""

from __future__ import annotations

import pytest

from core import (
    AuthenticationFailed,
    Engine,
    InvalidInput,
    PasswordChangeRequired,
    Role,
    Session,
    SessionEnded,
    SessionLocked,
    Settings,
    UserStatus,
)
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session, user_session


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Accounts are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


def test_setup_happens_once_and_shows_a_recovery_code(engine: Engine) -> None:
    assert engine.identity.needs_setup()
    with pytest.raises(InvalidInput, match="not set up"):
        engine.identity.register("bob", PASSWORD)
    result = engine.identity.setup("admin", PASSWORD, "Anna Admin")
    assert len(result.recovery_code.split("-")) == 8
    assert result.session.user.role is Role.ADMIN
    assert result.session.user.label == "Anna Admin"
    with pytest.raises(InvalidInput, match="already set up"):
        engine.identity.setup("mallory", PASSWORD)


def test_registration_waits_for_approval(engine: Engine) -> None:
    admin = admin_session(engine)
    user = engine.identity.register("bob", "bob's password")
    assert user.status is UserStatus.PENDING
    with pytest.raises(AuthenticationFailed, match="waiting for an administrator"):
        engine.identity.login("bob", "bob's password")
    assert engine.accounts.users(admin)[0].username == "bob"  # pending first
    engine.accounts.approve_user(admin, "bob", Role.EDITOR)
    assert (
        engine.identity.login("BOB", "bob's password").user.role is Role.EDITOR
    )  # names ignore case


def test_invite_code_registers_an_active_account_once(engine: Engine) -> None:
    admin = admin_session(engine)
    code = engine.accounts.create_invite(admin, Role.EDITOR)
    assert (
        engine.identity.register("eva", PASSWORD, invite=code.lower()).status is UserStatus.ACTIVE
    )
    with pytest.raises(InvalidInput, match="invite code"):
        engine.identity.register("ivan", PASSWORD, invite=code)
    with pytest.raises(AuthenticationFailed):  # the failed registration left no account
        engine.identity.login("ivan", PASSWORD)
    assert engine.identity.register("ivan", PASSWORD).status is UserStatus.PENDING


def test_closed_registration_needs_an_invite(settings: Settings) -> None:
    with Engine(settings.with_changes(allow_registration=False)) as engine:
        admin_session(engine)
        with pytest.raises(InvalidInput, match="invite"):
            engine.identity.register("bob", PASSWORD)


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("b", PASSWORD, "cannot be a username"),
        ("~bob", PASSWORD, "cannot be a username"),
        ("bob smith", PASSWORD, "cannot be a username"),
        ("bob", "short", "at least 8"),
        ("bobbybobby", "BobbyBobby", "differ from the username"),
    ],
)
def test_bad_names_and_passwords_are_explained(
    engine: Engine, username: str, password: str, message: str
) -> None:
    admin_session(engine)
    with pytest.raises(InvalidInput, match=message) as info:
        engine.identity.register(username, password)
    assert info.value.user_message("ru") != info.value.user_message("en")


@pytest.mark.parametrize(
    "username",
    [
        "\u0430dmin",  # Cyrillic а + Latin dmin: looks like 'admin'
        "p\u0430ypal",
        "j\u043ehn.smith",  # Cyrillic о
        "\u0430\u0434\u043cin",  # Cyrillic адм + Latin in
        "\u03b1lice",  # Greek alpha
    ],
)
def test_usernames_mixing_alphabets_are_refused(engine: Engine, username: str) -> None:
    admin = admin_session(engine)
    with pytest.raises(InvalidInput, match="different alphabets") as info:
        engine.identity.register(username, PASSWORD)
    assert "алфавит" in info.value.user_message("ru")
    assert [u.username for u in engine.accounts.users(admin)] == ["admin"]


def test_setup_refuses_a_name_mixing_alphabets(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="different alphabets"):
        engine.identity.setup("\u0430dmin", PASSWORD)
    assert engine.identity.needs_setup()


def test_compatibility_forms_of_a_name_are_that_name(engine: Engine) -> None:
    admin_session(engine)
    fullwidth = "\uff41\uff44\uff4d\uff49\uff4e"  # ａｄｍｉｎ
    with pytest.raises(InvalidInput, match="taken"):
        engine.identity.register(fullwidth, PASSWORD)
    assert engine.identity.login(fullwidth, PASSWORD).user.username == "admin"
    assert engine.identity.register("\ufb01ona", PASSWORD).username == "fiona"  # the 'fi' ligature


def test_cyrillic_usernames_work(engine: Engine) -> None:
    admin = admin_session(engine)
    engine.identity.register("мария.иванова", PASSWORD)
    engine.accounts.approve_user(admin, "Мария.Иванова")
    assert engine.identity.login("мария.иванова", PASSWORD).user.username == "мария.иванова"


class Clock:
    """A wall clock the test moves by hand (lockouts without sleeping)."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _wrong_login(engine: Engine) -> None:
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login("admin", "guess")


def _locked_login(engine: Engine) -> None:
    with pytest.raises(AuthenticationFailed, match="try again in"):
        engine.identity.login("admin", PASSWORD)  # even the right password waits


def test_lockout_defaults_are_5_failures_then_30_s_doubling_to_15_min(settings: Settings) -> None:
    assert (settings.login_failures, settings.lockout_seconds) == (5, 30.0)
    clock = Clock()
    with Engine(settings, clock=clock) as engine:
        admin_session(engine)
        for _ in range(5):
            _wrong_login(engine)
        for lockout in (30, 60, 120, 240, 480, 900, 900):
            clock.now += lockout - 1
            _locked_login(engine)
            clock.now += 1
            _wrong_login(engine)  # the next failure doubles the lockout, up to 15 min
        clock.now += 900
        engine.identity.login("admin", PASSWORD)  # success resets the counter
        for _ in range(4):
            _wrong_login(engine)
        engine.identity.login("admin", PASSWORD)


def test_wrong_unlock_passwords_lock_the_account(settings: Settings) -> None:
    clock = Clock()
    with Engine(settings, clock=clock) as engine:
        admin = admin_session(engine)
        engine.identity.lock(admin)
        for _ in range(5):
            with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
                engine.identity.unlock(admin, "guess")
        with pytest.raises(AuthenticationFailed, match="try again in 31 s"):
            engine.identity.unlock(admin, PASSWORD)
        with pytest.raises(SessionLocked):
            engine.kbs.visible(admin)
        _locked_login(engine)  # one counter for the login screen and the unlock dialog
        clock.now += 30
        engine.identity.unlock(admin, PASSWORD)
        reasons = [
            dict(e.detail)["reason"] for e in engine.audit.entries(admin, action="login_failed")
        ]
        assert reasons.count("unlock") == 5
        assert "unlock_locked" in reasons


def test_wrong_current_passwords_lock_the_password_change(settings: Settings) -> None:
    clock = Clock()
    with Engine(settings, clock=clock) as engine:
        admin = admin_session(engine)
        for _ in range(5):
            with pytest.raises(AuthenticationFailed, match="current password is wrong"):
                engine.identity.change_password(admin, "guess", "brand new password")
        with pytest.raises(AuthenticationFailed, match="try again in"):
            engine.identity.change_password(admin, PASSWORD, "brand new password")
        _locked_login(engine)
        clock.now += 30
        engine.identity.change_password(admin, PASSWORD, "brand new password")
        engine.identity.login("admin", "brand new password")
        reasons = [
            dict(e.detail)["reason"] for e in engine.audit.entries(admin, action="login_failed")
        ]
        assert reasons.count("password_change") == 5
        assert "password_change_locked" in reasons


def test_an_invite_expires_after_its_days(settings: Settings) -> None:
    clock = Clock()
    with Engine(settings, clock=clock) as engine:
        admin = admin_session(engine)
        late = engine.accounts.create_invite(admin, Role.EDITOR, days=1)
        on_time = engine.accounts.create_invite(admin, Role.EDITOR, days=1)
        clock.now += 86400 - 1
        assert engine.identity.register("eva", PASSWORD, invite=on_time).status is UserStatus.ACTIVE
        clock.now += 1
        with pytest.raises(InvalidInput, match="invite code"):
            engine.identity.register("ivan", PASSWORD, invite=late)


def test_unknown_user_gets_the_same_answer(engine: Engine) -> None:
    admin = admin_session(engine)
    with pytest.raises(AuthenticationFailed) as unknown:
        engine.identity.login("nobody", PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        engine.identity.login("admin", "wrong password")
    assert unknown.value.user_message("en") == wrong.value.user_message("en")
    failed = engine.audit.entries(admin, action="login_failed")
    assert {e.actor for e in failed} == {"unknown user", "admin"}


def test_a_password_typed_as_the_username_never_reaches_the_audit_log(engine: Engine) -> None:
    admin = admin_session(engine)
    typed = "Tr0ub4dor&3-Secret"
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login(typed, "anything at all")
    [failed] = engine.audit.entries(admin, action="login_failed")
    assert failed.actor == "unknown user"
    rows = engine.context.db.query("SELECT * FROM audit_log")
    for needle in (typed, typed.casefold(), typed[:12]):
        assert needle not in str(rows)


def test_change_password(engine: Engine) -> None:
    admin = admin_session(engine)
    with pytest.raises(AuthenticationFailed, match="current password"):
        engine.identity.change_password(admin, "not it", "brand new password")
    engine.identity.change_password(admin, PASSWORD, "brand new password")
    engine.identity.login("admin", "brand new password")
    with pytest.raises(AuthenticationFailed):
        engine.identity.login("admin", PASSWORD)


def test_admin_reset_forces_a_new_password(engine: Engine) -> None:
    admin = admin_session(engine)
    engine.identity.register("bob", PASSWORD)
    engine.accounts.approve_user(admin, "bob")
    bob = engine.identity.login("bob", PASSWORD)
    temporary = engine.accounts.reset_password(admin, "bob")
    with pytest.raises(SessionEnded):  # the reset ends bob's sessions
        engine.kbs.visible(bob)
    bob = engine.identity.login("bob", temporary)
    assert bob.user.must_change_password
    with pytest.raises(PasswordChangeRequired):
        engine.kbs.visible(bob)
    engine.identity.change_password(bob, temporary, "bob's own password")
    assert engine.kbs.visible(bob)


def test_disabling_ends_sessions_and_logins(engine: Engine) -> None:
    admin = admin_session(engine)
    engine.identity.register("bob", PASSWORD)
    engine.accounts.approve_user(admin, "bob")
    bob = engine.identity.login("bob", PASSWORD)
    engine.accounts.set_user_enabled(admin, "bob", False)
    with pytest.raises(SessionEnded):
        engine.kbs.visible(bob)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        engine.identity.login("bob", PASSWORD)
    engine.accounts.set_user_enabled(admin, "bob", True)
    engine.identity.login("bob", PASSWORD)


def test_the_last_admin_cannot_be_removed(engine: Engine) -> None:
    admin = admin_session(engine)
    with pytest.raises(InvalidInput, match="last active administrator"):
        engine.accounts.set_role(admin, "admin", Role.MEMBER)
    with pytest.raises(InvalidInput, match="last active administrator"):
        engine.accounts.set_user_enabled(admin, "admin", False)
    engine.identity.register("bob", PASSWORD)
    engine.accounts.approve_user(admin, "bob", Role.ADMIN)
    engine.accounts.set_role(admin, "admin", Role.MEMBER)  # fine: bob is an admin now


def test_idle_session_locks_and_the_password_unlocks(settings: Settings) -> None:
    now = [1_000.0]  # minutes pass without sleeping
    with Engine(settings.with_changes(idle_lock_minutes=15), idle_clock=lambda: now[0]) as engine:
        admin = admin_session(engine)
        now[0] += 14 * 60
        assert engine.kbs.visible(admin), "used within the limit"
        now[0] += 15 * 60 + 1
        with pytest.raises(SessionLocked):
            engine.kbs.visible(admin)
        with pytest.raises(AuthenticationFailed):
            engine.identity.unlock(admin, "wrong")
        engine.identity.unlock(admin, PASSWORD)
        assert engine.kbs.visible(admin)
        engine.identity.lock(admin)  # the user steps away on purpose
        with pytest.raises(SessionLocked):
            engine.kbs.visible(admin)


def test_logout_ends_the_session(engine: Engine) -> None:
    admin = admin_session(engine)
    engine.identity.logout(admin)
    with pytest.raises(SessionEnded):
        engine.kbs.visible(admin)
    engine.identity.logout(admin)  # twice is harmless


def test_groups(engine: Engine) -> None:
    admin = admin_session(engine)
    engine.identity.register("bob", PASSWORD)
    engine.accounts.approve_user(admin, "bob")
    engine.accounts.create_group(admin, "Legal")
    with pytest.raises(InvalidInput, match="exists already"):
        engine.accounts.create_group(admin, "legal")
    assert engine.accounts.set_group_member(admin, "Legal", "bob", True).members == ("bob",)
    assert engine.accounts.set_group_member(admin, "legal", "bob", False).members == ()


def test_first_screens_loading_at_once_create_one_personal_kb(engine: Engine) -> None:
    """The desktop loads the library and the chat scope in parallel right after login."""
    import threading

    admin = admin_session(engine)
    errors: list[BaseException] = []
    for n in range(5):
        session = user_session(engine, admin, f"user{n}", Role.MEMBER)
        start = threading.Barrier(8)

        def load(session: Session = session, start: threading.Barrier = start) -> None:
            start.wait()
            try:
                engine.kbs.visible(session)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=load) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [k.name for k in engine.kbs.visible(session) if k.personal] == [f"~user{n}"]
    assert errors == []
