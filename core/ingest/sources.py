"""Walk the paths given to ingest: files, folder trees and zip archives, with guards.

Zip members are read into memory and never extracted to disk, so no plaintext copy
of a document lands in a temporary folder.

A folder may be shared with people who can plant files in it, so a walk reads only
regular files that really lie under the folder: a symbolic link leading out of it (to
someone's ~/.ssh, say), a FIFO, socket or device, and Konspekt's own data (its data
folder, key file and backups) are skipped and reported, never opened. A file is opened
without following a final symbolic link and without blocking, and must still be the very
file the walk saw, so swapping it for a link or a FIFO after the check gains nothing.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from core.errors import FileRejected
from core.types import Upload

ARCHIVE_SEPARATOR = "!/"
MAX_ZIP_DEPTH = 2
MAX_ZIP_RATIO = 200
MAX_ZIP_TOTAL = 2 * 1024**3
MAX_ZIP_MEMBERS = 20_000
_SKIPPED_NAMES = ("~$", ".~lock", ".")
UPLOAD_PREFIX = "upload:"


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


def walk(
    paths: Sequence[Path | Upload], max_bytes: int, private: Sequence[Path] = ()
) -> Iterator[Entry]:
    """Yield every source under `paths`, in a stable order, and the roots walked.

    Args:
        paths: Files, folders and zip archives, as the user named them, or files sent
            over the network (uploads). A path named directly may itself be a symbolic
            link: the user chose it.
        max_bytes: The per-file size limit.
        private: Konspekt's own data (data folder, key file, backups): never read, even
            when it lies inside a folder being walked.
    """
    own = tuple(real_path(p) for p in private)
    for path in paths:
        if isinstance(path, Upload):
            yield from _upload_entries(path, max_bytes)
            continue
        path = path.expanduser().absolute()
        source = str(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            yield Rejected(source, FileRejected("path_missing", name=source))
            continue
        except OSError as exc:
            yield Rejected(source, _unreadable(source, exc))
            continue
        real = real_path(path)
        if is_private(real, own):
            yield Rejected(source, FileRejected("file_own_data", name=source))
        elif stat.S_ISDIR(info.st_mode):
            yield Root(source + os.sep)
            yield from _walk_folder(path, real, max_bytes, own)
        elif stat.S_ISREG(info.st_mode):
            yield from _file_entries(path, real, info, max_bytes)
        else:
            yield Rejected(source, FileRejected("file_special", name=source))


def real_path(path: Path) -> Path:
    """`path` with every symbolic link resolved."""
    return Path(os.path.realpath(path.expanduser().absolute()))


def is_private(real: Path, own: Sequence[Path]) -> bool:
    """Whether the resolved `real` is one of Konspekt's own paths `own` or lies under one."""
    return any(real.is_relative_to(p) for p in own)


def _unreadable(source: str, exc: OSError) -> FileRejected:
    return FileRejected("file_unreadable", name=source, detail=exc.strerror or str(exc))


def _walk_folder(
    folder: Path, root: Path, max_bytes: int, own: tuple[Path, ...]
) -> Iterator[Entry]:
    """Regular files under `folder` (whose real path is `root`); links never descended."""
    for current, dirs, files in os.walk(folder, followlinks=False):
        kept = []
        for name in sorted(d for d in dirs if not d.startswith(".")):
            path = Path(current) / name
            checked = _checked(path, root, own)
            if isinstance(checked, Rejected):
                yield checked
            elif not path.is_symlink():  # a link inside the folder: walked where it leads
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith(_SKIPPED_NAMES):
                continue
            path = Path(current) / name
            checked = _checked(path, root, own)
            if isinstance(checked, Rejected):
                yield checked
            elif stat.S_ISREG(checked[1].st_mode):
                yield from _file_entries(path, *checked, max_bytes)
            else:
                yield Rejected(str(path), FileRejected("file_special", name=str(path)))


def _checked(
    path: Path, root: Path, own: tuple[Path, ...]
) -> Rejected | tuple[Path, os.stat_result]:
    """The real path and status of an entry found under `root`, or why it is skipped.

    Only `lstat` and `realpath` touch the entry: nothing is opened here.
    """
    source = str(path)
    try:
        info = os.lstat(path)
        real = real_path(path)
        if stat.S_ISLNK(info.st_mode):
            if not real.is_relative_to(root):
                return Rejected(source, FileRejected("file_link_outside", name=source))
            info = os.stat(real)
    except OSError as exc:
        return Rejected(source, _unreadable(source, exc))
    if is_private(real, own):
        return Rejected(source, FileRejected("file_own_data", name=source))
    return real, info


def _file_entries(path: Path, real: Path, info: os.stat_result, max_bytes: int) -> Iterator[Entry]:
    """The file at `path` (a regular file, really at `real`), or its zip members."""
    source = str(path)
    size = info.st_size
    identity = (info.st_dev, info.st_ino)
    if is_zip_name(path.name):
        # Archives may exceed the per-file limit; members are read lazily, each within it.
        yield Root(source + ARCHIVE_SEPARATOR)
        opener = partial(_open_zip, real, identity, source)
        yield from _zip_entries(source, opener, max_bytes, depth=1)
        return
    stamp = f"{size}:{info.st_mtime_ns}"
    read = partial(_read_file, real, identity, max_bytes, source)
    yield SourceFile(source, path.name, size, read, stamp)


def _upload_entries(upload: Upload, max_bytes: int) -> Iterator[Entry]:
    """A file sent over the network, or its zip members, read from memory."""
    name = PurePosixPath(upload.name.replace("\\", "/")).name
    source = UPLOAD_PREFIX + name
    if not name or name in (".", ".."):
        unnamed = FileRejected("file_unsupported", name=upload.name or "?", detail="no name")
        yield Rejected(source, unnamed)
    elif is_zip_name(name):
        yield Root(source + ARCHIVE_SEPARATOR)
        yield from _zip_entries(source, partial(_zip_in_memory, upload.data), max_bytes, depth=1)
    elif len(upload.data) > max_bytes:
        yield Rejected(source, too_large(source, len(upload.data), max_bytes))
    else:
        data = upload.data
        stamp = f"upload:{len(data)}:{zlib.crc32(data):08x}"
        yield SourceFile(source, name, len(data), lambda: data, stamp)


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
"""A final symbolic link fails the open (ELOOP); a FIFO swapped in does not block it."""


def _open_checked(real: Path, identity: tuple[int, int], source: str) -> io.BufferedReader:
    """`real` opened for reading, if it is still the regular file the walk saw."""
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(source, exc) from None
    fh = os.fdopen(fd, "rb")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        fh.close()
        raise FileRejected("file_special", name=source)
    if (info.st_dev, info.st_ino) != identity:
        fh.close()
        raise FileRejected("file_changed", name=source)
    return fh


def _read_file(real: Path, identity: tuple[int, int], max_bytes: int, source: str) -> bytes:
    with _open_checked(real, identity, source) as fh:
        try:
            return fh.read(max_bytes + 1)
        except OSError as exc:
            raise _unreadable(source, exc) from None


def _open_zip(real: Path, identity: tuple[int, int], source: str) -> zipfile.ZipFile:
    """The archive on an already checked file handle (kept open for lazy member reads)."""
    fh = _open_checked(real, identity, source)
    try:
        return zipfile.ZipFile(fh)
    except BaseException:
        fh.close()
        raise


def _zip_entries(
    source: str, opener: Callable[[], zipfile.ZipFile], max_bytes: int, depth: int
) -> Iterator[Entry]:
    try:
        archive = opener()
        members = [m for m in archive.infolist() if not m.is_dir()]
    except FileRejected as exc:
        yield Rejected(source, exc)
        return
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
