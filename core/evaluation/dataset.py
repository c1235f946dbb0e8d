"""A BEIR-layout evaluation set with parallel corpora: corpus.{lang}.jsonl, queries, qrels."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from core.errors import KnownError


@dataclass(frozen=True, slots=True)
class Dataset:
    """Documents and queries per language, and which documents answer which query."""

    name: str
    corpus: dict[str, dict[str, str]]
    """language -> document id -> text (title and body)."""
    queries: dict[str, dict[str, str]]
    """language -> query id -> text."""
    qrels: dict[str, dict[str, int]]
    """query id -> relevant document id -> grade (the same for every language)."""

    @property
    def languages(self) -> list[str]:
        """Languages with both documents and queries."""
        return sorted(set(self.corpus) & set(self.queries))


def _jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load(folder: Path) -> Dataset:
    """Read a dataset folder; KnownError naming what is missing or malformed."""
    if not folder.is_dir():
        raise KnownError("eval_missing", path=str(folder))
    corpus, queries = {}, {}
    try:
        for path in sorted(folder.glob("corpus.*.jsonl")):
            lang = path.name.split(".")[1]
            corpus[lang] = {
                d["_id"]: "\n\n".join(x for x in (d.get("title", ""), d["text"]) if x)
                for d in _jsonl(path)
            }
        for path in sorted(folder.glob("queries.*.jsonl")):
            queries[path.name.split(".")[1]] = {q["_id"]: q["text"] for q in _jsonl(path)}
        qrels: dict[str, dict[str, int]] = {}
        with (folder / "qrels.tsv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                grade = int(row.get("score") or 1)
                if grade > 0:
                    qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = grade
    except (OSError, KeyError, ValueError) as exc:
        raise KnownError("eval_malformed", path=str(folder), detail=str(exc)) from None
    if not corpus or not queries:
        raise KnownError("eval_malformed", path=str(folder), detail="no corpus.*/queries.*")
    return Dataset(folder.name, corpus, queries, qrels)
