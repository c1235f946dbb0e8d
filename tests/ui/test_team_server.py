"""The desktop joins a real team server on loopback: fingerprint, server KBs, sync, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox
from pytestqt.qtbot import QtBot

from core import Engine, KnowledgeBase, Location, Source, SyncProgress
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.views.chat import ChatView
from desktop.views.library import LibraryView
from desktop.views.main_window import LIBRARY, MainWindow
from desktop.views.source_viewer import SourceDialog
from desktop.views.team_server import TeamServerDialog
from tests.fakes import FakeEmbedder
from tests.identity import ADMIN, PASSWORD, admin_session
from tests.server.conftest import quick_settings
from tests.server.running import RunningServer, running
from tests.server.sync_world import desktop, ingest, join, write
from tests.ui.conftest import WAIT_MS

HANDBOOK = "Handbook"
MIRROR = "Handbook (127.0.0.1)"
QUESTION = "How are hotel costs reimbursed per night?"


@pytest.fixture
def server_engine(tmp_path: Path, tiny_model: Path) -> Iterator[Engine]:
    """A team server's engine with a three-document Handbook (served by `running`)."""
    settings = quick_settings(tmp_path / "srv", model_path=tiny_model, max_answer_tokens=16)
    with Engine(settings, embedder=FakeEmbedder(), keep_sessions=True) as engine:
        admin = admin_session(engine)
        engine.kbs.create(admin, HANDBOOK)
        paths = [
            write(
                tmp_path / "docs",
                f"policy{i}.txt",
                f"Policy {i}: hotel costs are reimbursed up to {100 + i} euros per night.",
            )
            for i in range(3)
        ]
        ingest(engine, admin, paths, HANDBOOK)
        yield engine


@pytest.fixture
def server(server_engine: Engine) -> Iterator[RunningServer]:
    """The server listening on loopback with TLS."""
    with running(server_engine) as live:
        yield live


@pytest.fixture
def desk(tmp_path: Path, tiny_model: Path, language: Language, qtbot: QtBot) -> Iterator[Context]:
    """A desktop with its admin logged in (the tiny model answers from copies offline)."""
    engine, session = desktop(tmp_path / "desk", model_path=tiny_model, max_answer_tokens=16)
    tasks = Tasks()
    ctx = Context(engine, tasks, language, Prefs(tmp_path / "prefs"))
    ctx.session = session
    yield ctx
    tasks.shutdown()
    qtbot.waitUntil(lambda: tasks.running == 0, timeout=WAIT_MS)
    engine.close()


def _mirror(ctx: Context) -> KnowledgeBase:
    return next(kb for kb in ctx.engine.kbs.visible(ctx.user) if kb.name == MIRROR)


def _selected(library: LibraryView) -> str:
    kb = library.current_kb()
    return kb.name if kb is not None else ""


def _item(combo: QComboBox, data: str) -> int:
    return combo.findData(data)


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _check(qtbot: QtBot, dialog: TeamServerDialog, url: str) -> None:
    dialog.address.setText(url)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.identity is not None, timeout=WAIT_MS)


def test_the_dialog_shows_the_fingerprint_and_connecting_lists_the_server_kb_marked(
    qtbot: QtBot, desk: Context, server: RunningServer
) -> None:
    window = _window(qtbot, desk)
    dialog = window.open_team_server()
    _check(qtbot, dialog, server.url)
    assert dialog.fingerprint.isVisible()
    assert dialog.fingerprint.text().replace("\n", ":") == server.fingerprint
    assert "Compare it with the fingerprint IT" in dialog.note.text()
    dialog.username.setText(ADMIN)
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.servers.count() == 1, timeout=WAIT_MS)
    assert dialog.servers.item(0).text() == f"{server.url} — {ADMIN}"
    picker = window.chat.scope
    qtbot.waitUntil(lambda: _item(picker, MIRROR) >= 0, timeout=WAIT_MS)
    index = _item(picker, MIRROR)
    assert picker.itemText(index) == f"{MIRROR} · server"
    note = str(picker.itemData(index, Qt.ItemDataRole.ToolTipRole))
    assert server.url in note
    assert "Not kept on this computer" in note
    assert not picker.itemIcon(index).isNull()
    library = window.library.kbs
    qtbot.waitUntil(lambda: library.row_of(MIRROR) >= 0, timeout=WAIT_MS)
    row = library.index(library.row_of(MIRROR), 0)
    assert row.data() == f"{MIRROR} · server"
    assert server.url in str(row.data(Qt.ItemDataRole.ToolTipRole))
    # checked again, the same certificate reads as the trusted one
    _check(qtbot, dialog, server.url)
    assert "already trusted for this server" in dialog.note.text()


def test_a_wrong_password_is_said_in_the_dialog_and_keeps_the_desktop_logged_in(
    qtbot: QtBot, desk: Context, server: RunningServer
) -> None:
    ended: list[bool] = []
    desk.on_ended = lambda: ended.append(True)
    dialog = TeamServerDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    _check(qtbot, dialog, server.url)
    dialog.username.setText(ADMIN)
    dialog.password.setText("not the password")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "did not accept" in dialog.message.text(), timeout=WAIT_MS)
    assert dialog.message.isVisible()
    assert ended == []
    assert desk.engine.remotes.servers(desk.user) == []


def test_a_changed_certificate_is_shown_with_both_fingerprints(
    qtbot: QtBot, desk: Context, server: RunningServer
) -> None:
    join(desk.engine, desk.user, server, ADMIN)
    wrong = "AB:" * 31 + "CD"
    with desk.engine.context.db.write() as con:
        con.execute("UPDATE remotes SET fingerprint = ?", (wrong,))
    window = _window(qtbot, desk)
    window.sync_action.trigger()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=WAIT_MS)
    text = window.findChild(QMessageBox, "errorBox").text()
    assert server.fingerprint in text
    assert wrong in text


def test_keeping_a_copy_syncs_it_with_progress_and_sync_now_fetches_what_is_new(
    qtbot: QtBot, desk: Context, server: RunningServer, tmp_path: Path
) -> None:
    join(desk.engine, desk.user, server, ADMIN)
    window = _window(qtbot, desk)
    window.tabs.setCurrentIndex(LIBRARY)
    library = window.library
    library.refresh(MIRROR)
    qtbot.waitUntil(lambda: (library.current_kb() or _mirror(desk)).name == MIRROR, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: library.remote_bar.isVisible(), timeout=WAIT_MS)
    sync, seen = window.sync, []
    original = sync._on_event

    def record(event: SyncProgress) -> None:
        original(event)
        bar = sync.progress
        seen.append((event.stage.value, bar.isVisible(), bar.value(), bar.maximum()))

    sync._on_event = record  # type: ignore[method-assign]
    library.remote_bar.keep.setChecked(True)
    qtbot.waitUntil(lambda: sync.job is not None and sync.job.finished, timeout=WAIT_MS)
    assert [s for s in seen if s[0] != "finished"] == [
        ("listed", True, 0, 3),
        ("document", True, 1, 3),
        ("document", True, 2, 3),
        ("document", True, 3, 3),
    ]
    assert sync.label.text() == "Handbook: 3 added, 0 changed, 0 removed"
    assert not sync.progress.isVisible()
    copy = desk.engine.documents.all(desk.user, MIRROR)
    assert sorted(d.name for d in copy) == ["policy0.txt", "policy1.txt", "policy2.txt"]
    qtbot.waitUntil(lambda: "synced at" in library.remote_bar.note.text(), timeout=WAIT_MS)
    # a document added on the server arrives with Sync now
    srv, admin = server.engine, admin_session(server.engine)
    ingest(srv, admin, [write(tmp_path / "docs", "lunch.txt", "Lunch is at one.")], HANDBOOK)
    first = sync.job
    qtbot.mouseClick(library.remote_bar.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sync.job is not first and sync.job.finished, timeout=WAIT_MS)
    assert sync.label.text() == "Handbook: 1 added, 0 changed, 0 removed"
    assert len(desk.engine.documents.all(desk.user, MIRROR)) == 4


def test_the_offline_banner_shows_when_the_server_is_gone_and_a_copy_answers(
    qtbot: QtBot, desk: Context, server_engine: Engine
) -> None:
    engine, session = desk.engine, desk.user
    with running(server_engine) as live:
        join(engine, session, live, ADMIN)
        engine.remotes.keep_copy(session, MIRROR, True)
        list(engine.sync.run(session))
    view = ChatView(desk)
    qtbot.addWidget(view)
    view.show()
    view.refresh_scope()
    qtbot.waitUntil(lambda: _item(view.scope, MIRROR) >= 0, timeout=WAIT_MS)
    view.scope.setCurrentIndex(_item(view.scope, MIRROR))
    assert not view.offline.isVisible()
    view.question.setPlainText(QUESTION)
    view.send()
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.offline.isVisible()
    assert view.offline.text().startswith("Offline — answering from the copy synced at ")
    answer = view.transcript.last_answer()
    assert answer is not None
    assert answer.sources
    view.new_chat()
    assert not view.offline.isVisible()


def test_the_source_viewer_reads_a_server_document_on_the_server(
    qtbot: QtBot, desk: Context, server: RunningServer
) -> None:
    join(desk.engine, desk.user, server, ADMIN)  # no copy is kept: only the server has it
    srv, admin = server.engine, admin_session(server.engine)
    doc = next(d for d in srv.documents.all(admin, HANDBOOK) if d.name == "policy1.txt")
    passage = srv.documents.passages(admin, doc.id)[0]
    source = Source(
        1,
        doc.name,
        doc.source,
        Location(),
        passage.text,
        passage.chunk_id,
        document_id=doc.id,
        remote_kb=_mirror(desk).id,
    )
    dialog = SourceDialog(desk, source)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "Policy 1:" in dialog.text.toPlainText(), timeout=WAIT_MS)


def test_a_server_out_of_reach_at_sync_is_a_notice_not_a_box(
    qtbot: QtBot, desk: Context, server_engine: Engine
) -> None:
    with running(server_engine) as live:
        join(desk.engine, desk.user, live, ADMIN)
    window = _window(qtbot, desk)
    window.sync_action.trigger()
    qtbot.waitUntil(
        lambda: window.sync.job is not None and window.sync.job.finished, timeout=WAIT_MS
    )
    assert "cannot be reached" in window.sync.label.text()
    assert window.findChild(QMessageBox, "errorBox") is None


def test_disconnecting_removes_the_server_and_its_knowledge_bases(
    qtbot: QtBot, desk: Context, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    join(desk.engine, desk.user, server, ADMIN)
    monkeypatch.setattr("desktop.views.team_server.ask", lambda *_args: True)
    window = _window(qtbot, desk)
    picker = window.chat.scope
    window.chat.refresh_scope()
    qtbot.waitUntil(lambda: _item(picker, MIRROR) >= 0, timeout=WAIT_MS)
    dialog = window.open_team_server()
    qtbot.waitUntil(lambda: dialog.servers.count() == 1, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.disconnect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.servers.count() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _item(picker, MIRROR) < 0, timeout=WAIT_MS)
    assert desk.engine.remotes.servers(desk.user) == []


def test_an_editor_publishes_a_local_knowledge_base_to_the_server(
    qtbot: QtBot,
    desk: Context,
    server: RunningServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk.engine.kbs.create(desk.user, "Minutes")
    note = write(tmp_path / "local", "minutes.txt", "The board met on Monday.")
    ingest(desk.engine, desk.user, [note], "Minutes")
    window = _window(qtbot, desk)
    window.tabs.setCurrentIndex(LIBRARY)
    library = window.library
    library.refresh("Minutes")
    qtbot.waitUntil(lambda: _selected(library) == "Minutes", timeout=WAIT_MS)
    assert not library.remote_bar.publish_button.isVisible()  # no server joined yet
    join(desk.engine, desk.user, server, ADMIN)
    library.refresh("Minutes")
    bar = library.remote_bar
    qtbot.waitUntil(lambda: bar.publish_button.isVisible(), timeout=WAIT_MS)
    assert not bar.keep.isVisible()
    monkeypatch.setattr("desktop.views.publish.ask", lambda *_args: True)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    qtbot.mouseClick(bar.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told), timeout=WAIT_MS)
    assert "1" in told[0]
    admin = admin_session(server.engine)
    assert [d.name for d in server.engine.documents.all(admin, "Minutes")] == ["minutes.txt"]
