"""Child of the Secret Service test: runs inside `dbus-run-session` with gnome-keyring.

Usage: python -m tests.integration.secret_service_child DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from core import Engine, Settings


def main() -> None:
    settings = Settings.load(Path(sys.argv[1]), password_hash_ms=5)
    with Engine(settings) as engine:
        session = engine.identity.setup("admin", "correct horse battery").session
        engine.kbs.create(session, "Contracts")
    with Engine(settings) as engine:  # the key comes back from the Secret Service
        session = engine.identity.login("admin", "correct horse battery")
        names = [k.name for k in engine.kbs.visible(session)]
        assert names == ["~admin", "Contracts"], names
        print("OK", Engine.keychain(), flush=True)


if __name__ == "__main__":
    main()
