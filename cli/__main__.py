"""Run the CLI with `python -m cli` (also the frozen build's entry point)."""

import multiprocessing

if __name__ == "__main__":
    # A frozen build starts its parsing child (core/ingest/isolated.py) through this
    # executable: freeze_support() runs the child and exits. The guard keeps a spawned
    # child, which imports this module as __mp_main__, from starting the CLI again.
    multiprocessing.freeze_support()
    from cli.app import main

    raise SystemExit(main())
