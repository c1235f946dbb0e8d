"""What a GGUF file declares (architecture, pooling, tensors), read without loading it.

Retrieval models are files users copy into `models/`: a wrong or damaged one must be
named before llama.cpp is asked to load it (llama.cpp says only "failed to load"), and
`konspekt doctor` checks the same header without loading any model.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.errors import ModelMissing

MAGIC = b"GGUF"
POOLING = {0: "none", 1: "mean", 2: "cls", 3: "last", 4: "rank"}
ENCODER_ARCH = "bert"
"""XLM-RoBERTa (bge-m3, bge-reranker-v2-m3) converts to llama.cpp's BERT graph."""
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?"}
_SCALARS |= {10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_WANTED = ("general.architecture", "pooling_type", "context_length", "embedding_length")
_FINGERPRINT_SPAN = 1 << 20


@dataclass(frozen=True, slots=True)
class GgufHeader:
    """The few facts about an encoder GGUF that decide whether and how it is used."""

    path: Path
    arch: str
    pooling: str
    """'mean', 'cls', 'rank'…, or '?' when the file does not say."""
    context_length: int
    embedding_length: int
    tensors: frozenset[str]
    fingerprint: str
    """Changes when the file does (its size, first and last MiB): the index re-embeds."""


def read_header(path: Path) -> GgufHeader:
    """Read `path`'s GGUF header.

    Raises:
        ModelMissing: the file is missing, unreadable, truncated or not a GGUF.
    """
    if not path.is_file():
        raise ModelMissing("gguf_file_missing", path=path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            values, tensors = _parse(fh, size)
            fingerprint = _fingerprint(fh, size)
    except (OSError, ValueError, struct.error, UnicodeDecodeError) as exc:
        raise ModelMissing("gguf_file_unreadable", path=path, detail=str(exc)) from None
    arch = str(values.get("general.architecture", "?"))

    def number(key: str) -> int:
        value = values.get(f"{arch}.{key}", 0)
        return int(value) if isinstance(value, int | float) else 0

    pooling = POOLING.get(number("pooling_type"), "?") if f"{arch}.pooling_type" in values else "?"
    return GgufHeader(
        path,
        arch,
        pooling,
        number("context_length"),
        number("embedding_length"),
        frozenset(tensors),
        fingerprint,
    )


def check_embedder(path: Path) -> GgufHeader:
    """The header of `path` if it is a text embedder llama.cpp can pool (else ModelMissing)."""
    header = read_header(path)
    if header.arch != ENCODER_ARCH or header.pooling not in ("mean", "cls"):
        raise ModelMissing("gguf_not_embedder", path=path, arch=header.arch, pooling=header.pooling)
    return header


def check_reranker(path: Path) -> GgufHeader:
    """The header of `path` if it is a cross-encoder with a classification head."""
    header = read_header(path)
    head = {"cls.weight", "cls.output.weight"} & header.tensors
    if header.arch != ENCODER_ARCH or header.pooling != "rank" or not head:
        raise ModelMissing("gguf_not_reranker", path=path, arch=header.arch, pooling=header.pooling)
    return header


def _parse(fh: BinaryIO, size: int) -> tuple[dict[str, object], list[str]]:
    """The scalar and string values (arrays skipped) and the tensor names."""
    if fh.read(4) != MAGIC:
        raise ValueError("no GGUF signature")
    version, n_tensors, n_values = struct.unpack("<IQQ", _exact(fh, 20))
    if version < 2 or n_tensors > 1 << 24 or n_values > 1 << 24:
        raise ValueError(f"GGUF version {version}, {n_tensors} tensors, {n_values} values")
    values: dict[str, object] = {}
    for _ in range(n_values):
        key = _string(fh)
        value = _value(fh, _u32(fh))
        if key in ("general.architecture", "general.alignment") or key.endswith(_WANTED):
            values[key] = value
    names, last = [], 0
    for _ in range(n_tensors):
        names.append(_string(fh))
        n_dims = _u32(fh)
        _exact(fh, 8 * n_dims + 4)  # dimensions, type
        last = max(last, int(struct.unpack("<Q", _exact(fh, 8))[0]))
    align = int(values.get("general.alignment", 32))  # type: ignore[call-overload]
    data_start = -(-fh.tell() // align) * align
    if n_tensors and data_start + last >= size:
        raise ValueError("the file ends before its last tensor (truncated?)")
    return values, names


def _value(fh: BinaryIO, kind: int) -> object:
    if kind in _SCALARS:
        fmt = _SCALARS[kind]
        return struct.unpack(fmt, _exact(fh, struct.calcsize(fmt)))[0]
    if kind == _STRING:
        return _string(fh)
    if kind == _ARRAY:
        item, count = struct.unpack("<IQ", _exact(fh, 12))
        if item in _SCALARS:
            _exact(fh, struct.calcsize(_SCALARS[item]) * count)
        else:
            for _ in range(count):
                _value(fh, item)
        return None
    raise ValueError(f"unknown GGUF value type {kind}")


def _string(fh: BinaryIO) -> str:
    (length,) = struct.unpack("<Q", _exact(fh, 8))
    if length > 1 << 24:
        raise ValueError(f"a {length}-byte string in the header")
    return _exact(fh, length).decode("utf-8")


def _u32(fh: BinaryIO) -> int:
    return int(struct.unpack("<I", _exact(fh, 4))[0])


def _exact(fh: BinaryIO, n: int) -> bytes:
    data = fh.read(n)
    if len(data) != n:
        raise ValueError("the file ends inside its header (truncated?)")
    return data


def _fingerprint(fh: BinaryIO, size: int) -> str:
    digest = hashlib.sha256(str(size).encode())
    fh.seek(0)
    digest.update(fh.read(_FINGERPRINT_SPAN))
    fh.seek(max(0, size - _FINGERPRINT_SPAN))
    digest.update(fh.read(_FINGERPRINT_SPAN))
    return digest.hexdigest()[:10]
