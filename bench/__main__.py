"""Run every benchmark: `make bench` or `python -m bench [ingest|search|answer]`."""

from __future__ import annotations

import sys

from bench import answer, ingest, search


def main() -> None:
    """Run the benchmarks named on the command line (all by default)."""
    chosen = sys.argv[1:] or ["ingest", "search", "answer"]
    for name in chosen:
        {"ingest": ingest.main, "search": search.main, "answer": answer.main}[name]()


if __name__ == "__main__":
    main()
