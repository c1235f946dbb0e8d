"""`python -m desktop`: start the desktop application (also the frozen build's entry)."""

import multiprocessing

if __name__ == "__main__":
    # See cli/__main__.py: the parsing child starts through this executable when frozen,
    # and must never open a second window.
    multiprocessing.freeze_support()
    from desktop.app import main

    raise SystemExit(main())
