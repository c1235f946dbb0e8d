"""The encrypted bundle file: a header, then AES-256-GCM segments of a stream of records.

Layout: `KONSPEKT-KB` magic, a 2-byte header length, the header (JSON: format version,
the scrypt salt and cost, a passphrase check), then segments (4-byte length, sealed
bytes). Each segment is sealed under the passphrase's key with the header's hash, its
index and a last-segment flag as associated data: a changed header, a reordered, dropped
or cut-off segment, or one flipped byte anywhere fails authentication. The plaintext is
a stream of records (1-byte kind, 8-byte length, payload) read back in order.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

from core.crypto import Tampered, keyed_digest, open_sealed, passphrase_key, seal
from core.errors import InvalidInput, KnownError

MAGIC = b"KONSPEKT-KB"
FORMAT = 1
"""The format this code writes and the newest it reads."""
SEGMENT = 1 << 20
SCRYPT_N = 1 << 15
"""scrypt's cost: ~0.1 s and 32 MiB per try, recorded in the header."""
SCRYPT_N_MAX = 1 << 20
SCRYPT_MEMORY_MAX = 256 << 20
"""The highest cost a header may ask for: a crafted file must not exhaust memory."""
MIN_PASSPHRASE = 8
_HEADER_LEN = struct.Struct(">H")
_SEGMENT_LEN = struct.Struct(">I")
_RECORD = struct.Struct(">cQ")
_CHECK = b"konspekt bundle passphrase check"


class BundleDamaged(KnownError):
    """The bundle is not whole: altered, cut off, or not a Konspekt bundle at all."""


def _check(key: bytes) -> str:
    return keyed_digest(key, _CHECK)[:32]


def _aad(header_hash: bytes, index: int, last: bool) -> bytes:
    return header_hash + struct.pack(">QB", index, int(last))


class BundleWriter:
    """Writes records into an open binary file, sealing them segment by segment."""

    def __init__(self, out: BinaryIO, passphrase: str) -> None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise InvalidInput("bundle_passphrase_short", chars=MIN_PASSPHRASE)
        salt = secrets.token_bytes(16)
        self._key = passphrase_key(passphrase, salt, SCRYPT_N)
        header = json.dumps(
            {
                "format": FORMAT,
                "cipher": "AES-256-GCM",
                "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": 8, "p": 1, "salt": salt.hex()},
                "check": _check(self._key),
                "segment": SEGMENT,
            },
            sort_keys=True,
        ).encode()
        out.write(MAGIC + _HEADER_LEN.pack(len(header)) + header)
        self._out, self._hash = out, hashlib.sha256(header).digest()
        self._buffer = bytearray()
        self._index = 0

    def record(self, kind: bytes, payload: bytes) -> None:
        """Append one record (sealed once a whole segment has gathered)."""
        self._buffer += _RECORD.pack(kind, len(payload))
        self._buffer += payload
        while len(self._buffer) > SEGMENT:  # keep one back: the last segment is marked
            self._seal(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]

    def json(self, kind: bytes, value: Any) -> None:
        """Append a record holding JSON."""
        self.record(kind, json.dumps(value, ensure_ascii=False).encode())

    def finish(self) -> None:
        """Seal what is left as the last segment (a bundle without it is refused)."""
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, part: bytes, *, last: bool) -> None:
        sealed = seal(self._key, part, _aad(self._hash, self._index, last))
        self._out.write(_SEGMENT_LEN.pack(len(sealed)) + sealed)
        self._index += 1


class BundleReader:
    """Reads records back, checking every segment before any of its bytes are used."""

    def __init__(self, source: BinaryIO, passphrase: str, name: str) -> None:
        self._in, self._name = source, name
        if source.read(len(MAGIC)) != MAGIC:
            raise BundleDamaged("bundle_not_bundle", path=name)
        raw_len = source.read(_HEADER_LEN.size)
        raw = source.read(_HEADER_LEN.unpack(raw_len)[0]) if len(raw_len) == 2 else b""
        header = self._header(raw)
        kdf = header["kdf"]
        self._key = passphrase_key(
            passphrase, bytes.fromhex(kdf["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        )
        if not secrets.compare_digest(_check(self._key), str(header["check"])):
            raise InvalidInput("bundle_wrong_passphrase", path=name)
        self._hash = hashlib.sha256(raw).digest()
        self._buffer = bytearray()
        self._index = 0
        self._ended = False

    @property
    def name(self) -> str:
        """The bundle's path, as error messages name it."""
        return self._name

    def _header(self, raw: bytes) -> dict[str, Any]:
        try:
            header = json.loads(raw)
            version = int(header["format"])
            kdf = header["kdf"]
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            valid = kdf["name"] == "scrypt" and 2 <= n <= SCRYPT_N_MAX and not n & (n - 1)
            valid = valid and 1 <= r <= 32 and 1 <= p <= 16 and 128 * r * n <= SCRYPT_MEMORY_MAX
        except (ValueError, KeyError, TypeError):
            raise BundleDamaged("bundle_damaged", path=self._name) from None
        if version > FORMAT:
            raise KnownError("bundle_newer", path=self._name, format=version)
        if not valid:
            raise BundleDamaged("bundle_damaged", path=self._name)
        return dict(header)

    def records(self) -> Iterator[tuple[bytes, bytes]]:
        """(kind, payload) of each record in order; BundleDamaged as soon as a byte is wrong."""
        while True:
            head = self._read(_RECORD.size, allow_end=True)
            if not head:
                return
            kind, size = _RECORD.unpack(head)
            yield kind, self._read(size)

    def _read(self, size: int, *, allow_end: bool = False) -> bytes:
        while len(self._buffer) < size and not self._ended:
            self._next_segment()
        if len(self._buffer) < size:
            if allow_end and not self._buffer:
                return b""
            raise BundleDamaged("bundle_damaged", path=self._name)
        part = bytes(self._buffer[:size])
        del self._buffer[:size]
        return part

    def _next_segment(self) -> None:
        raw_len = self._in.read(_SEGMENT_LEN.size)
        if len(raw_len) != _SEGMENT_LEN.size:  # cut off before the last segment
            raise BundleDamaged("bundle_damaged", path=self._name)
        (size,) = _SEGMENT_LEN.unpack(raw_len)
        sealed = self._in.read(size)
        if size > SEGMENT + 64 or len(sealed) != size:
            raise BundleDamaged("bundle_damaged", path=self._name)
        for last in (False, True):
            try:
                part = open_sealed(self._key, sealed, _aad(self._hash, self._index, last))
            except Tampered:
                continue
            self._buffer += part
            self._index += 1
            self._ended = last
            if last and self._in.read(1):  # bytes after the last segment: not ours
                raise BundleDamaged("bundle_damaged", path=self._name)
            return
        raise BundleDamaged("bundle_damaged", path=self._name)
