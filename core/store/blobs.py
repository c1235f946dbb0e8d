"""Original files, encrypted at rest (AES-256-GCM in 1 MiB segments), for open-at-page.

A blob's name is a keyed hash of its content: identical files share one blob, and the
name reveals nothing without the key. Each segment is sealed with its index and a
last-segment flag as associated data, so segments cannot be reordered, dropped or cut off.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import struct
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from core.crypto import Tampered, derive, keyed_digest, open_sealed, seal
from core.errors import KnownError

MAGIC = b"KSB1"
SEGMENT = 1 << 20
_LEN = struct.Struct(">I")


class BlobStore:
    """Encrypted files in one folder, safe to use from several ingests at once.

    A blob put by an ingest whose document row is not committed yet is *fresh* until
    that ingest `settle`s it: a `prune` running meanwhile (another knowledge base's
    ingest or delete ending) must not take it for a leftover.
    """

    def __init__(self, folder: Path, secret: bytes) -> None:
        self.folder = folder
        self._key = derive(secret, "konspekt blobs v1")
        self._name_key = derive(secret, "konspekt blob names v1")
        self._fresh: Counter[str] = Counter()
        self._fresh_lock = threading.Lock()

    def _path(self, blob_id: str) -> Path:
        return self.folder / blob_id[:2] / blob_id

    def put(self, data: bytes) -> str:
        """Store `data` (once per distinct content); return its blob id, fresh until settled."""
        blob_id = keyed_digest(self._name_key, hashlib.sha256(data).digest())[:40]
        with self._fresh_lock:
            self._fresh[blob_id] += 1
        path = self._path(blob_id)
        if path.exists():
            return blob_id
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{blob_id}.{secrets.token_hex(4)}.tmp")  # one per writer
        count = max(1, -(-len(data) // SEGMENT))
        with open(tmp, "wb") as fh:
            fh.write(MAGIC)
            for index in range(count):
                part = data[index * SEGMENT : (index + 1) * SEGMENT]
                sealed = seal(self._key, part, self._aad(blob_id, index, index == count - 1))
                fh.write(_LEN.pack(len(sealed)) + sealed)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return blob_id

    def get(self, blob_id: str) -> bytes:
        """The original bytes; KnownError if the blob is missing or was tampered with."""
        path = self._path(blob_id)
        if not blob_id or not path.exists():
            raise KnownError("blob_missing")
        raw = path.read_bytes()
        if raw[:4] != MAGIC:
            raise KnownError("blob_damaged")
        parts, offset, index = [], 4, 0
        while offset < len(raw):
            (size,) = _LEN.unpack_from(raw, offset)
            sealed = raw[offset + 4 : offset + 4 + size]
            offset += 4 + size
            last = offset >= len(raw)
            try:
                parts.append(open_sealed(self._key, sealed, self._aad(blob_id, index, last)))
            except Tampered:
                raise KnownError("blob_damaged") from None
            index += 1
        if not parts:
            raise KnownError("blob_damaged")
        return b"".join(parts)

    def settle(self, blob_ids: Iterable[str]) -> None:
        """The ingest that put these blobs has committed (or dropped) its rows."""
        with self._fresh_lock:
            self._fresh.subtract(blob_ids)
            self._fresh = +self._fresh  # drop the counts that reached zero

    def prune(self, keep: set[str]) -> int:
        """Delete every blob not in `keep` (and leftovers of interrupted writes).

        Fresh blobs and their files being written are left alone.
        """
        removed = 0
        if not self.folder.exists():
            return 0
        with self._fresh_lock:
            fresh = set(self._fresh)
        for path in self.folder.glob("*/*"):
            if path.name.split(".")[0] in fresh:
                continue  # stored by an ingest still running, or being written now
            if path.suffix == ".tmp" or path.name not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    @staticmethod
    def _aad(blob_id: str, index: int, last: bool) -> bytes:
        return f"{blob_id}:{index}:{int(last)}".encode()
