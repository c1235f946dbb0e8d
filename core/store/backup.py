"""Encrypted backups of the data folder: one file, sealed in segments, restorable in place.

A backup is a tar stream (the database snapshot, the vector table, the encrypted
originals, the settings file) sealed with AES-256-GCM in 1 MiB segments under a key
derived from the database key and a per-backup salt. The header names the key by a
keyed fingerprint, so a wrong key is refused before anything is unpacked; segments carry
their index and a last-segment flag as associated data, so a cut, reordered or altered
file is refused too. The key of a backup is the database key when it was made: the
current key, or the recovery code that was current then.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import struct
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.crypto import Tampered, derive, keyed_digest, open_sealed, seal
from core.errors import KnownError, WrongKey

MAGIC = b"KONSPEKT-BACKUP-1\n"
SEGMENT = 1 << 20
SUFFIX = ".kbackup"
_HEAD = struct.Struct(">16s32sd")  # salt, key fingerprint, created (unix time)
_LEN = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class BackupFile:
    """One backup on disk."""

    path: Path
    created_at: float
    size: int


def fingerprint(key: bytes) -> bytes:
    """32 bytes that name a database key without revealing it."""
    return bytes.fromhex(keyed_digest(derive(key, "konspekt backup fingerprint v1"), b"key"))


def _segment_key(key: bytes, salt: bytes) -> bytes:
    return derive(key + salt, "konspekt backup v1")


class _SealingWriter(io.RawIOBase):
    """A write-only stream that seals what it is given, segment by segment."""

    def __init__(self, out: io.BufferedWriter, key: bytes, salt: bytes) -> None:
        self._out, self._key, self._salt = out, _segment_key(key, salt), salt
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > SEGMENT:  # keep at least one byte for the last segment
            self._seal(bytes(self._buffer[:SEGMENT]), last=False)
            del self._buffer[:SEGMENT]
        return len(data)

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, part: bytes, *, last: bool) -> None:
        sealed = seal(self._key, part, _aad(self._salt, self._index, last))
        self._out.write(_LEN.pack(len(sealed)) + sealed)
        self._index += 1


class _OpeningReader(io.RawIOBase):
    """A read-only stream of a backup's plaintext; KnownError on any damage."""

    def __init__(self, src: io.BufferedReader, key: bytes, salt: bytes) -> None:
        self._src, self._key, self._salt = src, _segment_key(key, salt), salt
        self._buffer = b""
        self._index = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._buffer and not self._done:
            self._buffer = self._next()
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def _next(self) -> bytes:
        head = self._src.read(_LEN.size)
        if len(head) < _LEN.size:
            raise KnownError("backup_damaged", detail="cut short")
        sealed = self._src.read(_LEN.unpack(head)[0])
        last = not self._src.peek(1)
        try:
            part = open_sealed(self._key, sealed, _aad(self._salt, self._index, last))
        except Tampered:
            raise KnownError("backup_damaged", detail=f"segment {self._index}") from None
        self._index += 1
        self._done = last
        return part


def _aad(salt: bytes, index: int, last: bool) -> bytes:
    return salt + f":{index}:{int(last)}".encode()


def write_backup(
    folder: Path, key: bytes, members: list[tuple[str, Path]], *, now: float | None = None
) -> BackupFile:
    """Seal `members` ((name in the backup, file or folder)) into a new file in `folder`.

    Written to a temporary name, synced, then renamed: a crash leaves no half backup
    under a backup's name.
    """
    now = time.time() if now is None else now
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    path = folder / f"konspekt-{stamp}{SUFFIX}"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"konspekt-{stamp}-{n}{SUFFIX}"
    part = path.with_suffix(".part")
    salt = secrets.token_bytes(16)
    try:
        with open(part, "wb") as out:
            os.chmod(part, 0o600)
            out.write(MAGIC + _HEAD.pack(salt, fingerprint(key), now))
            sealer = _SealingWriter(out, key, salt)
            with tarfile.open(fileobj=sealer, mode="w|") as tar:
                for name, source in members:
                    if source.exists():
                        tar.add(source, arcname=name, recursive=True)
            sealer.finish()
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupFile(path, now, path.stat().st_size)


def read_header(path: Path) -> tuple[bytes, bytes, float]:
    """(salt, key fingerprint, created) of a backup file; KnownError if it is not one."""
    try:
        with open(path, "rb") as src:
            head = src.read(len(MAGIC) + _HEAD.size)
    except OSError as exc:
        raise KnownError("backup_unreadable", path=str(path), detail=exc.strerror) from None
    if not head.startswith(MAGIC) or len(head) < len(MAGIC) + _HEAD.size:
        raise KnownError("backup_not_backup", path=str(path))
    salt, print_, created = _HEAD.unpack(head[len(MAGIC) :])
    return salt, print_, created


def unpack_backup(path: Path, key: bytes, target: Path) -> None:
    """Decrypt and unpack a backup into the empty folder `target`.

    Raises WrongKey (made under another key: nothing unpacked) or KnownError (damaged,
    or not a backup).
    """
    salt, print_, _ = read_header(path)
    if print_ != fingerprint(key):
        raise WrongKey("backup_wrong_key", path=str(path))
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(path, "rb") as raw:
        raw.seek(len(MAGIC) + _HEAD.size)
        reader = io.BufferedReader(_OpeningReader(raw, key, salt), SEGMENT)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                tar.extractall(target, filter="data")
        except tarfile.TarError as exc:
            raise KnownError("backup_damaged", detail=str(exc)) from None


def backups_in(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"konspekt-*{SUFFIX}"):
        try:
            _, _, created = read_header(path)
        except KnownError:
            continue
        found.append(BackupFile(path, created, path.stat().st_size))
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups (and leftovers of interrupted ones)."""
    removed = [b.path for b in backups_in(folder)[max(1, keep) :]]
    removed += list(folder.glob("konspekt-*.part")) if folder.is_dir() else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def swap_in(data_dir: Path, unpacked: Path, names: Iterator[str] | list[str]) -> Path:
    """Move the data's `names` aside into `before-restore-…` and the unpacked ones in.

    Returns the folder holding the previous data (nothing is deleted).
    """
    aside = data_dir / time.strftime("before-restore-%Y%m%d-%H%M%S")
    aside.mkdir(mode=0o700)
    for name in names:
        current = data_dir / name
        if current.exists():
            os.replace(current, aside / name)
        if (unpacked / name).exists():
            os.replace(unpacked / name, current)
    shutil.rmtree(unpacked, ignore_errors=True)
    return aside
