"""User-facing messages in English and Russian, read from the compiled gettext catalogues.

Code names a message by a stable key (`tr("wrong_key", lang, path=...)`); the catalogues
in resources/locale/<lang>/LC_MESSAGES/<domain>.po hold the text, English included, with
str.format placeholders. Keys rather than English source text are the msgids because
errors carry them (KnownError.key) and the database stores them (documents.error_key,
maintenance_log): rewording a sentence must not orphan the rows written before.
docs/translations.md says how translators work on them. Only the stdlib reads the .mo files.
"""

from __future__ import annotations

import functools
import gettext
import locale
import os

from core.resources import locale_dir

LANGUAGES = ("en", "ru")
DOMAIN = "core"


def N_(key: str) -> str:
    """Mark a key that code passes along instead of to tr(), so `make messages` finds it."""
    return key


def N_plural(key: str) -> str:
    """Mark a key with plural forms that code passes along (selected later by `count`)."""
    return key


class _Missing(gettext.NullTranslations):
    """The end of every fallback chain: a key no catalogue has is a bug, not its own text."""

    def __init__(self, domain: str) -> None:
        super().__init__()
        self.domain = domain

    def gettext(self, message: str) -> str:
        raise KeyError(f"no message {message!r} in the {self.domain} catalogue")

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _NOT_PLURAL


_NOT_PLURAL = "\x00"


@functools.cache
def catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `domain` in `lang`, falling back to English per message."""
    chain = [lang, "en"] if lang in LANGUAGES and lang != "en" else ["en"]
    texts = gettext.translation(domain, locale_dir(), languages=chain)
    texts.add_fallback(_Missing(domain))
    return texts


def translate(domain: str, key: str, lang: str, params: dict[str, object]) -> str:
    """The text of `key` in `lang`, its plural form picked by params["count"], formatted.

    Raises:
        KeyError: no catalogue has `key` (a bug the catalogue tests also catch).
    """
    if "count" in params:
        n = _number(params["count"])
        for texts in (catalogue(domain, lang), catalogue(domain, "en")):
            text = texts.ngettext(key, _NOT_PLURAL, n)
            if text not in (_NOT_PLURAL, key, ""):  # untranslated forms compile to the key
                return text.format(**params)
    return catalogue(domain, lang).gettext(key).format(**params)


def _number(value: object) -> int:
    """The count a plural form is chosen by; stored params come back as text."""
    try:
        return abs(int(str(value)))
    except ValueError:
        return 5  # "?" and the like read best with the "many" form


def tr(key: str, lang: str = "en", **params: object) -> str:
    """Return the core message `key` in `lang` (falling back to English), formatted.

    A message with plural forms is chosen by the `count` parameter.
    """
    return translate(DOMAIN, key, lang, params)


def trn(key: str, count: int, lang: str = "en", **params: object) -> str:
    """Return the plural message `key` for `count` in `lang`; `{count}` is filled too."""
    return translate(DOMAIN, key, lang, {**params, "count": count})


def system_language() -> str:
    """Pick the interface language from KONSPEKT_LANG or the system locale."""
    forced = os.environ.get("KONSPEKT_LANG", "")
    if forced in LANGUAGES:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    loc = locale.getlocale()[0] or ""
    return "ru" if loc.lower().startswith("ru") else "en"
