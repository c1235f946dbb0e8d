"""An optional cross-encoder that re-orders the best fused chunks (fastembed, ONNX).

None ships offline: one is used when provisioned as `models/reranker/` (model.onnx and
its tokenizer files, e.g. a multilingual MiniLM cross-encoder export, or one GGUF file such
as bge-reranker-v2-m3, run by llama.cpp); otherwise the stage is skipped and retrieval is
exactly the fused ranking.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from core.errors import ModelMissing
from core.search.embedder import ONNX_FILES

RERANK_DEPTH = 20
"""How many fused chunks the cross-encoder re-scores (it costs one forward pass each)."""
FOLDER_NAME = "reranker"


class CrossEncoder(Protocol):
    """Scores (query, passage) pairs: the ONNX `Reranker` here or `GgufReranker` (llama.cpp)."""

    def scores(self, query: str, passages: list[str]) -> list[float]:
        """One relevance score per passage, in order; higher means more relevant."""
        ...


def find_reranker(folders: tuple[Path, ...]) -> Path | None:
    """The first provisioned reranker: an ONNX folder, or a GGUF file in it; else None."""
    for folder in folders:
        candidate = folder / FOLDER_NAME
        if (candidate / "model.onnx").is_file():
            return candidate
        gguf = sorted(candidate.glob("*.gguf"))
        if gguf:
            return gguf[0]
    return None


def load_reranker(found: Path, threads: int) -> CrossEncoder:
    """The reranker `find_reranker` found: llama.cpp for a GGUF file, fastembed for a folder."""
    if found.suffix == ".gguf":
        from core.search.gguf_encoder import GgufReranker

        return GgufReranker(found, threads)
    return Reranker(found, threads)


class Reranker:
    """Scores (query, passage) pairs; higher means more relevant."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # a missing local file must fail, not retry a hub
        from fastembed.common.model_description import ModelSource
        from fastembed.rerank.cross_encoder import TextCrossEncoder

        missing = [f for f in ONNX_FILES if not (folder / f).is_file()]
        if missing:
            raise ModelMissing("reranker_missing", detail=f"{folder}: {', '.join(missing)}")
        model_id = f"local/reranker-{abs(hash(str(folder.resolve())))}"
        known = {m["model"] for m in TextCrossEncoder.list_supported_models()}
        if model_id not in known:
            TextCrossEncoder.add_custom_model(
                model=model_id, sources=ModelSource(hf=model_id), model_file="model.onnx"
            )
        self._model = TextCrossEncoder(model_id, specific_model_path=str(folder), threads=threads)
        self._lock = threading.Lock()
        self.folder = folder

    def scores(self, query: str, passages: list[str]) -> list[float]:
        """One relevance score per passage, in order."""
        if not passages:
            return []
        with self._lock:
            raw = np.asarray(list(self._model.rerank(query, passages, batch_size=16)))
        return [float(x) for x in raw]
