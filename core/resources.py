"""Where the files that ship with the app live, in a source tree and in a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "KONSPEKT_RESOURCES"
APP_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding core/ (and resources/): the repository, or the unpacked bundle."""


def resources_dir() -> Path:
    """The `resources/` folder: KONSPEKT_RESOURCES, the bundle's, or the source tree's.

    A PyInstaller bundle unpacks data next to the code (`sys._MEIPASS`), which is also
    APP_ROOT there; the variable lets a packager point elsewhere without code changes.
    """
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return APP_ROOT / "resources"


def selftest_dir() -> Path:
    """The sample documents `konspekt doctor --self-test` ingests and asks about."""
    return resources_dir() / "selftest"


def locale_dir() -> Path:
    """The gettext catalogues: `<lang>/LC_MESSAGES/<domain>.mo` (core, cli), built by make."""
    return resources_dir() / "locale"


def fonts_dir() -> Path:
    """DejaVu Sans (regular, bold; licence beside them): the exported PDFs' Cyrillic font."""
    return resources_dir() / "fonts"
