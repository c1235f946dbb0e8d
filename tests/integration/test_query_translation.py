"""Query translation plumbing with the real tiny llama.cpp model and the real embedder.

The tiny model's "translations" are gibberish, so these tests check the plumbing, not the
language: when the model is asked, how often, what is kept, and that search never fails.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core import Engine, Session, Settings
from core.llm.admission import Claim
from core.llm.catalog import DEMO_FILE
from core.llm.generator import Generator
from core.search.embedder import Embedder
from tests.identity import admin_session

ENGLISH = (
    "The lighthouse keeper counts the ships that pass the rocks every night and writes "
    "their names in the logbook. When fog comes, the keeper starts the foghorn."
)
RUSSIAN = (
    "Смотритель маяка каждую ночь считает корабли, проходящие мимо скал, и записывает "
    "их названия в журнал. Когда приходит туман, смотритель включает ревун."
)
QUESTION_RU = "Что смотритель маяка записывает в журнал?"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    (folder / "en").mkdir(parents=True)
    (folder / "ru").mkdir(parents=True)
    (folder / "en" / "lighthouse.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "ru" / "mayak.txt").write_text(RUSSIAN, encoding="utf-8")
    return folder


Open = Callable[..., tuple[Engine, Session, list[str]]]


@pytest.fixture
def open_engine(
    settings: Settings,
    embedder: Embedder,
    docs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Open]:
    """An engine over an English and a Russian KB, and the prompts its model was sent."""
    engines: list[Engine] = []

    def start(model: Path | None, **changes: Any) -> tuple[Engine, Session, list[str]]:
        generator = Generator(model, n_ctx=1024, n_threads=1) if model else None
        engine = Engine(settings.with_changes(**changes), embedder=embedder, generator=generator)
        engines.append(engine)
        admin = admin_session(engine)
        for lang in ("en", "ru"):
            list(engine.documents.ingest(admin, [docs / lang], kb=lang))
        asked: list[str] = []
        slot = engine.context.model
        real = slot.text

        def spy(prompt: Any, *args: Any, **kwargs: Any) -> str:
            asked.append(str(prompt))
            return real(prompt, *args, **kwargs)

        monkeypatch.setattr(slot, "text", spy)
        return engine, admin, asked

    yield start
    for engine in engines:
        engine.close()


def test_a_question_over_other_language_passages_is_translated_once_then_cached(
    open_engine: Open, tiny_model: Path
) -> None:
    engine, admin, asked = open_engine(tiny_model)
    first = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in first] == ["lighthouse.txt"]
    assert len(asked) == 1
    translation = engine.answers.translate(admin, QUESTION_RU, "en")
    assert translation  # the tiny model's gibberish, but something, and kept
    again = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in again] == ["lighthouse.txt"]
    assert len(asked) == 1  # from the cache both times


def test_a_question_over_its_own_language_is_not_translated(
    open_engine: Open, tiny_model: Path
) -> None:
    engine, admin, asked = open_engine(tiny_model)
    hits = engine.answers.search(admin, QUESTION_RU, kb="ru")
    assert [h.document for h in hits] == ["mayak.txt"]
    assert asked == []


def test_the_demo_model_is_never_asked_to_translate(
    open_engine: Open, tiny_model: Path, tmp_path: Path
) -> None:
    demo = tmp_path / "models" / DEMO_FILE
    demo.parent.mkdir()
    shutil.copy(tiny_model, demo)
    engine, admin, asked = open_engine(demo)
    hits = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in hits] == ["lighthouse.txt"]
    assert engine.answers.translate(admin, QUESTION_RU, "en") is None
    assert asked == []


def test_the_setting_turns_translation_off(open_engine: Open, tiny_model: Path) -> None:
    engine, admin, asked = open_engine(tiny_model, translate_queries=False)
    assert [h.document for h in engine.answers.search(admin, QUESTION_RU, kb="en")] == [
        "lighthouse.txt"
    ]
    assert asked == []


def test_a_cancelled_question_keeps_no_translation(open_engine: Open, tiny_model: Path) -> None:
    engine, admin, asked = open_engine(tiny_model)
    cancel = threading.Event()
    cancel.set()
    hits = engine.answers.search(admin, QUESTION_RU, kb="en", cancel=cancel)
    assert [h.document for h in hits] == ["lighthouse.txt"]
    engine.answers.search(admin, QUESTION_RU, kb="en")  # not cached: asked again
    assert len(asked) == 2
    engine.answers.search(admin, QUESTION_RU, kb="en")
    assert len(asked) == 2


def test_a_failing_model_never_fails_the_search(
    open_engine: Open, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, admin, _ = open_engine(tiny_model)

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("llama_decode returned -3")

    monkeypatch.setattr(engine.context.model, "text", broken)
    hits = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in hits] == ["lighthouse.txt"]
    assert engine.answers.translate(admin, QUESTION_RU, "en") is None


def test_without_any_model_search_goes_on_untranslated(open_engine: Open, tmp_path: Path) -> None:
    engine, admin, asked = open_engine(None, model_path=tmp_path / "missing.gguf")
    hits = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in hits] == ["lighthouse.txt"]
    assert asked == []


def test_a_busy_model_is_not_waited_for(open_engine: Open, tiny_model: Path) -> None:
    engine, admin, asked = open_engine(tiny_model)
    with engine.context.model.turn(Claim(None)):  # another generation holds the model
        hits = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in hits] == ["lighthouse.txt"]
    assert asked == []
    engine.answers.search(admin, QUESTION_RU, kb="en")
    assert len(asked) == 1  # free again: translated


def test_search_alone_never_loads_the_model_to_translate(
    open_engine: Open, tiny_model: Path
) -> None:
    engine, admin, asked = open_engine(None, model_path=tiny_model)
    hits = engine.answers.search(admin, QUESTION_RU, kb="en")
    assert [h.document for h in hits] == ["lighthouse.txt"]
    assert (asked, engine.context.model.loaded) == ([], None)
    assert engine.answers.translate(admin, QUESTION_RU, "en")  # asked for: loads it
    assert engine.context.model.loaded is not None
    engine.answers.search(admin, "Что смотритель включает в туман?", kb="en")
    assert len(asked) == 2  # loaded now: search translates
