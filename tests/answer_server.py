"""A real OpenAI-compatible answer server on loopback: llama-cpp-python's, in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class AnswerServer:
    """A running server: its API base, its log, and the token-id prompts it received."""

    url: str
    log: Path
    prompts_file: Path

    def prompts(self) -> list[list[int]]:
        """Every token-id prompt the server was sent, oldest first."""
        if not self.prompts_file.exists():
            return []
        lines = self.prompts_file.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def answer_server(model: Path, folder: Path, n_ctx: int = 2048) -> Iterator[AnswerServer]:
    """Start `python -m tests.token_server` on `model`; wait for /v1/models; stop it after."""
    port = free_port()
    server = AnswerServer(f"http://127.0.0.1:{port}/v1", folder / "server.log", folder / "p.jsonl")
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "KONSPEKT_TEST_PROMPT_LOG": str(server.prompts_file),
    }
    command = [sys.executable, "-m", "tests.token_server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx)]
    command += ["--n_threads", "1", "--n_threads_batch", "1"]
    root = Path(__file__).resolve().parent.parent
    with server.log.open("wb") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: AnswerServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the answer server exited: {server.log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{server.url}/models", timeout=1.0).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the answer server did not start in {START_TIMEOUT_S:.0f} s")
