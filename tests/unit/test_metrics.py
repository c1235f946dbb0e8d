"""Ranking metrics against hand-computed values."""

import math

import pytest

from core.evaluation.metrics import mrr, ndcg, recall


def test_perfect_and_empty_rankings() -> None:
    relevant = {"a": 1}
    assert ndcg(["a", "b"], relevant) == 1.0
    assert ndcg(["b", "c"], relevant) == 0.0
    assert recall([], relevant) == 0.0
    assert mrr(["x", "y", "a"], relevant) == pytest.approx(1 / 3)


def test_ndcg_discounts_by_rank() -> None:
    assert ndcg(["b", "a"], {"a": 1}) == pytest.approx(1 / math.log2(3))
    two = {"a": 1, "b": 1}
    assert ndcg(["a", "x", "b"], two) == pytest.approx(
        (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    )


def test_cutoff_applies() -> None:
    ranked = [f"d{i}" for i in range(20)]
    assert recall(ranked, {"d15": 1}, k=10) == 0.0
    assert recall(ranked, {"d5": 1, "d15": 1}, k=10) == 0.5
    assert mrr(ranked, {"d15": 1}, k=10) == 0.0
