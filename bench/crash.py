"""Randomized crash campaign: kill -9 at random moments of five operations, then check.

`python -m bench crash --trials 20 [--seed S] [--ops ingest,rotate]`

Each trial copies a prepared store back, has a child process ingest a folder, re-index
changed files, delete documents, scan the watched folder or rotate the key, kills it
with SIGKILL at a seeded random moment, reopens the store and checks: integrity, every
reported commit kept, no orphan vector or vector-less chunk, keyword rows = chunks,
originals readable, the audit chain, the key in force, no parser process left, and
that running the same ingest again converges on the files on disk.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time

from bench.common import default_embedder, scratch
from bench.crash_trial import OPERATIONS, Campaign, Trial, median_recovery


def run_campaign(trials: int, seed: int, operations: tuple[str, ...]) -> list[Trial]:
    """Run `trials` trials, operations in a seeded shuffled round, printing each line."""
    root = scratch("crash")
    try:
        t0 = time.perf_counter()
        campaign = Campaign(root, default_embedder(1))
        print(f"prepared store in {time.perf_counter() - t0:.1f} s; campaign seed {seed}")
        for operation in operations:
            print(f"  {operation:<8} runs {campaign.length(operation):5.2f} s when not killed")
        rng = random.Random(seed)
        order: list[str] = []
        done: list[Trial] = []
        for index in range(trials):
            if not order:
                order = rng.sample(operations, len(operations))
            trial = campaign.run(rng.randrange(2**31), order.pop())
            done.append(trial)
            print(f"{index + 1:>3}  {trial.line()}", flush=True)
        return done
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(trials: list[Trial]) -> str:
    """The campaign's summary (what the docs quote)."""
    failed = [t for t in trials if not t.passed]
    ended = sum(t.finished for t in trials)
    before = sum(not t.finished and not (t.committed or t.deleted or t.rotated) for t in trials)
    lines = [
        f"trials {len(trials)}   passed {len(trials) - len(failed)}   failed {len(failed)}",
        f"kills before the first commit {before}, between commits "
        f"{len(trials) - before - ended}, after the operation ended {ended}",
        f"median reopen (engine + reconciled index) {median_recovery(trials):.2f} s; "
        f"orphan vectors repaired {sum(t.orphans_repaired for t in trials)}; "
        f"rotations left pending {sum(t.pending_key for t in trials)}",
    ]
    for operation in OPERATIONS:
        mine = [t for t in trials if t.operation == operation]
        if mine:
            ok = sum(t.passed for t in mine)
            lines.append(f"  {operation:<8} {ok}/{len(mine)} passed")
    lines += [f"replay: --seed {t.seed} --trials 1 --ops {t.operation}" for t in failed]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench crash")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None, help="replay a campaign or a trial")
    parser.add_argument("--ops", default=",".join(OPERATIONS))
    args, _ = parser.parse_known_args(sys.argv[1:])
    operations = tuple(o for o in args.ops.split(",") if o)
    unknown = set(operations) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    print("== crash campaign: kill -9 during ingest, re-index, delete, scan, key rotation ==")
    if args.seed is not None and args.trials == 1 and len(operations) == 1:
        trials = [replay(args.seed, operations[0])]
    else:
        seed = args.seed if args.seed is not None else random.randrange(2**31)
        trials = run_campaign(args.trials, seed, operations)
    print(report(trials))


def replay(seed: int, operation: str) -> Trial:
    """One trial by its own seed (as printed on its line)."""
    root = scratch("crash")
    try:
        trial = Campaign(root, default_embedder(1)).run(seed, operation)
        print(f"  1  {trial.line()}")
        return trial
    finally:
        shutil.rmtree(root, ignore_errors=True)
