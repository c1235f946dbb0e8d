"""Citation checks: unknown numbers, lexical support, semantic rescue across languages."""

import numpy as np

from core.llm.grounding import check_citations, lexical_support

SOURCES = [
    "The boiler room key hangs by the north door of the basement.",
    "The canteen serves borscht on Mondays and pancakes on Fridays.",
]


def test_supported_and_unsupported_citations() -> None:
    answer = (
        "The key hangs by the north door [1]. "
        "Parking is free for visitors on weekends [2]. See also [7]."
    )
    check = check_citations(answer, SOURCES)
    assert check.support[1] > 0.6
    assert check.support[2] < 0.3  # source 2 says nothing about parking
    assert check.unknown == (7,)


def test_word_forms_count_as_support() -> None:
    assert lexical_support("Keys are hanging near the doors [1]", SOURCES[0]) >= 0.6


def test_semantic_similarity_rescues_an_answer_in_another_language() -> None:
    answer = "Ключ висит у северной двери подвала [1]."
    assert check_citations(answer, SOURCES).support[1] < 0.3  # no shared words

    def similar(sentences: list[str], passages: list[str]) -> np.ndarray:
        return np.full((len(sentences), len(passages)), 0.9)

    assert check_citations(answer, SOURCES, similar, 0.8).support[1] >= 0.3
