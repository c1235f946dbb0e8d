"""A real HTTP server on loopback that serves one model file with Range support.

It can be told to cut the connection after N bytes of a response (a dropped download)
and keeps the Range header of every request, for tests to assert what a resume asked.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FileServerState:
    """What the server serves and what it has seen."""

    body: bytes
    cut_after: int | None = None
    """Close the connection after this many body bytes (once), else serve it all."""
    pace_s: float = 0.0
    """Send the body in 16 KB pieces this far apart (a slow link, to interrupt)."""
    ranges: list[str] = field(default_factory=list)
    """The Range header of each GET ('' when none was sent)."""
    url: str = ""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        state = self.server.state
        if self.path == "/moved.gguf":
            self.send_response(302)
            self.send_header("Location", "/file.gguf")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/file.gguf":
            self.send_error(404)
            return
        header = self.headers.get("Range", "")
        state.ranges.append(header)
        start = 0
        found = re.fullmatch(r"bytes=(\d+)-", header)
        if found:
            start = int(found.group(1))
        if start >= len(state.body):
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(state.body)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        rest = state.body[start:]
        self.send_response(206 if found else 200)
        if found:
            end, size = len(state.body) - 1, len(state.body)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(rest)))
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        if state.cut_after is not None:
            self.wfile.write(rest[: state.cut_after])
            self.wfile.flush()
            state.cut_after = None
            self.close_connection = True
            return
        if state.pace_s:
            for at in range(0, len(rest), 16384):
                self.wfile.write(rest[at : at + 16384])
                self.wfile.flush()
                time.sleep(state.pace_s)
            return
        self.wfile.write(rest)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read `ranges` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FileServerState


@contextmanager
def serving(body: bytes) -> Iterator[FileServerState]:
    """Serve `body` at http://127.0.0.1:PORT/file.gguf (state.url) until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = FileServerState(body)
    server.state.url = f"http://127.0.0.1:{server.server_address[1]}/file.gguf"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
