"""Session-summary latency with the packaged small model, against the bare model call.

Baseline: the same rendered summary prompt streamed straight through the Generator
(the floor); measured: `Engine.clear_chat` + `run_pending_jobs` (queue write, transcript
read, prompt, generation, summary write) on a 10-turn conversation.

Then the cost of memory in answers: the same question answered in a fresh chat with
memory off (baseline) and in a chat with those 10 turns and two earlier-session
summaries offered (measured): prompt size and time to the first token.

The KV cache is cleared before every timed baseline and measured call that starts cold,
so neither side reuses a prompt prefix the other just evaluated.
"""

from __future__ import annotations

import shutil
import statistics
import time

from bench.common import bench_session, bench_settings, scratch
from core import Done, Engine, Session, Token
from core.llm.catalog import demo_model_path
from core.llm.generator import Generator
from core.memory.summarize import summarize

TURNS = [
    ("user", "What does the delivery contract say about deadlines?"),
    ("assistant", "Deliveries are due within 30 days of the order [1]."),
    ("user", "And penalties for delay?"),
    ("assistant", "0.1 % of the order value per day of delay, at most 10 % [2]."),
    ("user", "Who signs the acceptance certificate?"),
    ("assistant", "The buyer's warehouse manager signs it on receipt [3]."),
    ("user", "Is there a warranty period?"),
    ("assistant", "Twelve months from acceptance [4]."),
    ("user", "Can we terminate early?"),
    ("assistant", "The sources do not say."),
]
RUNS = 3


def main() -> None:
    """Print summary latency figures and the ratio to the bare model call."""
    path = demo_model_path()
    assert path is not None
    generator = Generator(path, n_ctx=4096, n_threads=2)
    folder = scratch("memory")
    engine = Engine(bench_settings(folder), generator=generator)
    session = bench_session(engine)
    bare, full = [], []
    for _ in range(RUNS):
        _cold(generator)
        t0 = time.perf_counter()
        summarize(engine.context.model, TURNS, "en")
        bare.append(time.perf_counter() - t0)
        chat = engine.chats.create(session)
        with engine.context.db.write() as con:  # bench-only: seed turns without the model
            for role, text in TURNS:
                con.execute(
                    "INSERT INTO messages (chat_id, role, text, created_at) VALUES (?, ?, ?, ?)",
                    (chat.id, role, text, time.time()),
                )
        _cold(generator)  # else the job's prompt reuses the bare call's cached prefix
        t0 = time.perf_counter()
        engine.chats.clear(session, chat.id)
        engine.memory.run_pending_jobs()
        full.append(time.perf_counter() - t0)
    b, f = statistics.median(bare), statistics.median(full)
    print(f"Session summary, {len(TURNS)} turns, {generator.name}, 2 threads")
    print(f"  bare summarize() call  median {b * 1000:7.0f} ms")
    print(f"  clear_chat + job       median {f * 1000:7.0f} ms   ({f / b:.2f}× the bare call)")
    _answers_with_memory(engine, generator, session, folder)
    engine.close()
    shutil.rmtree(folder, ignore_errors=True)


def _cold(generator: Generator) -> None:
    """Forget the KV cache, so the next call evaluates its whole prompt like the other side.

    llama-cpp-python reuses the longest prefix shared with the previous call's tokens.
    """
    generator.raw.reset()


def _seed(engine: Engine, chat: int, turns: list[tuple[str, str]]) -> None:
    with engine.context.db.write() as con:  # bench-only: seed turns without asking the model
        for role, text in turns:
            con.execute(
                "INSERT INTO messages (chat_id, role, text, created_at) VALUES (?, ?, ?, ?)",
                (chat, role, text, time.time()),
            )


QUESTIONS = ("What are the penalties for a late delivery?", "Who signs the acceptance?")


def _first_token(engine: Engine, session: Session, chat: int, question: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    first, prompt = 0.0, 0
    for event in engine.answers.ask(session, question, chat=chat):
        if isinstance(event, Token) and not first:
            first = time.perf_counter() - t0
        elif isinstance(event, Done):
            prompt = event.stats.prompt_tokens
    return first, prompt


def _answers_with_memory(
    engine: Engine, generator: Generator, session: Session, folder: object
) -> None:
    from pathlib import Path

    docs = Path(str(folder)) / "docs"
    docs.mkdir()
    (docs / "contract.md").write_text(
        "# Delivery contract\n\nDeliveries are due within 30 days of the order. A late "
        "delivery costs the supplier 0.1 % of the order value per day, at most 10 %. The "
        "buyer's warehouse manager signs the acceptance certificate. The warranty runs for "
        "twelve months from acceptance.\n",
        encoding="utf-8",
    )
    list(engine.documents.ingest(session, [docs]))
    engine.settings = engine.settings.with_changes(max_answer_tokens=32)
    figures: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for _ in range(RUNS):
        for notes in (0, 2):
            engine.settings = engine.settings.with_changes(memory_notes=notes)
            chat = engine.chats.create(session).id
            if notes:
                _seed(engine, chat, TURNS)
            _cold(generator)  # a chat's first question starts cold on both sides
            for n, question in enumerate(QUESTIONS):
                figures.setdefault((notes, n), []).append(
                    _first_token(engine, session, chat, question)
                )
    print("Answers with memory (2 summaries + 10 earlier turns) vs memory off, first token")
    for n, label in enumerate(("first question of a chat", "next question, same chat")):
        p = statistics.median(t for t, _ in figures[0, n])
        m = statistics.median(t for t, _ in figures[2, n])
        print(
            f"  {label}: memory off {p * 1000:6.0f} ms ({figures[0, n][0][1]} prompt tokens), "
            f"with memory {m * 1000:6.0f} ms ({figures[2, n][0][1]} tokens) = {m / p:.2f}x"
        )
