"""Language-aware fusion: foreign keyword evidence weighs less; lists fuse by rank or score."""

import pytest

from core.search.fusion import foreign_ids, fuse, fuse_lists, fuse_lists_by_score
from core.search.language import detect_language, passage_language
from core.services.translation import cleaned
from core.settings import Fusion

# Chunk 1 is a strong keyword match whose meaning is far; chunk 2 is close in meaning.
KEYWORD = {1: 12.0, 2: 3.0, 3: 1.0}
VECTOR = {1: 0.80, 2: 0.90, 3: 0.85}


def order(scores: dict[int, float]) -> list[int]:
    return sorted(scores, key=lambda c: -scores[c])


def test_same_language_keyword_evidence_keeps_its_weight() -> None:
    fusion = Fusion(keyword_weight=0.8, cross_keyword_weight=0.0)
    assert fuse(KEYWORD, VECTOR, fusion) == fuse(KEYWORD, VECTOR, fusion, foreign=())
    assert order(fuse(KEYWORD, VECTOR, fusion))[0] == 1  # the keyword match wins


def test_foreign_chunks_rank_by_meaning_when_cross_language_keywords_are_off() -> None:
    fusion = Fusion(keyword_weight=0.8, cross_keyword_weight=0.0)
    fused = fuse(KEYWORD, VECTOR, fusion, foreign={1, 2, 3})
    assert order(fused) == order(VECTOR)


def test_a_small_cross_weight_shrinks_foreign_keyword_evidence_only() -> None:
    fusion = Fusion(keyword_weight=0.35, cross_keyword_weight=0.1)
    home = fuse(KEYWORD, VECTOR, fusion)
    away = fuse(KEYWORD, VECTOR, fusion, foreign={1})
    assert away[1] < home[1]
    assert (away[2], away[3]) == (home[2], home[3])
    # The vector share stays: a foreign chunk's score is its meaning plus less keyword.
    assert away[1] == pytest.approx(home[1] - 0.25 * 1.0)


def test_rrf_scales_the_keyword_rank_of_foreign_chunks() -> None:
    fusion = Fusion("rrf", keyword_weight=0.35, cross_keyword_weight=0.0, rrf_k=60)
    fused = fuse(KEYWORD, VECTOR, fusion, foreign={1})
    assert fused[1] == pytest.approx(1 / 63)  # vector rank 3 only
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)


def test_foreign_chunks_are_those_in_the_other_language_or_all_when_most_are() -> None:
    mixed = {1: "en", 2: "ru", 3: "ru", 4: "en", 5: "en"}
    assert foreign_ids(mixed, "en") == {2, 3}
    assert foreign_ids(mixed, "ru") == {1, 2, 3, 4, 5}  # mostly English: all across
    assert foreign_ids({1: "ru", 2: "ru"}, "ru") == set()
    assert foreign_ids({}, "ru") == set()


def test_lists_fuse_by_rank_whatever_their_scales() -> None:
    original = {1: 0.9, 2: 0.5, 3: 0.1}
    translated = {2: 900.0, 4: 800.0, 1: 1.0}
    fused = fuse_lists([(original, 1.0), (translated, 1.0)], 60)
    rescaled = fuse_lists(
        [(original, 1.0), ({c: s / 1000 for c, s in translated.items()}, 1.0)], 60
    )
    assert fused == rescaled
    assert order(fused)[0] == 2  # second in one list, first in the other
    assert fused[4] == pytest.approx(1 / 62)


def test_a_list_weighs_by_its_weight() -> None:
    original, translated = {1: 1.0, 2: 0.5}, {2: 1.0, 1: 0.5}
    assert order(fuse_lists([(original, 1.0), (translated, 2.0)], 60))[0] == 2
    assert order(fuse_lists([(original, 2.0), (translated, 1.0)], 60))[0] == 1
    assert fuse_lists([(original, 1.0), (translated, 0.0)], 60) == fuse_lists([(original, 1.0)], 60)


def test_lists_fuse_by_score_relative_to_each_lists_best() -> None:
    original = {1: 0.9, 2: 0.88, 3: 0.1}  # a near tie on top
    translated = {2: 900.0, 4: 300.0, 1: 100.0}  # one clear winner, on another scale
    fused = fuse_lists_by_score([(original, 1.0), (translated, 1.0)])
    rescaled = fuse_lists_by_score(
        [(original, 1.0), ({c: s / 1000 for c, s in translated.items()}, 1.0)]
    )
    assert fused == pytest.approx(rescaled)  # each list's scale is divided out
    assert fused[2] == pytest.approx(0.88 / 0.9 + 1.0)
    assert fused[4] == pytest.approx(1 / 3)
    assert order(fused) == [2, 1, 4, 3]


def test_by_score_a_clear_lead_outweighs_a_near_tie_that_ranks_alone_would_not() -> None:
    original = {1: 1.0, 3: 0.99, 2: 0.98}  # three near-equal passages
    translated = {2: 1.0, 1: 0.3}  # the translation clearly prefers 2
    assert order(fuse_lists([(original, 1.0), (translated, 1.0)], 60))[0] == 1
    assert order(fuse_lists_by_score([(original, 1.0), (translated, 1.0)]))[0] == 2


def test_a_list_weighs_by_its_weight_and_an_empty_or_zero_list_adds_nothing() -> None:
    original, translated = {1: 1.0, 2: 0.6}, {2: 1.0, 1: 0.6}
    assert order(fuse_lists_by_score([(original, 1.0), (translated, 2.0)]))[0] == 2
    assert order(fuse_lists_by_score([(original, 2.0), (translated, 1.0)]))[0] == 1
    alone = fuse_lists_by_score([(original, 1.0)])
    assert fuse_lists_by_score([(original, 1.0), ({}, 2.0)]) == alone
    assert fuse_lists_by_score([(original, 1.0), ({3: 0.0}, 2.0)]) == alone


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("How do I install a package?", "How do I install a package?"),
        ('"Как установить пакет?"\n\nNote: literal.', "Как установить пакет?"),
        ("\n  Translation: What is dpkg?  \n", "What is dpkg?"),
        ("«Что такое dpkg?»", "Что такое dpkg?"),
        ("", ""),
    ],
)
def test_the_translation_is_the_first_line_without_quotes(reply: str, expected: str) -> None:
    assert cleaned(reply) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How do I install a package with apt-get?", "en"),
        ("Как установить пакет?", "ru"),
        # Russian with long commands: more Latin letters than Cyrillic, still Russian.
        ("Чтобы собрать пакет, выполните: apt-get install build-essential devscripts", "ru"),
        ("The word «пакет» means package.", "en"),
        ("", "en"),
    ],
)
def test_a_passage_is_russian_when_a_fifth_of_its_letters_are_cyrillic(
    text: str, expected: str
) -> None:
    assert passage_language(text) == expected


def test_letters_are_counted_exactly_at_the_edges_of_the_cyrillic_block() -> None:
    """The byte count matches the Unicode ranges: U+0400-U+04FF Cyrillic, ASCII A-Z a-z Latin."""
    assert passage_language("\u0400\u04ff") == "ru"  # first and last of the block
    assert passage_language("\u0500\u0500 ab") == "en"  # Cyrillic Supplement: not counted
    assert detect_language("éèêà ж") == "ru"  # accented Latin letters are not A-Z
    assert detect_language("жж abc") == "en"
    assert passage_language("ж abc") == "ru"  # one Cyrillic letter in four is Russian
    assert passage_language("ж abcd") == "en"
    assert passage_language("\ud800 текст") == "ru"  # a lone surrogate does not break it
