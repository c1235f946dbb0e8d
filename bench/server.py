"""Team server under load: searches and streamed answers over HTTPS, server in its own process.

The store is built in this process (real E5 embedder, a few Debian FAQ pages, five
users), which also times in-process `engine.answers.search` as the baseline. Then
`konspekt serve` runs as a separate process on a free loopback port, so its memory is
its own (VmRSS / VmHWM from /proc), and is measured unloaded (one answer at a time)
and under load: 50 clients x 10 searches, then 10 concurrent answers from 5 users.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import (
    CORPUS,
    REPO,
    bench_session,
    bench_settings,
    default_embedder,
    percentile,
    scratch,
)
from core import Access, Engine, Role
from core.llm.catalog import demo_model_path
from core.settings import free_cores

DOCS = ("pkgtools.en.html", "pkg-basics.en.html", "kernel.en.html", "software.en.html")
QUERIES = (
    "how to install a package",
    "dpkg and apt tools",
    "compile a custom kernel",
    "which software does Debian include",
    "remove a package and its configuration",
)
USERS = tuple(f"user{i}" for i in range(1, 6))
PASSWORD = "bench user password"
KB = "faq"
MAX_TOKENS = 48
SOURCES = 3  # passages per answer: keeps SmolLM2's prompt short enough for 2 cores
LLM_THREADS = 1  # the other core serves HTTP and the clients; llama.cpp threads spin-wait
SEARCH_CLIENTS, SEARCHES_EACH = 50, 10
SEARCHES_ALONE = 40  # one caller: in process, then over HTTPS
ANSWERS_EACH = 2  # per user: 10 concurrent answers
UNLOADED_ANSWERS = 2
START_TIMEOUT_S = 120.0
QUESTIONS = (  # all different: an identical prompt would be answered from llama.cpp's KV cache
    "What tools does Debian provide to manage packages?",
    "How do I install a package that is not in the archive?",
    "What is dpkg?",
    "How can I find which package holds a file?",
    "What is the difference between apt and dselect?",
    "How do I remove a package completely?",
    "Can I compile my own kernel on Debian?",
    "What does a Debian package contain?",
    "How are package dependencies handled?",
    "What is a virtual package?",
    "How do I keep my system up to date?",
    "Which desktop software ships with Debian?",
    "How do I hold a package at its current version?",
    "What are the package priorities?",
)


@dataclass
class Tally:
    """Failures seen by the clients: non-2xx answers, error events, exceptions."""

    count: int = 0
    first: str = ""

    def add(self, what: str) -> None:
        """Count one failure, keeping the first one's description."""
        self.count += 1
        self.first = self.first or what


@dataclass(frozen=True)
class AnswerRun:
    """One streamed answer as a client saw it."""

    user: str
    ttft_ms: float
    generating_s: float
    tokens: int
    queued: bool
    prompt_tokens: int


def _prepare(folder: Path) -> tuple[Path, list[float]]:
    """Build the store; return its data folder and in-process search latencies (ms)."""
    settings = bench_settings(
        folder,
        model_path=demo_model_path(),
        max_answer_tokens=MAX_TOKENS,
        temperature=0.0,
        sources=SOURCES,
        n_threads=LLM_THREADS,
        server_grace_seconds=5.0,
    )
    docs = folder / "docs"
    docs.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / "debian-faq" / "en" / name, docs)
    with Engine(settings, embedder=default_embedder(free_cores())) as engine:
        admin = bench_session(engine)
        engine.kbs.create(admin, KB)
        list(engine.documents.ingest(admin, [docs], kb=KB))
        for name in USERS:
            engine.identity.register(name, PASSWORD)
            engine.accounts.approve_user(admin, name, Role.MEMBER)
            engine.kbs.share(admin, KB, user=name, access=Access.READ)
        who = engine.identity.login(USERS[0], PASSWORD)
        _timed(lambda q: engine.answers.search(who, q, KB), len(QUERIES))  # warm caches
        baseline = _timed(lambda q: engine.answers.search(who, q, KB), SEARCHES_ALONE)
    settings.save()  # the server process reads konspekt.toml from the data folder
    return settings.data_dir, baseline


def _timed(fn: Callable[[str], object], repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        t0 = time.perf_counter()
        fn(QUERIES[i % len(QUERIES)])
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(data: Path, log: Path) -> Iterator[tuple[str, ssl.SSLContext, int]]:
    """`konspekt serve` in its own process; yields its URL, a pinned TLS context, its pid."""
    port = _free_port()
    command = [sys.executable, "-m", "cli", "--data-dir", str(data), "--lang", "en", "serve"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"https://127.0.0.1:{port}"
    try:
        tls = _wait_ready(proc, url, data / "tls" / "server.crt", log)
        yield url, tls, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        print(f"  server exit status after SIGTERM: {proc.returncode}")


def _wait_ready(proc: subprocess.Popen[bytes], url: str, cert: Path, log: Path) -> ssl.SSLContext:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        if cert.exists():
            tls = ssl.create_default_context(cafile=str(cert))
            try:
                if httpx.get(f"{url}/health", verify=tls, timeout=5).status_code == 200:
                    return tls
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start; its log:\n{log.read_text()[-3000:]}")


def _rss(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of `pid` in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


def _searches(
    url: str, tls: ssl.SSLContext, tokens: list[str], clients: int, each: int, errors: Tally
) -> list[float]:
    """`clients` concurrent clients, each with its own connection, `each` searches apiece."""
    latencies: list[float] = []
    start = threading.Barrier(clients)

    def client(n: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
        with httpx.Client(base_url=url, verify=tls, headers=headers, timeout=120) as http:
            start.wait()
            for i in range(each):
                body = {"query": QUERIES[(n + i) % len(QUERIES)], "kb": KB, "limit": 10}
                t0 = time.perf_counter()
                try:
                    response = http.post("/api/search", json=body)
                except httpx.HTTPError as exc:
                    errors.add(f"search: {exc!r}")
                    continue
                latencies.append((time.perf_counter() - t0) * 1000)
                if not response.is_success:
                    errors.add(f"search: HTTP {response.status_code} {response.text[:200]}")

    _together([lambda n=n: client(n) for n in range(clients)])  # type: ignore[misc]
    return latencies


def _together(jobs: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _answer(
    url: str,
    tls: ssl.SSLContext,
    user: str,
    token: str,
    n: int,
    errors: Tally,
    runs: list[AnswerRun],
) -> None:
    """Ask question `n` over SSE; record TTFT (from sending) and first-token-to-done time."""
    headers = {"Authorization": f"Bearer {token}"}
    first = done = 0.0
    tokens, queued, name, prompt = 0, False, "", 0
    try:
        with httpx.Client(base_url=url, verify=tls, headers=headers, timeout=300) as http:
            t0 = time.perf_counter()
            body = {"question": QUESTIONS[n % len(QUESTIONS)], "kb": KB}
            with http.stream("POST", "/api/answers", json=body) as response:
                if not response.is_success:
                    errors.add(f"answer: HTTP {response.status_code}")
                    return
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        name = line.partition(":")[2].strip()
                    elif line.startswith("data:") and name == "token":
                        tokens += 1
                        first = first or time.perf_counter()
                    elif line.startswith("data:") and name == "queued":
                        queued = True
                    elif line.startswith("data:") and name == "error":
                        errors.add(f"answer: error event {json.loads(line[5:])}")
                    elif line.startswith("data:") and name == "done":
                        done = time.perf_counter()
                        prompt = int(json.loads(line[5:])["prompt_tokens"])
    except httpx.HTTPError as exc:
        errors.add(f"answer: {exc!r}")
        return
    if not (first and done):
        errors.add(f"answer: stream ended without tokens and done ({tokens} tokens)")
        return
    runs.append(AnswerRun(user, (first - t0) * 1000, done - first, tokens, queued, prompt))


def _login(url: str, tls: ssl.SSLContext, name: str) -> str:
    body = {"username": name, "password": PASSWORD}
    response = httpx.post(f"{url}/api/login", json=body, verify=tls, timeout=60)
    response.raise_for_status()
    return str(response.json()["token"])


def _row(label: str, values: list[float], base: float | None = None, unit: str = "ms") -> None:
    p50, p95 = percentile(values, 50), percentile(values, 95)
    ratio = f"{p50 / base:6.2f}x" if base else ""
    print(f"  {label:40s} {p50:9.1f} {p95:9.1f} {unit:>3s}  n={len(values):<4d} {ratio}")


def main() -> None:
    """Build, serve, load, and print the table."""
    # A benchmark stopped with SIGTERM (`timeout`) still stops its server (finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = scratch("server")
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    _note("building the store and timing in-process search")
    data, in_process = _prepare(folder)
    _note("starting konspekt serve")
    errors = Tally()
    memory: dict[str, tuple[float, float]] = {}
    with _serving(data, folder / "server.log") as (url, tls, pid):
        memory["started"] = _rss(pid)
        tokens = {name: _login(url, tls, name) for name in USERS}
        quiet: list[AnswerRun] = []
        _note("one answer at a time")
        _answer(url, tls, USERS[0], tokens[USERS[0]], 0, errors, [])  # waits for the model load
        for n in range(1, 1 + UNLOADED_ANSWERS):
            _answer(url, tls, USERS[0], tokens[USERS[0]], n, errors, quiet)
        memory["model loaded"] = _rss(pid)
        _note("searches: one caller, then 50 at once")
        single = _searches(url, tls, [tokens[USERS[0]]], 1, SEARCHES_ALONE, errors)
        t0 = time.perf_counter()
        loaded = _searches(url, tls, list(tokens.values()), SEARCH_CLIENTS, SEARCHES_EACH, errors)
        throughput = len(loaded) / (time.perf_counter() - t0)
        memory["after search load"] = _rss(pid)
        runs: list[AnswerRun] = []
        _note("10 answers at once")
        _together(
            [
                lambda u=u, n=n: _answer(url, tls, u, tokens[u], n, errors, runs)  # type: ignore[misc]
                for n, u in enumerate(USERS * ANSWERS_EACH, start=1 + UNLOADED_ANSWERS)
            ]
        )
        memory["after answer load"] = _rss(pid)
    _report(in_process, single, loaded, throughput, quiet, runs, errors, memory)
    print(
        f"  whole benchmark: {time.perf_counter() - started:.0f} s; machine load average "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (other work "
        "on these cores skews every figure)"
    )
    if errors.count:
        print(f"  (kept {folder} for its server.log)")
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _note(phase: str) -> None:
    print(f"  … {phase}", file=sys.stderr, flush=True)


def _report(
    in_process: list[float],
    single: list[float],
    loaded: list[float],
    throughput: float,
    quiet: list[AnswerRun],
    runs: list[AnswerRun],
    errors: Tally,
    memory: dict[str, tuple[float, float]],
) -> None:
    print(
        f"\n== team server over HTTPS ({len(DOCS)} FAQ pages, SmolLM2-135M, {MAX_TOKENS} tokens "
        f"max, llama.cpp {LLM_THREADS} thread, {os.cpu_count()} cores for server and clients) =="
    )
    print(f"  {'':40s} {'p50':>9s} {'p95':>9s}             vs baseline p50")
    base = percentile(in_process, 50)
    _row("search in-process (baseline)", in_process)
    _row("search over HTTPS, 1 client", single, base)
    _row(f"search over HTTPS, {SEARCH_CLIENTS} clients x {SEARCHES_EACH}", loaded, base)
    alone = 1000 / statistics.fmean(single)
    print(
        f"  search throughput under load {throughput:5.1f}/s vs one HTTPS caller {alone:5.1f}/s "
        f"({throughput / alone:.2f}x)"
    )
    quiet_ttft = percentile([r.ttft_ms for r in quiet], 50)
    _row("TTFT, one answer at a time (baseline)", [r.ttft_ms for r in quiet])
    _row(f"TTFT, {len(runs)} concurrent answers", [r.ttft_ms for r in runs], quiet_ttft)
    if quiet:
        rate = statistics.median(r.tokens / r.generating_s for r in quiet if r.generating_s)
        prompt = statistics.median(r.prompt_tokens for r in quiet + runs)
        print(f"  generation alone: {rate:.0f} tokens/s; prompts: median {prompt:.0f} tokens")
    per_user: dict[str, float] = defaultdict(float)
    made: dict[str, int] = defaultdict(int)
    for run in runs:
        per_user[run.user] += run.generating_s
        made[run.user] += run.tokens
    total = sum(per_user.values()) or 1.0
    shares = {u: per_user[u] / total for u in USERS}
    print("  share of generation time: " + "  ".join(f"{u} {s:.1%}" for u, s in shares.items()))
    print("  tokens streamed per user:  " + "  ".join(f"{u} {made[u]:5d}" for u in USERS))
    low = min(shares.values())
    print(
        f"  fairness max/min share: {max(shares.values()) / low:.2f}x"
        if low
        else "  fairness: a user got no generation time"
    )
    print(f"  answers that saw a 'queued' event: {sum(r.queued for r in runs)} of {len(runs)}")
    print(
        f"  errors (non-2xx, error events, exceptions): {errors.count}"
        + (f"   first: {errors.first}" if errors.first else "")
    )
    for label, (rss, peak) in memory.items():
        print(f"  server memory {label:20s} RSS {rss:7.1f} MiB   peak (VmHWM) {peak:7.1f} MiB")


if __name__ == "__main__":
    main()
