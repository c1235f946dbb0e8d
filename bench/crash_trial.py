"""One crash trial: a child runs an operation on a prepared store, is killed -9, is checked.

The store is prepared once (12 small notes ingested and watched) and copied back before
each trial at the same path, so the watched folder's recorded path stays true. Each
operation's length is measured once by a run that is not killed. The trial's seed
decides the files changed and the moment of the kill as a share of that length: a
failing trial is replayed with `python -m bench crash --seed SEED --trials 1 --ops OP`.
"""

from __future__ import annotations

import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import crash_checks as checks
from bench.common import REPO, bench_session
from bench.crash_child import KB, campaign_settings
from core import Engine
from core.search.embedder import Embedder

OPERATIONS = ("ingest", "reindex", "delete", "watch", "rotate")
LATE = 1.15
"""Kills are drawn in [0, LATE x the operation's length): some come after it ended."""
START_TIMEOUT_S = 180.0
PROBE_TIMEOUT_S = 300.0


@dataclass
class Trial:
    """What one trial did and found."""

    seed: int
    operation: str
    delay_s: float
    finished: bool = False
    """The operation ended (DONE) before the kill came."""
    committed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    rotated: bool = False
    ran_s: float = 0.0
    pending_key: bool = False
    """The kill left a key rotation pending (the opening finishes or abandons it)."""
    """Seconds from START to the kill (or to DONE)."""
    orphans_repaired: int = 0
    recovery_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """No check found a problem."""
        return not self.problems

    def line(self) -> str:
        """One report line."""
        moment = "after the end" if self.finished else f"at {self.delay_s:5.2f} s"
        done = len(self.committed) + len(self.deleted) + self.rotated
        verdict = "ok" if self.passed else "FAIL: " + "; ".join(self.problems)
        verdict = ("key pending  " if self.pending_key else "") + verdict
        return (
            f"seed {self.seed:>10}  {self.operation:<8} kill {moment:<14} "
            f"{done:>2} committed  reopen {self.recovery_s:5.2f} s  "
            f"orphans {self.orphans_repaired:>3}  {verdict}"
        )


class Campaign:
    """A prepared store under `root` and the trials run on it."""

    def __init__(
        self,
        root: Path,
        embedder: Embedder,
        files: int = 12,
        lengths: dict[str, float] | None = None,
    ) -> None:
        """Prepare the store; `lengths` (seconds per operation) skips measuring them."""
        self.root, self.embedder = root, embedder
        self.work, self.pristine = root / "work", root / "pristine"
        self.lengths = dict(lengths or {})
        self._prepare(files)

    def _prepare(self, files: int) -> None:
        for folder, count in (("files", files), ("new", files // 2)):
            (self.work / folder).mkdir(parents=True)
            for i in range(count):
                _note(self.work / folder / f"{folder}-{i:02d}.txt", i, 0)
        with Engine(campaign_settings(self.work), embedder=self.embedder) as engine:
            admin = bench_session(engine)
            list(engine.documents.ingest(admin, [self.work / "files"], kb=KB))
            engine.watches.add(admin, self.work / "files", KB)
            chunk_ids = [int(r[0]) for r in engine.context.db.query("SELECT id FROM chunks")]
            self.vectors = engine.context.index.open().vectors.vectors_of(chunk_ids)
        self.key = (self.work / "data" / "konspekt.key").read_text(encoding="ascii")
        shutil.copytree(self.work, self.pristine)

    def run(self, seed: int, operation: str) -> Trial:
        """Reset the store, change files as the operation needs, run, kill, check."""
        length = self.length(operation)
        rng = random.Random(seed)
        self._reset(operation, rng)
        trial = Trial(seed, operation, rng.uniform(0.0, LATE) * length)
        self._kill_child(trial)
        self._recover(trial)
        return trial

    def length(self, operation: str) -> float:
        """Seconds the operation runs here uninterrupted, measured once by a probe run."""
        if operation not in self.lengths:
            self._reset(operation, random.Random(0))
            probe = Trial(0, operation, PROBE_TIMEOUT_S)
            self._kill_child(probe)
            if not probe.finished:
                raise RuntimeError(f"{operation} did not end within {PROBE_TIMEOUT_S:.0f} s")
            self.lengths[operation] = probe.ran_s
        return self.lengths[operation]

    def _reset(self, operation: str, rng: random.Random) -> None:
        shutil.rmtree(self.work)
        shutil.copytree(self.pristine, self.work)
        if operation in ("reindex", "watch"):
            _change_files(self.work / "files", rng)

    def _kill_child(self, trial: Trial) -> None:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.crash_child", str(self.work), trial.operation],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        started, done = threading.Event(), threading.Event()
        reader = threading.Thread(target=_read, args=(child, lines, started, done), daemon=True)
        reader.start()
        if not started.wait(START_TIMEOUT_S):
            child.kill()
            raise RuntimeError(f"the child did not start within {START_TIMEOUT_S:.0f} s")
        t0 = time.monotonic()
        trial.finished = done.wait(trial.delay_s)
        trial.ran_s = time.monotonic() - t0
        tree = checks.process_tree(child.pid)
        child.send_signal(signal.SIGKILL)
        child.wait(60)
        reader.join(60)
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "COMMITTED":
                trial.committed.append(rest)
            elif word == "DELETED":
                trial.deleted.append(rest)
            trial.rotated |= word == "ROTATED"
        record = (self.work / "data" / "keystore.json").read_text(encoding="utf-8")
        trial.pending_key = '"pending"' in record
        left = checks.survivors(tree)
        if left:
            trial.problems.append(f"processes left behind the killed child: {left}")

    def _recover(self, trial: Trial) -> None:
        t0 = time.perf_counter()
        engine = Engine(campaign_settings(self.work), embedder=self.embedder)
        with engine:
            engine.context.index.open()  # reconciles the vectors with the rows
            trial.recovery_s = time.perf_counter() - t0
            trial.orphans_repaired = engine.context.index.last_reconcile.orphan_vectors
            admin = bench_session(engine)
            trial.problems += checks.key_problems(self.work / "data", self.key, trial.rotated)
            trial.problems += checks.store_problems(engine)
            trial.problems += checks.audit_problems(engine, admin)
            trial.problems += checks.commit_problems(engine, admin, trial.committed, trial.deleted)
            survived = {i: v for i, v in self.vectors.items() if i in _chunk_ids(engine)}
            trial.problems += checks.vector_problems(engine, survived)
            self._rerun(engine, trial.operation)
            trial.problems += [f"after re-run: {p}" for p in checks.store_problems(engine)]
            expected = {str(p) for p in self._ingested(trial.operation) if p.is_file()}
            found = set(checks.indexed(engine, admin))
            if found != expected:
                trial.problems.append(f"re-run did not converge ({len(found ^ expected)} differ)")

    def _ingested(self, operation: str) -> list[Path]:
        folders = ["files", "new"] if operation == "ingest" else ["files"]
        return [p for f in folders for p in sorted((self.work / f).iterdir())]

    def _rerun(self, engine: Engine, operation: str) -> None:
        """The same ingest again (a delete or a rotation is followed by a plain ingest)."""
        admin = bench_session(engine)
        if operation == "watch":
            engine.watches.scan(admin)
            return
        folders = ["files", "new"] if operation == "ingest" else ["files"]
        list(engine.documents.ingest(admin, [self.work / f for f in folders], kb=KB))


def median_recovery(trials: list[Trial]) -> float:
    """Median seconds from opening the engine to a reconciled index."""
    return statistics.median(t.recovery_s for t in trials) if trials else 0.0


def _chunk_ids(engine: Engine) -> set[int]:
    return {int(r[0]) for r in engine.context.db.query("SELECT id FROM chunks")}


def _read(
    child: subprocess.Popen[str],
    lines: list[str],
    started: threading.Event,
    done: threading.Event,
) -> None:
    assert child.stdout is not None
    for raw in child.stdout:
        line = raw.rstrip("\n")
        if line == "START":
            started.set()
        elif line == "DONE":
            done.set()
        else:
            lines.append(line)


def _note(path: Path, i: int, version: int) -> None:
    paragraphs = [
        f"Note {i}, version {version}, paragraph {j}: the committee reviewed item "
        f"{i * 100 + j} and asked the harbour office for a {['short', 'full'][j % 2]} report."
        for j in range(8)
    ]
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def _change_files(folder: Path, rng: random.Random) -> None:
    """Change four notes, remove two and add two (what a re-index or a rescan finds)."""
    notes = sorted(folder.iterdir())
    picked = rng.sample(notes, 6)
    for path in picked[:4]:
        _note(path, notes.index(path), rng.randint(1, 999))
    for path in picked[4:]:
        path.unlink()
    for k in range(2):
        _note(folder / f"added-{k}.txt", 50 + k, rng.randint(1, 999))
