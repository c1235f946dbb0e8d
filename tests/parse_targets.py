"""Readers that misbehave on purpose, run by the parsing child in isolation tests.

A file whose name contains "segfault" kills the child with SIGSEGV (as a PDFium crash
would), "hang" never returns (a hanging file whose text is "announce:PATH" first creates
PATH, so a test knows the child is inside it); any other file is read by the real parser.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from core.ingest.document import ParsedDocument
from core.ingest.parsers import parse_in_child


def parse_or_misbehave(
    name: str | None, data: bytes = b"", display: str = ""
) -> ParsedDocument | None:
    """The real reader, except for the files named to crash or hang it."""
    if name is not None and "segfault" in name:
        os.kill(os.getpid(), signal.SIGSEGV)
    if name is not None and "hang" in name:
        if data.startswith(b"announce:"):
            Path(data.removeprefix(b"announce:").decode()).touch()
        time.sleep(3600)
    return parse_in_child(name, data, display)
