"""Installation settings (model, context size, answers, search) are admin-only and audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Engine, PermissionDenied, Role, Session, Settings
from tests.identity import user_session


def _toml(engine: Engine) -> Path:
    return engine.settings.data_dir / "konspekt.toml"


def test_a_member_cannot_change_the_model_or_context_for_everyone(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    member = user_session(engine, admin, "bob", Role.MEMBER)
    before = engine.settings
    planted = tmp_path / "planted.gguf"
    changed = before.with_changes(model_path=planted, n_ctx=512, temperature=1.9)
    with pytest.raises(PermissionDenied, match="Only administrators change the settings") as info:
        engine.system.apply_settings(member, changed)
    assert info.value.user_message("ru") != info.value.user_message("en")
    assert engine.settings == before
    assert not _toml(engine).exists(), "nothing was written to disk"
    assert not engine.audit.entries(admin, action="settings_changed")


def test_an_editor_is_refused_too(engine: Engine, admin: Session) -> None:
    editor = user_session(engine, admin, "eve", Role.EDITOR)
    with pytest.raises(PermissionDenied):
        engine.system.apply_settings(editor, engine.settings.with_changes(n_ctx=8192))


def test_saving_unchanged_settings_is_allowed_to_anyone(engine: Engine, admin: Session) -> None:
    """The desktop's Settings dialog also saves personal preferences (language, theme)."""
    member = user_session(engine, admin, "bob", Role.MEMBER)
    engine.system.apply_settings(member, engine.settings)
    assert not _toml(engine).exists()


def test_an_admin_changes_settings_saved_and_audited(engine: Engine, admin: Session) -> None:
    old_ctx = engine.settings.n_ctx
    engine.system.apply_settings(admin, engine.settings.with_changes(n_ctx=3072, temperature=0.65))
    assert (engine.settings.n_ctx, engine.settings.temperature) == (3072, 0.65)
    reloaded = Settings.load(engine.settings.data_dir)
    assert (reloaded.n_ctx, reloaded.temperature) == (3072, 0.65)
    [entry] = engine.audit.entries(admin, action="settings_changed")
    assert entry.actor == "admin"
    assert entry.target == "n_ctx,temperature"
    assert dict(entry.detail) == {"n_ctx": f"{old_ctx} → 3072", "temperature": "0.2 → 0.65"}
    assert engine.audit.verify(admin).ok


def test_more_endpoint_slots_let_more_answers_run_at_once(engine: Engine, admin: Session) -> None:
    """The admission line follows the endpoints' slots without a restart."""
    assert engine.context.model.admission.capacity == 1
    endpoints = ("http://10.0.0.5:8080/v1", "http://10.0.0.6:8080/v1")
    changed = engine.settings.with_changes(answer_endpoints=endpoints, answer_endpoint_parallel=4)
    engine.system.apply_settings(admin, changed)
    assert engine.context.model.admission.capacity == 8
    engine.system.apply_settings(admin, engine.settings.with_changes(answer_endpoints=()))
    assert engine.context.model.admission.capacity == 1
