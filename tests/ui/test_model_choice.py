"""Choosing a model in the desktop: advice, import, download with cancel, demo labelling."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core import Engine, Settings
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from desktop.views.model_choice import ModelChoiceDialog
from desktop.views.settings import SettingsDialog
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.integration.test_models_pull import write_manifest
from tests.model_file_server import FileServerState, serving
from tests.ui.conftest import WAIT_MS

FILE = "tiny-random-llama.gguf"
BIG = """
[[model]]
name = "big"
title = "Big 8B"
role = "answer"
class = "gpu"
file = "big.gguf"
size = 4920739232
sha256 = "7b064f5842bf9532c91456deda288a1b672397a54fa729aa665952863033557c"
licence = "test"
url = "http://127.0.0.1:9/big.gguf"
params_b = 8.0
ram_gb = 1.0
vram_gb = 6.0
prompt_tps_core = 0.5
prompt_tps_gpu = 2500.0
"""


@pytest.fixture
def server(tiny_model: Path) -> Iterator[FileServerState]:
    with serving(tiny_model.read_bytes()) as state:
        yield state


@pytest.fixture
def manifest(
    tmp_path: Path, server: FileServerState, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    path = write_manifest(tmp_path / "manifest.toml", server.url, tiny_model.read_bytes())
    path.write_text(path.read_text(encoding="utf-8") + BIG, encoding="utf-8")
    monkeypatch.setenv("KONSPEKT_MODELS_MANIFEST", str(path))
    return path


@pytest.fixture
def demo_ctx(
    settings: Settings, manifest: Path, language: Language, qtbot: QtBot, tmp_path: Path
) -> Iterator[Context]:
    """An admin on an engine with no model installed: answers would use the demo."""
    tasks = Tasks()
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        context = Context(engine, tasks, language, Prefs(tmp_path / "prefs"))
        context.session = admin_session(engine)
        yield context
        tasks.shutdown()
        qtbot.waitUntil(lambda: tasks.running == 0, timeout=WAIT_MS)


def opened(qtbot: QtBot, ctx: Context) -> ModelChoiceDialog:
    dialog = ModelChoiceDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.options) == 2, timeout=WAIT_MS)
    return dialog


def test_the_dialog_lists_the_models_with_the_advice_for_this_computer(
    qtbot: QtBot, demo_ctx: Context
) -> None:
    dialog = opened(qtbot, demo_ctx)
    assert dialog.hardware_label.text().startswith("This computer:")
    assert "CPU cores" in dialog.hardware_label.text()
    tiny, big = dialog.options["tiny"], dialog.options["big"]
    assert "recommended" in tiny.text()
    assert "recommended" not in big.text()
    assert big.text().startswith("Get Big 8B (4.9 GB)")
    assert "First word of an answer after" in dialog.descriptions["tiny"].text()
    assert "min" in dialog.descriptions["big"].text(), "an 8B model on a slow CPU: minutes"
    assert dialog.import_button.isEnabled()
    assert dialog.demo_button.isEnabled()


def test_i_have_the_file_imports_it_checked_and_switches_the_model(
    qtbot: QtBot, demo_ctx: Context, tiny_model: Path, tmp_path: Path
) -> None:
    engine = demo_ctx.engine
    assert engine.system.model_choice().is_demo
    stick = tmp_path / "stick"
    stick.mkdir()
    shutil.copy(tiny_model, stick / FILE)
    dialog = opened(qtbot, demo_ctx)
    dialog.pick_file = lambda: str(stick / FILE)
    with qtbot.waitSignal(dialog.model_changed, timeout=WAIT_MS):
        dialog.import_button.click()
    installed = engine.settings.data_dir / "models" / FILE
    assert engine.settings.model_path == installed.resolve()
    assert not engine.system.model_choice().is_demo
    assert Settings.load(engine.settings.data_dir).model_path == installed.resolve()


def test_a_download_shows_progress_and_cancel_keeps_the_app_usable(
    qtbot: QtBot, demo_ctx: Context, server: FileServerState
) -> None:
    server.pace_s = 0.05
    dialog = opened(qtbot, demo_ctx)
    dialog.options["tiny"].click()
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=WAIT_MS)
    assert dialog.bar.isVisible()
    assert " of " in dialog.transfer_label.text()
    assert not dialog.import_button.isEnabled(), "one transfer at a time"
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=WAIT_MS)
    part = demo_ctx.engine.settings.data_dir / "models" / f"{FILE}.part"
    kept = part.stat().st_size
    assert kept > 0
    assert "Stopped" in dialog.message.text()
    assert dialog.options["tiny"].isEnabled()
    assert not dialog.bar.isVisible()

    server.pace_s = 0.0
    with qtbot.waitSignal(dialog.model_changed, timeout=WAIT_MS):
        dialog.options["tiny"].click()
    assert server.ranges[-1] == f"bytes={kept}-"
    assert not demo_ctx.engine.system.model_choice().is_demo


def test_use_the_demo_for_now_is_remembered(qtbot: QtBot, demo_ctx: Context) -> None:
    dialog = opened(qtbot, demo_ctx)
    assert not demo_ctx.prefs.demo_accepted
    dialog.demo_button.click()
    assert demo_ctx.prefs.demo_accepted
    assert not dialog.isVisible()


def test_the_status_bar_and_each_answer_say_when_the_demo_model_answers(
    qtbot: QtBot, demo_ctx: Context, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "keeper.txt").write_text("What does the keeper count? The keeper counts ships.")
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.demo_model_in_use, timeout=WAIT_MS):
        window.start()
    assert window.model_label.text().startswith("Demo model:")
    list(demo_ctx.engine.documents.ingest(demo_ctx.user, [docs]))
    window.chat.refresh_scope()
    window.chat.question.setPlainText("What does the keeper count?")
    window.chat.send()
    qtbot.waitUntil(lambda: not window.chat.busy, timeout=WAIT_MS)
    assert window.chat.status.text().startswith("Demo model — this answer is likely wrong.")


def test_settings_shows_the_cpu_passage_budget_and_offers_a_model(
    qtbot: QtBot, demo_ctx: Context
) -> None:
    dialog = SettingsDialog(demo_ctx)
    qtbot.addWidget(dialog)
    assert dialog.cpu_sources.value() == 4
    assert dialog.get_model.isEnabled()
    dialog.cpu_sources.setValue(3)
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: demo_ctx.engine.settings.cpu_sources == 3, timeout=WAIT_MS)
