"""A FakeEmbedder for tests about access, accounts, keys, backups and watches, not retrieval.

Loading and running multilingual-e5 costs seconds per test file and most of each ingest on
the two CI cores; tests whose point is who may see what, or what survives a backup, need
an embedder that is deterministic and instant, not a good one. Retrieval quality stays
tested on the real model (tests/integration/test_search_isolation.py, tests/model/...).
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from core.search.embedder import Vectors

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_MIN_LETTERS = 4
"""Shorter words ('the', 'is', 'on') are skipped: they would make every text look alike."""
_STEM_LETTERS = 6
"""A crude stem: 'counts' and 'counted' share 'counte'; 'count' stays 'count'."""
_EMPTY = "\0"
"""The one feature of a text without words, so its vector still has unit length."""


class FakeEmbedder:
    """Hashed bag of stems: passages sharing a query's words score high, others near 0.

    Each stem adds ±1 at one of `dim` positions chosen by a hash, and the sum is
    L2-normalised, so the cosine is about (shared stems) / sqrt(query stems × passage
    stems). A query asking about a short passage in its own words scores 0.5-0.9; an
    unrelated one about 0. It has its own `name`, so an index built with it is never
    mistaken for a real model's.
    """

    name = "fake-hashed-stems"
    dim = 256
    max_tokens = 512
    relevance_floor = 0.5
    """About half of the query's stems appear in the passage."""
    cross_language_margin = 0.0
    """Hashed words have no notion of translation: other languages share nothing."""

    def count_tokens(self, text: str) -> int:
        """Words and punctuation marks (a real tokenizer's count is of the same order)."""
        return len(_TOKEN.findall(text))

    def embed_passages(self, texts: list[str]) -> Vectors:
        """One vector per passage, shape (len(texts), dim)."""
        return np.stack([self._vector(t) for t in texts]) if texts else self._none()

    def embed_query(self, text: str) -> Vectors:
        """The vector of one query, shape (dim,); queries and passages share one space."""
        return self._vector(text)

    def _none(self) -> Vectors:
        return np.zeros((0, self.dim), dtype=np.float32)

    def _vector(self, text: str) -> Vectors:
        stems = [w[:_STEM_LETTERS] for w in _WORD.findall(text.casefold())]
        stems = [s for s in stems if len(s) >= _MIN_LETTERS] or [_EMPTY]
        vector = np.zeros(self.dim, dtype=np.float32)
        for stem in stems:
            digest = hashlib.blake2b(stem.encode(), digest_size=8).digest()
            position = int.from_bytes(digest[:4], "big") % self.dim
            vector[position] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:  # two stems that cancelled at one position
            vector[0] = 1.0
            norm = 1.0
        return vector / norm
