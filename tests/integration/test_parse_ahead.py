"""The next file is parsed while this one is embedded; cancel stops both and leaves nothing.

Real SQLCipher, LanceDB and parsing child; the embedder is tests.fakes.FakeEmbedder with a
hook, so a test can hold the embedding of one file and watch what the parser does
meanwhile (which file each text belongs to is told by a word only that file holds).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core import Engine, IngestStage, Session
from core.ingest.document import FileParser, ParsedDocument
from core.ingest.isolated import IsolatedParser
from core.search.embedder import Vectors
from tests.fakes import FakeEmbedder

MISBEHAVING = "tests.parse_targets:parse_or_misbehave"


class HookedEmbedder(FakeEmbedder):
    """FakeEmbedder that calls `hook(texts)` before each batch of passages."""

    def __init__(self) -> None:
        self.hook: Callable[[list[str]], None] = lambda texts: None

    def embed_passages(self, texts: list[str]) -> Vectors:
        self.hook(texts)
        return super().embed_passages(texts)


class RecordingParser:
    """The engine's parser, telling which file each parse call starts on (on any thread)."""

    def __init__(self, inner: FileParser, log: list[str]) -> None:
        self.inner, self.log = inner, log
        self.started: dict[str, threading.Event] = {}

    def parse(
        self,
        name: str,
        data: bytes,
        display: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> ParsedDocument:
        self.log.append(f"parse {name}")
        self.started.setdefault(name, threading.Event()).set()
        return self.inner.parse(name, data, display, cancelled)

    def warm_up(self) -> None:
        self.inner.warm_up()

    def wait_started(self, name: str) -> bool:
        return self.started.setdefault(name, threading.Event()).wait(60)


@pytest.fixture
def embedder() -> HookedEmbedder:
    return HookedEmbedder()


def _until(condition: Callable[[], bool]) -> bool:
    """Whether `condition` comes true within a minute (a guard against hanging, not timing)."""
    deadline = time.monotonic() + 60
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _threads() -> set[int]:
    return {t.ident for t in threading.enumerate() if t.ident is not None}


def test_the_next_file_is_parsed_while_this_one_is_embedded(
    engine: Engine, admin: Session, embedder: HookedEmbedder, tmp_path: Path
) -> None:
    log: list[str] = []
    parser = RecordingParser(engine.context.parser, log)
    engine.context.parser = parser

    def hold_alpha_until_bravo_is_parsed(texts: list[str]) -> None:
        if any("alpha" in t for t in texts):
            parser.wait_started("b.txt")  # sequential parsing would never get there
            log.append("embedded a.txt")

    embedder.hook = hold_alpha_until_bravo_is_parsed
    folder = tmp_path / "in"
    folder.mkdir()
    for name, word in (("a.txt", "alpha"), ("b.txt", "bravo"), ("c.txt", "charlie")):
        (folder / name).write_text(f"The {word} valve is checked every spring by the crew.")
    events = list(engine.documents.ingest(admin, [folder]))
    assert log.index("parse b.txt") < log.index("embedded a.txt")
    assert [(e.stage, Path(e.source).name, e.done) for e in events[1:-1]] == [
        (IngestStage.EMBEDDING, "a.txt", 0),
        (IngestStage.EMBEDDING, "b.txt", 0),
        (IngestStage.EMBEDDING, "c.txt", 0),
        (IngestStage.INDEXED, "a.txt", 1),
        (IngestStage.INDEXED, "b.txt", 2),
        (IngestStage.INDEXED, "c.txt", 3),
    ]
    report = events[-1].report
    assert report is not None
    assert (report.indexed, report.failed) == (3, 0)


@pytest.fixture
def hanging_run(
    engine: Engine, embedder: HookedEmbedder, tmp_path: Path
) -> Iterator[tuple[Path, Path]]:
    """A folder of a good file then one that hangs the child (which announces it)."""
    engine.context.parser = IsolatedParser(lambda: 3600.0, target=MISBEHAVING)
    engine.context.parser.warm_up()
    folder, marker = tmp_path / "in", tmp_path / "hanging"
    folder.mkdir()
    (folder / "a-notes.txt").write_text("The alpha valve is checked every spring by the crew.")
    (folder / "b-hang.txt").write_text(f"announce:{marker}")

    def wait_for_the_child_to_hang(texts: list[str]) -> None:
        _until(marker.exists)  # never true if the next file were parsed after this one

    embedder.hook = wait_for_the_child_to_hang
    yield folder, marker
    engine.context.parser = IsolatedParser(lambda: 60.0)


def test_cancel_stops_a_parse_ahead_and_leaves_no_thread_or_child(
    engine: Engine, admin: Session, hanging_run: tuple[Path, Path]
) -> None:
    folder, marker = hanging_run
    threads, children = _threads(), set(multiprocessing.active_children())
    cancel = threading.Event()
    events = []
    for event in engine.documents.ingest(admin, [folder], cancel=cancel):
        events.append(event)
        if event.stage is IngestStage.EMBEDDING:
            cancel.set()
    assert marker.exists()  # the hanging file was being parsed when cancel came
    report = events[-1].report
    assert report is not None
    assert report.cancelled
    assert (report.indexed, report.failed) == (1, 0)  # the embedded file kept, b not failed
    assert _threads() <= threads
    assert set(multiprocessing.active_children()) < children  # the stuck child is gone
    assert {d.name for d in engine.documents.all(admin)} == {"a-notes.txt"}


def test_an_abandoned_ingest_stops_its_parse_ahead_too(
    engine: Engine, admin: Session, hanging_run: tuple[Path, Path]
) -> None:
    folder, marker = hanging_run
    threads, children = _threads(), set(multiprocessing.active_children())
    events = engine.documents.ingest(admin, [folder])
    for event in events:
        if event.stage is IngestStage.EMBEDDING:
            break
    events.close()  # a closed window drops its generator without cancelling
    assert marker.exists()
    assert _threads() <= threads
    assert set(multiprocessing.active_children()) < children
    assert engine.documents.all(admin) == []  # nothing half-written
