"""Engine.ask end to end on the real embedder and llama.cpp models."""

import threading
from pathlib import Path

import pytest

from core import Done, Engine, Session, Settings, Sources, Token
from core.llm.catalog import demo_model_path, resolve_model
from core.llm.generator import Generator
from tests.documents import SENTENCES, make_all
from tests.identity import admin_session


@pytest.fixture
def filled(settings: Settings, e5, tiny_model: Path, tmp_path: Path) -> tuple[Engine, Session]:
    engine = Engine(settings, embedder=e5, generator=Generator(tiny_model, n_ctx=2048, n_threads=1))
    admin = admin_session(engine)
    list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent]))
    return engine, admin


def test_answer_events_come_in_order_with_stats(filled: tuple[Engine, Session]) -> None:
    engine, admin = filled
    with engine:
        events = list(engine.answers.ask(admin, "What does the lighthouse keeper count?"))
    tokens = [e for e in events if isinstance(e, Token)]
    assert tokens
    assert isinstance(events[-2], Sources)
    assert isinstance(events[-1], Done)
    sources = events[-2].items
    assert sources[0].document == "handbook.pdf"
    assert (sources[0].location.label, sources[0].location.heading) == ("p. 1", "Chapter One")
    assert [s.number for s in sources] == list(range(1, len(sources) + 1))
    stats = events[-1].stats
    assert stats.prompt_tokens > 50
    assert stats.completion_tokens > 0
    assert stats.first_token_ms > 0
    assert stats.retrieval_ms > 0
    assert stats.grounded


def test_stop_cancels_generation_inside_the_model(filled: tuple[Engine, Session]) -> None:
    """Counted inside llama.cpp: after Stop it evaluates no further token, and Done comes."""
    engine, admin = filled
    cancel = threading.Event()
    events = []
    with engine:
        llm = engine.system.load_model().raw
        at_stop = -1
        for event in engine.answers.ask(admin, "When does the archive close?", cancel=cancel):
            events.append(event)
            if isinstance(event, Token) and not cancel.is_set():
                at_stop = llm.n_tokens  # prompt plus every generated token fed back so far
                cancel.set()
        evaluated = llm.n_tokens
    assert sum(isinstance(e, Token) for e in events) == 1
    done = events[-1]
    assert isinstance(done, Done), "a stopped answer still ends with its statistics"
    assert done.stats.cancelled
    assert at_stop >= done.stats.prompt_tokens > 50
    assert evaluated == at_stop, "llama.cpp evaluated tokens after Stop"


def test_an_answer_that_is_not_stopped_runs_on_inside_the_model(
    filled: tuple[Engine, Session],
) -> None:
    """The measure above can fail: without Stop llama.cpp goes on evaluating tokens."""
    engine, admin = filled
    with engine:
        llm = engine.system.load_model().raw
        at_first = -1
        for event in engine.answers.ask(admin, "When does the archive close?"):
            if isinstance(event, Token) and at_first < 0:
                at_first = llm.n_tokens
            if isinstance(event, Done):
                assert not event.stats.cancelled
        evaluated = llm.n_tokens
    assert evaluated > at_first > 0


def test_unrelated_question_says_not_found_without_the_model(
    settings: Settings, e5, tmp_path: Path
) -> None:
    with Engine(settings, embedder=e5) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"]]))
        events = list(engine.answers.ask(admin, "Как приготовить борщ по-украински?"))
        assert engine.context.model.loaded is None  # the model was never loaded
        english = list(engine.answers.ask(admin, "How do I tune a jet engine?"))
    assert events[0] == Token("В документах я этого не нашёл.")
    assert events[1] == Sources(())
    assert not events[2].stats.grounded
    assert english[0] == Token("I could not find this in the documents.")


def test_demo_model_is_the_fallback_and_is_flagged(settings: Settings) -> None:
    choice = resolve_model(settings)
    assert choice.is_demo
    assert choice.path == demo_model_path()


def test_models_folder_and_env_take_precedence(
    settings: Settings, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = settings.models_dirs[0]
    folder.mkdir(parents=True)
    (folder / "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf").symlink_to(tiny_model)
    (folder / "other.gguf").symlink_to(tiny_model)
    assert resolve_model(settings).path.name == "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"
    monkeypatch.setenv("KONSPEKT_MODEL", str(tiny_model))
    chosen = resolve_model(Settings.load(settings.data_dir))
    assert chosen.path == tiny_model
    assert not chosen.is_demo


def test_demo_model_answers_from_the_sources(settings: Settings, e5, tmp_path: Path) -> None:
    """The packaged SmolLM2 runs through the whole pipeline and mentions the fact."""
    with Engine(settings, embedder=e5) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"]]))
        events = list(engine.answers.ask(admin, "What does the lighthouse keeper count?"))
    answer = "".join(e.text for e in events if isinstance(e, Token))
    assert "pebble" in answer.lower(), answer
    assert SENTENCES["pdf1"] in events[-2].items[0].snippet
