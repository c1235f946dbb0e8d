"""Answer overhead: Engine.ask against bare llama-cpp-python on the identical prompt.

Same loaded model, same prompt tokens, greedy decoding, KV cache cleared before every
run. Baselines: a minimal generate() loop (the floor) and streaming create_completion
(what a straightforward integration would call).
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Iterator

from bench.common import bench_session, bench_settings, default_embedder, scratch
from core import Done, Engine, Token
from core.llm.generator import Generator
from core.llm.prompts import build_prompt
from core.search.language import detect_language
from core.settings import free_cores

QUESTION = "What tools does Debian provide to manage packages?"
MAX_TOKENS = 96
RUNS = 3


def _timed(pieces: Iterator[object]) -> tuple[float, float, int]:
    """(TTFT ms, tokens/s after the first, count) of a stream started just now."""
    t0 = time.perf_counter()
    first = 0.0
    n = 0
    for _ in pieces:
        n += 1
        if n == 1:
            first = time.perf_counter()
    end = time.perf_counter()
    return (first - t0) * 1000, (n - 1) / (end - first), n


def _bare_generate(gen: Generator, tokens: list[int]) -> Iterator[bytes]:
    """The minimal loop over llama-cpp-python's generate(): the floor for any wrapper."""
    llm = gen.raw
    llm.reset()
    gen_tokens = llm.generate(
        tokens, temp=0.0, top_k=40, top_p=1.0, min_p=0.05, repeat_penalty=1.0, reset=True
    )
    for n, token in enumerate(gen_tokens, start=1):
        if gen._is_end(token):
            break
        yield llm.detokenize([token])
        if n >= MAX_TOKENS:
            break


def _bare_completion(gen: Generator, tokens: list[int]) -> Iterator[object]:
    """What a straightforward integration calls: streaming create_completion()."""
    gen.raw.reset()
    yield from gen.raw.create_completion(
        tokens, max_tokens=MAX_TOKENS, temperature=0.0, stream=True
    )


def main() -> None:
    """Print TTFT and tokens/s for the three paths and the ratios."""
    from bench.common import CORPUS

    folder = scratch("answer")
    docs = folder / "docs"
    docs.mkdir()
    for name in ("pkgtools.en.html", "pkg-basics.en.html"):
        shutil.copy(CORPUS / "debian-faq" / "en" / name, docs)
    settings = bench_settings(
        folder, max_answer_tokens=MAX_TOKENS, temperature=0.0, repeat_penalty=1.0
    )
    with Engine(settings, embedder=default_embedder(free_cores())) as engine:
        who = bench_session(engine)
        list(engine.documents.ingest(who, [docs]))
        gen = engine.system.load_model()
        hits = engine.answers.search(who, QUESTION, limit=settings.sources * 2)
        floor = engine.context.index.open().embedder.relevance_floor
        hits = [h for h in hits if h.vector_score >= floor or h.keyword_rank > 0]
        grounded = build_prompt(
            QUESTION,
            hits[: settings.sources],
            detect_language(QUESTION),
            gen.n_ctx - MAX_TOKENS,
            gen.count_tokens,
        )
        prompt = list(gen.render(grounded.messages).tokens)
        print(
            f"\n== answer overhead ({gen.name}, {len(prompt)} prompt tokens, "
            f"{MAX_TOKENS} new tokens max, {RUNS} runs each) =="
        )
        rows: dict[str, list[tuple[float, float, int]]] = {
            "ask": [],
            "generate": [],
            "completion": [],
        }
        retrieval: dict[str, list[float]] = {"ask": [], "search": []}
        for _ in range(RUNS):
            t0 = time.perf_counter()
            engine.answers.search(who, QUESTION, limit=settings.sources * 2)
            retrieval["search"].append((time.perf_counter() - t0) * 1000)
            gen.raw.reset()
            done = [e for e in engine.answers.ask(who, QUESTION) if isinstance(e, Done | Token)][-1]
            assert isinstance(done, Done)
            st = done.stats
            retrieval["ask"].append(st.retrieval_ms)
            rows["ask"].append(
                (st.first_token_ms - st.retrieval_ms, st.tokens_per_s, st.completion_tokens)
            )
            rows["generate"].append(_timed(_bare_generate(gen, prompt)))
            rows["completion"].append(_timed(_bare_completion(gen, prompt)))
    med = {
        k: (
            statistics.median(r[0] for r in v),
            statistics.median(r[1] for r in v),
            statistics.median(r[2] for r in v),
        )
        for k, v in rows.items()
    }
    labels = {
        "ask": "Engine.ask (after retrieval)",
        "generate": "bare generate() loop",
        "completion": "bare create_completion(stream)",
    }
    for key, (ttft, tps, n) in med.items():
        print(f"  {labels[key]:32s} TTFT {ttft:7.1f} ms   {tps:6.1f} tokens/s   ({n} tokens)")
    base_tps = med["generate"][1]
    print(
        f"  Engine.ask tokens/s vs bare generate(): {med['ask'][1] / base_tps:.3f}x "
        f"(loss {100 * (1 - med['ask'][1] / base_tps):.1f} %), TTFT ratio "
        f"{med['ask'][0] / med['generate'][0]:.2f}x"
    )
    print(
        f"  Engine.ask tokens/s vs create_completion(stream): "
        f"{med['ask'][1] / med['completion'][1]:.2f}x"
    )
    ask_ms, search_ms = (statistics.median(v) for v in retrieval.values())
    print(
        f"  retrieval in Engine.ask {ask_ms:6.1f} ms vs one search() {search_ms:6.1f} ms "
        f"({ask_ms / search_ms:.2f}x: access, memory and the relevance policy)"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
