"""Summaries in the window: a cleared chat's summary greets the next login; history dialog."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.safe_text import SafeTextBrowser
from desktop.views.chat import ChatView
from desktop.views.main_window import MainWindow
from desktop.views.summaries import SummariesDialog
from tests.identity import PASSWORD
from tests.ui.conftest import WAIT_MS


def test_cleared_chat_summary_is_shown_after_the_next_login(qtbot: QtBot, ctx: Context) -> None:
    engine = ctx.engine
    chat = engine.chats.create(ctx.user)
    list(engine.answers.ask(ctx.user, "What is Konspekt?", chat=chat.id))
    view = ChatView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.chats.rowCount() == 1, timeout=WAIT_MS)
    view.clear_chat(view.chats.rows()[0])
    qtbot.waitUntil(lambda: "summary" in view.status.text(), timeout=WAIT_MS)
    assert engine.memory.pending_jobs() == 1
    assert engine.memory.run_pending_jobs() == 1

    engine.identity.logout(ctx.user)
    ctx.session = engine.identity.login("admin", PASSWORD)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(window.summary_frame.isVisible, timeout=WAIT_MS)
    [summary] = engine.memory.summaries(ctx.user)
    rendered = SafeTextBrowser()  # the banner renders the summary's Markdown ("1." → a list)
    rendered.show_markdown(summary.text)
    assert rendered.toPlainText().strip()
    assert rendered.toPlainText().strip() in window.summary.toPlainText()
    window.summary_close.click()
    assert not window.summary_frame.isVisible()

    dialog = SummariesDialog(ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=WAIT_MS)
    dialog.pin.click()
    qtbot.waitUntil(lambda: dialog.pin.text() == "Unpin", timeout=WAIT_MS)
    assert engine.memory.summaries(ctx.user)[0].pinned
    dialog.delete.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=WAIT_MS)
    assert engine.memory.summaries(ctx.user) == []


def test_a_summary_still_queued_at_login_appears_once_written(qtbot: QtBot, ctx: Context) -> None:
    """The app was closed before the job ran: the next start writes it, the banner follows."""
    engine = ctx.engine
    chat = engine.chats.create(ctx.user)
    list(engine.answers.ask(ctx.user, "What is Konspekt?", chat=chat.id))
    engine.chats.clear(ctx.user, chat.id)
    assert engine.memory.pending_jobs() == 1
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.start()
    engine.start_background()
    qtbot.waitUntil(window.summary_frame.isVisible, timeout=WAIT_MS)
    assert engine.memory.pending_jobs() == 0
