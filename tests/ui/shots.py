"""What the screenshot scripts share: the app in a language, waiting, saving, the command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import create_app
from desktop.i18n import Language
from desktop.theme import apply_theme

LIMIT_S = 120.0


def shot_app(lang: str) -> tuple[QApplication, Language]:
    """The desktop's application in the light theme, speaking `lang`."""
    app = create_app(sys.argv[:1])
    apply_theme(app, "light")
    language = Language()
    language.apply(lang)
    return app, language


def wait(app: QApplication, what: str, done: Callable[[], object]) -> None:
    """Run the event loop until `done()` is truthy, or stop naming `what`."""
    end = time.monotonic() + LIMIT_S
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for: {what}")
        app.processEvents()
        time.sleep(0.01)


def save(app: QApplication, widget: QWidget, path: Path) -> Path:
    """Let the last layouts and paints happen, then write the widget's pixels to `path`."""
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not save {path}")
    return path


def shot_main(shoot: Callable[[Path, str], Path]) -> int:
    """`python -m tests.ui.X_shot OUT --lang en|ru`: shoot, say where the file is."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "ru"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"screenshot {shoot(args.out, args.lang)}")
    return 0
