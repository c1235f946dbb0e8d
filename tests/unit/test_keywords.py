"""Stemmed keyword terms: Russian and English word forms meet at one stem."""

from core.store.keywords import query_terms, terms


def test_russian_word_forms_share_a_stem() -> None:
    assert terms("договоры") == terms("договора") == terms("договором")


def test_english_word_forms_share_a_stem() -> None:
    assert terms("licenses") == terms("licensed") == terms("license")


def test_yo_is_folded_to_ye() -> None:
    assert terms("ёлка") == terms("елка")


def test_query_drops_stopwords_and_dedupes() -> None:
    assert query_terms("What is the licence of the licences?") == ["licenc"]


def test_query_of_only_stopwords_has_no_terms() -> None:
    assert query_terms("what is the") == []
    assert query_terms("   ") == []


def test_terms_mix_languages_and_skip_punctuation() -> None:
    assert terms('Пакеты Debian "packages"; 42 x') == ["пакет", "debian", "packag", "42"]
