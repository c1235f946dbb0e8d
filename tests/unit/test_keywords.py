"""Stemmed keyword terms: Russian and English word forms meet at one stem."""

from core.store.keywords import index_text, match_expression, restrict_to_kbs, terms


def test_russian_word_forms_share_a_stem() -> None:
    assert terms("договоры") == terms("договора") == terms("договором")


def test_english_word_forms_share_a_stem() -> None:
    assert terms("licenses") == terms("licensed") == terms("license")


def test_yo_is_folded_to_ye() -> None:
    assert terms("ёлка") == terms("елка")


def test_query_drops_stopwords_and_dedupes() -> None:
    expr = match_expression("What is the licence of the licences?")
    assert expr is not None
    assert expr.count('"') == 2  # one distinct term, quoted


def test_query_of_only_stopwords_has_no_expression() -> None:
    assert match_expression("what is the") is None
    assert match_expression("   ") is None


def test_quotes_in_queries_are_escaped() -> None:
    expr = match_expression('say "hello')
    assert expr is not None
    assert '""' not in expr.replace('" OR "', "")


def test_index_text_mixes_languages_and_marks_the_knowledge_base() -> None:
    text = index_text("Пакеты Debian packages", kb_id=7)
    assert text.split() == ["пакет", "debian", "packag", "_kb7"]


def test_no_document_word_can_forge_a_knowledge_base_marker() -> None:
    assert "_kb7" not in terms("_kb7 kb7 __kb7__")


def test_kb_restriction_wraps_the_match() -> None:
    assert restrict_to_kbs('"a" OR "b"', [1, 2]) == '("a" OR "b") AND ("_kb1" OR "_kb2")'
