"""The transcript's cards: citation chips, hover previews, streaming, feedback and copy links."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from core import Location, Source
from desktop.theme import apply_theme
from desktop.views.transcript import CURSOR, SHOWN, Entry, TranscriptView

CODE = "Run it:\n\n```python\ndef add(a, b):\n    return a + b  # sum\n```\n"


def _source(
    number: int, snippet: str = "The keeper counts the ships that pass at night."
) -> Source:
    return Source(
        number=number,
        document="handbook.pdf",
        source="/docs/handbook.pdf",
        location=Location(label="p. 2", page=2),
        snippet=snippet,
        chunk_id=number,
        cited=True,
    )


@pytest.fixture
def view(qtbot: QtBot) -> TranscriptView:
    widget = TranscriptView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


@pytest.fixture
def dark(qapp: QApplication) -> Iterator[None]:
    apply_theme(qapp, "dark")
    yield
    apply_theme(qapp, "light")


def _point_of(view: TranscriptView, text: str) -> QPoint:
    cursor = view.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not shown"
    cursor.setPosition(cursor.selectionStart() + 1)
    return view.cursorRect(cursor).center()


def _format_of(view: TranscriptView, text: str) -> tuple[str, QColor]:
    cursor = view.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not shown"
    fmt = cursor.charFormat()
    return fmt.anchorHref(), fmt.background().color()


def test_a_citation_is_a_tinted_chip_that_emits_its_number(
    qtbot: QtBot, view: TranscriptView
) -> None:
    view.set_entries([Entry("user", "Q"), Entry("assistant", "Ships [1] pass.", (_source(1),))])
    href, background = _format_of(view, "[1]")
    assert href == "cite:1:1"
    base = view.palette().color(view.palette().ColorRole.Base)
    assert background.isValid()
    assert background != base, "the chip has its own background"
    with qtbot.waitSignal(view.citation_clicked) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, "[1]"))
    assert clicked.args == [1, 1]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen's tooltip window
def test_hovering_a_chip_previews_document_page_and_passage_literally(
    qtbot: QtBot, view: TranscriptView
) -> None:
    hostile = "Counts <b>ships</b> " + "and more words " * 40
    view.set_entries([Entry("user", "Q"), Entry("assistant", "See [1].", (_source(1, hostile),))])
    tip = view.link_tip("cite:1:1")
    assert tip.startswith("[1] handbook.pdf · p. 2")
    assert "Counts <b>ships</b>" in tip
    assert len(tip) < len(hostile), "only the passage's start"
    point = _point_of(view, "[1]")
    event = QHelpEvent(QHelpEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    shown = QToolTip.text()
    assert "handbook.pdf" in shown
    assert "&lt;b&gt;ships" in shown, "the passage's markup is shown as typed"
    QToolTip.hideText()


def test_streaming_keeps_the_place_of_a_reader_who_scrolled_up(view: TranscriptView) -> None:
    view.set_entries([Entry("assistant", f"Answer {i}.\n\n" + "text " * 80) for i in range(40)])
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 3)
    place = bar.value()
    index = view.add(Entry("assistant", "", streaming=True))
    for _ in range(30):
        view.append_text(index, "more words and more words ")
        view._on_timer_timeout()
    assert bar.value() == place, "the text being read does not move"
    view.finish(index, ())
    assert bar.value() == place


def test_streaming_follows_the_end_when_the_reader_is_there(view: TranscriptView) -> None:
    view.set_entries([Entry("assistant", "text " * 400) for _ in range(5)])
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    index = view.add(Entry("assistant", "", streaming=True))
    for _ in range(30):
        view.append_text(index, "line of the answer\n\n")
        view._on_timer_timeout()
    assert bar.value() == bar.maximum() > 0


def test_streaming_redraws_only_the_answer_and_shows_a_cursor(view: TranscriptView) -> None:
    view.set_entries([Entry("user", "First question"), Entry("assistant", "First answer")])
    cursor = view.document().find("First answer")
    view.setTextCursor(cursor)
    index = view.add(Entry("assistant", "", streaming=True))
    view.append_text(index, "Partly written")
    view._on_timer_timeout()
    assert f"Partly written{CURSOR}" in view.toPlainText()
    assert view.textCursor().selectedText() == "First answer", "a selection above survives"
    view.finish(index, ())
    assert CURSOR not in view.toPlainText()
    assert len(view.document().rootFrame().childFrames()) == 3, "one card per message"


def test_the_thumbs_links_ask_for_feedback_on_the_stored_answer(
    qtbot: QtBot, view: TranscriptView
) -> None:
    view.set_entries([Entry("user", "Q"), Entry("assistant", "A", message_id=7, rating=1)])
    href, chip = _format_of(view, "Helpful")
    assert href == "rate:7:1"
    assert _format_of(view, "Wrong")[1] != chip, "only the current rating is highlighted"
    with qtbot.waitSignal(view.feedback_requested) as down:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, "Wrong"))
    assert down.args == [7, -1]
    with qtbot.waitSignal(view.feedback_requested) as up:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, "Helpful"))
    assert up.args == [7, 1]
    view.set_rating(7, -1)
    assert _format_of(view, "Wrong")[1] == chip


def test_an_answer_not_yet_stored_offers_copy_but_no_feedback(
    qtbot: QtBot, view: TranscriptView
) -> None:
    view.set_entries([Entry("user", "Q"), Entry("assistant", "The **answer** text")])
    assert "Helpful" not in view.toPlainText()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, "Copy"))
    assert QGuiApplication.clipboard().text() == "The **answer** text"


def test_stored_ids_reach_the_newest_messages_and_redraw_only_them(view: TranscriptView) -> None:
    earlier = [Entry("user", "Old question"), Entry("assistant", "Old answer")]
    view.set_entries(
        [*earlier, Entry("user", "Q"), Entry("note", "attached"), Entry("assistant", "A")]
    )
    view.setTextCursor(view.document().find("Old answer"))
    view.identify(4, 12)
    assert [e.message_id for e in view.entries] == [None, None, None, None, 12]
    assert view.toPlainText().count("Helpful") == 1
    assert view.textCursor().selectedText() == "Old answer", "the cards above were not redrawn"
    assert len(view.document().rootFrame().childFrames()) == 4


def test_code_blocks_get_a_fixed_font_and_several_colours(view: TranscriptView) -> None:
    view.set_entries([Entry("assistant", CODE)])
    block = view.document().find("def add").block()
    colours = set()
    cursor = QTextCursor(block)
    for offset in range(block.length() - 1):
        cursor.setPosition(block.position() + offset + 1)
        colours.add(cursor.charFormat().foreground().color().name())
        assert QFontInfo(cursor.charFormat().font()).fixedPitch()
    assert len(colours) >= 2, "keywords and names are coloured apart"


def test_dark_theme_reaches_the_cards(dark: None, view: TranscriptView) -> None:
    view.set_entries([Entry("user", "Q"), Entry("assistant", "See [1].", (_source(1),))])
    frames = view.document().rootFrame().childFrames()
    card = frames[1].frameFormat().background().color()
    assert card.lightness() < 80, "the answer card is dark"
    text = view.palette().color(view.palette().ColorRole.Text)
    assert text.lightness() - card.lightness() > 120, "its text reads on it"
    _, chip = _format_of(view, "[1]")
    assert chip.lightness() < 110, "the chip stays dark enough for its light text"


def test_a_new_theme_redraws_the_cards(
    qtbot: QtBot, qapp: QApplication, view: TranscriptView
) -> None:
    view.set_entries([Entry("assistant", "A")])

    def card() -> QColor:
        return view.document().rootFrame().childFrames()[0].frameFormat().background().color()

    assert card().lightness() > 200
    apply_theme(qapp, "dark")
    try:
        qtbot.waitUntil(lambda: card().lightness() < 80)
    finally:
        apply_theme(qapp, "light")
    qtbot.waitUntil(lambda: card().lightness() > 200)


def test_a_long_chat_draws_its_newest_messages_and_older_ones_on_request(
    qtbot: QtBot, view: TranscriptView
) -> None:
    count = 2 * SHOWN + 5
    view.set_entries([Entry("assistant", f"Answer number {i}.") for i in range(count)])
    assert len(view.document().rootFrame().childFrames()) == SHOWN
    assert "Answer number 0." not in view.toPlainText()
    assert f"Answer number {count - 1}." in view.toPlainText()
    index = view.add(Entry("assistant", "", streaming=True))
    view.append_text(index, "Streamed")
    view._on_timer_timeout()
    view.finish(index, ())
    assert "Streamed" in view.toPlainText()
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=_point_of(view, "earlier messages")
    )
    assert len(view.document().rootFrame().childFrames()) == 2 * SHOWN + 1
    assert view.verticalScrollBar().value() > 0, "the message read before stays in view"
    view.show_earlier()
    assert len(view.document().rootFrame().childFrames()) == count + 1
    assert "Answer number 0." in view.toPlainText()
    assert "earlier messages" not in view.toPlainText()
