"""Child process for the summary crash test: asks, logs out, then dies before the job runs.

Usage: python -m tests.integration.summary_child DATA_DIR MODEL
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from core import Engine, Settings
from core.llm.generator import Generator
from tests.identity import admin_session


def main() -> None:
    data_dir, model = Path(sys.argv[1]), Path(sys.argv[2])
    settings = Settings.load(data_dir, embed_threads=1, key_store="file", password_hash_ms=5)
    engine = Engine(settings, generator=Generator(model, n_ctx=2048, n_threads=1))
    admin = admin_session(engine)
    chat = engine.chats.create(admin)
    list(engine.answers.ask(admin, "Where is the archive?", chat=chat.id))
    engine.identity.logout(admin)  # queues the summary job; the scheduler was never started
    print("LOGGED OUT", engine.memory.pending_jobs(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main()
