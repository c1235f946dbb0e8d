"""LDAP login against a real OpenLDAP (slapd) on loopback, into a real encrypted store."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import ldap3
import pytest

from core import (
    AuthenticationFailed,
    Engine,
    InvalidInput,
    KnownError,
    Role,
    Session,
    Settings,
    UserStatus,
)
from core.errors import DirectoryUnreachable
from core.security.directory import Directory
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD
from tests.integration.ldap_server import (
    GROUPS,
    PASSWORDS,
    PEOPLE,
    ROOT_DN,
    ROOT_PASSWORD,
    SUFFIX,
    LdapServer,
    free_port,
    running_slapd,
)

ADMINS, STAFF = f"cn=admins,{GROUPS}", f"cn=staff,{GROUPS}"
HOSTILE_NAMES = ("*", "alic*", "a*e", ")(uid=*", "alice)(uid=*", "*)(|(uid=*", "alice\\2a")


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LdapServer]:
    """One slapd for the module (it starts in well under a second)."""
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


def ldap_settings(server: LdapServer, **changes: Any) -> dict[str, Any]:
    """An OpenLDAP configuration as docs/ldap.md shows it, pointed at `server`."""
    values: dict[str, Any] = {
        "ldap_url": server.url,
        "ldap_user_dn": f"uid={{username}},{PEOPLE}",
        "ldap_base_dn": SUFFIX,
        "ldap_group_base": GROUPS,
        "ldap_group_roles": {"admins": "admin", f"cn=editors,{GROUPS}": "editor"},
        "ldap_group_groups": {"staff": "Staff", "research": "Research"},
        "ldap_disabled_filter": "(employeeType=disabled)",
        "ldap_timeout_s": 3.0,
    }
    return values | changes


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Logins are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


@pytest.fixture
def settings(settings: Settings, directory: LdapServer) -> Settings:
    """The shared test settings with directory login on."""
    return settings.with_changes(**ldap_settings(directory))


def login(engine: Engine, name: str) -> Session:
    return engine.identity.login(name, PASSWORDS[name])


def members(engine: Engine, admin: Session, group: str) -> tuple[str, ...]:
    return {g.name: g.members for g in engine.accounts.groups(admin)}[group]


def test_a_first_directory_login_creates_the_account_with_the_mapped_role(
    engine: Engine, admin: Session
) -> None:
    user = login(engine, "alice").user
    assert (user.username, user.role, user.status) == ("alice", Role.ADMIN, UserStatus.ACTIVE)
    assert (user.from_directory, user.display_name, user.email) == (
        True,
        "Alice Adams",
        "alice@example.com",
    )
    assert not engine.accounts.users(admin)[0].from_directory  # the local admin
    assert members(engine, admin, "Research") == ("alice",)
    [created] = engine.audit.entries(admin, action="ldap_user_created")
    assert (created.target, dict(created.detail)["role"]) == ("alice", "admin")
    assert dict(engine.audit.entries(admin, action="login_ok")[0].detail) == {"source": "ldap"}
    again = engine.identity.login("ALICE", PASSWORDS["alice"]).user  # however it is typed
    assert again.id == user.id
    assert len(engine.audit.entries(admin, action="ldap_user_created")) == 1
    assert engine.audit.verify(admin).ok


def test_a_wrong_directory_password_is_refused_and_counts_towards_the_lockout(
    engine: Engine, admin: Session
) -> None:
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login("bob", "not bob's password")
    assert [u.username for u in engine.accounts.users(admin)] == ["admin"]  # nothing created
    login(engine, "bob")
    for _ in range(engine.settings.login_failures):
        with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
            engine.identity.login("bob", "not bob's password")
    with pytest.raises(AuthenticationFailed, match="Too many failed attempts"):
        login(engine, "bob")  # locked before the directory is even asked


def test_an_empty_password_is_refused_and_never_binds_anonymously(
    engine: Engine, directory: LdapServer
) -> None:
    # An LDAP "unauthenticated bind" (a name, no password) succeeds on many servers...
    who = subprocess.run(
        ["ldapwhoami", "-x", "-H", directory.url, "-D", f"uid=alice,{PEOPLE}", "-w", ""],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert who.stdout.strip() == "anonymous"  # ...including this one: it lets anybody in
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login("alice", "")  # ...so an empty password never reaches it


def test_a_user_the_directory_disabled_is_refused_and_gets_no_account(
    engine: Engine, admin: Session
) -> None:
    with pytest.raises(AuthenticationFailed, match=r"directory .* has disabled this account"):
        login(engine, "carol")
    assert [u.username for u in engine.accounts.users(admin)] == ["admin"]
    [refused] = engine.audit.entries(admin, action="login_failed")
    assert dict(refused.detail)["reason"] == "directory_disabled"


def test_a_user_disabled_later_in_the_directory_is_disabled_here(
    engine: Engine, admin: Session, directory: LdapServer
) -> None:
    erin = login(engine, "erin")
    dn = f"uid=erin,{PEOPLE}"
    directory.modify(dn, {"employeeType": [(ldap3.MODIFY_REPLACE, ["disabled"])]})
    try:
        with pytest.raises(AuthenticationFailed, match=r"directory .* has disabled this account"):
            login(engine, "erin")
        assert engine.accounts.users(admin)[-1].status is UserStatus.DISABLED
        [disabled] = engine.audit.entries(admin, action="user_disabled")
        assert (disabled.actor, disabled.target) == ("directory", "erin")
        with pytest.raises(KnownError, match="disabled"):
            engine.identity.current_user(erin)  # her open session ends too
    finally:
        directory.modify(dn, {"employeeType": [(ldap3.MODIFY_DELETE, [])]})
    with pytest.raises(AuthenticationFailed, match="contact an administrator"):
        login(engine, "erin")  # enabled again there: an admin enables her here
    engine.accounts.set_user_enabled(admin, "erin", True)
    assert login(engine, "erin").user.status is UserStatus.ACTIVE


def test_active_directory_s_disabled_bit_is_honoured(engine: Engine, admin: Session) -> None:
    with pytest.raises(AuthenticationFailed, match=r"directory .* has disabled this account"):
        login(engine, "gina")  # userAccountControl 514: NORMAL_ACCOUNT | ACCOUNTDISABLE


def test_member_of_values_count_as_groups(engine: Engine) -> None:
    assert login(engine, "hank").user.role is Role.EDITOR  # editors (by DN) via memberOf only


def test_role_and_groups_follow_the_directory_at_every_login(
    engine: Engine, admin: Session, directory: LdapServer
) -> None:
    dave = f"uid=dave,{PEOPLE}"
    engine.accounts.create_group(admin, "Hand-made")
    engine.accounts.set_group_member(admin, "Hand-made", "admin", True)
    assert login(engine, "dave").user.role is Role.MEMBER
    engine.accounts.set_group_member(admin, "Hand-made", "dave", True)
    assert members(engine, admin, "Staff") == ("dave",)
    directory.modify(ADMINS, {"member": [(ldap3.MODIFY_ADD, [dave])]})
    directory.modify(STAFF, {"member": [(ldap3.MODIFY_DELETE, [dave])]})
    try:
        assert login(engine, "dave").user.role is Role.ADMIN
        assert members(engine, admin, "Staff") == ()
        assert members(engine, admin, "Hand-made") == ("admin", "dave")  # not mapped
    finally:
        directory.modify(ADMINS, {"member": [(ldap3.MODIFY_DELETE, [dave])]})
        directory.modify(STAFF, {"member": [(ldap3.MODIFY_ADD, [dave])]})
    assert login(engine, "dave").user.role is Role.MEMBER
    assert members(engine, admin, "Staff") == ("dave",)
    changes = [
        (e.actor, dict(e.detail)["role"]) for e in engine.audit.entries(admin, 10, "role_changed")
    ]
    assert changes == [("directory", "member"), ("directory", "admin")]


def test_every_directory_group_can_be_mirrored(engine: Engine, admin: Session) -> None:
    engine.system.apply_settings(admin, engine.settings.with_changes(ldap_group_groups={"*": "*"}))
    login(engine, "bob")
    groups = {g.name: g.members for g in engine.accounts.groups(admin)}
    assert groups == {"auditors": ("bob",), "research": ("bob",), "staff": ("bob",)}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_username_with_filter_metacharacters_cannot_log_in(
    engine: Engine, admin: Session, name: str
) -> None:
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login(name, PASSWORDS["alice"])
    assert [u.username for u in engine.accounts.users(admin)] == ["admin"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("mode", ["bind as a DN", "search, then bind"])
def test_the_directory_escapes_what_it_is_given(
    settings: Settings, directory: LdapServer, name: str, mode: str
) -> None:
    """Below the username check: the adapter itself never lets a name act as a pattern."""
    if mode == "search, then bind":  # where an unescaped 'alic*' would find alice
        settings = settings.with_changes(ldap_user_dn="")
    assert Directory(settings).authenticate("alice", PASSWORDS["alice"]).dn.startswith("uid=alice")
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        Directory(settings).authenticate(name, PASSWORDS["alice"])


def test_search_then_bind_with_a_service_account(
    engine: Engine, admin: Session, directory: LdapServer
) -> None:
    changes = {"ldap_user_dn": "", "ldap_bind_dn": ROOT_DN, "ldap_bind_password": ROOT_PASSWORD}
    engine.system.apply_settings(admin, engine.settings.with_changes(**changes))
    assert login(engine, "alice").user.role is Role.ADMIN
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.login("nobody", "whatever it is")
    [changed] = engine.audit.entries(admin, action="settings_changed")
    assert dict(changed.detail)["ldap_bind_password"] == "changed"  # never the password
    assert ROOT_PASSWORD not in repr(engine.settings)  # nor in logs of the settings


def test_the_directory_password_is_never_stored(engine: Engine, admin: Session) -> None:
    alice = login(engine, "alice")
    engine.identity.lock(alice)
    engine.identity.unlock(alice, PASSWORDS["alice"])
    needles = [PASSWORDS["alice"].encode(), PASSWORDS["alice"].encode("utf-16-le")]
    db = engine.context.db
    tables = [r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")]
    cells = 0
    for table in tables:  # every decrypted row of every table
        for row in db.query(f'SELECT * FROM "{table}"'):
            for cell in row:
                raw = cell if isinstance(cell, bytes) else str(cell).encode()
                assert not any(n in raw for n in needles), f"password in {table}"
                cells += 1
    assert cells > 100
    [stored] = db.query("SELECT password_hash FROM users WHERE username = 'alice'")
    assert not stored[0].startswith("$argon2")  # not even a hash of it
    data_dir = engine.settings.data_dir
    engine.close()
    for path in (p for p in data_dir.rglob("*") if p.is_file()):
        assert not any(n in path.read_bytes() for n in needles), path


def test_a_directory_account_has_no_local_password(engine: Engine, admin: Session) -> None:
    alice = login(engine, "alice")
    with pytest.raises(InvalidInput, match="kept in the directory"):
        engine.accounts.reset_password(admin, "alice")
    with pytest.raises(InvalidInput, match="kept in the directory"):
        engine.identity.change_password(alice, PASSWORDS["alice"], "a new local password")
    engine.system.apply_settings(admin, engine.settings.with_changes(ldap_url=""))
    with pytest.raises(AuthenticationFailed, match="not configured now"):
        login(engine, "alice")
    with pytest.raises(AuthenticationFailed, match="not configured now"):
        engine.identity.login("alice", "!directory")


def test_unlocking_a_directory_session_asks_the_directory(engine: Engine) -> None:
    bob = login(engine, "bob")
    engine.identity.lock(bob)
    with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
        engine.identity.unlock(bob, "not bob's password")
    engine.identity.unlock(bob, PASSWORDS["bob"])
    assert engine.identity.current_user(bob).username == "bob"


def test_an_unreachable_directory_is_a_known_error_and_local_accounts_still_log_in(
    engine: Engine, admin: Session
) -> None:
    url = f"ldap://127.0.0.1:{free_port()}"  # nobody listens there
    engine.system.apply_settings(admin, engine.settings.with_changes(ldap_url=url))
    with pytest.raises(DirectoryUnreachable, match="cannot be reached"):
        login(engine, "alice")
    assert engine.identity.login("admin", PASSWORD).user.role is Role.ADMIN


def test_a_directory_that_never_answers_times_out(engine: Engine, admin: Session) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        changes = {"ldap_url": url, "ldap_timeout_s": 1.0}
        engine.system.apply_settings(admin, engine.settings.with_changes(**changes))
        with pytest.raises(DirectoryUnreachable, match="timed out"):
            login(engine, "alice")


@pytest.mark.parametrize("transport", ["ldaps", "starttls"])
def test_tls_needs_a_certificate_the_configured_ca_signed(
    engine: Engine, admin: Session, directory: LdapServer, transport: str
) -> None:
    tls: dict[str, Any] = (
        {"ldap_url": directory.ldaps_url} if transport == "ldaps" else {"ldap_starttls": True}
    )
    engine.system.apply_settings(admin, engine.settings.with_changes(**tls))
    with pytest.raises(KnownError, match="certificate verify failed"):
        login(engine, "alice")  # the test CA is not among the system's
    trusted = engine.settings.with_changes(ldap_ca_file=directory.ca_file)
    engine.system.apply_settings(admin, trusted)
    assert login(engine, "alice").user.role is Role.ADMIN


def test_settings_with_directory_mappings_survive_a_save(settings: Settings) -> None:
    settings.save()
    reloaded = Settings.load(settings.data_dir)
    assert reloaded.ldap_group_roles == settings.ldap_group_roles
    assert reloaded.ldap_group_groups == {"staff": "Staff", "research": "Research"}


def test_the_directory_never_demotes_the_last_active_admin(
    engine: Engine, admin: Session, directory: LdapServer
) -> None:
    login(engine, "alice")
    engine.accounts.set_user_enabled(
        engine.identity.login("alice", PASSWORDS["alice"]), "admin", False
    )
    alice = f"uid=alice,{PEOPLE}"
    nobody = f"cn=nobody,{SUFFIX}"  # a groupOfNames needs a member
    directory.modify(ADMINS, {"member": [(ldap3.MODIFY_REPLACE, [nobody])]})
    try:
        assert login(engine, "alice").user.role is Role.ADMIN  # nobody else could administer
    finally:
        directory.modify(ADMINS, {"member": [(ldap3.MODIFY_REPLACE, [alice])]})
    [kept] = engine.audit.entries(login(engine, "alice"), action="role_kept")
    assert dict(kept.detail) == {"reason": "last_admin"}
