"""IT's policy in the desktop: locked fields cannot change, a bad policy stops the start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from core import Engine, Settings
from desktop.app import main
from desktop.context import Context
from desktop.views.library import LibraryView
from desktop.views.settings import SettingsDialog
from desktop.views.team_server import TeamServerDialog
from tests.fakes import FakeEmbedder
from tests.ui.conftest import WAIT_MS

POLICY = """\
[locked]
temperature = 0.125
n_ctx = 200000
rerank = false
team_server_url = "https://konspekt.corp:8443"

[defaults]
sources = 4
"""


@pytest.fixture
def policy_text() -> str:
    """The policy's text (a test parametrizes `policy_text` for another one)."""
    return POLICY


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(policy_text, encoding="utf-8")
    monkeypatch.setenv("KONSPEKT_POLICY", str(path))
    return path


@pytest.fixture
def settings(tmp_path: Path, policy_file: Path) -> Settings:
    """Light settings under the policy (n_ctx is IT's, larger than the spin box shows)."""
    return Settings.load(tmp_path / "data", n_threads=1, embed_threads=1, password_hash_ms=5)


@pytest.fixture
def ui_engine(settings: Settings) -> Iterator[Engine]:
    """The settings dialog needs no model: the instant embedder, no generator loaded."""
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        yield engine


def test_locked_fields_are_disabled_marked_and_saving_keeps_the_policy_values(
    qtbot: QtBot, ctx: Context, policy_file: Path
) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.locked == {"temperature", "n_ctx", "rerank"}
    for widget in (dialog.temperature, dialog.n_ctx, dialog.rerank):
        assert not widget.isEnabled()
        assert widget.toolTip() == f"Locked by your IT policy ({policy_file})"
    assert dialog.rerank.text().endswith("🔒")
    assert dialog.max_tokens.isEnabled(), "an unlocked field stays editable for an admin"
    assert str(policy_file) in dialog.policy_line.text()
    assert "temperature" in dialog.policy_line.text()
    qtbot.keyClicks(dialog.temperature, "9")  # a disabled field takes no typing
    dialog.max_tokens.setValue(300)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    settings = ctx.engine.settings
    assert (settings.temperature, settings.n_ctx, settings.rerank) == (0.125, 200000, False)
    assert settings.max_answer_tokens == 300
    written = (settings.data_dir / "konspekt.toml").read_text()
    assert "max_answer_tokens = 300" in written
    assert "temperature" not in written


def test_the_team_server_it_locked_is_filled_in_and_cannot_be_changed(
    qtbot: QtBot, ctx: Context
) -> None:
    dialog = TeamServerDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.address.text() == "https://konspekt.corp:8443"
    assert not dialog.address.isEnabled()


def test_a_malformed_policy_shows_its_path_and_line_and_no_window_opens(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text("[locked]\nallow_export = false\nallow_export = true\n", encoding="utf-8")
    monkeypatch.setenv("KONSPEKT_POLICY", str(bad))
    monkeypatch.setenv("KONSPEKT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KONSPEKT_LANG", "en")
    seen: list[str] = []

    def read_and_close(tries: int = 200) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.done(0)
        elif tries:
            QTimer.singleShot(10, lambda: read_and_close(tries - 1))

    QTimer.singleShot(0, read_and_close)
    assert main(["konspekt"]) == 2
    [message] = seen
    assert f"{bad}, line 3," in message
    assert "Konspekt does not start" in message
    assert not (tmp_path / "data").exists(), "nothing was created"
    assert not [w for w in qapp.topLevelWidgets() if w.isVisible()]


SWITCHES_OFF = """\
[locked]
allow_watched_folders = false
allow_private_uploads = false
"""


@pytest.mark.parametrize("policy_text", [SWITCHES_OFF])
def test_the_library_turns_off_what_it_switched_off_and_says_why(
    qtbot: QtBot, ctx: Context, policy_file: Path
) -> None:
    ctx.engine.kbs.create(ctx.user, "Handbook")
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh("Handbook")
    qtbot.waitUntil(lambda: _selected(view) == "Handbook", timeout=WAIT_MS)
    watch, add = view.kb_buttons["watch"], view.doc_buttons["files"]
    assert not watch.isEnabled()
    assert watch.toolTip() == f"Turned off by your IT policy ({policy_file})"
    assert add.isEnabled(), "a shared knowledge base still takes files"
    personal = next(k for k in ctx.engine.kbs.visible(ctx.user) if k.personal)
    view.refresh(personal.name)
    qtbot.waitUntil(lambda: _selected(view) == personal.name, timeout=WAIT_MS)
    assert not add.isEnabled(), "private uploads are off"
    assert not view.doc_buttons["folder"].isEnabled()
    assert add.toolTip() == f"Turned off by your IT policy ({policy_file})"


def _selected(view: LibraryView) -> str | None:
    kb = view.current_kb()
    return kb.name if kb is not None else None
