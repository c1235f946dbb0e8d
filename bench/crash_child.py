"""The crash campaign's child: one operation on a prepared store, each commit reported.

Usage: python -m bench.crash_child WORK_DIR OPERATION

WORK_DIR holds `data/` (the store), `files/` (ingested and watched) and `new/` (not yet
ingested). The child opens the store, loads the embedder and starts the parser process,
prints START, then runs OPERATION and prints a line as soon as each change is committed
(COMMITTED <source>, DELETED <source>, ROTATED), then DONE, each line flushed: the parent
kills it with SIGKILL at a random moment and checks that what was reported survived.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from bench.common import bench_session
from core import Engine, IngestProgress, IngestStage, Settings
from core.ingest import pipeline
from core.services.ingesting import Ingestor

KB = "Team"


def campaign_settings(work: Path) -> Settings:
    """The settings parent and child share: a key file, one thread (busy 2-core machines)."""
    return Settings.load(
        work / "data", key_store="file", password_hash_ms=5, embed_threads=1, n_threads=1
    )


def _say(line: str) -> None:
    print(line, flush=True)


def _reporting(run: object) -> object:
    """Wrap Ingestor.run so every ingest (watched-folder scans too) reports its commits."""

    def wrapped(self: Ingestor, *args: object, **kwargs: object) -> Iterator[IngestProgress]:
        for event in run(self, *args, **kwargs):  # type: ignore[operator]
            if event.stage is IngestStage.INDEXED:
                _say(f"COMMITTED {event.source}")
            elif event.stage is IngestStage.REMOVED:
                _say(f"DELETED {event.source}")
            yield event

    return wrapped


def main() -> None:
    work, operation = Path(sys.argv[1]), sys.argv[2]
    pipeline.BATCH_FILES = 2  # small batches: kills land between commits, not only before all
    Ingestor.run = _reporting(Ingestor.run)  # type: ignore[method-assign]
    with Engine(campaign_settings(work)) as engine:
        admin = bench_session(engine)
        engine.context.index.open()  # the embedder loads before START, not inside the operation
        engine.context.parser.warm_up()  # a parser process exists whenever the kill comes
        _say("START")
        if operation == "ingest":
            list(engine.documents.ingest(admin, [work / "new"], kb=KB))
        elif operation == "reindex":
            list(engine.documents.ingest(admin, [work / "files"], kb=KB))
        elif operation == "watch":
            engine.watches.scan(admin)
        elif operation == "delete":
            docs = sorted(engine.documents.all(admin, KB), key=lambda d: d.source)
            for doc in docs[::2]:
                engine.documents.delete(admin, doc.id)
                _say(f"DELETED {doc.source}")
        elif operation == "rotate":
            engine.keys.rotate(admin)
            _say("ROTATED")
        else:
            raise SystemExit(f"unknown operation {operation!r}")
        _say("DONE")


if __name__ == "__main__":
    main()
