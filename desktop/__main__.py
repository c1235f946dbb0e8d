"""`python -m desktop`: start the desktop application."""

from desktop.app import main

raise SystemExit(main())
