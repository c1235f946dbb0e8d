"""Document and model text never makes Qt fetch a resource (`file://host/share` = SMB + NTLM).

Each widget that shows such text is fed an `<img>` and a Markdown image pointing at a
real 400×400 PNG. Had Qt loaded it, the text would be at least 400 px tall; labels must
show the markup literally.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from core import Document, DocumentStatus, Location, Source, Summary
from desktop.context import Context
from desktop.errors import show_error
from desktop.itemmodels.documents import DocumentTableModel
from desktop.itemmodels.sources import SourceListModel
from desktop.safe_text import SafeTextBrowser, ask
from desktop.views.main_window import MainWindow
from desktop.views.source_viewer import SourceDialog
from desktop.views.sources import SourcesPanel
from desktop.views.summaries import SummariesDialog
from desktop.views.transcript import Entry, TranscriptView
from tests.ui.conftest import WAIT_MS

SIDE = 400


@pytest.fixture
def big_png(tmp_path: Path) -> QUrl:
    """A real 400×400 PNG on disk, as the `file://` URL hostile text points at."""
    path = tmp_path / "big.png"
    image = QImage(SIDE, SIDE, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return QUrl.fromLocalFile(str(path))


def hostile(url: QUrl) -> str:
    """Text a document or the model could carry: HTML and Markdown images, bold markup."""
    u = url.toString()
    return f'Look <img src="{u}"> here.\n\n![x]({u})\n\n<b>bold</b> [1]'


def assert_nothing_loaded(browser: QTextBrowser, url: QUrl) -> None:
    """Laid out without the 400 px image, and the document holds none of its bytes."""
    document = browser.document()
    assert browser.viewport().width() > SIDE, "wide enough for the text to need few lines"
    assert document.size().height() < SIDE, "the image was loaded and laid out"
    kind = int(QTextDocument.ResourceType.ImageResource)
    loaded = document.resource(kind, url)
    if isinstance(loaded, QImage):
        assert loaded.width() < SIDE, "the file's picture reached the document"
    else:
        assert b"PNG" not in bytes(loaded or b""), "the file's bytes reached the document"
    assert isinstance(browser, SafeTextBrowser)
    assert browser.refused, "the refusal is recorded"
    assert all(u.scheme() == "file" for u in browser.refused)


def shown(qtbot: QtBot, widget: QWidget) -> None:
    """`widget` on screen, wide: the hostile text then takes a few lines unless a picture loads."""
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()


def source(url: QUrl) -> Source:
    """A cited source whose document name, heading and snippet carry markup."""
    text = hostile(url)
    return Source(
        number=1,
        document=f'<img src="{url.toString()}">.docx',
        source="/docs/x.docx",
        location=Location(label="p. 1", heading=text),
        snippet=text,
        chunk_id=1,
        cited=True,
    )


def test_an_answer_and_a_question_load_no_image(qtbot: QtBot, big_png: QUrl) -> None:
    view = TranscriptView()
    shown(qtbot, view)
    view.set_entries([Entry("user", hostile(big_png)), Entry("assistant", hostile(big_png))])
    assert_nothing_loaded(view, big_png)
    assert "bold" in view.toPlainText(), "Markdown and citations still render"
    assert 'href="cite:1:1"' in view.toHtml()


def test_a_summary_in_the_history_loads_no_image(qtbot: QtBot, ctx: Context, big_png: QUrl) -> None:
    dialog = SummariesDialog(ctx)
    shown(qtbot, dialog)
    qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)
    dialog._on_loaded([Summary(1, time.time(), "logout", "en", hostile(big_png))])
    assert_nothing_loaded(dialog.text, big_png)


def test_the_last_time_banner_loads_no_image(qtbot: QtBot, ctx: Context, big_png: QUrl) -> None:
    window = MainWindow(ctx)
    shown(qtbot, window)
    window._on_welcome_summary(Summary(1, time.time(), "logout", "en", hostile(big_png)))
    assert window.summary_frame.isVisibleTo(window)
    assert_nothing_loaded(window.summary, big_png)
    assert "Last time:" in window.summary.toPlainText()


def test_the_retrieved_passage_loads_no_image(qtbot: QtBot, big_png: QUrl) -> None:
    panel = SourcesPanel()
    shown(qtbot, panel)
    panel.show_sources((source(big_png),))
    assert "<b>bold</b>" in panel.context.toPlainText()
    assert panel.context.document().size().height() < SIDE
    assert isinstance(panel.context, SafeTextBrowser)


def test_the_opened_source_shows_its_name_and_snippet_literally(
    qtbot: QtBot, ctx: Context, big_png: QUrl
) -> None:
    dialog = SourceDialog(ctx, source(big_png))
    shown(qtbot, dialog)
    assert dialog.snippet.textFormat() == Qt.TextFormat.PlainText
    assert "<b>bold</b>" in dialog.snippet.text()
    assert dialog.snippet.sizeHint().height() < SIDE
    assert "&lt;img" in dialog.where.text(), "the document name is escaped"
    assert dialog.where.sizeHint().height() < SIDE
    assert isinstance(dialog.text, SafeTextBrowser)
    dialog._on_passages_loaded([])
    qtbot.waitUntil(lambda: ctx.tasks.running == 0, timeout=WAIT_MS)


def test_tooltips_of_documents_and_sources_are_escaped(qapp: QApplication, big_png: QUrl) -> None:
    sources = SourceListModel()
    sources.set_rows((source(big_png),))
    tips = [sources.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)]
    documents = DocumentTableModel()
    documents.set_rows([_document(hostile(big_png))])
    tips.append(documents.index(0, 0).data(Qt.ItemDataRole.ToolTipRole))
    for tip in tips:
        assert "<img" not in tip
        assert "<b>" not in tip
        label = QLabel(tip)  # how QToolTip shows it: rich text when it looks like HTML
        assert label.sizeHint().height() < SIDE


def _document(path: str) -> Document:
    return Document(
        id=1,
        kb_id=1,
        source=path,
        name="x.docx",
        kind="docx",
        status=DocumentStatus.INDEXED,
        chunks=1,
        pages=1,
    )


def test_an_error_naming_a_file_is_shown_literally(
    qtbot: QtBot, big_png: QUrl, tmp_path: Path
) -> None:
    parent = QLabel()
    qtbot.addWidget(parent)
    show_error(parent, OSError(13, "Permission denied", f'<img src="{big_png.toString()}">'), "en")
    box = parent.findChild(QMessageBox, "errorBox")
    assert box is not None
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()


def test_a_question_naming_a_chat_is_shown_literally(qtbot: QtBot, big_png: QUrl) -> None:
    seen: list[Qt.TextFormat] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.textFormat())
        box.reject()

    QTimer.singleShot(0, answer)
    assert not ask(None, "Delete chat", f"Delete “{hostile(big_png)}”?")
    assert seen == [Qt.TextFormat.PlainText]
