"""Keyword terms for the FTS5 index: Snowball stemming for Russian and English words.

Both the index and the queries go through `terms()`, so «договоры» and «договора»
meet at the stem «договор», and "licenses"/"licensed" at "licens".

It lives in the store beside the FTS5 table it fills (the `_kb` token mirrors the
table's tokenchars in migrations.py): the library writes index terms with it, and
search and grounding, above the store, stem their queries with the same `terms()`.
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


class _Stemmers(threading.local):
    # PyStemmer objects are not thread-safe: one pair per thread.
    def __init__(self) -> None:
        self.en = Stemmer.Stemmer("english")
        self.ru = Stemmer.Stemmer("russian")


_stemmers = _Stemmers()


def _normalise(word: str) -> str:
    return word.lower().replace("ё", "е")


def terms(text: str, *, drop_stopwords: bool = False) -> list[str]:
    """Stemmed terms of `text`, in order (with repeats)."""
    out: list[str] = []
    for match in _WORD.finditer(text):
        word = _normalise(match.group())
        if _CYRILLIC.search(word):
            if drop_stopwords and word in _STOP_RU:
                continue
            out.append(_stemmers.ru.stemWord(word))
        elif word.isdigit() or len(word) > 1:
            if drop_stopwords and word in _STOP_EN:
                continue
            out.append(_stemmers.en.stemWord(word))
    return out


def kb_token(kb_id: int) -> str:
    """The term that marks a chunk's knowledge base inside the FTS5 index.

    It holds an underscore, which `terms()` never produces, so no word can forge it;
    the index is created with '_' as a token character to keep it whole.
    """
    return f"_kb{int(kb_id)}"


def index_text(text: str, kb_id: int) -> str:
    """The value stored in the FTS5 `terms` column for a chunk of knowledge base `kb_id`."""
    return " ".join([*terms(text), kb_token(kb_id)])


def restrict_to_kbs(match: str, kb_ids: list[int] | tuple[int, ...]) -> str:
    """Limit an FTS5 expression to some knowledge bases, inside the index lookup itself."""
    kbs = " OR ".join(f'"{kb_token(k)}"' for k in kb_ids)
    return f"({match}) AND ({kbs})"


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression OR-ing the query's distinct stems, or None if it has none."""
    seen: dict[str, None] = {}
    for term in terms(query, drop_stopwords=True):
        seen.setdefault(term, None)
    if not seen:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in seen)
