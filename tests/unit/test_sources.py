"""Walking folders and zips: order, guards against bombs, traversal, links and FIFOs."""

import io
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import FileRejected
from core.ingest.sources import Entry, Rejected, Root, SourceFile, walk

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _write_zip(path: Path, members: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_folder_walk_is_deep_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "b" / "c" / "deep.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "~$lock.docx").write_text("x")
    entries = list(walk([tmp_path], 10**6))
    assert isinstance(entries[0], Root)
    names = [e.name for e in entries if isinstance(e, SourceFile)]
    assert names == ["a.txt", "deep.txt"]


def test_zip_members_are_read_in_memory(tmp_path: Path) -> None:
    z = _write_zip(tmp_path / "docs.zip", {"inner/a.txt": b"hello", "b.md": b"# hi"})
    files = [e for e in walk([z], 10**6) if isinstance(e, SourceFile)]
    assert [f.source for f in files] == [f"{z}!/b.md", f"{z}!/inner/a.txt"]
    assert files[1].read() == b"hello"


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    z = _write_zip(tmp_path / "bomb.zip", {"zeros.txt": b"\0" * 50_000_000})
    entries = list(walk([z], 10**9))
    rejected = [e for e in entries if isinstance(e, Rejected)]
    assert rejected
    assert "zip bomb" in str(rejected[0].error)
    assert not [e for e in entries if isinstance(e, SourceFile)]


def test_path_traversal_is_refused(tmp_path: Path) -> None:
    z = _write_zip(tmp_path / "evil.zip", {"../../etc/passwd": b"x", "ok.txt": b"y"})
    rejected = [e for e in walk([z], 10**6) if isinstance(e, Rejected)]
    assert rejected
    assert "unsafe path" in str(rejected[0].error)


def test_nested_zip_is_walked(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.txt", "deep text")
    z = _write_zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    files = [e for e in walk([z], 10**6) if isinstance(e, SourceFile)]
    assert [f.source for f in files] == [f"{z}!/inner.zip!/deep.txt"]


def test_oversized_member_is_rejected_by_name(tmp_path: Path) -> None:
    z = _write_zip(tmp_path / "big.zip", {"big.txt": b"a b c " * 2000}, level=zipfile.ZIP_STORED)
    rejected = [e for e in walk([z], 1000) if isinstance(e, Rejected)]
    assert rejected
    assert "big.txt" in str(rejected[0].error)


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    entries = list(walk([tmp_path / "nope"], 10))
    assert isinstance(entries[0], Rejected)
    assert "no such file" in str(entries[0].error)


def test_damaged_zip_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert isinstance(list(walk([bad], 10**6))[-1], Rejected)


def _rejections(entries: list[Entry]) -> dict[str, str]:
    return {e.source: e.error.key for e in entries if isinstance(e, Rejected)}


def _sources(entries: list[Entry]) -> list[str]:
    return [e.source for e in entries if isinstance(e, SourceFile)]


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private key outside the shared folder."""
    path = tmp_path / "home" / ".ssh" / "id_ed25519"
    path.parent.mkdir(parents=True)
    path.write_text("-----BEGIN OPENSSH PRIVATE KEY----- secret")
    return path


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A team folder others can write to, with one ordinary document."""
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "notes.txt").write_text("team notes")
    return folder


def test_links_leading_outside_the_folder_are_reported_not_read(shared: Path, secret: Path) -> None:
    (shared / "id.txt").symlink_to(secret)
    (shared / "keys").symlink_to(secret.parent, target_is_directory=True)
    (shared / "sub").mkdir()
    (shared / "sub" / "up.txt").symlink_to(Path("..", "..", "home", ".ssh", "id_ed25519"))
    entries = list(walk([shared], 10**6))
    assert _sources(entries) == [str(shared / "notes.txt")]
    assert _rejections(entries) == {
        str(shared / "id.txt"): "file_link_outside",
        str(shared / "keys"): "file_link_outside",
        str(shared / "sub" / "up.txt"): "file_link_outside",
    }


def test_links_inside_the_folder_are_read_once_and_a_loop_ends(shared: Path) -> None:
    (shared / "alias.txt").symlink_to(shared / "notes.txt")
    (shared / "sub").mkdir()
    (shared / "sub" / "loop").symlink_to(shared, target_is_directory=True)
    entries = list(walk([shared], 10**6))
    files = [e for e in entries if isinstance(e, SourceFile)]
    assert [f.name for f in files] == ["alias.txt", "notes.txt"]
    assert files[0].read() == b"team notes"
    assert not _rejections(entries)


def _within(seconds: float, fifo: Path, work: Callable[[], list[Entry]]) -> list[Entry]:
    """`work()` in a thread; a reader stuck on the FIFO is released and the test fails."""
    result: list[Entry] = []
    worker = threading.Thread(target=lambda: result.extend(work()), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # opening the write end lets the stuck reader see end-of-file
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(seconds)
        pytest.fail("reading the walk blocked on a FIFO")
    return result


def _walk_and_read(paths: list[Path], private: tuple[Path, ...] = ()) -> list[Entry]:
    entries = list(walk(paths, 10**6, private))
    for entry in entries:
        if isinstance(entry, SourceFile):
            entry.read()
    return entries


@needs_fifo
def test_a_fifo_in_a_folder_is_reported_and_never_opened(shared: Path) -> None:
    os.mkfifo(shared / "pipe.txt")
    entries = _within(30, shared / "pipe.txt", lambda: _walk_and_read([shared]))
    assert _sources(entries) == [str(shared / "notes.txt")]
    assert _rejections(entries) == {str(shared / "pipe.txt"): "file_special"}


@needs_fifo
def test_a_fifo_named_directly_is_reported_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    entries = _within(30, fifo, lambda: _walk_and_read([fifo]))
    assert _rejections(entries) == {str(fifo): "file_special"}


def test_a_device_named_directly_is_reported_and_never_opened() -> None:
    null = Path(os.devnull)
    if not null.exists() or os.name == "nt":
        pytest.skip("no /dev/null")
    assert _rejections(list(walk([null], 10**6))) == {str(null): "file_special"}


@needs_fifo
def test_a_file_swapped_for_a_fifo_after_the_walk_is_refused_without_blocking(
    shared: Path,
) -> None:
    [entry] = [e for e in walk([shared], 10**6) if isinstance(e, SourceFile)]
    (shared / "notes.txt").unlink()
    os.mkfifo(shared / "notes.txt")

    def read() -> list[Entry]:
        with pytest.raises(FileRejected) as caught:
            entry.read()
        assert caught.value.key == "file_special"
        return []

    _within(30, shared / "notes.txt", read)


def test_a_file_swapped_for_a_link_after_the_walk_is_refused(shared: Path, secret: Path) -> None:
    [entry] = [e for e in walk([shared], 10**6) if isinstance(e, SourceFile)]
    (shared / "notes.txt").unlink()
    (shared / "notes.txt").symlink_to(secret)
    with pytest.raises(FileRejected) as caught:
        entry.read()
    assert caught.value.key == "file_unreadable"


def test_a_file_replaced_after_the_walk_is_refused_until_the_next_scan(shared: Path) -> None:
    [entry] = [e for e in walk([shared], 10**6) if isinstance(e, SourceFile)]
    (shared / "new.txt").write_text("other")
    (shared / "new.txt").replace(shared / "notes.txt")
    with pytest.raises(FileRejected) as caught:
        entry.read()
    assert caught.value.key == "file_changed"


def test_the_data_folder_and_key_file_inside_a_walked_folder_are_skipped(shared: Path) -> None:
    data = shared / "konspekt-data"
    (data / "blobs").mkdir(parents=True)
    (data / "konspekt.toml").write_text("n_ctx = 4096")
    (data / "blobs" / "x.txt").write_text("blob")
    key = shared / "konspekt.key"
    key.write_text("00ff")
    entries = list(walk([shared], 10**6, private=(data, key)))
    assert _sources(entries) == [str(shared / "notes.txt")]
    assert _rejections(entries) == {str(data): "file_own_data", str(key): "file_own_data"}


def test_the_data_folder_named_directly_or_through_a_link_is_skipped(
    shared: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "konspekt.toml").write_text("n_ctx = 4096")
    (shared / "data-link").symlink_to(data, target_is_directory=True)
    named = list(walk([data, data / "konspekt.toml", shared / "data-link"], 10**6, [data]))
    assert not _sources(named)
    assert set(_rejections(named).values()) == {"file_own_data"}
