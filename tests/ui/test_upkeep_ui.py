"""Watched folders and maintenance in the desktop, on the real engine and widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.itemmodels.maintenance import DETAIL, RESULT, TASK
from desktop.itemmodels.watches import STATE
from desktop.views.admin import AdminView
from desktop.views.library import LibraryView
from tests.ui.conftest import WAIT_MS


def test_a_watched_folder_is_added_scanned_and_its_documents_appear(
    qtbot: QtBot, ctx: Context, tmp_path: Path
) -> None:
    ctx.engine.kbs.create(ctx.user, "Handbook")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.md").write_text("# Notes\n\nThe ferry leaves at noon.\n")
    library = LibraryView(ctx)
    qtbot.addWidget(library)
    library.show()
    library.refresh("Handbook")
    qtbot.waitUntil(lambda: library.current_kb() is not None, timeout=WAIT_MS)
    assert library.kb_buttons["watch"].isEnabled()
    qtbot.mouseClick(library.kb_buttons["watch"], Qt.MouseButton.LeftButton)
    dialog = library.findChild(QDialog, "watchDialog")
    assert dialog is not None
    dialog.add_folder(str(inbox))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=WAIT_MS)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.buttons["scan"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.index(0, STATE).data() == "up to date", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: library.documents.rowCount() == 1, timeout=WAIT_MS)
    assert library.documents.index(0, 0).data() == "notes.md"

    (inbox / "notes.md").rename(tmp_path / "moved-away.md")
    inbox.rmdir()
    qtbot.mouseClick(dialog.buttons["scan"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: str(dialog.model.index(0, STATE).data()).startswith("not scanned:"),
        timeout=WAIT_MS,
    )
    assert "not there" in dialog.model.index(0, STATE).data()
    qtbot.mouseClick(dialog.buttons["remove"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=WAIT_MS)
    assert dialog._timer.isActive(), "the list is re-read while the dialog is open"
    dialog.reject()
    assert not dialog._timer.isActive(), "a closed dialog polls no more"
    qtbot.waitUntil(lambda: library.findChild(QDialog, "watchDialog") is None, timeout=WAIT_MS)


def test_maintenance_and_backup_run_from_the_admin_view(qtbot: QtBot, ctx: Context) -> None:
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.show()
    page = view.maintenance
    view.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert not page.run_button.isEnabled(), "busy while it runs"
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=WAIT_MS)
    tasks = {page.model.index(r, TASK).data() for r in range(4)}
    assert "Integrity check" in tasks
    assert {page.model.index(r, RESULT).data() for r in range(4)} == {"ok"}
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "(1 kept there now)" in page.summary.text(), timeout=WAIT_MS)
    assert "Last backup:" in page.summary.text()
    newest = page.model.row_at(0)
    assert newest is not None
    ctx.language.apply("ru")
    assert newest.detail("ru") != newest.detail("en")
    qtbot.waitUntil(lambda: page.model.index(0, DETAIL).data() == newest.detail("ru"))
    assert page.model.headerData(TASK, Qt.Orientation.Horizontal) == "Задача"
