"""The held-out question set: FAQ questions the dev set never asks, over the same corpus."""

from pathlib import Path

from bench.faq_heldout import DEV, write
from core.evaluation.dataset import load


def test_held_out_questions_are_new_answerable_and_in_their_own_language(tmp_path: Path) -> None:
    counts = write(tmp_path)
    held_out, dev = load(tmp_path), load(DEV)
    assert counts == {"en": 54, "ru": 45}
    assert held_out.corpus == dev.corpus
    for lang in ("en", "ru"):
        asked = set(held_out.queries[lang])
        assert not asked & (set(dev.queries["en"]) | set(dev.queries["ru"]))
        for qid, text in held_out.queries[lang].items():
            assert text.endswith("?")
            assert held_out.qrels[qid] == {qid.removeprefix("q-"): 1}
            assert qid.removeprefix("q-") in dev.corpus[lang]
            cyrillic = any("а" <= c.lower() <= "я" or c.lower() == "ё" for c in text)
            assert cyrillic == (lang == "ru"), text
    assert held_out.queries["en"]["q-cdrom"] == "How do I install Debian from CD-ROMs?"
    assert held_out.queries["ru"]["q-cdrom"] == "Как установить Debian с компакт-дисков?"
    assert "q-altboot" not in held_out.queries["ru"]  # its Russian heading is English
