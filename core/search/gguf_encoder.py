"""Retrieval models run by llama.cpp: a GGUF text embedder and a GGUF cross-encoder reranker.

The same runtime as the answer model, so a larger multilingual embedder (bge-m3) and a
reranker (bge-reranker-v2-m3) are a file in `models/` and a setting, and offload to a GPU
when the llama.cpp build has one. One lock per loaded model: a context is not thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from core.errors import ModelMissing
from core.search.gguf_header import GgufHeader, check_embedder, check_reranker

MAX_CONTEXT = 1024
"""Tokens per sequence and per batch: chunks are ~300 tokens; llama.cpp attends across a
whole batch (masked), so a longer window costs quadratic memory and time for nothing."""


def _load(header: GgufHeader, threads: int, **options: Any) -> Any:
    """A llama.cpp model + context in embedding mode; load failures name the file."""
    import llama_cpp

    n_ctx = min(header.context_length or MAX_CONTEXT, MAX_CONTEXT)
    try:
        return llama_cpp.Llama(
            str(header.path),
            embedding=True,
            n_ctx=n_ctx,
            n_batch=n_ctx,
            n_ubatch=n_ctx,
            n_threads=threads,
            n_threads_batch=threads,
            n_gpu_layers=-1,  # every layer on a GPU when the build has one; else ignored
            verbose=False,
            **options,
        )
    except ValueError as exc:  # llama.cpp: "Failed to load model from file"
        detail = str(exc)
        raise ModelMissing("gguf_file_unreadable", path=header.path, detail=detail) from None


class GgufEmbedder:
    """A BERT/XLM-RoBERTa embedder GGUF (bge-m3 class) with the file's own pooling.

    bge-m3 needs no query/passage prefixes (unlike E5's 'query: '/'passage: ').
    """

    # Not calibrated here (no bge-m3 offline): set low, so that a doubtful case is answered
    # rather than refused as "not found"; calibrate on a dev set as E5's floor was.
    relevance_floor = 0.40
    cross_language_margin = 0.05

    def __init__(self, path: Path, threads: int = 1) -> None:
        header = check_embedder(path)
        self._llm = _load(header, threads)
        self._lock = threading.Lock()
        self.path = path
        self.name = f"gguf-{path.stem}-{header.fingerprint}"
        self.dim = int(self._llm.n_embd())
        self.max_tokens = int(self._llm.n_ctx())

    def count_tokens(self, text: str) -> int:  # noqa: D102
        with self._lock:
            return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False))

    def embed_passages(self, texts: list[str]) -> npt.NDArray[np.float32]:  # noqa: D102
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # llama-cpp-python packs the texts into batches of n_batch tokens
            vectors = self._llm.embed(texts, normalize=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:  # noqa: D102
        return self.embed_passages([text]).reshape(self.dim)


class GgufReranker:
    """A cross-encoder GGUF (bge-reranker-v2-m3 class): pooling RANK, one score per pair.

    `Llama.embed` reads n_embd floats per sequence, but RANK pooling leaves only the
    classifier's outputs there, so the pairs are decoded here through the context.
    """

    def __init__(self, path: Path, threads: int = 1) -> None:
        import llama_cpp

        rank = llama_cpp.LLAMA_POOLING_TYPE_RANK
        self._llm = _load(check_reranker(path), threads, pooling_type=rank)
        self._cpp = llama_cpp
        model = self._llm._model.model
        self._vocab = llama_cpp.llama_model_get_vocab(model)
        self._n_seq = int(self._llm.context_params.n_seq_max)
        self._lock = threading.Lock()
        self.path = path

    def scores(self, query: str, passages: list[str]) -> list[float]:
        """One relevance score per passage, in order (the classifier's logit)."""
        if not passages:
            return []
        with self._lock:
            pairs = [self._pair(query, p) for p in passages]
            out: list[float] = []
            for batch in self._batches(pairs):
                out.extend(self._decode(batch))
        return out

    def _pair(self, query: str, passage: str) -> list[int]:
        """Tokens of one pair, laid out as llama.cpp's server lays them out.

        For a reranker without a template of its own (XLM-RoBERTa) that reads
        `<s> query </s></s> passage </s>`; a long passage is cut to fit the context.
        """
        cpp, vocab, llm = self._cpp, self._vocab, self._llm
        eos = cpp.llama_vocab_eos(vocab)
        eos = eos if eos >= 0 else cpp.llama_vocab_sep(vocab)
        bos = [cpp.llama_vocab_bos(vocab)] if cpp.llama_vocab_get_add_bos(vocab) else []
        end = [eos] if cpp.llama_vocab_get_add_eos(vocab) else []
        sep = [cpp.llama_vocab_sep(vocab)] if cpp.llama_vocab_get_add_sep(vocab) else []
        limit = llm.n_ctx()
        q = llm.tokenize(query.encode("utf-8"), add_bos=False)[: limit // 2]
        head = [*bos, *q, *end, *sep]
        d = llm.tokenize(passage.encode("utf-8"), add_bos=False)
        return [*head, *d[: max(0, limit - len(head) - len(end))], *end]

    def _batches(self, pairs: list[list[int]]) -> Iterator[list[list[int]]]:
        batch: list[list[int]] = []
        used = 0
        for pair in pairs:
            if batch and (used + len(pair) > self._llm.n_batch or len(batch) >= self._n_seq):
                yield batch
                batch, used = [], 0
            batch.append(pair)
            used += len(pair)
        yield batch

    def _decode(self, pairs: list[list[int]]) -> list[float]:
        llm = self._llm
        llm._batch.reset()
        for seq, tokens in enumerate(pairs):
            llm._batch.add_sequence(tokens, seq, True)
        llm._ctx.kv_cache_clear()
        llm._ctx.decode(llm._batch)
        llm._batch.reset()
        ctx = llm._ctx.ctx
        return [float(self._cpp.llama_get_embeddings_seq(ctx, i)[0]) for i in range(len(pairs))]
