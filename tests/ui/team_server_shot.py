"""Screenshot of File → Team server… checking a real server on loopback (for the README).

Run on an X display (Xvfb), from the repository root:
    DISPLAY=:97 QT_QPA_PLATFORM=xcb python -m tests.ui.team_server_shot docs/screenshots --lang en
The server and the desktop live in a temporary folder; the dialog is grabbed as drawn,
after the server's certificate fingerprint arrived and a user name and password were typed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core import Engine
from desktop.app import create_app
from desktop.context import Context
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.theme import apply_theme
from desktop.views.team_server import TeamServerDialog
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.server.conftest import quick_settings
from tests.server.running import running
from tests.server.sync_world import desktop

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
    """Check a live server in the dialog and save the dialog's pixels as a PNG."""
    app = create_app(sys.argv[:1])
    apply_theme(app, "light")
    language = Language()
    language.apply(lang)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = quick_settings(folder / "srv", key_store="file")
        with (
            Engine(settings, embedder=FakeEmbedder()) as server_engine,
            running(server_engine) as live,
        ):
            admin_session(server_engine)
            engine, session = desktop(folder / "desk", key_store="file")
            tasks = Tasks()
            try:
                ctx = Context(engine, tasks, language, Prefs(folder / "prefs"))
                ctx.session = session
                dialog = TeamServerDialog(ctx)
                dialog.show()
                dialog.address.setText(live.url)
                dialog.check()
                wait(app, "the server's fingerprint", lambda: dialog.identity is not None)
                dialog.username.setText("anna")
                dialog.password.setText("a long pass phrase")
                dialog.adjustSize()
                wait(app, "the list of connected servers", lambda: tasks.running == 0)
                for _ in range(30):
                    app.processEvents()
                    time.sleep(0.02)
                path = out / ("team-server.png" if lang == "en" else f"team-server-{lang}.png")
                if not dialog.grab().save(str(path)):
                    raise SystemExit(f"could not save {path}")
                dialog.close()
            finally:
                tasks.shutdown()
                engine.close()
    return path


def main() -> int:
    """Parse arguments, shoot, say where the file is."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "ru"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"screenshot {shoot(args.out, args.lang)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
