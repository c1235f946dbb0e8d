"""IT's policy on a real engine: locked settings stay put, features it turned off are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import (
    Engine,
    FeatureDisabled,
    InvalidInput,
    Policy,
    Role,
    Session,
    SettingLocked,
    Settings,
)
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session

POLICY = """\
[locked]
allow_registration = false
allow_private_uploads = false
allow_export = false
allow_watched_folders = false
temperature = 0.1
telemetry = false

[defaults]
sources = 4
"""


@pytest.fixture
def embedder() -> FakeEmbedder:
    """A policy is not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's policy (KONSPEKT_POLICY points at it, as a portable install does)."""
    path = tmp_path / "policy.toml"
    path.write_text(POLICY, encoding="utf-8")
    monkeypatch.setenv("KONSPEKT_POLICY", str(path))
    return path


@pytest.fixture
def settings(tmp_path: Path, policy_file: Path) -> Settings:
    """The conftest's light settings, loaded under the policy."""
    return Settings.load(
        tmp_path / "data", n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5
    )


def _notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir(exist_ok=True)
    (folder / "ferry.md").write_text("# Ferry\n\nThe ferry leaves at noon.\n")
    return folder


def test_the_policy_is_applied_when_settings_load(engine: Engine, policy_file: Path) -> None:
    settings = engine.settings
    assert (settings.allow_export, settings.temperature, settings.sources) == (False, 0.1, 4)
    assert settings.locked_by("temperature") == str(policy_file)
    assert settings.policy.locked["telemetry"] is False


def test_an_admin_cannot_change_a_locked_setting_and_nothing_is_saved(
    engine: Engine, admin: Session, policy_file: Path
) -> None:
    with pytest.raises(SettingLocked) as info:
        engine.system.apply_settings(admin, engine.settings.with_changes(temperature=0.7))
    assert "temperature" in info.value.user_message("en")
    assert str(policy_file) in info.value.user_message("en")
    assert str(policy_file) in info.value.user_message("ru")
    with pytest.raises(SettingLocked, match="allow_export"):
        engine.system.apply_settings(admin, engine.settings.with_changes(allow_export=True))
    assert engine.settings.temperature == 0.1
    assert not (engine.settings.data_dir / "konspekt.toml").exists()
    assert not engine.audit.entries(admin, action="settings_changed")


def test_an_unlocked_setting_is_saved_without_the_locked_ones(
    engine: Engine, admin: Session
) -> None:
    engine.system.apply_settings(admin, engine.settings.with_changes(n_ctx=3072))
    written = (engine.settings.data_dir / "konspekt.toml").read_text()
    assert "n_ctx = 3072" in written
    assert "temperature" not in written
    assert "allow_export" not in written
    assert engine.settings.locked_by("allow_export"), "the policy survives the change"


def test_private_uploads_are_refused_but_a_shared_knowledge_base_takes_documents(
    engine: Engine, admin: Session, tmp_path: Path, policy_file: Path
) -> None:
    notes = _notes(tmp_path)
    with pytest.raises(FeatureDisabled) as info:
        list(engine.documents.ingest(admin, [notes]))
    assert "Private uploads are turned off by your IT policy" in info.value.user_message("en")
    assert str(policy_file) in info.value.user_message("ru")
    list(engine.documents.ingest(admin, [notes], "Team"))
    assert [d.name for d in engine.documents.all(admin, "Team")] == ["ferry.md"]


def test_export_is_refused_publishing_downloading_and_serving_copies(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    list(engine.documents.ingest(admin, [_notes(tmp_path)], "Team"))
    [doc] = engine.documents.all(admin, "Team")
    with pytest.raises(FeatureDisabled, match="publishing"):
        next(engine.remotes.publish(admin, "Team", "https://127.0.0.1:9"))
    with pytest.raises(FeatureDisabled, match="IT policy"):
        engine.documents.original(admin, doc.id)
    kb_id = next(k.id for k in engine.kbs.visible(admin) if k.name == "Team")
    with pytest.raises(FeatureDisabled):
        engine.sync.export(admin, kb_id, [doc.id])
    assert engine.documents.passages(admin, doc.id), "reading it here is not export"


def test_no_folder_can_be_watched_or_scanned(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    with pytest.raises(FeatureDisabled, match="Watched folders are turned off"):
        engine.watches.add(admin, _notes(tmp_path), "Team")
    with pytest.raises(FeatureDisabled):
        engine.watches.scan(admin)
    assert engine.watches.all(admin) == []


def test_folders_watched_before_the_policy_stay_listed_but_are_not_followed(
    tmp_path: Path, policy_file: Path
) -> None:
    data = tmp_path / "data"
    before = Settings.load(data, policy=Policy(), password_hash_ms=5)  # before IT's policy
    with Engine(before, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        folder = engine.watches.add(admin, _notes(tmp_path), "Team")
    after = Settings.load(data, password_hash_ms=5)
    with Engine(after, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        engine.start_background()
        [listed] = engine.watches.all(admin)
        assert listed.id == folder.id
        assert not listed.live, "nothing follows the folder's events"
        assert listed.scanned_at == 0, "nor scans it"
        assert engine.documents.all(admin, "Team") == []
        engine.watches.remove(admin, folder.id)  # IT's cleanup still works
        assert engine.watches.all(admin) == []


def test_self_registration_stays_closed_and_admins_cannot_open_it(
    engine: Engine, admin: Session
) -> None:
    with pytest.raises(InvalidInput, match="Registration is closed"):
        engine.identity.register("mallory", PASSWORD)
    with pytest.raises(SettingLocked):
        engine.system.apply_settings(admin, engine.settings.with_changes(allow_registration=True))
    code = engine.accounts.create_invite(admin, Role.MEMBER)
    assert engine.identity.register("bob", PASSWORD, invite=code).username == "bob"


def test_a_member_meets_the_same_refusals(engine: Engine, admin: Session, tmp_path: Path) -> None:
    member = user_session_with_invite(engine, admin)
    with pytest.raises(FeatureDisabled):
        list(engine.documents.ingest(member, [_notes(tmp_path)]))


def user_session_with_invite(engine: Engine, admin: Session) -> Session:
    """A member admitted by invite (self-registration is closed by the policy)."""
    code = engine.accounts.create_invite(admin, Role.MEMBER)
    engine.identity.register("bob", PASSWORD, invite=code)
    return engine.identity.login("bob", PASSWORD)


def test_without_a_policy_an_administrator_turning_export_off_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSPEKT_POLICY", "")
    settings = Settings.load(tmp_path / "plain", password_hash_ms=5)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        engine.system.apply_settings(admin, engine.settings.with_changes(allow_export=False))
        with pytest.raises(FeatureDisabled) as info:
            next(engine.remotes.publish(admin, "Team", "https://127.0.0.1:9"))
        assert "an administrator's setting" in info.value.user_message("en")
        assert "настройка администратора" in info.value.user_message("ru")


def test_a_locked_team_server_is_the_only_one_that_can_be_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "server-policy.toml"
    policy.write_text('[locked]\nteam_server_url = "https://konspekt.corp:8443"\n')
    monkeypatch.setenv("KONSPEKT_POLICY", str(policy))
    settings = Settings.load(tmp_path / "joined", password_hash_ms=5)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        with pytest.raises(SettingLocked, match="team_server_url"):
            engine.remotes.connect(admin, "https://127.0.0.1:9", "bob", PASSWORD, "AB:CD")
