"""The ceiling of query translation: the dev set's parallel questions as translations."""

from pathlib import Path

from bench.faq_heldout import DEV
from bench.parallel_translations import parallel
from core.evaluation.dataset import load
from core.evaluation.translations import save, translate_queries


def test_each_question_is_translated_into_its_parallel_question(tmp_path: Path) -> None:
    dataset = load(DEV)
    path = tmp_path / "parallel.json"
    made = parallel(dataset)
    assert set(made.seconds) == {0.0}  # nothing was generated
    save(path, made)
    asked: list[tuple[str, str]] = []

    def model(text: str, target: str) -> str:
        asked.append((text, target))
        return ""

    found = translate_queries(dataset, path, model, lambda _: None)
    en, ru = dataset.queries["en"], dataset.queries["ru"]
    assert found.lookup(ru["q-appdefaults"], "en") == en["q-appdefaults"]
    assert found.lookup(en["q-appdefaults"], "ru") == ru["q-appdefaults"]
    # Only questions asked in one language are left to the model.
    alone = {(en[q], "ru") for q in set(en) - set(ru)} | {(ru[q], "en") for q in set(ru) - set(en)}
    assert set(asked) == alone
    assert len(alone) == abs(len(en) - len(ru)) == 6
