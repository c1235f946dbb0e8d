"""The FakeEmbedder keeps the Embedder contract that tests built on it rely on."""

from __future__ import annotations

import numpy as np

from core.search.embedder import Embedder
from tests.fakes import FakeEmbedder

VAULT = "The vault combination is written on the blue index card."


def test_vectors_have_the_declared_shape_and_unit_length() -> None:
    fake: Embedder = FakeEmbedder()
    passages = fake.embed_passages([VAULT, "", "a b c", "Договор подписан в пятницу."])
    assert passages.shape == (4, fake.dim)
    assert passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0)
    assert fake.embed_query("vault").shape == (fake.dim,)
    assert fake.embed_passages([]).shape == (0, fake.dim)


def test_a_query_in_the_passage_s_words_clears_the_floor_and_others_do_not() -> None:
    fake = FakeEmbedder()
    [passage] = fake.embed_passages([VAULT])
    related = float(fake.embed_query("Where is the vault combination written?") @ passage)
    unrelated = float(fake.embed_query("When does the ferry leave the harbour?") @ passage)
    assert related >= fake.relevance_floor > unrelated


def test_it_is_deterministic_and_names_itself_apart_from_real_models() -> None:
    one, two = FakeEmbedder(), FakeEmbedder()
    assert np.array_equal(one.embed_query(VAULT), two.embed_query(VAULT))
    assert one.name not in ("multilingual-e5-small-q4", "all-MiniLM-L6-v2-int8")
    assert one.count_tokens(VAULT) == 11  # ten words and the full stop
