"""Run every benchmark: `make bench` or `python -m bench NAME…` (names listed in main)."""

from __future__ import annotations

import sys

from bench import answer, ingest, memory, search, security, ui


def main() -> None:
    """Run the benchmarks named on the command line (all by default)."""
    chosen = sys.argv[1:] or ["ingest", "search", "answer", "security", "ui", "memory"]
    for name in chosen:
        runners = {
            "ingest": ingest.main,
            "search": search.main,
            "answer": answer.main,
            "security": security.main,
            "ui": ui.main,
            "memory": memory.main,
        }
        runners[name]()


if __name__ == "__main__":
    main()
