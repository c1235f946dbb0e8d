"""Give translators each key's English and flag Russian whose English changed (make messages).

The catalogues use message keys as msgids (core/i18n/__init__.py says why), so a tool
such as Poedit would show a translator only `wrong_key`. This step, run between
`pybabel extract` and `pybabel update`, copies each key's English from en/<domain>.po
into the template as an extracted comment ("#. en: ..."), which `pybabel update` carries
into every language: Poedit and Lokalize show it as the note for translators. A Russian
entry whose note no longer matches the English is marked fuzzy, so an English rewording
comes back to the translator (and the catalogue test fails until it is reviewed).
While the keys stay the same the template keeps its creation date, so a run that changes
nothing leaves every file as it was.

Usage: python packaging/messages.py [DOMAIN...]   (default: core cli server)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "resources" / "locale"
TRANSLATIONS = ("ru",)
WIDTH = 100


def notes(message: Message | None) -> list[str]:
    """The English of an en.po entry as extracted-comment lines (plural forms joined by |)."""
    if message is None or not message.string:
        return []
    string = message.string
    text = " | ".join(string) if isinstance(string, (list, tuple)) else string
    return [f"en: {line}" for line in text.splitlines()]


def _words(lines: list[str]) -> list[str]:
    """A note's words: write_po wraps long comments into several lines."""
    return " ".join(lines).split()


def load(path: Path, lang: str | None = None) -> Catalog:
    """Read one .po/.pot file."""
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def save(path: Path, catalog: Catalog) -> None:
    """Write one .po/.pot file the way pybabel does, 100 columns wide."""
    with path.open("wb") as f:
        write_po(f, catalog, width=WIDTH)


def annotate(domain: str) -> int:
    """Note the English in the template; flag changed Russian fuzzy; return how many."""
    english = load(LOCALE / "en" / "LC_MESSAGES" / f"{domain}.po", "en")
    template = load(LOCALE / f"{domain}.pot")
    if {m.id for m in template if m.id} == {m.id for m in english if m.id}:
        template.creation_date = english.creation_date  # same keys: no churn in the files
    for message in template:
        if message.id:
            message.auto_comments = notes(english.get(message.id))
    save(LOCALE / f"{domain}.pot", template)
    flagged = 0
    for lang in TRANSLATIONS:
        path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
        catalog = load(path, lang)
        for message in catalog:
            now = notes(english.get(message.id)) if message.id else []
            if (
                message.id
                and message.string
                and now
                and _words(message.auto_comments) != _words(now)
            ):
                message.flags.add("fuzzy")  # its English was reworded: review the translation
                flagged += 1
        save(path, catalog)
    return flagged


def main() -> None:
    """Annotate the named domains."""
    for domain in sys.argv[1:] or ["core", "cli", "server"]:
        flagged = annotate(domain)
        if flagged:
            print(f"{domain}: {flagged} translations marked fuzzy (their English changed)")


if __name__ == "__main__":
    main()
