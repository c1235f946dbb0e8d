"""Feedback from the chat screen: 👍/👎 under an answer, the dialog, and asking again.

Real engine, the packaged SmolLM2 model and real widgets: the verdict and the comment
are stored with the chat and counted in the administrators' report, and the question
asked again is answered without the passages the user unticked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.views.chat import ChatView
from desktop.views.feedback import FeedbackDialog
from tests.documents import make_pdf
from tests.ui.conftest import WAIT_MS

QUESTION = "What does the lighthouse keeper count?"
COMMENT = "It counts ships too, not only pebbles."


@pytest.fixture
def chat(ctx: Context, qtbot: QtBot, tmp_path: Path) -> ChatView:
    """A shown chat view over a knowledge base with two documents on the keeper."""
    docs = tmp_path / "docs"
    docs.mkdir()
    keeper = docs / "keeper.txt"
    keeper.write_text("The lighthouse keeper also counts the ships that pass at night.")
    list(
        ctx.engine.documents.ingest(ctx.user, [make_pdf(docs / "handbook.pdf"), keeper], "Handbook")
    )
    view = ChatView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.scope.count() == 3, timeout=WAIT_MS)
    view.scope.setCurrentIndex(view.scope.findData("Handbook"))
    return view


def _answer(qtbot: QtBot, view: ChatView) -> int:
    """Ask QUESTION; returns the stored answer's message id once it is shown."""
    view.question.setPlainText(QUESTION)
    qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    answer = view.transcript.last_answer()
    assert answer is not None
    assert answer.message_id is not None
    return answer.message_id


def _dialog(qtbot: QtBot, view: ChatView, message_id: int, rating: int) -> FeedbackDialog:
    view.transcript.anchorClicked.emit(QUrl(f"rate:{message_id}:{rating}"))
    dialog = view.findChild(FeedbackDialog, "feedbackDialog")
    assert dialog is not None
    return dialog


def test_a_thumb_down_with_a_comment_is_stored_and_counted(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    message_id = _answer(qtbot, chat)
    assert f"rate:{message_id}:-1" in chat.transcript.toMarkdown()  # 👎 offered under it
    dialog = _dialog(qtbot, chat, message_id, -1)
    assert dialog.wrong.isChecked()
    dialog.comment.setPlainText(COMMENT)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chat.transcript.last_answer().rating == -1, timeout=WAIT_MS)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: chat.findChild(FeedbackDialog) is None, timeout=WAIT_MS)  # closed
    kept = ctx.engine.feedback.get(ctx.user, message_id)
    assert kept is not None
    assert (kept.rating, kept.comment) == (-1, COMMENT)
    report = ctx.engine.analytics.usage(ctx.user, 7)
    assert (report.thumbs_up, report.thumbs_down) == (0, 1)
    assert COMMENT not in repr(report)
    chat.open_chat(chat.chat_id or 0)  # reloaded from the database: the verdict comes back
    qtbot.waitUntil(lambda: bool(chat.transcript.entries), timeout=WAIT_MS)
    assert chat.transcript.entries[-1].rating == -1
    changed = _dialog(qtbot, chat, message_id, 1)
    qtbot.waitUntil(lambda: changed.comment.toPlainText() == COMMENT, timeout=WAIT_MS)
    qtbot.mouseClick(changed.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: ctx.engine.feedback.get(ctx.user, message_id).rating == 1, timeout=WAIT_MS
    )  # type: ignore[union-attr]


def test_asking_again_leaves_out_the_unticked_passages(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    message_id = _answer(qtbot, chat)
    first = chat.transcript.last_answer()
    assert first is not None
    assert len(first.sources) > 1
    dialog = _dialog(qtbot, chat, message_id, -1)
    assert dialog.passages.count() == len(first.sources)
    dialog.passages.item(0).setCheckState(Qt.CheckState.Unchecked)
    dropped = dialog.excluded()
    assert dropped == {first.sources[0].chunk_id}
    qtbot.mouseClick(dialog.reask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(chat.transcript.entries) == 4, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    again = chat.transcript.entries[-1]
    assert chat.transcript.entries[-2].text == QUESTION
    assert again.sources
    assert dropped.isdisjoint(s.chunk_id for s in again.sources)
    kept = ctx.engine.feedback.get(ctx.user, message_id)
    assert kept is not None
    assert kept.rating == -1
