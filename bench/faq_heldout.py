"""A held-out question set for the dev set's corpus: the FAQ's other questions.

`debian-faq-dev` asks 65 English and 59 Russian FAQ questions of 145 aligned answer
sections. The FAQ has a question heading for most of the remaining sections too, in
both languages; those headings, never used to tune anything, make a second query set
over the same corpus. Retrieval recipes chosen on the dev set are confirmed here.

    python -m bench.faq_heldout OUT      # then: konspekt eval OUT --store …

Only headings that end in a question mark are taken ("8.1.1. dpkg" is a title, not a
question), and Russian ones only when translated (a few of the Russian FAQ's headings
are still English), per language, as in the dev set; so a section may be asked in one
language only.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

from bench.common import CORPUS
from core.evaluation.dataset import load

DEV = CORPUS / "eval" / "debian-faq-dev"
FAQ = CORPUS / "debian-faq"
_HEADING = re.compile(
    r'<h[2-5] class="title"><a id="([^"]+)"></a>(.*?)</h[2-5]>', re.DOTALL | re.IGNORECASE
)
_NUMBER = re.compile(r"^\s*[\d.]+\s*")
_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def headings(language: str) -> dict[str, str]:
    """Section id -> heading text (numbering and markup removed) of one FAQ language."""
    found: dict[str, str] = {}
    for page in sorted((FAQ / language).glob(f"*.{language}.html")):
        for anchor, raw in _HEADING.findall(page.read_text(encoding="utf-8")):
            text = html.unescape(re.sub(r"<[^>]+>", "", raw))
            found[anchor] = _NUMBER.sub("", " ".join(text.split()))
    return found


def questions() -> dict[str, dict[str, str]]:
    """Language -> query id -> question, for the sections the dev set does not ask about."""
    dev = load(DEV)
    answers = set(dev.corpus["en"]) & set(dev.corpus["ru"])
    asked = set(dev.queries["en"]) | set(dev.queries["ru"])
    result: dict[str, dict[str, str]] = {}
    for lang in ("en", "ru"):
        result[lang] = {
            f"q-{section}": text
            for section, text in sorted(headings(lang).items())
            if section in answers
            and f"q-{section}" not in asked
            and text.endswith("?")
            and bool(_CYRILLIC.search(text)) == (lang == "ru")
        }
    return result


def write(folder: Path) -> dict[str, int]:
    """The dataset in BEIR layout: the dev set's corpus, the held-out questions, their qrels."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ru"):
        shutil.copyfile(DEV / f"corpus.{lang}.jsonl", folder / f"corpus.{lang}.jsonl")
    asked = questions()
    for lang, queries in asked.items():
        with (folder / f"queries.{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for qid, text in queries.items():
                fh.write(json.dumps({"_id": qid, "text": text}, ensure_ascii=False) + "\n")
    qids = sorted(set(asked["en"]) | set(asked["ru"]))
    with (folder / "qrels.tsv").open("w", encoding="utf-8") as fh:
        fh.write("query-id\tcorpus-id\tscore\n")
        fh.writelines(f"{qid}\t{qid.removeprefix('q-')}\t1\n" for qid in qids)
    return {lang: len(queries) for lang, queries in asked.items()}


def main() -> None:
    """Write the held-out set into the folder named on the command line."""
    if len(sys.argv) != 2:
        sys.exit("usage: python -m bench.faq_heldout OUT")
    counts = write(Path(sys.argv[1]))
    print(f"held-out questions: {counts['en']} English, {counts['ru']} Russian -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
