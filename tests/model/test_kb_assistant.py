"""A knowledge base's assistant reaches the answer: passages and answer length on llama.cpp."""

from pathlib import Path

import pytest

from core import Assistant, Done, Engine, Session, Settings, Sources, Token
from core.llm.generator import Generator
from core.services.assistants import generation
from tests.documents import make_all
from tests.identity import admin_session


@pytest.fixture
def filled(settings: Settings, e5, tiny_model: Path, tmp_path: Path) -> tuple[Engine, Session]:
    engine = Engine(settings, embedder=e5, generator=Generator(tiny_model, n_ctx=2048, n_threads=1))
    admin = admin_session(engine)
    list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent], kb="Docs"))
    return engine, admin


def _asked(engine: Engine, admin: Session, kb: str | None) -> tuple[Sources, int]:
    """The answer's sources and how many tokens were streamed (it ends with Done)."""
    events = list(engine.answers.ask(admin, "What does the lighthouse keeper count?", kb=kb))
    sources = next(e for e in events if isinstance(e, Sources))
    done = events[-1]
    assert isinstance(done, Done)
    return sources, sum(isinstance(e, Token) for e in events)


def test_passages_and_answer_length_of_the_kb_reach_generation(
    filled: tuple[Engine, Session],
) -> None:
    engine, admin = filled
    with engine:
        engine.assistants.save(admin, Assistant("Docs", "Answer in one line.", "", 0.0, 16, 1))
        sources, streamed = _asked(engine, admin, "Docs")
        assert len(sources.items) == 1, "one passage offered, as the KB says"
        assert 0 < streamed <= 16, "generation stops at the KB's answer length"
        wide_sources, wide_streamed = _asked(engine, admin, None)  # installation's
    assert len(wide_sources.items) > 1
    assert wide_streamed > 16, "the default answer length is longer (the check can fail)"


def test_one_chosen_kb_uses_its_settings_and_every_kb_uses_the_defaults(
    filled: tuple[Engine, Session],
) -> None:
    engine, admin = filled
    with engine:
        engine.assistants.save(admin, Assistant("Docs", "Be formal.", "", 1.2, None, 2))
        kb_id = next(k.id for k in engine.kbs.visible(admin) if k.name == "Docs")
        access, settings = engine.context.access, engine.settings
        chosen = generation(access, settings, kb_id)
        every = generation(access, settings, None)
    assert (chosen.instructions, chosen.temperature, chosen.passages) == ("Be formal.", 1.2, 2)
    assert chosen.answer_tokens == settings.max_answer_tokens, "unset: the installation's"
    assert (every.instructions, every.temperature) == ("", settings.temperature)
