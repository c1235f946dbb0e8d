"""Process hardening: no core dumps, so keys and decrypted text never land in a crash file."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def _prctl(option: int, value: int = 0) -> int:
    """Linux prctl(2) through the C library; -1 where it is not available."""
    libc_name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or libc_name is None:
        return -1
    libc = ctypes.CDLL(libc_name, use_errno=True)
    return int(libc.prctl(option, value, 0, 0, 0))


def disable_core_dumps() -> None:
    """Forbid core files (RLIMIT_CORE 0) and, on Linux, mark the process non-dumpable.

    Non-dumpable also keeps other processes of the same user from attaching a debugger or
    reading /proc/<pid>/mem (where Yama does not already). Windows writes no core files
    by default; crash reports there are the operating system's setting.
    """
    try:
        import resource
    except ImportError:  # Windows
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _prctl(PR_SET_DUMPABLE, 0)


def dumpable() -> int:
    """The process's dumpable flag (1 yes, 0 no; -1 where prctl does not exist)."""
    return _prctl(PR_GET_DUMPABLE)
