"""Every desktop item model passes Qt's model tester with real rows from a real engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester

from core import Engine, Role, Sources
from desktop.i18n import Language
from desktop.itemmodels.audit import AuditTableModel
from desktop.itemmodels.chats import ChatListModel
from desktop.itemmodels.documents import STATUS, DocumentTableModel
from desktop.itemmodels.knowledge_bases import KnowledgeBaseListModel
from desktop.itemmodels.maintenance import RESULT, TASK, MaintenanceTableModel
from desktop.itemmodels.rows import ROW_ROLE, RowsModel
from desktop.itemmodels.sources import SourceListModel
from desktop.itemmodels.users import UserTableModel
from desktop.itemmodels.watches import STATE, WatchTableModel
from tests.documents import make_all
from tests.identity import admin_session, user_session


def _filled(engine: Engine, tmp_path: Path) -> None:
    admin = admin_session(engine)
    docs = make_all(tmp_path / "docs")
    (tmp_path / "docs" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    list(engine.documents.ingest(admin, [docs["pdf"].parent], "Handbook"))
    user_session(engine, admin, "boris", Role.EDITOR)
    engine.identity.register("vera", "correct horse battery")


def test_chat_list_model(qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path) -> None:
    admin = admin_session(ui_engine)
    for title in ("Поставки", "Deliveries", ""):
        ui_engine.chats.create(admin, title)
    model = ChatListModel()
    model.set_rows(ui_engine.chats.all(admin))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(2, 0).data() in {"Поставки", "Deliveries", "New chat"}


def test_knowledge_base_and_document_models(
    qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path
) -> None:
    _filled(ui_engine, tmp_path)
    admin = admin_session(ui_engine)
    kbs = KnowledgeBaseListModel()
    kbs.set_rows(ui_engine.kbs.visible(admin))
    qtmodeltester.check(kbs)
    assert {kbs.index(r, 0).data() for r in range(kbs.rowCount())} == {"My uploads", "Handbook"}

    docs = DocumentTableModel()
    docs.set_rows(ui_engine.documents.all(admin, "Handbook"))
    qtmodeltester.check(docs)
    statuses = {
        docs.index(r, 0).data(): docs.index(r, STATUS).data() for r in range(docs.rowCount())
    }
    assert statuses["handbook.pdf"] == "indexed"
    assert statuses["broken.pdf"].startswith("failed: ")
    source = docs.index(0, 0).data(ROW_ROLE).source
    docs.set_progress(source, 40)
    assert docs.index(0, STATUS).data() == "indexing 40 %"


def test_user_and_audit_models(
    qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path
) -> None:
    _filled(ui_engine, tmp_path)
    admin = admin_session(ui_engine)
    users = UserTableModel()
    users.set_rows(ui_engine.accounts.users(admin))
    qtmodeltester.check(users)
    shown = {users.index(r, 0).data(): users.index(r, 3).data() for r in range(users.rowCount())}
    assert shown["vera"] == "waiting for approval"
    assert shown["boris"] == "active"
    audit = AuditTableModel()
    audit.set_rows(ui_engine.audit.entries(admin))
    qtmodeltester.check(audit)
    actions = {audit.index(r, 2).data() for r in range(audit.rowCount())}
    assert "ingest" in actions


def test_source_model_unticking_excludes_a_chunk(
    qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path
) -> None:
    _filled(ui_engine, tmp_path)
    admin = admin_session(ui_engine)
    events = list(
        ui_engine.answers.ask(admin, "What does the lighthouse keeper count?", "Handbook")
    )
    sources = next(e for e in events if isinstance(e, Sources)).items
    assert sources
    model = SourceListModel()
    model.set_rows(sources)
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert first.data().startswith("[1] ")
    assert first.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(first, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.excluded() == frozenset({sources[0].chunk_id})


def _checked_twice(
    qtmodeltester: ModelTester, make: type[RowsModel[Any]], rows: list[Any]
) -> tuple[RowsModel[Any], RowsModel[Any]]:
    """Two models of `make`: one under Qt's C++ tester, one under pytest-qt's Python port.

    Both watch every signal from then on: a refill, an emptying and a refill again, as the
    dialogs do every few seconds, are checked as they happen.
    """
    native, ported = make(), make()
    qtmodeltester.check(native)
    qtmodeltester.check(ported, force_py=True)
    for model in (native, ported):
        model.set_rows(rows)
        model.set_rows([])
        model.set_rows(rows)
    return native, ported


def _in_russian(model: RowsModel[Any], language: Language) -> None:
    """Switch the interface to Russian and let the model re-announce headers and cells."""
    language.apply("ru")
    model.refresh_headers()


def test_watch_model_with_every_state(
    qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path, language: Language
) -> None:
    admin = admin_session(ui_engine)
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    for folder in (kept, gone):
        folder.mkdir()
        ui_engine.watches.add(admin, folder)
    (kept / "a.md").write_text("# A\n\nAlpha text.\n")
    gone.rmdir()
    ui_engine.watches.scan(admin)
    ui_engine.watches.add(admin, tmp_path)  # waiting for its first scan
    native, ported = _checked_twice(qtmodeltester, WatchTableModel, ui_engine.watches.all(admin))
    for model in (native, ported):
        states = sorted(str(model.index(r, STATE).data()) for r in range(model.rowCount()))
        assert states[0].startswith("not scanned: ")
        assert states[1:] == ["up to date", "waiting for the first scan"]
        broken = next(r for r in range(3) if model.index(r, STATE).data() == states[0])
        assert isinstance(model.index(broken, STATE).data(Qt.ItemDataRole.ForegroundRole), QBrush)
    _in_russian(native, language)
    assert native.headerData(STATE, Qt.Orientation.Horizontal) == "Состояние"
    assert "актуальна" in {native.index(r, STATE).data() for r in range(3)}


def test_maintenance_model_with_a_failed_backup(
    qtmodeltester: ModelTester, ui_engine: Engine, tmp_path: Path, language: Language
) -> None:
    admin = admin_session(ui_engine)
    ui_engine.upkeep.maintain(admin)
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the backup folder should be")
    assert not ui_engine.upkeep.backup(admin, not_a_folder).ok
    native, ported = _checked_twice(
        qtmodeltester, MaintenanceTableModel, ui_engine.upkeep.log(admin)
    )
    for model in (native, ported):
        assert model.rowCount() == 5
        assert model.index(0, TASK).data() == "Encrypted backup"  # newest first
        assert model.index(0, RESULT).data() == "FAILED"
        assert isinstance(model.index(0, RESULT).data(Qt.ItemDataRole.ForegroundRole), QBrush)
        assert {model.index(r, RESULT).data() for r in range(1, 5)} == {"ok"}
    _in_russian(native, language)
    assert native.headerData(0, Qt.Orientation.Horizontal) == "Когда"
    assert native.index(0, RESULT).data() == "ОШИБКА"
