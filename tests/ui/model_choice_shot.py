"""Screenshot of the Choose-a-model dialog with the shipped model list (for docs/models.md).

Run on an X display (Xvfb), from the repository root:
    DISPLAY=:95 QT_QPA_PLATFORM=xcb python -m tests.ui.model_choice_shot docs/screenshots --lang en
The desktop lives in a temporary folder with no model installed (the demo answers); the
dialog is grabbed after it has looked at this computer and listed the models.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from core import Engine, Settings
from desktop.context import Context
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.views.model_choice import ModelChoiceDialog
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.ui.shots import save, shot_app, shot_main, wait


def shoot(out: Path, lang: str) -> Path:
    """Open the dialog on a fresh installation and save its pixels as a PNG."""
    app, language = shot_app(lang)
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
                path = save(
                    app,
                    dialog,
                    out / ("model-choice.png" if lang == "en" else f"model-choice-{lang}.png"),
                )
                dialog.close()
            finally:
                tasks.shutdown()
    return path


def main() -> int:
    """Shoot in the language asked for."""
    return shot_main(shoot)


if __name__ == "__main__":
    sys.exit(main())
