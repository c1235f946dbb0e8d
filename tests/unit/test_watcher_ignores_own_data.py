"""A watched folder holding Konspekt's data folder: its own writes schedule no scan."""

from pathlib import Path

from watchdog.events import FileModifiedEvent, FileMovedEvent

from core.jobs.watcher import FolderWatcher, _Handler


def _handler(tmp_path: Path, calls: list[int]) -> _Handler:
    data = tmp_path / "shared" / "konspekt-data"
    data.mkdir(parents=True)
    watcher = FolderWatcher(calls.append, private=[data, tmp_path / "konspekt.key"])
    return _Handler(7, calls.append, watcher._private)


def test_writes_inside_the_data_folder_schedule_no_scan(tmp_path: Path) -> None:
    calls: list[int] = []
    handler = _handler(tmp_path, calls)
    data = tmp_path / "shared" / "konspekt-data"
    handler.on_any_event(FileModifiedEvent(str(data / "konspekt.db-wal")))
    handler.on_any_event(FileModifiedEvent(str(data / "blobs" / "ab" / "cd")))
    handler.on_any_event(FileModifiedEvent(str(data)))
    assert calls == []


def test_a_document_changed_beside_the_data_folder_schedules_a_scan(tmp_path: Path) -> None:
    calls: list[int] = []
    handler = _handler(tmp_path, calls)
    shared = tmp_path / "shared"
    handler.on_any_event(FileModifiedEvent(str(shared / "notes.md")))
    handler.on_any_event(FileModifiedEvent(str(shared / "konspekt-data-notes.md")))
    handler.on_any_event(
        FileMovedEvent(str(shared / "konspekt-data" / "x.md"), str(shared / "x.md"))
    )
    assert calls == [7, 7, 7]
