"""The administrators' usage page: figures, charts in both themes, tables and CSV export."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core import AnswerStats, Location, Source
from core.analytics.records import AnswerRecord, record
from desktop.context import Context
from desktop.theme import apply_theme
from desktop.views.admin import AdminView
from tests.ui.conftest import WAIT_MS


def _answers(ctx: Context, tmp_path: Path) -> int:
    """A knowledge base with two documents, and three answers' figures citing the first."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "cited.txt").write_text("The ferry leaves at noon from the north pier.")
    (docs / "ignored.txt").write_text("The cafeteria serves borscht on Mondays.")
    list(ctx.engine.documents.ingest(ctx.user, sorted(docs.iterdir()), "Handbook"))
    cited = next(d for d in ctx.engine.documents.all(ctx.user, "Handbook") if d.name == "cited.txt")
    kb_id = next(k.id for k in ctx.engine.kbs.visible(ctx.user) if k.name == "Handbook")
    source = Source(
        1, cited.name, cited.source, Location(None, "", ""), "…", 1, True, 1.0, cited.id
    )
    for grounded in (True, True, False):
        stats = AnswerStats(first_token_ms=500.0, tokens_per_s=20.0, grounded=grounded)
        given = (source,) if grounded else ()
        answer = AnswerRecord(time.time(), ctx.user.user.id, (kb_id,), stats, given)
        record(ctx.engine.context.db, answer)
    return cited.id


def _has_colour(view: object, colour: object) -> bool:
    image = view.grab().toImage()  # type: ignore[attr-defined]
    return any(
        image.pixelColor(x, y) == colour
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )


def test_usage_page_shows_counts_charts_and_tables_and_exports_csv(
    qtbot: QtBot, ctx: Context, tmp_path: Path
) -> None:
    _answers(ctx, tmp_path)
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    page = view.usage
    view.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.report is not None, timeout=WAIT_MS)
    assert "3 questions; not found 33 %" in page.summary.text()
    assert sum(page.per_day.values) == 3
    assert len(page.per_day.values) == 30  # the default period
    assert (page.per_kb.labels, page.per_kb.values) == (["Handbook"], [3])
    assert "Handbook: 3" in page.per_kb.accessibleDescription()
    assert page.top_cited.item(0, 0).text() == "cited.txt"
    assert page.top_cited.item(0, 2).text() == "2"
    assert page.never_cited.item(0, 0).text() == "ignored.txt"
    assert page.per_user.item(0, 0).text() == "admin"
    page.period.setCurrentIndex(0)  # 7 days: counted again
    qtbot.waitUntil(lambda: len(page.per_day.values) == 7, timeout=WAIT_MS)
    page.export_to(tmp_path / "csv")
    qtbot.waitUntil(lambda: "8 CSV files written" in page.status.text(), timeout=WAIT_MS)
    assert (tmp_path / "csv" / "top_cited.csv").read_text(encoding="utf-8").count("\n") == 2


def test_usage_charts_follow_the_dark_theme_and_speak_russian(
    qtbot: QtBot, ctx: Context, tmp_path: Path
) -> None:
    _answers(ctx, tmp_path)
    view = AdminView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    page = view.usage
    view.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.report is not None, timeout=WAIT_MS)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        apply_theme(app, "dark")
        window = QPalette.ColorRole.Window
        qtbot.waitUntil(lambda: page.per_kb.palette().color(window).lightness() < 128)
        bar = page.per_kb.palette().color(QPalette.ColorRole.Highlight)
        assert _has_colour(page.per_kb, bar)
    finally:
        apply_theme(app, "light")
    ctx.language.apply("ru")
    qtbot.waitUntil(lambda: page.export_button.text() == "Экспорт CSV…", timeout=WAIT_MS)
    assert page.per_day.title == "Вопросы по дням"
    assert view.tabs.tabText(view.tabs.indexOf(page)) == "Использование"
