"""Getting a model file into place: resumable download or copy, checked before it counts.

A file arrives as `<name>.part` beside its final name, hashed while it is written, and
is renamed into place only when its size and SHA-256 match the manifest: a half or wrong
file never sits under the final name, so `resolve_model` can never pick one up.

- An interrupted download (network, Ctrl-C, Cancel) keeps the `.part`; the next attempt
  hashes what is there and asks the server for the rest (`Range: bytes=N-`).
- A wrong hash or size deletes the `.part` (it cannot be resumed into a right file).
- A full disk (ENOSPC, or EFBIG from a file size limit) keeps the `.part` too: its
  bytes are good, and after space is freed the same command resumes. The error names
  the folder and the space needed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

from core import web
from core.errors import DownloadFailed, ModelFileRejected
from core.i18n import N_plural

CHUNK = 1 << 20
PART_SUFFIX = ".part"


class TransferStage(Enum):
    """Where a download or import stands."""

    CHECKING = "checking"
    """Hashing the part kept from an earlier attempt."""
    RECEIVING = "receiving"
    DONE = "done"
    """Verified and in place."""
    CANCELLED = "cancelled"
    """Stopped on request; the part is kept for the next attempt."""


@dataclass(frozen=True, slots=True)
class Transfer:
    """Progress of one model file: bytes so far of `total`, and the rate this attempt."""

    name: str
    stage: TransferStage
    done: int
    total: int
    rate: float = 0.0
    """Bytes per second received in this attempt (0 until some arrived)."""
    resumed_from: int = 0
    """Bytes an earlier attempt had kept (not downloaded again)."""
    path: Path | None = None
    """The installed file, once DONE."""

    @property
    def remaining_s(self) -> float | None:
        """Seconds left at the current rate (None when not yet known)."""
        if self.rate <= 0:
            return None
        return max(0.0, (self.total - self.done) / self.rate)


def part_path(dest: Path) -> Path:
    """Where `dest` is written until it is verified."""
    return dest.with_name(dest.name + PART_SUFFIX)


def file_sha256(path: Path, cancel: threading.Event | None = None) -> str:
    """The SHA-256 of `path` in hex ('' when cancelled half-way)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            if cancel is not None and cancel.is_set():
                return ""
            digest.update(block)
    return digest.hexdigest()


def download(
    name: str,
    url: str,
    dest: Path,
    size: int,
    sha256: str,
    cancel: threading.Event | None = None,
) -> Iterator[Transfer]:
    """Download `url` to `dest`, resuming a kept part, and verify it before renaming.

    Raises:
        DownloadFailed: the server refused, the connection dropped, or the disk is full
            (the part is kept for the next attempt).
        ModelFileRejected: what arrived has the wrong size or hash (nothing is kept).
    """
    part = part_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    start = part.stat().st_size if part.exists() else 0
    if start > size:  # not a prefix of this file: start over
        part.unlink()
        start = 0
    digest = hashlib.sha256()
    if start:
        yield from _hash_prefix(name, part, start, size, digest, cancel)
        if cancel is not None and cancel.is_set():
            yield Transfer(name, TransferStage.CANCELLED, start, size, resumed_from=start)
            return
    if start < size:
        _check_space(name, part, size - start)
        try:
            with web.ranged_get(url, start) as response:
                if response.status_code == 200 and start:  # the server ignored the range
                    start, digest = 0, hashlib.sha256()
                elif response.status_code not in (200, 206):
                    raise DownloadFailed(
                        "download_refused", name=name, url=url, status=response.status_code
                    )
                chunks = response.iter_bytes()  # as they arrive: a drop loses nothing read
                yield from _receive(name, chunks, part, start, size, digest, cancel)
        except web.HTTPError as exc:
            kept = part.stat().st_size if part.exists() else 0
            detail = str(exc) or type(exc).__name__
            raise DownloadFailed(
                "download_failed", name=name, detail=detail, kept=kept // 1_000_000
            ) from None
        if cancel is not None and cancel.is_set():
            done = part.stat().st_size
            yield Transfer(name, TransferStage.CANCELLED, done, size, resumed_from=start)
            return
    yield _install(name, part, dest, size, sha256, digest.hexdigest(), start)


def copy_verified(
    name: str,
    source: Path,
    dest: Path,
    size: int,
    sha256: str,
    cancel: threading.Event | None = None,
) -> Iterator[Transfer]:
    """Copy `source` (a USB stick, a share) to `dest` the same way: part, hash, rename.

    Unlike a download, a copy that fails or is cancelled removes its part: the source
    is still there to copy again, and the space is given back.
    """
    part = part_path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part.unlink(missing_ok=True)
    _check_space(name, part, size)
    digest = hashlib.sha256()
    try:
        with _opened(source) as fh:
            yield from _receive(name, _blocks(source, fh), part, 0, size, digest, cancel)
    except (DownloadFailed, ModelFileRejected):
        part.unlink(missing_ok=True)
        raise
    if cancel is not None and cancel.is_set():
        part.unlink(missing_ok=True)
        yield Transfer(name, TransferStage.CANCELLED, 0, size)
        return
    yield _install(name, part, dest, size, sha256, digest.hexdigest(), 0)


def _opened(source: Path) -> BinaryIO:
    try:
        return source.open("rb")
    except OSError as exc:
        detail = exc.strerror or str(exc)
        raise ModelFileRejected("import_unreadable", path=str(source), detail=detail) from None


def _blocks(source: Path, fh: BinaryIO) -> Iterator[bytes]:
    """The blocks of an opened source; a read error names the source, not the copy."""
    while True:
        try:
            block = fh.read(CHUNK)
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise ModelFileRejected("import_unreadable", path=str(source), detail=detail) from None
        if not block:
            return
        yield block


def _hash_prefix(
    name: str, part: Path, start: int, size: int, digest: Any, cancel: threading.Event | None
) -> Iterator[Transfer]:
    """Hash the bytes an earlier attempt kept, so the whole file's hash is known at the end."""
    done = 0
    with part.open("rb") as fh:
        while block := fh.read(CHUNK):
            if cancel is not None and cancel.is_set():
                return
            digest.update(block)
            done += len(block)
            yield Transfer(name, TransferStage.CHECKING, done, size, resumed_from=start)


def _receive(
    name: str,
    chunks: Iterable[bytes],
    part: Path,
    start: int,
    size: int,
    digest: Any,
    cancel: threading.Event | None,
) -> Iterator[Transfer]:
    """Append `chunks` to `part` (truncated to `start`), hashing them; progress per chunk."""
    began = time.monotonic()
    done = start
    try:
        with part.open("r+b" if start else "wb") as fh:
            if start:  # drop anything past the hashed prefix
                fh.seek(start)
                fh.truncate()
            for chunk in chunks:
                if cancel is not None and cancel.is_set():
                    break
                if done + len(chunk) > size:  # more than the manifest says: not this file
                    chunk = chunk[: size - done + 1]
                fh.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                elapsed = time.monotonic() - began
                rate = (done - start) / elapsed if elapsed > 0 else 0.0
                yield Transfer(name, TransferStage.RECEIVING, done, size, rate, start)
                if done > size:
                    break
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG):
            need = max(size - _size_of(part), size - done, 0)
            raise DownloadFailed(
                "disk_full",
                name=name,
                folder=str(part.parent),
                need_gb=f"{need / 1e9:.1f}",
                part=str(part),
            ) from None
        raise DownloadFailed(
            "model_write_failed", path=str(part), detail=exc.strerror or str(exc)
        ) from None


def _install(
    name: str, part: Path, dest: Path, size: int, expected: str, actual: str, resumed: int
) -> Transfer:
    """Rename a verified part into place; delete a wrong one and say why."""
    got = part.stat().st_size
    if got != size:
        part.unlink()
        raise ModelFileRejected(N_plural("size_mismatch"), name=name, count=got, expected=size)
    if actual != expected:
        part.unlink()
        raise ModelFileRejected("checksum_mismatch", name=name, actual=actual, expected=expected)
    os.replace(part, dest)
    return Transfer(name, TransferStage.DONE, size, size, resumed_from=resumed, path=dest)


def _check_space(name: str, part: Path, needed: int) -> None:
    """Refuse before writing when the folder cannot hold the rest of the file."""
    free = shutil.disk_usage(part.parent).free
    if free < needed:
        raise DownloadFailed(
            "disk_full",
            name=name,
            folder=str(part.parent),
            need_gb=f"{needed / 1e9:.1f}",
            part=str(part),
        )


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
