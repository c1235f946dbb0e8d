"""Screenshot of File → Team server… checking a real server on loopback (for the README).

Run on an X display (Xvfb), from the repository root:
    DISPLAY=:97 QT_QPA_PLATFORM=xcb python -m tests.ui.team_server_shot docs/screenshots --lang en
The server and the desktop live in a temporary folder; the dialog is grabbed as drawn,
after the server's certificate fingerprint arrived and a user name and password were typed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from core import Engine
from desktop.context import Context
from desktop.prefs import Prefs
from desktop.tasks import Tasks
from desktop.views.team_server import TeamServerDialog
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.server.conftest import quick_settings
from tests.server.running import running
from tests.server.sync_world import desktop
from tests.ui.shots import save, shot_app, shot_main, wait


def shoot(out: Path, lang: str) -> Path:
    """Check a live server in the dialog and save the dialog's pixels as a PNG."""
    app, language = shot_app(lang)
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
                path = save(
                    app,
                    dialog,
                    out / ("team-server.png" if lang == "en" else f"team-server-{lang}.png"),
                )
                dialog.close()
            finally:
                tasks.shutdown()
                engine.close()
    return path


def main() -> int:
    """Shoot in the language asked for."""
    return shot_main(shoot)


if __name__ == "__main__":
    sys.exit(main())
