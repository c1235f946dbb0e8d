"""A reader that crashes or hangs fails its file alone; the app and the batch go on."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from core import Engine, IngestStage, Session
from core.errors import FileRejected
from core.ingest.isolated import IsolatedParser
from core.ingest.parsers import Parser
from tests.documents import make_docx

MISBEHAVING = "tests.parse_targets:parse_or_misbehave"


def test_a_crash_and_a_hang_fail_their_files_and_the_next_file_is_read() -> None:
    parser = IsolatedParser(lambda: 3.0, target=MISBEHAVING)
    with pytest.raises(FileRejected) as crashed:
        parser.parse("segfault.txt", b"any text", "/in/segfault.txt")
    assert crashed.value.key == "parse_crashed"
    assert "SIGSEGV" in crashed.value.user_message("en")
    assert "/in/segfault.txt" in crashed.value.user_message("ru")
    good = parser.parse("notes.txt", b"The boiler is serviced in May.", "notes.txt")
    assert "boiler" in good.blocks[0].text
    with pytest.raises(FileRejected) as hung:
        parser.parse("hang.txt", b"any text", "hang.txt")
    assert hung.value.key == "parse_timeout"
    assert "3 s" in hung.value.user_message("en")
    assert "parse_timeout_s" in hung.value.user_message("ru")
    again = parser.parse("notes.txt", b"The boiler is serviced in May.", "notes.txt")
    assert again == good


def test_a_reader_refusal_crosses_the_process_boundary_unchanged() -> None:
    data = b"PK\x03\x04 not a real zip"
    with pytest.raises(FileRejected) as here:
        Parser().parse("broken.docx", data, "in/broken.docx")
    with pytest.raises(FileRejected) as there:
        IsolatedParser(lambda: 60.0).parse("broken.docx", data, "in/broken.docx")
    assert (there.value.key, there.value.params) == (here.value.key, here.value.params)
    assert "in/broken.docx" in there.value.user_message("ru")


def test_the_batch_goes_on_past_a_crashing_and_a_hanging_file(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    engine.context.parser = IsolatedParser(lambda: 3.0, target=MISBEHAVING)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-segfault.txt").write_text("Whatever this says.")
    (folder / "b-hang.txt").write_text("Whatever this says.")
    (folder / "c-notes.txt").write_text("The boiler is serviced every May by the caretaker.")
    events = list(engine.documents.ingest(admin, [folder]))
    failed = {Path(e.source).name: e.error_key for e in events if e.stage is IngestStage.FAILED}
    assert failed == {"a-segfault.txt": "parse_crashed", "b-hang.txt": "parse_timeout"}
    report = events[-1].report
    assert report is not None
    assert (report.indexed, report.failed) == (1, 2)
    [hit] = engine.answers.search(admin, "When is the boiler serviced?", limit=1)
    assert hit.document == "c-notes.txt"
    table = {d.name: d.status.value for d in engine.documents.all(admin)}
    assert table == {"a-segfault.txt": "failed", "b-hang.txt": "failed", "c-notes.txt": "indexed"}


def test_a_crash_while_parsing_ahead_fails_that_file_alone_in_its_place(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    """The crash happens while the file before it is embedded; both neighbours are kept."""
    engine.context.parser = IsolatedParser(lambda: 60.0, target=MISBEHAVING)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-boiler.txt").write_text("The boiler is serviced every May by the caretaker.")
    (folder / "b-segfault.txt").write_text("Whatever this says.")
    (folder / "c-roof.txt").write_text("The roof gutters are cleared each November.")
    (folder / "d-keys.txt").write_text("Spare keys to the plant room hang in the office.")
    events = list(engine.documents.ingest(admin, [folder]))
    steps = [
        (e.stage, Path(e.source).name, e.done)
        for e in events
        if e.stage in (IngestStage.FAILED, IngestStage.INDEXED)
    ]
    # b fails at its turn (after a is embedded), before c and d are; all are written at the end
    assert steps == [
        (IngestStage.FAILED, "b-segfault.txt", 1),
        (IngestStage.INDEXED, "a-boiler.txt", 2),
        (IngestStage.INDEXED, "c-roof.txt", 3),
        (IngestStage.INDEXED, "d-keys.txt", 4),
    ]
    embedded = [Path(e.source).name for e in events if e.stage is IngestStage.EMBEDDING]
    assert embedded == ["a-boiler.txt", "c-roof.txt", "d-keys.txt"]
    assert "SIGSEGV" in next(e for e in events if e.error_key).error("en")
    [hit] = engine.answers.search(admin, "When are the gutters cleared?", limit=1)
    assert hit.document == "c-roof.txt"
    table = {d.name: d.status.value for d in engine.documents.all(admin)}
    assert table == {
        "a-boiler.txt": "indexed",
        "b-segfault.txt": "failed",
        "c-roof.txt": "indexed",
        "d-keys.txt": "indexed",
    }


def test_the_application_process_never_loads_the_office_readers(tmp_path: Path) -> None:
    """Docling and the office libraries run in the child: no import stalls the window."""
    (tmp_path / "in").mkdir()
    make_docx(tmp_path / "in" / "minutes.docx")
    script = textwrap.dedent(
        f"""
        import sys
        from core import Engine, Settings
        from tests.identity import admin_session
        settings = Settings.load(
            {str(tmp_path / "data")!r}, embed_threads=1, key_store="file", password_hash_ms=5
        )
        with Engine(settings) as engine:
            folder = {str(tmp_path / "in")!r}
            events = list(engine.documents.ingest(admin_session(engine), [folder]))
            print(events[-1].report.indexed, "docling" in sys.modules, "docx" in sys.modules)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    assert out.stdout.split()[-3:] == ["1", "False", "False"]


def test_the_child_goes_when_the_app_is_killed_mid_file() -> None:
    """An app killed with -9 leaves no reader behind, even one stuck in a file."""
    script = textwrap.dedent(
        f"""
        import multiprocessing, os, signal, threading, time
        from core.ingest.isolated import IsolatedParser
        parser = IsolatedParser(lambda: 3600.0, target={MISBEHAVING!r})
        threading.Thread(target=parser.parse, args=("hang.txt", b"x", "hang.txt")).start()
        while not multiprocessing.active_children():
            time.sleep(0.1)
        time.sleep(3)  # the child is inside the file now
        print(multiprocessing.active_children()[0].pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == -signal.SIGKILL
    child = int(out.stdout.split()[-1])
    deadline = time.monotonic() + 15
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"
