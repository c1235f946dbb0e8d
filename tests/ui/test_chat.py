"""The chat screen on the real engine and the packaged SmolLM2 model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from pytestqt.qtbot import QtBot

from core import Sources
from core.llm.admission import Claim
from desktop.context import Context
from desktop.views.chat import ChatView
from desktop.views.source_viewer import SourceDialog
from desktop.views.transcript import Entry
from tests.documents import make_pdf
from tests.ui.conftest import WAIT_MS

QUESTION = "What does the lighthouse keeper count?"


@pytest.fixture
def chat(ctx: Context, qtbot: QtBot, tmp_path: Path) -> ChatView:
    """A shown chat view over a knowledge base holding a two-page PDF."""
    (tmp_path / "docs").mkdir()
    pdf = make_pdf(tmp_path / "docs" / "handbook.pdf")
    list(ctx.engine.documents.ingest(ctx.user, [pdf], "Handbook"))
    view = ChatView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.scope.count() == 3, timeout=WAIT_MS)
    return view


def _ask(qtbot: QtBot, view: ChatView, question: str) -> None:
    view.question.setPlainText(question)
    qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)


def test_answer_streams_token_by_token_and_is_kept_in_a_new_chat(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    lengths: list[int] = []
    original = chat.transcript.append_text

    def record(index: int, piece: str) -> None:
        original(index, piece)
        lengths.append(len(chat.transcript.entries[index].text))

    chat.transcript.append_text = record  # type: ignore[method-assign]
    _ask(qtbot, chat, QUESTION)
    assert chat.stop_button.isEnabled()
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    assert len(lengths) > 3, "tokens must arrive one by one"
    assert lengths == sorted(lengths)
    answer = chat.transcript.last_answer()
    assert answer is not None
    assert answer.text.strip()
    assert answer.sources
    assert answer.sources[0].document == "handbook.pdf"
    assert chat.sources.model.rowCount() == len(answer.sources)
    assert "tokens/s" in chat.status.text()
    qtbot.waitUntil(lambda: chat.chats.rowCount() == 1, timeout=WAIT_MS)
    stored = ctx.engine.chats.messages(ctx.user, chat.chat_id or 0)
    assert [m.role for m in stored] == ["user", "assistant"]
    assert stored[1].text == answer.text


def test_a_question_waiting_for_the_model_shows_its_place_then_its_answer(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    with ctx.engine.context.model.turn(Claim(None)):  # another user's answer holds the model
        _ask(qtbot, chat, QUESTION)
        qtbot.waitUntil(
            lambda: chat.status.text() == "Waiting for the model: number 1 in the queue…",
            timeout=WAIT_MS,
        )
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    assert "tokens/s" in chat.status.text()
    answer = chat.transcript.last_answer()
    assert answer is not None
    assert answer.text.strip()


def test_stop_ends_generation_early(qtbot: QtBot, chat: ChatView) -> None:
    chat.question.setPlainText(QUESTION)
    stopped = False

    def stop_after_first_token(index: int, piece: str) -> None:
        nonlocal stopped
        chat.transcript.entries[index].text += piece
        if not stopped:
            stopped = True
            chat.stop_button.click()

    chat.transcript.append_text = stop_after_first_token  # type: ignore[method-assign]
    qtbot.mouseClick(chat.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    assert stopped
    assert chat.status.text().startswith("Stopped.")
    assert chat.send_button.isEnabled()
    assert not chat.stop_button.isEnabled()


def test_clicking_a_citation_opens_the_pdf_at_the_cited_page(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    events = list(ctx.engine.answers.ask(ctx.user, "When does the archive close?", "Handbook"))
    sources = next(e for e in events if isinstance(e, Sources)).items
    cited = next(s for s in sources if s.location.page == 2)
    # The small model does not reliably write [n]; the marker is put in the text here, the
    # sources are the engine's own.
    chat.transcript.set_entries(
        [Entry("user", "When?"), Entry("assistant", f"On Thursdays [{cited.number}].", sources)]
    )
    opened: list[object] = []
    chat.source_requested.connect(opened.append)
    cursor = chat.transcript.document().find(f"[{cited.number}]")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    chat.transcript.setTextCursor(cursor)
    point = chat.transcript.cursorRect(cursor).center()
    qtbot.mouseClick(chat.transcript.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened == [cited]

    dialog = SourceDialog(ctx, cited)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.image.pixmap() is not None and not dialog.image.pixmap().isNull(),
        timeout=WAIT_MS,
    )
    assert dialog.page == 2
    assert dialog.image.pixmap().width() >= 600


def test_unticked_passage_is_left_out_when_asking_again(qtbot: QtBot, chat: ChatView) -> None:
    _ask(qtbot, chat, QUESTION)
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    first = chat.sources.model.rows()
    assert first
    index = chat.sources.model.index(0, 0)
    chat.sources.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    dropped = first[0].chunk_id
    qtbot.mouseClick(chat.sources.reask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not chat.busy, timeout=WAIT_MS)
    again = chat.transcript.last_answer()
    assert again is not None
    assert dropped not in {s.chunk_id for s in again.sources}
    assert len([e for e in chat.transcript.entries if e.role == "user"]) == 2


def test_files_dropped_on_the_chat_are_attached_to_the_users_uploads(
    qtbot: QtBot, chat: ChatView, ctx: Context, tmp_path: Path
) -> None:
    note = tmp_path / "memo.txt"
    note.write_text("The cafeteria closes at four on Fridays.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    center = QPointF(chat.rect().center())
    drop = QDropEvent(
        center,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    chat.dropEvent(drop)  # QApplication drops synthetic drag events without a drag in progress
    assert drop.isAccepted()
    qtbot.waitUntil(
        lambda: any(e.role == "note" and "memo.txt" in e.text for e in chat.transcript.entries),
        timeout=WAIT_MS,
    )
    assert [d.name for d in ctx.engine.documents.all(ctx.user)] == ["memo.txt"]


def test_a_text_source_opens_with_the_cited_passage_marked(
    qtbot: QtBot, chat: ChatView, ctx: Context, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Canteen\n\nThe canteen serves borscht on Mondays.\n\n# Parking\n\n"
        "Parking permits renew every April at the front desk.\n",
        encoding="utf-8",
    )
    list(ctx.engine.documents.ingest(ctx.user, [notes], "Handbook"))
    events = list(ctx.engine.answers.ask(ctx.user, "When do parking permits renew?", "Handbook"))
    source = next(
        s
        for s in next(e for e in events if isinstance(e, Sources)).items
        if s.document == "notes.md"
    )
    dialog = SourceDialog(ctx, source)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "borscht" in dialog.text.toPlainText(), timeout=WAIT_MS)
    assert "Parking permits renew every April" in dialog.text.toPlainText()
    marked = dialog.text.toHtml()
    assert 'name="cited"' in marked
    assert marked.count("#fff3a3") == 1, "only the cited passage is highlighted"
    assert not dialog.previous.isVisible()
