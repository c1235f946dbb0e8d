"""Export in the desktop: a chat from the chat list's menu, bundles from the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from core import Settings
from desktop.context import Context
from desktop.views.export_dialogs import BundleBar, ChatExporter, PassphraseDialog
from desktop.views.library import LibraryView
from tests.documents import SENTENCES, make_pdf
from tests.ui.conftest import WAIT_MS

PASSPHRASE = "lantern on the pier"
EXPORT_OFF = "[locked]\nallow_export = false\n"


@pytest.fixture
def policy_text() -> str:
    """No policy (a test parametrizes it to turn export off)."""
    return ""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, policy_text: str) -> Settings:
    """The conftest's light settings, under `policy_text` when there is one."""
    if policy_text:
        path = tmp_path / "policy.toml"
        path.write_text(policy_text, encoding="utf-8")
        monkeypatch.setenv("KONSPEKT_POLICY", str(path))
    return Settings.load(
        tmp_path / "data", n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5
    )


def test_the_chat_menu_offers_markdown_and_pdf_and_the_pdf_is_written(
    ctx: Context, qtbot: QtBot, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    exporter = ChatExporter(ctx, parent)
    chat = ctx.engine.chats.create(ctx.user, "Маяк и причал")
    menu = QMenu(parent)
    actions = exporter.add_to(menu, chat)
    assert [a.text() for a in actions] == ["Export as Markdown…", "Export as PDF…"]
    assert all(a.isEnabled() for a in actions)
    with qtbot.waitSignal(exporter.exported, timeout=WAIT_MS) as written:
        exporter.export(chat, "pdf", tmp_path / "маяк.pdf")
    assert written.args == [str(tmp_path / "маяк.pdf")]
    assert (tmp_path / "маяк.pdf").read_bytes().startswith(b"%PDF-")


def test_a_bundle_is_exported_and_imported_beside_the_original_from_the_library(
    ctx: Context, qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "docs").mkdir()
    pdf = make_pdf(tmp_path / "docs" / "handbook.pdf")
    list(ctx.engine.documents.ingest(ctx.user, [pdf], kb="Handbook"))
    view = LibraryView(ctx)
    qtbot.addWidget(view)
    bar = view.bundle_bar
    [kb] = [k for k in ctx.engine.kbs.visible(ctx.user) if k.name == "Handbook"]
    bar.show_kb(kb)
    assert bar.export_button.isEnabled()
    assert bar.import_button.isEnabled()
    bundle = tmp_path / "handbook.kbundle"
    bar.export_bundle(kb, bundle, PASSPHRASE)
    qtbot.waitUntil(lambda: bar.progress is None, timeout=WAIT_MS)
    assert bundle.stat().st_size > 0
    with qtbot.waitSignal(bar.imported, timeout=WAIT_MS) as imported:
        bar.import_bundle(bundle, PASSPHRASE)
    assert imported.args == ["Handbook (2)"]
    hits = ctx.engine.answers.search(ctx.user, SENTENCES["pdf1"], kb="Handbook (2)")
    assert hits[0].document == "handbook.pdf"


def test_the_passphrase_dialog_accepts_only_a_long_enough_repeated_passphrase(
    qtbot: QtBot,
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = PassphraseDialog(parent, confirm=True)
    ok = dialog.buttons.buttons()[0]
    dialog.first.setText("short")
    dialog.second.setText("short")
    assert not ok.isEnabled()
    dialog.first.setText(PASSPHRASE)
    assert not ok.isEnabled()  # not repeated yet
    dialog.second.setText(PASSPHRASE)
    assert ok.isEnabled()
    assert dialog.first.echoMode() is dialog.first.EchoMode.Password


@pytest.mark.parametrize("policy_text", [EXPORT_OFF])
def test_export_is_greyed_out_with_the_policy_named_when_it_forbids_export(
    ctx: Context, qtbot: QtBot, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = QMenu(parent)
    chat = ctx.engine.chats.create(ctx.user, "Plans")
    for action in ChatExporter(ctx, parent).add_to(menu, chat):
        assert not action.isEnabled()
        assert action.toolTip() == f"Turned off by your IT policy ({policy})"
    bar = BundleBar(ctx, parent)
    [kb] = ctx.engine.kbs.visible(ctx.user)
    bar.show_kb(kb)
    for button in (bar.export_button, bar.import_button):
        assert not button.isEnabled()
        assert button.toolTip() == f"Turned off by your IT policy ({policy})"
