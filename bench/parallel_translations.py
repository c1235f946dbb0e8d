"""The ceiling of query translation: each question "translated" into its parallel question.

The dev set asks most questions in both languages under one id (the FAQ's own English
heading and its Russian translation). Taking the other language's question as the
translation gives what a perfect translator would, so scoring with it separates what
the retrieval recipe loses from what the translating model loses:

    python -m bench.parallel_translations DATASET OUT.json
    konspekt eval DATASET --store … --translations OUT.json

A question with no parallel question is left out of the file (the harness would make
its translation with the answer model; `--model` names none here, so it is searched
untranslated). The file records its timings as 0 s: nothing was generated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.evaluation.dataset import Dataset, load
from core.evaluation.translations import Translations, save

MODEL = "parallel questions (no model)"


def parallel(dataset: Dataset) -> Translations:
    """Each question under its parallel question: target language -> question -> twin."""
    found = Translations(model=MODEL)
    for source in dataset.languages:
        for target in dataset.languages:
            if target == source:
                continue
            texts = found.texts.setdefault(target, {})
            for qid, text in dataset.queries[source].items():
                other = dataset.queries[target].get(qid, "").strip()
                if other and text.strip():
                    texts[text.strip()] = other
            found.timings[target] = dict.fromkeys(texts, 0.0)
    return found


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.parallel_translations DATASET OUT.json")
    found = parallel(load(Path(sys.argv[1])))
    save(Path(sys.argv[2]), found)
    print({target: len(texts) for target, texts in found.texts.items()})


if __name__ == "__main__":
    main()
