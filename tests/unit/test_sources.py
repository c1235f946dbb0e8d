"""Walking folders and zips: order, guards against bombs and traversal."""

import io
import zipfile
from pathlib import Path

from core.ingest.sources import Rejected, Root, SourceFile, walk


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
