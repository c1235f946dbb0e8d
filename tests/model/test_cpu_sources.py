"""On a CPU the answer carries at most `cpu_sources` passages; a GPU or servers get `sources`."""

from __future__ import annotations

from pathlib import Path

from core import Engine, Settings
from core.llm.generator import Generator, Prompt
from core.services.answers import source_budget
from tests.fakes import FakeEmbedder
from tests.identity import admin_session

TOPICS = ("lighthouse", "harbour", "keeper", "lamp", "beacon", "tower", "signal", "coast")


class RecordingGenerator(Generator):
    """The real llama.cpp generator (tiny model), keeping every prompt it renders."""

    rendered: list[list[dict[str, str]]]

    def render(self, messages: list[dict[str, str]]) -> Prompt:
        self.rendered.append(messages)
        return super().render(messages)


def test_an_answer_on_the_cpu_uses_at_most_cpu_sources_passages(
    settings: Settings, tiny_model: Path, tmp_path: Path
) -> None:
    generator = RecordingGenerator(tiny_model, n_ctx=2048, n_threads=1, n_gpu_layers=0)
    generator.rendered = []
    assert not generator.gpu_offload
    docs = tmp_path / "docs"
    docs.mkdir()
    for n, topic in enumerate(TOPICS):
        text = f"What does the keeper count? The keeper counts {topic}s."
        (docs / f"note{n}.txt").write_text(text, encoding="utf-8")
    chosen = settings.with_changes(sources=6, cpu_sources=2, max_answer_tokens=8)
    with Engine(chosen, embedder=FakeEmbedder(), generator=generator) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [docs]))
        list(engine.answers.ask(admin, "What does the keeper count?"))
    user = generator.rendered[-1][-1]["content"]
    assert user.count("<source id=") == 2


def test_the_budget_is_the_smaller_one_only_without_gpu_or_servers(
    settings: Settings, tiny_model: Path
) -> None:
    cpu = Generator(tiny_model, n_ctx=512, n_threads=1, n_gpu_layers=0)
    six_four = settings.with_changes(sources=6, cpu_sources=4)
    assert source_budget(six_four, cpu) == 4
    assert source_budget(settings.with_changes(sources=3, cpu_sources=4), cpu) == 3
    served = six_four.with_changes(answer_endpoints=("http://127.0.0.1:9/v1",))
    assert source_budget(served, cpu) == 6
    cpu.close()
