"""Shared helpers for the benchmarks: corpus location, temp stores, percentiles."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from core import Engine, Session, Settings
from core.search.embedder import Embedder, create_embedder
from core.settings import default_cache_dir

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("KONSPEKT_CORPUS", REPO / "tests" / "corpus"))


def scratch(name: str) -> Path:
    """A fresh temporary folder for one benchmark."""
    return Path(tempfile.mkdtemp(prefix=f"konspekt-bench-{name}-"))


def default_embedder(threads: int) -> Embedder:
    """The embedder an installation uses by default (converted once into the user's cache)."""
    return create_embedder("e5-small", default_cache_dir(), threads)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(values: list[float]) -> str:
    """'p50 … p95 …' in milliseconds."""
    return (
        f"p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms   "
        f"mean {statistics.fmean(values):7.1f} ms"
    )


def bench_settings(folder: Path, **overrides: Any) -> Settings:
    """Settings for a scratch store: a key file (no keychain on a bench machine)."""
    return Settings.load(folder / "data", key_store="file", password_hash_ms=50, **overrides)


def bench_session(engine: Engine) -> Session:
    """The scratch store's admin, created on first use."""
    if engine.identity.needs_setup():
        return engine.identity.setup("bench", "bench password").session
    return engine.identity.login("bench", "bench password")
