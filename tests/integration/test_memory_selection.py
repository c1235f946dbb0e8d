"""Which earlier sessions an answer remembers: the pinned ones, then the two newest recent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core import Done, Engine, Settings
from core.llm.generator import Generator, Prompt
from core.memory.summaries import insert_summary
from tests.documents import make_all
from tests.identity import admin_session

DAY = 86400.0
# (label, age in days, pinned); memory_notes = 2 and RECENT_DAYS = 14 by default.
SUMMARIES = (
    ("old-pinned-walrus", 40, True),
    ("stale-unpinned-heron", 30, False),
    ("ten-days-otter", 10, False),
    ("three-days-lynx", 3, False),
    ("yesterday-badger", 1, False),
)


class RecordingGenerator(Generator):
    """The real llama.cpp generator, keeping the messages of every prompt it renders."""

    rendered: list[list[dict[str, str]]]

    def render(self, messages: list[dict[str, str]]) -> Prompt:
        self.rendered.append(messages)
        return super().render(messages)


@pytest.fixture
def remembering(
    settings: Settings,
    e5,
    tiny_model: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> tuple[Engine, RecordingGenerator]:
    generator = RecordingGenerator(tiny_model, n_ctx=2048, n_threads=1)
    generator.rendered = []
    # The tiny model's byte-level vocabulary makes each note cost ~80 tokens: leave the
    # memory share room for three.
    engine = Engine(settings.with_changes(max_answer_tokens=32), embedder=e5, generator=generator)
    return engine, generator


def test_answers_remember_the_pinned_and_the_two_newest_recent_summaries(
    remembering: tuple[Engine, RecordingGenerator], tmp_path: Path
) -> None:
    engine, generator = remembering
    with engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent]))
        user_id = engine.identity.current_user(admin).id
        now = time.time()
        with engine.context.db.write() as con:
            for label, age, pinned in SUMMARIES:
                insert_summary(con, user_id, "clear", "en", f"Notes about the {label}.")
                con.execute(
                    "UPDATE summaries SET created_at = ?, pinned = ? "
                    "WHERE id = last_insert_rowid()",
                    (now - age * DAY, int(pinned)),
                )
        events = list(engine.answers.ask(admin, "What does the lighthouse keeper count?"))
    done = events[-1]
    assert isinstance(done, Done)
    assert done.stats.memory_notes == 3
    system = generator.rendered[-1][0]["content"]
    remembered = [label for label, _, _ in SUMMARIES if label in system]
    assert remembered == ["old-pinned-walrus", "three-days-lynx", "yesterday-badger"]
    order = [
        system.index(label)
        for label in ("old-pinned-walrus", "yesterday-badger", "three-days-lynx")
    ]
    assert order == sorted(order), "pinned first, then the newest"
