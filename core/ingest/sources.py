"""Walk the paths given to ingest: files, folder trees and zip archives, with guards.

Zip members are read into memory and never extracted to disk, so no plaintext copy
of a document lands in a temporary folder.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from core.errors import FileRejected

ARCHIVE_SEPARATOR = "!/"
MAX_ZIP_DEPTH = 2
MAX_ZIP_RATIO = 200
MAX_ZIP_TOTAL = 2 * 1024**3
MAX_ZIP_MEMBERS = 20_000
_SKIPPED_NAMES = ("~$", ".~lock", ".")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One document to ingest: its identity, display name, and how to read it."""

    source: str
    """Stable identity: absolute path, or 'archive.zip!/member/path'."""
    name: str
    size: int
    read: Callable[[], bytes]
    stamp: str = ""
    """Changes whenever the content may have (size and modification time, or a zip
    member's CRC); '' where there is none. An equal stamp lets a rescan skip reading."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A path that could not even be read as a source, with the reason."""

    source: str
    error: FileRejected


@dataclass(frozen=True, slots=True)
class Root:
    """A folder or archive that was walked: documents under it that vanished are removed."""

    prefix: str


Entry = SourceFile | Rejected | Root


def is_zip_name(name: str) -> bool:
    """Whether a file name says zip archive."""
    return name.lower().endswith(".zip")


def walk(paths: list[Path], max_bytes: int) -> Iterator[Entry]:
    """Yield every source under `paths`, in a stable order, and the roots walked."""
    for path in paths:
        path = path.expanduser().absolute()
        if not path.exists():
            yield Rejected(str(path), FileRejected("path_missing", name=str(path)))
        elif path.is_dir():
            yield Root(str(path) + os.sep)
            yield from _walk_folder(path, max_bytes)
        else:
            yield from _file_entries(path, max_bytes)


def _walk_folder(folder: Path, max_bytes: int) -> Iterator[Entry]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(_SKIPPED_NAMES):
                yield from _file_entries(Path(current) / name, max_bytes)


def _file_entries(path: Path, max_bytes: int) -> Iterator[Entry]:
    source = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        yield Rejected(source, FileRejected("file_unreadable", name=source, detail=exc.strerror))
        return
    size = info.st_size
    if is_zip_name(path.name):
        # Archives may exceed the per-file limit; members are read lazily, each within it.
        yield Root(source + ARCHIVE_SEPARATOR)
        yield from _zip_entries(source, partial(zipfile.ZipFile, path), max_bytes, depth=1)
        return
    stamp = f"{size}:{info.st_mtime_ns}"
    yield SourceFile(source, path.name, size, partial(_read_file, path, max_bytes), stamp)


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise FileRejected("file_unreadable", name=str(path), detail=exc.strerror) from None
    return data


def _zip_entries(
    source: str, opener: Callable[[], zipfile.ZipFile], max_bytes: int, depth: int
) -> Iterator[Entry]:
    try:
        archive = opener()
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Rejected(source, FileRejected("file_corrupt", name=source, detail=str(exc)))
        return
    problem = _archive_problem(members)
    if problem:
        yield Rejected(source, FileRejected("zip_unsafe", name=source, detail=problem))
        return
    for member in sorted(members, key=lambda m: m.filename):
        name = PurePosixPath(member.filename).name
        if not name or name.startswith(_SKIPPED_NAMES):
            continue
        member_source = source + ARCHIVE_SEPARATOR + member.filename
        if member.file_size > max_bytes:
            yield Rejected(member_source, too_large(member_source, member.file_size, max_bytes))
            continue
        if is_zip_name(name):
            if depth >= MAX_ZIP_DEPTH:
                yield Rejected(
                    member_source,
                    FileRejected(
                        "zip_unsafe", name=member_source, detail="archives nested too deep"
                    ),
                )
                continue
            try:
                inner = _read_member(archive, member, max_bytes, member_source)
            except FileRejected as exc:
                yield Rejected(member_source, exc)
                continue
            yield Root(member_source + ARCHIVE_SEPARATOR)
            yield from _zip_entries(
                member_source, partial(_zip_in_memory, inner), max_bytes, depth + 1
            )
            continue
        yield SourceFile(
            member_source,
            name,
            member.file_size,
            partial(_read_member, archive, member, max_bytes, member_source),
            f"zip:{member.file_size}:{member.CRC:08x}",
        )


def _zip_in_memory(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _archive_problem(members: list[zipfile.ZipInfo]) -> str:
    if len(members) > MAX_ZIP_MEMBERS:
        return f"more than {MAX_ZIP_MEMBERS} files"
    total = 0
    for m in members:
        parts = PurePosixPath(m.filename.replace("\\", "/")).parts
        if (
            m.filename.startswith(("/", "\\"))
            or ".." in parts
            or ":" in (parts[0] if parts else "")
        ):
            return f"unsafe path {m.filename!r}"
        if m.flag_bits & 0x1:
            return "the archive is password-protected"
        if m.compress_size and m.file_size / m.compress_size > MAX_ZIP_RATIO:
            return "compression ratio is suspicious (zip bomb?)"
        total += m.file_size
    if total > MAX_ZIP_TOTAL:
        return "uncompressed size over 2 GB (zip bomb?)"
    return ""


def too_large(source: str, size: int, max_bytes: int) -> FileRejected:
    """The error for a file over the size limit."""
    return FileRejected(
        "file_too_large",
        name=source,
        size_mb=round(size / 2**20, 1),
        limit_mb=round(max_bytes / 2**20),
    )


def _read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int, source: str
) -> bytes:
    try:
        with archive.open(member) as fh:
            data = fh.read(max_bytes + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise FileRejected("file_corrupt", name=source, detail=str(exc)) from None
    if len(data) > max_bytes:
        raise FileRejected("zip_unsafe", name=source, detail="member larger than declared")
    return data
