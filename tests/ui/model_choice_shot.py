"""Screenshot of the Choose-a-model dialog with the shipped model list (for docs/models.md).

Run on an X display (Xvfb), from the repository root:
    DISPLAY=:95 QT_QPA_PLATFORM=xcb python -m tests.ui.model_choice_shot docs/screenshots --lang en
The desktop lives in a temporary folder with no model installed (the demo answers); the
dialog is grabbed after it has looked at this computer and listed the models.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core import Engine, Settings
from desktop.app import create_app
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.theme import apply_theme
from desktop.views.model_choice import ModelChoiceDialog
from tests.fakes import FakeEmbedder
from tests.identity import admin_session

LIMIT_S = 120.0


def wait(app: QApplication, what: str, done: Callable[[], object]) -> None:
    """Run the event loop until `done()` is truthy, or stop naming `what`."""
    end = time.monotonic() + LIMIT_S
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for: {what}")
        app.processEvents()
        time.sleep(0.01)


def shoot(out: Path, lang: str) -> Path:
    """Open the dialog on a fresh installation and save its pixels as a PNG."""
    app = create_app(sys.argv[:1])
    apply_theme(app, "light")
    language = Language()
    language.apply(lang)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = Settings.load(folder / "data", key_store="file", password_hash_ms=5)
        tasks = Tasks()
        with Engine(settings, embedder=FakeEmbedder()) as engine:
            try:
                ctx = Context(engine, tasks, language, Prefs(folder / "prefs"))
                ctx.session = admin_session(engine)
                dialog = ModelChoiceDialog(ctx)
                dialog.show()
                wait(app, "the models and the advice", lambda: bool(dialog.options))
                for _ in range(30):
                    app.processEvents()
                    time.sleep(0.02)
                path = out / ("model-choice.png" if lang == "en" else f"model-choice-{lang}.png")
                if not dialog.grab().save(str(path)):
                    raise SystemExit(f"could not save {path}")
                dialog.close()
            finally:
                tasks.shutdown()
    return path


def main() -> int:
    """Parse arguments, shoot, say where the file is."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "ru"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(shoot(args.out, args.lang))
    return 0


if __name__ == "__main__":
    sys.exit(main())
