"""Run the CLI with `python -m cli`."""

from cli.app import main

raise SystemExit(main())
