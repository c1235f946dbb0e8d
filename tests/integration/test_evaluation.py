"""The evaluation harness runs a BEIR-layout dataset through the real pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core import Fusion, KnownError, evaluate
from tests.conftest import REPO

DOCS = {
    "boiler": (
        "The boiler room key hangs by the north door of the basement.",
        "Ключ от котельной висит у северной двери подвала.",
    ),
    "canteen": (
        "The canteen serves borscht on Mondays and pancakes on Fridays.",
        "В столовой по понедельникам борщ, а по пятницам блины.",
    ),
    "parking": (
        "Visitors park on level two of the garage after signing in.",
        "Гости паркуются на втором уровне гаража после регистрации.",
    ),
    "badge": (
        "Lost badges are replaced by security within one working day.",
        "Потерянный пропуск служба безопасности заменяет за один рабочий день.",
    ),
}
QUERIES = {
    "q-boiler": ("Where is the key to the boiler room?", "Где ключ от котельной?", "boiler"),
    "q-canteen": ("What food does the canteen serve?", "Чем кормят в столовой?", "canteen"),
    "q-badge": ("I lost my badge, what now?", "Я потерял пропуск, что делать?", "badge"),
}


def make_dataset(folder: Path) -> Path:
    folder.mkdir()
    for i, lang in enumerate(("en", "ru")):
        with (folder / f"corpus.{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for doc_id, texts in DOCS.items():
                fh.write(json.dumps({"_id": doc_id, "title": "", "text": texts[i]}) + "\n")
        with (folder / f"queries.{lang}.jsonl").open("w", encoding="utf-8") as fh:
            for qid, q in QUERIES.items():
                fh.write(json.dumps({"_id": qid, "text": q[i]}, ensure_ascii=False) + "\n")
    rows = ["query-id\tcorpus-id\tscore"] + [f"{q}\t{v[2]}\t1" for q, v in QUERIES.items()]
    (folder / "qrels.tsv").write_text("\n".join(rows) + "\n")
    return folder


def test_every_language_pair_is_scored(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    report = evaluate(dataset, tmp_path / "store", [Fusion(), Fusion("keyword")], threads=1)
    assert report.documents == 8
    default, keyword = (r.by_pair() for r in report.results)
    assert set(default) == {"en->en", "en->ru", "ru->en", "ru->ru"}
    assert all(p.queries == 3 for p in default.values())
    assert default["en->en"].ndcg > 0.8  # easy questions: the real pipeline finds them
    assert default["ru->en"].ndcg > 0.5  # across languages too (the multilingual embedder)
    assert keyword["ru->en"].ndcg < default["ru->en"].ndcg  # words alone cannot cross
    again = evaluate(dataset, tmp_path / "store", [Fusion()], threads=1)
    assert again.results[0].by_pair() == default  # the store is reused, results stable


def test_a_moved_store_counts_each_document_once(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    first = evaluate(dataset, tmp_path / "store", [Fusion()], threads=1)
    (tmp_path / "store").rename(tmp_path / "moved")  # its corpus files move with it
    moved = evaluate(dataset, tmp_path / "moved", [Fusion()], threads=1)
    assert moved.chunks == first.chunks == 8
    assert moved.results[0].by_pair() == first.results[0].by_pair()


def test_cli_prints_json_keyed_by_pair(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "--data-dir",
            str(tmp_path / "data"),
            "eval",
            str(dataset),
            "--json",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert set(figures) == {"en->en", "en->ru", "ru->en", "ru->ru"}
    assert set(figures["ru->en"]) == {"ndcg@10", "recall@10", "mrr@10"}


def test_a_broken_dataset_is_explained(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    with pytest.raises(KnownError, match="BEIR"):
        evaluate(tmp_path / "broken", tmp_path / "store", [Fusion()])


def test_each_recipe_is_also_scored_with_the_cached_translations(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    english = {ru: en for en, ru, _ in QUERIES.values()}
    cached = {
        "model": "by hand",
        "texts": {"en": english, "ru": {en: ru for ru, en in english.items()}},
        "seconds": {"en": dict.fromkeys(english, 1.5), "ru": dict.fromkeys(english.values(), 2.5)},
    }
    path = tmp_path / "translations.json"
    path.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    report = evaluate(
        dataset, tmp_path / "store", [Fusion(), Fusion("vector")], threads=1, translations=path
    )
    assert [(r.fusion.method, r.translated) for r in report.results] == [
        ("weighted", False),
        ("vector", False),
        ("weighted", True),
    ]
    plain, translated = report.results[0].by_pair(), report.results[2].by_pair()
    assert translated["ru->en"].ndcg >= plain["ru->en"].ndcg
    assert translated["en->en"] == plain["en->en"]  # same language: never translated
    assert sorted(report.translation_s) == [1.5] * 3 + [2.5] * 3
    assert json.loads(path.read_text(encoding="utf-8")) == cached  # nothing was missing


def test_missing_translations_are_made_by_the_model_and_kept(
    tmp_path: Path, tiny_model: Path
) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    path = tmp_path / "out" / "translations.json"
    report = evaluate(
        dataset, tmp_path / "store", [Fusion()], threads=1, translations=path, model=tiny_model
    )
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert set(kept["texts"]["en"]) == {ru for _, ru, _ in QUERIES.values()}
    assert set(kept["texts"]["ru"]) == {en for en, _, _ in QUERIES.values()}
    assert len(report.translation_s) == 6
    assert report.translator == tiny_model.name
    assert [r.translated for r in report.results] == [False, True]


def test_a_broken_translations_file_is_named(tmp_path: Path) -> None:
    dataset = make_dataset(tmp_path / "tiny")
    path = tmp_path / "translations.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(KnownError) as err:
        evaluate(dataset, tmp_path / "store", [Fusion()], threads=1, translations=path)
    assert err.value.key == "eval_translations_malformed"
    assert str(path) in str(err.value)
