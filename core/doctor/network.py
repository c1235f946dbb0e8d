"""Records this process's attempts to reach the network, through a Python audit hook.

An audit hook cannot be removed once added, so one hook is added the first time a
recorder is entered and does nothing (a list check) while no recorder is active. It sees
what goes through Python's `socket` module — every Python HTTP client, DNS lookups —
and process starts; native code that opens sockets itself (C/C++/Rust libraries) is
invisible to it, which is why CI also runs the self-test in a namespace with no network.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from dataclasses import dataclass
from types import TracebackType
from typing import Any

_NAME_EVENTS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"})
_ADDRESS_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_PROCESS_EVENTS = frozenset({"subprocess.Popen", "os.system", "os.posix_spawn", "os.exec"})
_INET = (socket.AF_INET, socket.AF_INET6)


@dataclass(frozen=True, slots=True)
class NetworkAttempt:
    """One attempt to reach beyond this computer (or to start a process)."""

    event: str
    """The audit event: 'socket.connect', 'socket.getaddrinfo', 'subprocess.Popen'…"""
    target: str
    """Host and port, the name looked up, or the program started."""
    thread: str


class NetworkRecorder:
    """While entered, records every non-loopback connection attempt in any thread.

    Loopback (127.0.0.0/8, ::1, 'localhost'), AF_UNIX and other local socket families
    are not recorded. Processes started are recorded apart, in `processes`.
    """

    def __init__(self) -> None:
        self.attempts: list[NetworkAttempt] = []
        self.processes: list[NetworkAttempt] = []
        self._lock = threading.Lock()

    def __enter__(self) -> NetworkRecorder:
        _install()
        with _STATE.lock:
            _STATE.active.append(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        with _STATE.lock:
            _STATE.active.remove(self)

    def _add(self, attempt: NetworkAttempt, *, process: bool) -> None:
        with self._lock:
            (self.processes if process else self.attempts).append(attempt)


class _HookState:
    """The process-wide part: audit hooks are per process, whatever owns them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active: list[NetworkRecorder] = []
        self.installed = False


_STATE = _HookState()


def _install() -> None:
    with _STATE.lock:
        if not _STATE.installed:
            sys.addaudithook(_hook)
            _STATE.installed = True


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _STATE.active:
        return
    process = event in _PROCESS_EVENTS
    target = _program(event, args) if process else _remote_target(event, args)
    if target is None:
        return
    attempt = NetworkAttempt(event, target, threading.current_thread().name)
    for recorder in list(_STATE.active):
        recorder._add(attempt, process=process)


def _remote_target(event: str, args: tuple[Any, ...]) -> str | None:
    """'host:port' when the event reaches beyond this computer, else None."""
    if event in _ADDRESS_EVENTS and len(args) >= 2:
        family = getattr(args[0], "family", None)
        address = args[1]
        if family not in _INET or not isinstance(address, tuple) or not address:
            return None  # AF_UNIX, netlink…, or a connected socket's send
        host, port = address[0], address[1] if len(address) > 1 else ""
        return None if is_local_host(host) else f"{host}:{port}"
    if event in _NAME_EVENTS and args:
        host = args[0]
        port = args[1] if event == "socket.getaddrinfo" and len(args) > 1 else None
        if is_local_host(host):
            return None
        return f"{_text(host)}:{port}" if port is not None else _text(host)
    if event == "socket.gethostbyaddr" and args and not is_local_host(args[0]):
        return _text(args[0])
    return None


def is_local_host(host: object) -> bool:
    """Whether `host` names this computer: loopback, unspecified, 'localhost', or none."""
    if host is None:
        return True
    name = _text(host).strip().strip("[]").split("%", 1)[0].lower()
    if name in ("", "localhost") or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False  # a name: resolving it may ask a DNS server
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def _program(event: str, args: tuple[Any, ...]) -> str | None:
    if not args:
        return event
    if event == "subprocess.Popen" and len(args) >= 2:
        argv = args[1]
        first = argv if isinstance(argv, str | bytes) else next(iter(argv or ()), args[0])
        return _text(first)
    return _text(args[0])


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
