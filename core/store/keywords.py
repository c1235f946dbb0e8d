"""Keyword terms: Snowball stemming for Russian and English words.

Both the index and the queries go through `terms()`, so «договоры» and «договора»
meet at the stem «договор», and "licenses"/"licensed" at "licens".

It lives in the store beside the keyword index it fills (postings.py): the library
writes index terms with it, and search and grounding, above the store, stem their
queries with the same `terms()`.
"""

from __future__ import annotations

import re
import threading

import Stemmer

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

_STOP_EN = frozenset(
    "a an and are as at be but by can do does for from how i if in into is it its me my "
    "not of on or so than that the their them then there these they this to was we what "
    "when where which who why will with you your".split()
)
_STOP_RU = frozenset(
    "а без бы в вам вас весь во вот все всё вы где да для до его ее её если есть еще ещё же "
    "за и из или им их к как ко когда кто ли либо мне мы на над не нет ни но о об от по "
    "под при про с со так там то тот ты у уже чем что чтобы эта эти это этот я".split()
)


_CACHE_WORDS = 50_000
"""Stems remembered per thread (a few MB each; a server has a thread per request): text
repeats its words, so 5,000 chunks of 60 words stem in 0.33 s instead of 1.08 s with a
Snowball call per word, and re-indexing a million chunks stems some 60 million."""


class _Stemmers(threading.local):
    # PyStemmer objects are not thread-safe: one pair per thread, with its own cache.
    def __init__(self) -> None:
        self.en = Stemmer.Stemmer("english")
        self.ru = Stemmer.Stemmer("russian")
        self.known: dict[str, tuple[str, bool]] = {}

    def stem(self, word: str) -> tuple[str, bool]:
        """(stem, is a stopword) of a word as found in text; '' for a lone Latin letter."""
        known = self.known.get(word)
        if known is None:
            if len(self.known) >= _CACHE_WORDS:
                self.known.clear()
            known = self.known[word] = self._stem(_normalise(word))
        return known

    def _stem(self, word: str) -> tuple[str, bool]:
        if _CYRILLIC.search(word):
            return self.ru.stemWord(word), word in _STOP_RU
        if word.isdigit() or len(word) > 1:
            return self.en.stemWord(word), word in _STOP_EN
        return "", False


_stemmers = _Stemmers()


def _normalise(word: str) -> str:
    return word.lower().replace("ё", "е")


def terms(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """Stemmed terms of `text`, in order (with repeats)."""
    stem = _stemmers.stem
    out: list[str] = []
    for word in _WORD.findall(text):
        term, stopword = stem(word)
        if term and not (drop_stopwords and stopword):
            out.append(term)
    return out


def query_terms(query: str) -> list[str]:
    """The distinct stems a question is searched by, stopwords left out, in order."""
    return list(dict.fromkeys(terms(query, drop_stopwords=True)))
