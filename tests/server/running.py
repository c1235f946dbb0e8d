"""A real team server on 127.0.0.1 with TLS, in this process, for tests and benchmarks."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from core import Engine
from server.app import create_app
from server.jobs import Jobs

START_TIMEOUT_S = 30.0


@dataclass
class RunningServer:
    """A server listening on loopback, and what a client needs to reach it."""

    engine: Engine
    jobs: Jobs
    url: str
    cert_file: Path
    fingerprint: str
    port: int

    def tls(self) -> ssl.SSLContext:
        """A client TLS context trusting exactly this server's certificate."""
        return ssl.create_default_context(cafile=str(self.cert_file))

    def client(self, token: str = "", **headers: str) -> httpx.Client:
        """An HTTPS client, authenticated with `token` (a login's or an API key) if given."""
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, verify=self.tls(), headers=headers, timeout=60)

    def login(self, username: str, password: str) -> str:
        """A bearer token for the account."""
        with self.client() as http:
            response = http.post("/api/login", json={"username": username, "password": password})
        response.raise_for_status()
        token: str = response.json()["token"]
        return token


@contextmanager
def running(engine: Engine, jobs: Jobs | None = None) -> Iterator[RunningServer]:
    """Serve `engine` over HTTPS on a free loopback port until the block ends."""
    tls = engine.system.server_certificate(["127.0.0.1", "localhost"])
    jobs = jobs or Jobs()
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that name it, and
    # without it every response waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(engine, jobs=jobs),
        ssl_certfile=str(tls.cert_file),
        ssl_keyfile=str(tls.key_file),
        ssl_keyfile_password=tls.key_password,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield RunningServer(
            engine, jobs, f"https://127.0.0.1:{port}", tls.cert_file, tls.fingerprint, port
        )
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
