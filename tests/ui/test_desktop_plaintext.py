"""What the desktop writes outside the encrypted stores holds nothing a user indexed or typed.

Qt's own places (config, cache, data, state, temp) are pointed at the test folder, so
desktop.ini, caches and anything else the window writes are scanned with the data folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.context import Context
from desktop.views.main_window import MainWindow
from tests.documents import SENTENCES, make_pdf
from tests.identity import PASSWORD
from tests.ui.conftest import WAIT_MS

QUESTION = "Which pebbles does the lighthouse keeper count each morning?"


def test_the_desktop_leaves_no_document_text_question_or_answer_in_plaintext(
    ctx: Context, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        (tmp_path / var.lower()).mkdir()
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "home"))
    (tmp_path / "docs").mkdir()
    list(
        ctx.engine.documents.ingest(
            ctx.user, [make_pdf(tmp_path / "docs" / "handbook.pdf")], "Handbook"
        )
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.chat.question.setPlainText(QUESTION)
    qtbot.mouseClick(window.chat.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.chat.busy, timeout=WAIT_MS)
    window.close()
    ctx.prefs.sync()
    [chat] = ctx.engine.chats.all(ctx.user)
    answers = [
        m.text for m in ctx.engine.chats.messages(ctx.user, chat.id) if m.role == "assistant"
    ]
    assert answers
    needles = [QUESTION, SENTENCES["pdf1"], SENTENCES["pdf2"], PASSWORD, chat.title]
    needles += [line for a in answers for line in a.splitlines() if len(line) >= 16]
    written = [p for p in tmp_path.rglob("*") if p.is_file() and "docs" not in p.parts]
    assert any(p.name == "desktop.ini" for p in written)  # the scan covers the prefs file
    for path in written:
        data = path.read_bytes()
        for needle in needles:
            for raw in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                assert raw not in data, f"{needle!r} in plaintext in {path}"
