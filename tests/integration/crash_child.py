"""Child process for the crash tests: ingests a folder and reports each committed file.

Usage: python -m tests.integration.crash_child DATA_DIR FOLDER MODE
MODE 'slow': tiny batches, so the parent can kill -9 between commits.
MODE 'die-after-vectors': SIGKILL itself after LanceDB got vectors, before SQL commits.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from core import Engine, IngestStage, Settings
from core.ingest import pipeline
from core.store.library import Library
from tests.identity import admin_session


def main() -> None:
    data_dir, folder, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    pipeline.BATCH_FILES = 1
    if mode == "die-after-vectors":

        def die(self: Library, docs: object) -> list[int]:
            os.kill(os.getpid(), signal.SIGKILL)
            return []

        Library.save_documents = die  # type: ignore[method-assign]
    settings = Settings.load(data_dir, embed_threads=1, key_store="file", password_hash_ms=5)
    with Engine(settings) as engine:
        for event in engine.documents.ingest(admin_session(engine), [folder]):
            if event.stage is IngestStage.INDEXED:
                print("INDEXED", event.source, flush=True)


if __name__ == "__main__":
    main()
