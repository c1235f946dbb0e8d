"""The gettext catalogues: complete, used, consistent between languages, compiled, plural-right.

The keys in use come from the same Babel extraction `make messages` runs (the mapping
files resources/locale/<domain>.cfg), so a key the code names and the catalogue lacks,
or an entry nothing names, fails here as an unfinished .ts entry fails the Qt test.
"""

from __future__ import annotations

import functools
import inspect
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import core.errors
from core import translate
from core.resources import APP_ROOT, locale_dir

DOMAINS = {"core": ("tr", (".",)), "cli": ("t", ("cli",)), "server": ("t", ("server",))}
"""Each domain's main keyword and the folders `make messages` extracts it from."""
RUSSIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
RUSSIAN_FORMS = {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 25: 2, 111: 2, 104: 1}
"""n -> which of Russian's three forms it takes (one, few, many)."""


def catalogue(lang: str, domain: str) -> Catalog:
    """One language's .po file of `domain`."""
    with (locale_dir() / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def entries(catalog: Catalog) -> Iterator[Message]:
    """The messages of a catalogue, without its header."""
    return (m for m in catalog if m.id)


def key(message: Message) -> str:
    """The key of a (possibly plural) message."""
    return message.id[0] if isinstance(message.id, (list, tuple)) else str(message.id)


def forms(message: Message) -> tuple[str, ...]:
    """The message's text, one string per plural form."""
    strings = message.string
    return tuple(strings) if isinstance(strings, (list, tuple)) else (str(strings),)


@functools.cache
def used_keys(domain: str) -> dict[str, bool]:
    """Every key the code names for `domain`, and whether it is named as a plural."""
    keyword, folders = DOMAINS[domain]
    with (locale_dir() / f"{domain}.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)  # type: ignore[no-untyped-call]
    used: dict[str, bool] = {}
    for folder in folders:
        found = extract_from_dir(
            APP_ROOT / folder, method_map, options_map, keywords={keyword: None}
        )
        for _file, _line, msgid, _comments, _context in found:
            name = msgid[0] if isinstance(msgid, (list, tuple)) else msgid
            used[name] = used.get(name, False) or isinstance(msgid, (list, tuple))
    return used


def placeholders(text: str) -> set[str]:
    """The str.format fields of `text` (with their format spec)."""
    return {f"{name}:{spec}" for _lit, name, spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_message_is_translated_and_reviewed(lang: str, domain: str) -> None:
    unfinished = [key(m) for m in entries(catalogue(lang, domain)) if m.fuzzy or not all(forms(m))]
    assert not unfinished, (
        f"empty or fuzzy in {lang}/{domain}.po (translate, then `make messages`): {unfinished}"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_both_languages_have_the_same_messages_with_the_same_placeholders(domain: str) -> None:
    english = {key(m): m for m in entries(catalogue("en", domain))}
    russian = {key(m): m for m in entries(catalogue("ru", domain))}
    assert english.keys() == russian.keys()
    differing = [
        k
        for k, m in english.items()
        if {frozenset(placeholders(f)) for f in forms(m) + forms(russian[k])}
        != {frozenset(placeholders(forms(m)[-1]))}
    ]
    assert not differing, f"placeholders differ between the forms or languages: {differing}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_key_the_code_names_is_in_the_catalogue(domain: str) -> None:
    known = {key(m): m.pluralizable for m in entries(catalogue("en", domain))}
    missing = sorted(set(used_keys(domain)) - known.keys())
    assert not missing, f"named in the code, missing from en/{domain}.po: {missing}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_in_the_catalogue_is_used(domain: str) -> None:
    unused = sorted({key(m) for m in entries(catalogue("en", domain))} - set(used_keys(domain)))
    assert not unused, (
        f"in en/{domain}.po but named nowhere (built keys need N_() where they are chosen): "
        f"{unused}"
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("domain", DOMAINS)
def test_no_message_was_set_aside_as_obsolete(lang: str, domain: str) -> None:
    """No entry is set aside (#~) by `make messages`, which does so to keys it cannot find.

    A key built at run time or called inside an f-string is one: it would fail at run time.
    """
    obsolete = sorted(catalogue(lang, domain).obsolete)
    assert not obsolete, (
        f"set aside in {lang}/{domain}.po: {obsolete}; mark the key with N_() where the code "
        "chooses it (or call tr()/t() outside f-strings), or delete the entry"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_plural_messages_are_named_as_plurals_and_have_every_form(domain: str) -> None:
    used = used_keys(domain)
    for lang, count in (("en", 2), ("ru", 3)):
        for m in entries(catalogue(lang, domain)):
            assert m.pluralizable == used.get(key(m), m.pluralizable), key(m)
            assert len(forms(m)) == (count if m.pluralizable else 1), (lang, key(m))


def test_russian_declares_its_three_plural_forms() -> None:
    for domain in DOMAINS:
        assert catalogue("ru", domain).plural_forms == RUSSIAN_PLURALS


def texts(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """What a catalogue gives at run time: its finished entries' forms.

    Untranslated entries compile to their key or are left out, by Babel and msgfmt alike.
    """
    return {
        key(m): forms(m)
        for m in entries(catalog)
        if all(forms(m)) and not m.fuzzy and set(forms(m)) != {key(m)}
    }


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_compiled_catalogue_matches_its_po(lang: str, domain: str) -> None:
    mo = locale_dir() / lang / "LC_MESSAGES" / f"{domain}.mo"
    with mo.open("rb") as f:
        compiled = read_mo(f)
    assert texts(compiled) == texts(catalogue(lang, domain)), f"{mo} is stale: make messages"
    assert compiled.plural_forms == catalogue(lang, domain).plural_forms


@pytest.mark.parametrize("domain", ["core", "cli"])  # the server has no counted message
def test_russian_plural_forms_follow_the_count(domain: str) -> None:
    plural = [m for m in entries(catalogue("ru", domain)) if m.pluralizable]
    assert plural
    for m in plural:
        fields = {p.split(":")[0]: 7 for p in placeholders(forms(m)[0]) if p != "count:"}
        for n, form in RUSSIAN_FORMS.items():
            expected = forms(m)[form].format(**fields, count=n)
            assert translate(domain, key(m), "ru", {**fields, "count": n}) == expected, (key(m), n)


def test_documents_are_counted_in_good_russian() -> None:
    said = [translate("cli", "documents", "ru", {"count": n}) for n in (1, 2, 5, 11, 21, 22, 25)]
    assert said == [
        "1 документ",
        "2 документа",
        "5 документов",
        "11 документов",
        "21 документ",
        "22 документа",
        "25 документов",
    ]


def test_every_error_class_taking_a_key_is_an_extraction_keyword() -> None:
    keywords = (locale_dir() / "core.cfg").read_text(encoding="utf-8").split()
    for name, cls in vars(core.errors).items():
        if inspect.isclass(cls) and issubclass(cls, core.errors.KnownError):
            takes_key = cls.__init__ is core.errors.KnownError.__init__
            assert (name in keywords) == takes_key, f"{name}: fix resources/locale/core.cfg"


def test_the_catalogues_are_read_from_the_resources_folder_when_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KONSPEKT_RESOURCES", raising=False)
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert locale_dir() == tmp_path / "resources" / "locale"
