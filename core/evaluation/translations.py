"""Translations of an evaluation set's queries, made once and kept in a JSON file.

Generation is the slow part of measuring query translation (seconds per query on a CPU),
so each query's translation into every other language is made once, by the product's own
translator, and written to the file with the seconds it took; reruns read it back. The
file never goes into the repository: it names the model that made it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import KnownError
from core.evaluation.dataset import Dataset


@dataclass(slots=True)
class Translations:
    """target language -> query -> translation, and how long each one took."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    model: str = ""

    def lookup(self, query: str, target: str) -> str | None:
        """A `Translate` over the file: the stored translation, or None."""
        return self.texts.get(target, {}).get(query.strip()) or None

    @property
    def seconds(self) -> tuple[float, ...]:
        """Every translation's generation time."""
        return tuple(t for per in self.timings.values() for t in per.values())


def _read(path: Path) -> Translations:
    if not path.exists():
        return Translations()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Translations(
            {k: dict(v) for k, v in raw["texts"].items()},
            {k: {q: float(s) for q, s in v.items()} for k, v in raw["seconds"].items()},
            str(raw.get("model", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KnownError("eval_translations_malformed", path=str(path), detail=str(exc)) from None


def save(path: Path, found: Translations) -> None:
    """Write `found` to `path` (in full, replacing the file only once written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"model": found.model, "texts": found.texts, "seconds": found.timings}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


def translate_queries(
    dataset: Dataset,
    path: Path,
    translate: Callable[[str, str], str | None],
    say: Callable[[str], None],
    model: str = "",
) -> Translations:
    """Every query in every other language, from `path`, the missing ones made now.

    The file is written after each new translation, so a stopped run keeps its work. A
    query the model could not translate is stored as '' (searched without translation).
    """
    found = _read(path)
    found.model = found.model or model
    for source in dataset.languages:
        for target in dataset.languages:
            if target == source:
                continue
            texts = found.texts.setdefault(target, {})
            timings = found.timings.setdefault(target, {})
            todo = [q.strip() for q in dataset.queries[source].values() if q.strip() not in texts]
            for n, query in enumerate(todo, start=1):
                started = time.perf_counter()
                texts[query] = translate(query, target) or ""
                timings[query] = time.perf_counter() - started
                save(path, found)
                say(f"translated {n}/{len(todo)} into {target}: {texts[query]}")
    return found
