"""`konspekt eval DATASET`: retrieval quality on a BEIR-layout dataset, in figures."""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from rich.table import Table

from cli.console import console, errors
from cli.text import t
from core import EvalReport, Fusion, Settings, evaluate

COMPARED = (
    Fusion("keyword"),
    Fusion("vector"),
    Fusion("rrf"),
)


def _as_json(report: EvalReport) -> str:
    result = report.results[0]
    return json.dumps(
        {
            p.pair: {
                "ndcg@10": round(p.ndcg, 4),
                "recall@10": round(p.recall, 4),
                "mrr@10": round(p.mrr, 4),
            }
            for p in result.pairs
        },
        indent=2,
    )


def _table(report: EvalReport, lang: str) -> Table:
    """nDCG@10 of every configuration, one column per language pair."""
    pairs = [p.pair for p in report.results[0].pairs]
    table = Table(title=t("eval_title", lang, dataset=report.dataset, embedder=report.embedder))
    table.add_column(t("eval_config", lang))
    for pair in pairs:
        table.add_column(f"{pair}\nnDCG@10", justify="right")
    table.add_column(t("eval_query_ms", lang), justify="right")
    for i, result in enumerate(report.results):
        scores = result.by_pair()
        label = result.fusion.label
        if result.translated:
            label += " + " + t("eval_translated", lang)
        if i == 0:
            label += " — " + t("eval_default", lang)
        table.add_row(label, *(f"{scores[p].ndcg:.3f}" for p in pairs), f"{result.query_ms:.0f}")
    return table


def _detail(report: EvalReport, lang: str) -> Table:
    """All three metrics of the default configuration."""
    table = Table(title=t("eval_detail", lang))
    for col in ("", "nDCG@10", "Recall@10", "MRR@10", t("eval_queries", lang)):
        table.add_column(col, justify="right")
    for p in report.results[0].pairs:
        table.add_row(p.pair, f"{p.ndcg:.3f}", f"{p.recall:.3f}", f"{p.mrr:.3f}", str(p.queries))
    return table


def run(args: argparse.Namespace, lang: str) -> int:
    """Score the configured fusion (and, with --compare, the alternatives)."""
    settings = Settings.load(args.data_dir)
    store = args.store or settings.data_dir / "eval" / Path(args.dataset).name
    fusions = [settings.fusion, *(COMPARED if args.compare else ())]
    report = evaluate(
        Path(args.dataset),
        store,
        fusions,
        embedder=settings.embedder,
        chunk_tokens=settings.chunk_tokens,
        progress=None if args.json else (lambda m: errors.print(m, style="dim")),
        translations=args.translations,
        model=args.model or settings.model_path,
    )
    if args.json:
        print(_as_json(report))
        return 0
    console.print(_table(report, lang))
    console.print(_detail(report, lang))
    console.print(
        t(
            "eval_footer",
            lang,
            documents=report.documents,
            chunks=report.chunks,
            seconds=report.ingest_s,
            store=store,
        ),
        style="dim",
    )
    if report.translation_s:
        seconds = sorted(report.translation_s)
        console.print(
            t(
                "eval_translation_footer",
                lang,
                model=report.translator or "?",
                count=len(seconds),
                median=statistics.median(seconds),
                p95=seconds[int(0.95 * (len(seconds) - 1))],
            ),
            style="dim",
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `eval` to the parser."""
    p = sub.add_parser("eval", help="measure retrieval quality on a BEIR-layout dataset")
    p.add_argument("dataset", help="folder with corpus.{en,ru}.jsonl, queries.*.jsonl, qrels.tsv")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--compare", action="store_true", help="also score keyword only, vector only and RRF"
    )
    p.add_argument("--store", type=Path, help="scratch store to index into (kept for reruns)")
    p.add_argument(
        "--translations",
        type=Path,
        help="JSON file of the queries' translations (made with the answer model when missing);"
        " each configuration is then also scored with query translation",
    )
    p.add_argument("--model", type=Path, help="the GGUF answer model that translates")
    p.set_defaults(standalone=run)
