"""tr()/translate(): English fallback, plural choice by count, unknown keys, the real catalogues."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from cli.text import t, tn
from core import tr, translate, trn
from core.i18n import catalogue

_Entries = dict[str | tuple[str, ...], str | tuple[str, ...]]


def _compile(root: Path, lang: str, entries: _Entries) -> None:
    folder = root / "locale" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale=lang)
    for msgid, string in entries.items():
        catalog.add(msgid, string)
    with (folder / "test.mo").open("wb") as f:
        write_mo(f, catalog)


@pytest.fixture
def resources(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A resources folder with a `test` domain: Russian lacks or leaves out some entries."""
    _compile(
        tmp_path,
        "en",
        {
            "only_english": "Only in English, {name}.",
            "both": "In English.",
            ("files", "files"): ("{count} file", "{count} files"),
            ("untranslated", "untranslated"): ("{count} thing", "{count} things"),
        },
    )
    _compile(
        tmp_path,
        "ru",
        {
            "both": "По-русски.",
            ("files", "files"): ("{count} файл", "{count} файла", "{count} файлов"),
            ("untranslated", "untranslated"): ("", "", ""),
        },
    )
    monkeypatch.setenv("KONSPEKT_RESOURCES", str(tmp_path))
    catalogue.cache_clear()
    yield tmp_path
    catalogue.cache_clear()


@pytest.mark.usefixtures("resources")
def test_a_message_russian_lacks_comes_in_english() -> None:
    assert translate("test", "only_english", "ru", {"name": "Anna"}) == "Only in English, Anna."
    assert translate("test", "both", "ru", {}) == "По-русски."


@pytest.mark.usefixtures("resources")
def test_untranslated_plural_forms_come_in_english() -> None:
    assert translate("test", "untranslated", "ru", {"count": 3}) == "3 things"


@pytest.mark.usefixtures("resources")
def test_the_count_picks_the_form_even_when_stored_as_text() -> None:
    said = [translate("test", "files", "ru", {"count": n}) for n in (1, "3", "12", 101)]
    assert said == ["1 файл", "3 файла", "12 файлов", "101 файл"]


@pytest.mark.usefixtures("resources")
def test_an_unknown_language_reads_english() -> None:
    assert translate("test", "both", "de", {}) == "In English."


@pytest.mark.usefixtures("resources")
def test_an_unknown_key_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_key"):
        translate("test", "no_such_key", "ru", {})


def test_the_shipped_catalogues_answer_in_both_languages() -> None:
    assert tr("key_malformed", "en") != tr("key_malformed", "ru")
    assert "ключ" in tr("wrong_key", "ru", path="/data").lower()
    assert trn("upkeep_files", 2, "ru") == "удалено 2 неиспользуемых оригинала"
    assert tr("upkeep_files", "en", count="1") == "1 unused original removed"
    assert t("cancelled", "en") != tr("setting_unknown", "en", name="x")
    assert tn("watch_following", 5, "ru").startswith("Отслеживается 5 папок")
    assert (t("yes", "en"), t("yes", "ru")) == ("yes", "да")  # English text equal to its key
