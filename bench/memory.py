"""Session-summary latency with the packaged small model, against the bare model call.

Baseline: the same rendered summary prompt streamed straight through the Generator
(the floor); measured: `Engine.clear_chat` + `run_pending_jobs` (queue write, transcript
read, prompt, generation, summary write) on a 10-turn conversation.
"""

from __future__ import annotations

import shutil
import statistics
import time

from bench.common import bench_session, bench_settings, scratch
from core import Engine
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
        t0 = time.perf_counter()
        summarize(generator, TURNS, "en")
        bare.append(time.perf_counter() - t0)
        chat = engine.create_chat(session)
        with engine._db.write() as con:  # bench-only: seed the turns without asking the model
            for role, text in TURNS:
                con.execute(
                    "INSERT INTO messages (chat_id, role, text, created_at) VALUES (?, ?, ?, ?)",
                    (chat.id, role, text, time.time()),
                )
        t0 = time.perf_counter()
        engine.clear_chat(session, chat.id)
        engine.run_pending_jobs()
        full.append(time.perf_counter() - t0)
    b, f = statistics.median(bare), statistics.median(full)
    print(f"Session summary, {len(TURNS)} turns, {generator.name}, 2 threads")
    print(f"  bare summarize() call  median {b * 1000:7.0f} ms")
    print(f"  clear_chat + job       median {f * 1000:7.0f} ms   ({f / b:.2f}× the bare call)")
    engine.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
