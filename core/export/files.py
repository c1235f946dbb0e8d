"""Files an export writes: whole or not at all, next to their final name, never in /tmp."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from core.errors import KnownError


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file written beside `path` and renamed onto it only once complete.

    The partial file lives in the chosen folder (never a temporary folder, where a
    plaintext copy would linger unseen) and is deleted if writing fails, so `path` is
    either the old file or the whole new one.

    Raises:
        KnownError: the folder cannot be written (`export_unwritable`, naming the path).
    """
    path = path.expanduser()
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        fh = open(partial, "xb")  # noqa: SIM115 (closed below, before the rename)
    except OSError as exc:
        raise KnownError("export_unwritable", path=path, detail=exc.strerror or exc) from None
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise KnownError("export_unwritable", path=path, detail=exc.strerror or exc) from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (see `atomic_file`); the path written."""
    with atomic_file(path) as fh:
        fh.write(data)
    return path.expanduser()
