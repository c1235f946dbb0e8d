"""Run every benchmark: `make bench` or `python -m bench NAME…` (names listed in main)."""

from __future__ import annotations

import sys

from bench import answer, crash, ingest, memory, search, security, server, sync, ui, upkeep


def main() -> None:
    """Run the benchmarks named on the command line (all by default)."""
    runners = {
        "ingest": ingest.main,
        "search": search.main,
        "answer": answer.main,
        "security": security.main,
        "ui": ui.main,
        "memory": memory.main,
        "upkeep": upkeep.main,
        "server": server.main,
        "sync": sync.main,
        "crash": crash.main,
    }
    chosen = [a for a in sys.argv[1:] if a in runners] or list(runners)  # options are theirs
    for name in chosen:
        runners[name]()


if __name__ == "__main__":
    main()
