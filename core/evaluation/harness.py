"""Score retrieval on a BEIR-layout dataset through the real pipeline.

Each corpus language is written out as one text file per document and ingested into
its own knowledge base of a scratch store (parse, chunk, embed, keyword postings,
LanceDB — the same code a user's files go through). Every query language is then run
against every corpus language; documents are ranked by their best chunk.

Query translation (`core.services.translation`) is measured from a translations file:
each query's translation into the other language, made once by the configured answer
model through the product's own translator and kept in the file with the seconds it took,
so reruns (and other recipes) cost no generation. Each recipe is then scored without and
with translation.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.engine import Engine
from core.evaluation import metrics
from core.evaluation.dataset import Dataset, load
from core.evaluation.translations import Translations, translate_queries
from core.identity import Session
from core.search.retriever import Translate, no_translation
from core.settings import Fusion, Settings

CUTOFF = 10
CHUNK_DEPTH = 40
"""Chunks retrieved per query before ranking documents by their best chunk."""
_USER, _PASSWORD = "evaluation", "evaluation only"


@dataclass(frozen=True, slots=True)
class PairScore:
    """Mean metrics at 10 of one query language against one corpus language."""

    pair: str
    ndcg: float
    recall: float
    mrr: float
    queries: int


@dataclass(frozen=True, slots=True)
class EvalResult:
    """The scores of one fusion recipe over every language pair."""

    fusion: Fusion
    pairs: tuple[PairScore, ...]
    query_ms: float
    """Median time of one search, including embedding the query."""
    translated: bool = False
    """Whether queries were also searched as their translation (cached, not timed here)."""

    def by_pair(self) -> dict[str, PairScore]:
        """Scores keyed 'en->en', 'ru->en', …."""
        return {p.pair: p for p in self.pairs}


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Everything `konspekt eval` prints."""

    dataset: str
    embedder: str
    documents: int
    chunks: int
    ingest_s: float
    results: tuple[EvalResult, ...]
    translation_s: tuple[float, ...] = ()
    """Seconds each translation took to make (empty without translations)."""
    translator: str = ""
    """The model file that made the translations."""


def _file_name(index: int, doc_id: str) -> str:
    return f"{index:05d}-{re.sub(r'[^A-Za-z0-9_.-]', '_', doc_id)[:80]}.txt"


def _write_corpus(dataset: Dataset, folder: Path) -> dict[str, str]:
    """One UTF-8 text file per document and language; returns file name -> document id."""
    names: dict[str, str] = {}
    for lang, docs in dataset.corpus.items():
        target = folder / lang
        target.mkdir(parents=True, exist_ok=True)
        for i, (doc_id, text) in enumerate(sorted(docs.items())):
            name = _file_name(i, doc_id)
            names[name] = doc_id
            path = target / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
    return names


def evaluate(
    folder: Path,
    store: Path,
    fusions: Sequence[Fusion],
    *,
    embedder: str = "e5-small",
    chunk_tokens: int = 300,
    threads: int = 0,
    progress: Callable[[str], None] | None = None,
    translations: Path | None = None,
    model: Path | None = None,
) -> EvalReport:
    """Ingest `folder`'s corpora into the scratch store `store` and score each fusion.

    The harness drives a whole engine of its own, never the user's store.

    The store is reused between runs (unchanged documents are skipped), so comparing
    recipes costs only the queries after the first run. The corpus files go beside the
    scratch engine's data folder, not inside it: ingest refuses an engine's own data.

    With `translations` (a JSON file, created or completed with the answer model `model`
    or the configured one), each recipe is also scored with query translation.
    """
    dataset = load(folder)
    settings = Settings.load(
        store / "index",
        key_store="file",
        password_hash_ms=50,
        embedder=embedder,
        chunk_tokens=chunk_tokens,
        embed_threads=threads,
        model_path=model,
        n_ctx=512,
        n_threads=threads or 2,
    )
    say = progress or (lambda _: None)
    with Engine(settings) as engine:
        session = _session(engine)
        names = _write_corpus(dataset, store / "corpus")
        started = time.perf_counter()
        for lang in dataset.languages:
            _drop_strays(engine, session, f"eval-{lang}", store / "corpus" / lang, names)
            say(f"indexing {lang} corpus")
            for _ in engine.documents.ingest(session, [store / "corpus" / lang], kb=f"eval-{lang}"):
                pass
        ingest_s = time.perf_counter() - started
        cached: Translations | None = None
        if translations is not None:
            say("translating queries")
            cached = translate_queries(
                dataset,
                translations,
                lambda text, target: engine.answers.translate(session, text, target),
                say,
                model.name if model is not None else "",
            )
        results = tuple(
            _score(engine, session, dataset, names, fusion, say, None) for fusion in fusions
        )
        if cached is not None:
            results += tuple(
                _score(engine, session, dataset, names, fusion, say, cached.lookup)
                for fusion in fusions
                if fusion.method not in ("keyword", "vector")
            )
        chunks = engine.system.status(session).chunks
    return EvalReport(
        dataset.name,
        embedder,
        sum(len(d) for d in dataset.corpus.values()),
        chunks,
        ingest_s,
        results,
        cached.seconds if cached is not None else (),
        cached.model if cached is not None else "",
    )


def _drop_strays(
    engine: Engine, session: Session, kb: str, folder: Path, names: dict[str, str]
) -> None:
    """Remove the KB's documents that are not this corpus's files in `folder`.

    A store moved or copied elsewhere (its corpus with it) would otherwise keep the old
    paths' documents beside the new ones, and every chunk would count twice; a document
    the dataset no longer has would still be found.
    """
    if kb not in {k.name for k in engine.kbs.visible(session)}:
        return
    here = folder.resolve()
    for document in engine.documents.all(session, kb=kb):
        source = Path(document.source)
        if source.parent.resolve() != here or source.name not in names:
            engine.documents.delete(session, document.id)


def _session(engine: Engine) -> Session:
    if engine.identity.needs_setup():
        return engine.identity.setup(_USER, _PASSWORD).session
    return engine.identity.login(_USER, _PASSWORD)


def _score(
    engine: Engine,
    session: Session,
    dataset: Dataset,
    names: dict[str, str],
    fusion: Fusion,
    say: Callable[[str], None],
    translate: Translate | None,
) -> EvalResult:
    say(f"scoring {fusion.label}" + (" with translation" if translate else ""))
    pairs, timings = [], []
    for query_lang in dataset.languages:
        for doc_lang in dataset.languages:
            rows = []
            for query_id, text in dataset.queries[query_lang].items():
                relevant = dataset.qrels.get(query_id)
                if not relevant:
                    continue
                t0 = time.perf_counter()
                hits = engine.answers.search(
                    session,
                    text,
                    kb=f"eval-{doc_lang}",
                    limit=CHUNK_DEPTH,
                    fusion=fusion,
                    translate=translate or no_translation,
                )
                timings.append((time.perf_counter() - t0) * 1000)
                ranked = list(dict.fromkeys(names.get(h.document, h.document) for h in hits))
                rows.append(
                    (
                        metrics.ndcg(ranked, relevant, CUTOFF),
                        metrics.recall(ranked, relevant, CUTOFF),
                        metrics.mrr(ranked, relevant, CUTOFF),
                    )
                )
            if rows:
                ndcg, rec, rr = (statistics.fmean(r[i] for r in rows) for i in range(3))
                pairs.append(PairScore(f"{query_lang}->{doc_lang}", ndcg, rec, rr, len(rows)))
    median = statistics.median(timings) if timings else 0.0
    return EvalResult(fusion, tuple(pairs), median, translate is not None)
