"""One finding of `konspekt doctor`: a named check, its status and what it found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CheckStatus(StrEnum):
    """How a check came out; any FAIL makes `konspekt doctor` exit with 1."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    """A finding: `name` is a stable identifier (for scripts), `detail` is for people."""

    name: str
    status: CheckStatus
    detail: str


def gigabytes(size: int) -> str:
    """A byte count as people read disk and model sizes ('4.92 GB')."""
    return f"{size / 1e9:.2f} GB" if size >= 1e8 else f"{size / 1e6:.1f} MB"
